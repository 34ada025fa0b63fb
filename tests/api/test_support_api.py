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
    # A psychologist has no access to support at all.
    psychologist = token_client(UserFactory(organisation=org_a, role=Role.PSYCHOLOGIST))
    assert psychologist.get("/api/v1/contacts/").json()["results"] == []
    assert (
        psychologist.post(
            "/api/v1/objectives/", {"household": household}, format="json"
        ).status_code
        == 403
    )
