"""Households, members, persons and their dated records through the API."""

import pytest

from seuil.core.models import AccessLog
from seuil.households.models import Household, Membership

pytestmark = pytest.mark.django_db


def test_member_lists_their_households_with_members_and_dated_records(api_a, household_a):
    response = api_a.get("/api/v1/households/")
    assert response.status_code == 200
    assert response.data["count"] == 1
    household = response.data["results"][0]
    assert household["uuid"] == str(household_a.uuid)
    assert household["ref"] == "M-A1"
    assert household["prior_situation"] == "specialised_shelter"
    assert household["resources"] == [{"on": "2023-01-01", "types": ["rsa"]}]
    (member,) = household["members"]
    head = household_a.memberships.get()
    assert member["uuid"] == str(head.uuid)
    assert member["person"] == str(head.person.uuid)
    assert member["role"] == "head"
    assert member["first_name"] == "Aïcha"
    assert member["birth_date"] == "1988-04-02"
    assert member["joined_on"] is None
    assert member["joined_reason"] is None
    assert member["legal_status"] == [{"since": "2021-06-01", "status": "refugee"}]
    assert "id" not in household and "organisation" not in household


def test_listing_households_takes_a_fixed_number_of_queries(
    api_a, org_a, household_a, django_assert_max_num_queries
):
    from tests.households.factories import HouseholdFactory, MembershipFactory

    for _ in range(5):
        MembershipFactory(household=HouseholdFactory(organisation=org_a))
    # Whatever the number of rows: the page (its households counted, the keys of the page
    # in order, then their rows: `core.scoped_pages`), its prefetches (contact details
    # included), its access-log rows (one insert for all of them) and the programmes its
    # filter offers.
    with django_assert_max_num_queries(15):
        response = api_a.get("/api/v1/households/")
    assert response.data["count"] == 6
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW).count() == 6


def test_reading_a_household_writes_a_view_access_log(api_a, member_a, household_a):
    response = api_a.get(f"/api/v1/households/{household_a.uuid}/")
    assert response.status_code == 200
    assert response.data["ref"] == "M-A1"
    log = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (log.user, log.object_type, log.object_uuid) == (member_a, "household", household_a.uuid)
    assert log.organisation == member_a.organisation


def test_listing_households_writes_a_view_access_log_per_household(api_a, member_a, household_a):
    api_a.get("/api/v1/households/")
    log = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (log.user, log.object_type, log.object_uuid) == (member_a, "household", household_a.uuid)


def test_member_creates_a_household_in_their_organisation(api_a, org_a):
    response = api_a.post(
        "/api/v1/households/",
        {"ref": "M-NEW", "prior_situation": "street_or_115"},
        format="json",
    )
    assert response.status_code == 201, response.data
    household = Household.objects.get(uuid=response.data["uuid"])
    assert household.organisation == org_a
    assert (household.ref, household.prior_situation) == ("M-NEW", "street_or_115")
    assert response.data["members"] == []
    assert AccessLog.objects.filter(
        action=AccessLog.Action.CREATE, object_uuid=household.uuid
    ).exists()


def test_a_household_without_ref_gets_one(api_a):
    response = api_a.post("/api/v1/households/", {}, format="json")
    assert response.status_code == 201
    assert response.data["ref"].startswith("M-")
    assert response.data["prior_situation"] is None


def test_a_duplicate_household_ref_is_refused_in_french(api_a, household_a):
    response = api_a.post("/api/v1/households/", {"ref": "M-A1"}, format="json")
    assert response.status_code == 400
    assert "Cette référence de ménage existe déjà." in str(response.data)


def test_an_unknown_prior_situation_is_refused(api_a):
    response = api_a.post("/api/v1/households/", {"prior_situation": "castle"}, format="json")
    assert response.status_code == 400
    assert "prior_situation" in response.data


def test_member_updates_a_household(api_a, household_a):
    url = f"/api/v1/households/{household_a.uuid}/"
    response = api_a.patch(url, {"prior_situation": "general_shelter"}, format="json")
    assert response.status_code == 200
    assert response.data["prior_situation"] == "general_shelter"
    response = api_a.put(url, {"ref": "M-A1-bis", "prior_situation": None}, format="json")
    assert response.status_code == 200
    household_a.refresh_from_db()
    assert (household_a.ref, household_a.prior_situation) == ("M-A1-bis", "")
    assert AccessLog.objects.filter(action=AccessLog.Action.CHANGE).exists()


def test_households_cannot_be_deleted(api_a, household_a):
    response = api_a.delete(f"/api/v1/households/{household_a.uuid}/")
    assert response.status_code == 405
    assert Household.objects.filter(pk=household_a.pk).exists()


def test_sending_organisation_uuid_or_id_changes_nothing(api_a, api_b, org_b, household_a):
    original = (household_a.pk, household_a.uuid, household_a.organisation_id)
    response = api_a.patch(
        f"/api/v1/households/{household_a.uuid}/",
        {
            "organisation": str(org_b.uuid),
            "uuid": "00000000-0000-4000-8000-000000000000",
            "id": 999,
            "prior_situation": "other",
        },
        format="json",
    )
    assert response.status_code == 200
    household_a.refresh_from_db()
    assert (household_a.pk, household_a.uuid, household_a.organisation_id) == original
    assert api_b.get("/api/v1/households/").data["count"] == 0


def test_creating_with_another_organisation_stays_in_ones_own(api_a, org_a, org_b):
    response = api_a.post(
        "/api/v1/households/", {"ref": "M-X", "organisation": org_b.ref}, format="json"
    )
    assert response.status_code == 201
    assert Household.objects.get(uuid=response.data["uuid"]).organisation == org_a


def test_member_adds_a_member_with_a_legal_status(api_a, household_a):
    response = api_a.post(
        f"/api/v1/households/{household_a.uuid}/members/",
        {
            "role": "child",
            "first_name": "Nour",
            "last_name": "N'Diaye",
            "sex": "F",
            "birth_date": "2024-02-10",
            "joined_on": "2024-02-10",
            "joined_reason": "birth",
            "initial_legal_status": [{"since": "2024-02-10", "status": "refugee"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["role"] == "child"
    assert response.data["joined_reason"] == "birth"
    assert response.data["legal_status"] == [{"since": "2024-02-10", "status": "refugee"}]
    membership = Membership.objects.get(uuid=response.data["uuid"])
    assert membership.household == household_a
    assert membership.person.organisation == household_a.organisation
    assert membership.person.first_name == "Nour"
    members = api_a.get(f"/api/v1/households/{household_a.uuid}/").data["members"]
    assert {m["first_name"] for m in members} == {"Aïcha", "Nour"}


def test_a_second_head_is_refused_in_french(api_a, household_a):
    response = api_a.post(
        f"/api/v1/households/{household_a.uuid}/members/", {"role": "head"}, format="json"
    )
    assert response.status_code == 400
    assert response.data["role"] == ["Le ménage a déjà une personne de référence."]
    assert household_a.memberships.count() == 1


def test_a_member_with_an_invalid_legal_status_adds_nobody(api_a, household_a):
    response = api_a.post(
        f"/api/v1/households/{household_a.uuid}/members/",
        {
            "role": "partner",
            "initial_legal_status": [
                {"since": "2022-01-01", "status": "refugee"},
                {"since": "2022-01-01", "status": "stateless"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Un statut est déjà enregistré à cette date." in str(response.data)
    assert household_a.memberships.count() == 1


def test_member_records_resources(api_a, household_a):
    url = f"/api/v1/households/{household_a.uuid}/resources/"
    response = api_a.post(
        url, {"on": "2024-01-01", "types": ["salary", "activity_bonus"]}, format="json"
    )
    assert response.status_code == 201
    assert response.data == {"on": "2024-01-01", "types": ["activity_bonus", "salary"]}
    resources = api_a.get(f"/api/v1/households/{household_a.uuid}/").data["resources"]
    assert [r["on"] for r in resources] == ["2023-01-01", "2024-01-01"]


def test_resources_none_with_others_is_refused_in_french(api_a, household_a):
    response = api_a.post(
        f"/api/v1/households/{household_a.uuid}/resources/",
        {"on": "2024-01-01", "types": ["none", "rsa"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.data["non_field_errors"] == [
        "« Aucune ressource » ne se combine pas avec d'autres ressources."
    ]


def test_member_records_a_legal_status_on_a_person(api_a, household_a):
    person = household_a.memberships.get().person
    response = api_a.post(
        f"/api/v1/persons/{person.uuid}/legal-status/",
        {"since": "2023-05-01", "status": "regularised"},
        format="json",
    )
    assert response.status_code == 201
    assert response.data == {"since": "2023-05-01", "status": "regularised"}
    detail = api_a.get(f"/api/v1/persons/{person.uuid}/").data
    assert detail["legal_status"] == [
        {"since": "2021-06-01", "status": "refugee"},
        {"since": "2023-05-01", "status": "regularised"},
    ]
    assert detail["memberships"][0]["household"] == str(household_a.uuid)


def test_reading_a_person_writes_a_view_access_log(api_a, household_a):
    person = household_a.memberships.get().person
    assert api_a.get(f"/api/v1/persons/{person.uuid}/").status_code == 200
    log = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (log.object_type, log.object_uuid) == ("person", person.uuid)


def test_member_updates_a_membership_and_its_person(api_a, household_a):
    membership = household_a.memberships.get()
    response = api_a.patch(
        f"/api/v1/memberships/{membership.uuid}/",
        {"first_name": "Aïssata", "left_on": "2024-06-30", "ref": "ignored"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["first_name"] == "Aïssata"
    assert response.data["left_on"] == "2024-06-30"
    assert response.data["household"] == str(household_a.uuid)
    membership.refresh_from_db()
    membership.person.refresh_from_db()
    assert membership.left_on.isoformat() == "2024-06-30"
    assert membership.person.first_name == "Aïssata"
    assert membership.person.ref != "ignored"


def test_leaving_before_joining_is_refused_in_french(api_a, household_a):
    membership = household_a.memberships.get()
    response = api_a.patch(
        f"/api/v1/memberships/{membership.uuid}/",
        {"joined_on": "2024-01-01", "left_on": "2023-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "Le départ du ménage ne peut précéder l'arrivée." in str(response.data)


def test_a_second_head_through_an_update_is_refused(api_a, household_a):
    from tests.households.factories import MembershipFactory

    partner = MembershipFactory(household=household_a, role="partner")
    response = api_a.patch(f"/api/v1/memberships/{partner.uuid}/", {"role": "head"})
    assert response.status_code == 400
    assert response.data["role"] == ["Le ménage a déjà une personne de référence."]


def test_reading_a_membership_logs_a_view_of_the_person(api_a, household_a):
    membership = household_a.memberships.get()
    response = api_a.get(f"/api/v1/memberships/{membership.uuid}/")
    assert response.status_code == 200
    log = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (log.object_type, log.object_uuid) == ("person", membership.person.uuid)


def test_a_member_born_on_9999_12_31_or_with_a_control_character_is_refused_in_french(
    api_a, household_a
):
    response = api_a.post(
        f"/api/v1/households/{household_a.uuid}/members/",
        {
            "role": "child",
            "first_name": "Nour\x00",
            "last_name": "N'Diaye\x1b",
            "birth_date": "9999-12-31",
            "initial_legal_status": [{"since": "1899-12-31", "status": "refugee"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.data["birth_date"] == ["Date de naissance postérieure à aujourd'hui."]
    assert response.data["last_name"] == ["Caractère de contrôle interdit (U+001B)."]
    assert response.data["first_name"]  # NUL: refused by DRF itself, or by the rule
    assert response.data["initial_legal_status"][0]["since"] == ["Date antérieure au 01/01/1900."]
    assert household_a.memberships.count() == 1
