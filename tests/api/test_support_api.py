"""API v1 of support: contracts and amendments within the programme's cap, contacts and
objectives, scoped to the organisation, free text only for those who may read it."""

import pytest

from seuil.core.enums import Role
from seuil.core.models import AccessLog
from tests.api.conftest import token_client
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(org_a):
    import datetime

    programme = ProgrammeFactory(organisation=org_a, max_support_months=18)
    household = HouseholdFactory(organisation=org_a)
    return StayFactory(
        household=household,
        unit=HousingUnitFactory(organisation=org_a),
        programme=programme,
        entered_on=datetime.date(2023, 11, 15),
    )


def test_a_contract_and_its_amendments_within_the_cap(api_a, stay):
    response = api_a.post(
        "/api/v1/support-contracts/",
        {
            "stay": str(stay.uuid),
            "signed_on": "2023-12-01",
            "starts_on": "2023-12-01",
            "ends_on": "2024-05-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    contract = response.json()
    assert contract["last_possible_end"] == "2025-05-14"
    assert contract["signed_late"] is False
    url = f"/api/v1/support-contracts/{contract['uuid']}/amendments/"
    refused = api_a.post(url, {"signed_on": "2024-05-20", "ends_on": "2025-05-15"}, format="json")
    assert refused.status_code == 400
    assert "fin au plus tard le 14/05/2025" in str(refused.json())
    done = api_a.post(url, {"signed_on": "2024-05-20", "ends_on": "2025-05-14"}, format="json")
    assert done.status_code == 201
    assert done.json()["current_end"] == "2025-05-14"
    assert [a["ends_on"] for a in done.json()["amendments"]] == ["2025-05-14"]


def test_contacts_and_objectives_and_who_reads_their_text(api_a, org_a, stay, api_b):
    household = str(stay.household.uuid)
    contact = api_a.post(
        "/api/v1/contacts/",
        {"household": household, "on": "2024-01-09", "kind": "home_visit", "notes": "Note-TEXTE"},
        format="json",
    )
    assert contact.status_code == 201, contact.json()
    assert contact.json()["notes"] == "Note-TEXTE"
    objective = api_a.post(
        "/api/v1/objectives/",
        {
            "household": household,
            "domain": "budget",
            "set_on": "2024-01-09",
            "actions": "Actions-TEXTE",
        },
        format="json",
    )
    assert objective.status_code == 201
    uuid = objective.json()["uuid"]
    closed = api_a.post(
        f"/api/v1/objectives/{uuid}/close/",
        {"closed_on": "2024-06-30", "outcome": "achieved"},
        format="json",
    )
    assert (closed.status_code, closed.json()["outcome"]) == (200, "achieved")
    # A tenancy officer reads the objective, not its text; no contact it takes no part in.
    officer = token_client(UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER))
    seen = officer.get(f"/api/v1/objectives/{uuid}/").json()
    assert seen["domain"] == "budget" and seen["actions"] is None
    assert officer.get("/api/v1/contacts/").json()["results"] == []
    assert AccessLog.objects.filter(object_uuid=uuid, action="view").exists()
    # Another organisation reaches nothing.
    assert api_b.get(f"/api/v1/objectives/{uuid}/").status_code == 404
    assert api_b.get("/api/v1/contacts/").json()["results"] == []
    # A psychologist to whom the household is not referred reads and writes nothing of it.
    psychologist = token_client(UserFactory(organisation=org_a, role=Role.PSYCHOLOGIST))
    assert psychologist.get("/api/v1/contacts/").json()["results"] == []
    assert psychologist.get("/api/v1/objectives/").json()["results"] == []
    assert (
        psychologist.post(
            "/api/v1/objectives/", {"household": household}, format="json"
        ).status_code
        == 403
    )


def test_referrals_to_partners_and_their_result(api_a, api_b, org_a, stay):
    from seuil.core.models import Partner

    caf = Partner.objects.create(organisation=org_a, name="CAF de la Somme", kind="caf")
    closed = Partner.objects.create(
        organisation=org_a, name="Centre fermé", kind="training", active=False
    )
    body = {
        "household": str(stay.household.uuid),
        "on": "2024-01-10",
        "partner": str(closed.uuid),
        "purpose": "rights",
        "details": "Dossier-TEXTE",
    }
    refused = api_a.post("/api/v1/partner-referrals/", body, format="json")
    assert refused.status_code == 400
    assert "partenaire en activité" in str(refused.json()["partner"])
    created = api_a.post(
        "/api/v1/partner-referrals/", {**body, "partner": str(caf.uuid)}, format="json"
    )
    assert created.status_code == 201, created.json()
    referral = created.json()
    assert referral["partner_name"] == "CAF de la Somme"
    assert (referral["result"], referral["result_on"]) == ("pending", None)
    url = f"/api/v1/partner-referrals/{referral['uuid']}/result/"
    assert api_a.post(url, {"result": "done"}, format="json").status_code == 400
    before = api_a.post(url, {"result": "done", "result_on": "2024-01-01"}, format="json")
    assert before.status_code == 400
    done = api_a.post(url, {"result": "done", "result_on": "2024-02-01"}, format="json")
    assert done.status_code == 200
    assert (done.json()["result"], done.json()["result_on"]) == ("done", "2024-02-01")
    # Another organisation neither sees it nor refers to A's partners.
    assert api_b.get(f"/api/v1/partner-referrals/{referral['uuid']}/").status_code == 404
    assert api_b.get("/api/v1/partner-referrals/").json()["count"] == 0
    # The tenancy officer sees the referral, not its text.
    officer_user = UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER)
    officer = token_client(officer_user)
    [row] = officer.get("/api/v1/partner-referrals/").json()["results"]
    assert row["details"] is None and row["purpose"] == "rights"
    # Reading a list is in the access log, one row per record read.
    assert AccessLog.objects.filter(
        user=officer_user, action="view", object_uuid=referral["uuid"]
    ).exists()


def test_the_path_of_an_adult_through_the_api(api_a, org_a, stay):
    from tests.households.factories import MembershipFactory

    household = stay.household
    person = MembershipFactory(household=household, role="head").person
    stranger = MembershipFactory(household=HouseholdFactory(organisation=org_a)).person
    common = {"household": str(household.uuid), "person": str(person.uuid)}
    employment = api_a.post(
        "/api/v1/employment-records/",
        {**common, "since": "2024-03-01", "situation": "fixed_term", "employer": "Boulangerie"},
        format="json",
    )
    assert employment.status_code == 201, employment.json()
    assert employment.json()["employer"] == "Boulangerie"
    other = api_a.post(
        "/api/v1/employment-records/",
        {**common, "person": str(stranger.uuid), "since": "2024-03-01", "situation": "unknown"},
        format="json",
    )
    assert other.status_code == 400
    training = api_a.post(
        "/api/v1/training-records/",
        {**common, "name": "Cariste", "starts_on": "2024-04-01", "ends_on": "2024-03-01"},
        format="json",
    )
    assert training.status_code == 400
    assert "précède son début" in str(training.json())
    unnamed = api_a.post(
        "/api/v1/training-records/",
        {**common, "name": None, "starts_on": "2024-04-01"},
        format="json",
    )
    assert unnamed.status_code == 400 and "name" in unnamed.json()
    training = api_a.post(
        "/api/v1/training-records/",
        {**common, "name": "Cariste", "starts_on": "2024-04-01", "ends_on": None},
        format="json",
    )
    assert training.status_code == 201 and training.json()["body"] is None
    french = api_a.post(
        "/api/v1/french-level-records/",
        {**common, "assessed_on": "2024-02-01", "level": "A2"},
        format="json",
    )
    assert french.status_code == 201 and french.json()["assessed_by"] == ""
    listed = api_a.get(f"/api/v1/french-level-records/?household={household.uuid}").json()
    assert [r["level"] for r in listed["results"]] == ["A2"]
    officer = token_client(UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER))
    [row] = officer.get("/api/v1/training-records/").json()["results"]
    assert row["name"] is None and row["starts_on"] == "2024-04-01"
    assert AccessLog.objects.filter(object_type="trainingrecord", action="create").exists()


def test_monthly_reviews_and_meetings_through_the_api(api_a, api_b, org_a, stay):
    household = stay.household
    worker = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    officer = UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER)
    review = api_a.post(
        "/api/v1/reviews/",
        {
            "household": str(household.uuid),
            "held_on": "2024-02-12",
            "worker": str(worker.uuid),
            "tenancy_officer": str(worker.uuid),  # not a tenancy officer
            "risks": "Risque-TEXTE",
        },
        format="json",
    )
    assert review.status_code == 400 and "tenancy_officer" in review.json()
    review = api_a.post(
        "/api/v1/reviews/",
        {
            "household": str(household.uuid),
            "held_on": "2024-02-12",
            "worker": str(worker.uuid),
            "tenancy_officer": str(officer.uuid),
            "risks": "Risque-TEXTE",
        },
        format="json",
    )
    assert review.status_code == 201, review.json()
    assert review.json()["risks"] == "Risque-TEXTE" and review.json()["budget"] == ""
    # The tenancy officer reads the reviews it takes part in, and only those.
    other = UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER)
    assert token_client(officer).get("/api/v1/reviews/").json()["count"] == 1
    assert token_client(other).get("/api/v1/reviews/").json()["count"] == 0
    assert api_b.get(f"/api/v1/reviews/{review.json()['uuid']}/").status_code == 404

    meeting = api_a.post(
        "/api/v1/meetings/",
        {
            "kind": "coordination_cell",
            "held_on": "2024-03-05",
            "participants": "Mme A\nM. B",
            "households": [str(household.uuid)],
            "minutes": "CR-TEXTE",
        },
        format="json",
    )
    assert meeting.status_code == 201, meeting.json()
    assert meeting.json()["households"] == [str(household.uuid)]
    listed = api_a.get(f"/api/v1/meetings/?household={household.uuid}").json()
    assert [m["uuid"] for m in listed["results"]] == [meeting.json()["uuid"]]
    other = HouseholdFactory(organisation=org_a)
    assert api_a.get(f"/api/v1/meetings/?household={other.uuid}").json()["count"] == 0
    foreign = api_b.post(
        "/api/v1/meetings/",
        {
            "kind": "steering_committee",
            "held_on": "2024-03-05",
            "households": [str(household.uuid)],
        },
        format="json",
    )
    assert foreign.status_code == 400
    # A list of households is a JSON list, not an object.
    wrong = api_a.post(
        "/api/v1/meetings/",
        {"kind": "coordination_cell", "held_on": "2024-03-05", "households": {}},
        format="json",
    )
    assert wrong.json()["households"] == ["Type invalide : liste attendu."]
    assert api_b.get("/api/v1/meetings/").json()["count"] == 0
    psychologist = token_client(UserFactory(organisation=org_a, role=Role.PSYCHOLOGIST))
    assert psychologist.get("/api/v1/meetings/").json()["count"] == 0
    assert psychologist.get(f"/api/v1/meetings/{meeting.json()['uuid']}/").status_code == 404
