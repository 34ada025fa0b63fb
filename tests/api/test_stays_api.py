"""Stays through the API: entry via enter_household, exit via record_exit, invariants."""

import datetime

import pytest

from seuil.core.models import AccessLog
from seuil.housing.models import Stay
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

pytestmark = pytest.mark.django_db


def enter(client, household, unit, entered_on="2024-01-15", **extra):
    payload = {"household": str(household.uuid), "unit": str(unit.uuid), "entered_on": entered_on}
    return client.post("/api/v1/stays/", payload | extra, format="json")


def test_member_enters_a_household_in_a_vacant_unit(api_a, household_a, unit_a, programme_a):
    response = enter(api_a, household_a, unit_a, support_intensity="reinforced")
    assert response.status_code == 201, response.data
    assert response.data["household"] == str(household_a.uuid)
    assert response.data["unit"] == str(unit_a.uuid)
    assert response.data["programme"] == str(programme_a.uuid)
    assert response.data["entered_on"] == "2024-01-15"
    assert response.data["exited_on"] is None
    assert response.data["exit_destination"] is None
    assert response.data["support_intensity"] == "reinforced"
    stay = Stay.objects.get(uuid=response.data["uuid"])
    assert stay.organisation == household_a.organisation
    assert AccessLog.objects.filter(action=AccessLog.Action.CREATE, object_uuid=stay.uuid).exists()


def test_an_overlapping_stay_is_refused_in_french(api_a, org_a, stay_a, unit_a):
    other = HouseholdFactory(organisation=org_a)
    response = enter(api_a, other, unit_a, entered_on="2024-01-15")
    assert response.status_code == 400
    (message,) = response.data["entered_on"]
    assert message.startswith("Le logement est occupé sur cette période")
    assert Stay.objects.count() == 1


def test_entering_before_the_unit_is_captured_is_refused(api_a, household_a, unit_a):
    response = enter(api_a, household_a, unit_a, entered_on="2019-12-31")
    assert response.status_code == 400
    assert "on ne peut y entrer avant" in response.data["entered_on"][0]


def test_member_records_an_exit(api_a, stay_a):
    response = api_a.post(
        f"/api/v1/stays/{stay_a.uuid}/exit/",
        {
            "exited_on": "2024-10-31",
            "exit_destination": "social_landlord",
            "lease_transferred": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["exited_on"] == "2024-10-31"
    assert response.data["exit_destination"] == "social_landlord"
    assert response.data["lease_transferred"] is True
    stay_a.refresh_from_db()
    assert stay_a.exited_on == datetime.date(2024, 10, 31)


def test_an_exit_before_entry_or_twice_is_refused_in_french(api_a, stay_a):
    url = f"/api/v1/stays/{stay_a.uuid}/exit/"
    response = api_a.post(
        url, {"exited_on": "2020-01-01", "exit_destination": "other"}, format="json"
    )
    assert response.status_code == 400
    assert "La date de sortie précède la date d'entrée." in response.data["exited_on"]
    api_a.post(url, {"exited_on": "2024-01-01", "exit_destination": "other"}, format="json")
    response = api_a.post(
        url, {"exited_on": "2024-02-01", "exit_destination": "other"}, format="json"
    )
    assert response.status_code == 400
    assert response.data["non_field_errors"] == ["La sortie de ce séjour est déjà enregistrée."]


def test_stays_are_filtered_by_household_unit_and_presence(api_a, org_a, stay_a, unit_a):
    other_unit = HousingUnitFactory(organisation=org_a)
    past = StayFactory(
        household=HouseholdFactory(organisation=org_a),
        unit=other_unit,
        entered_on=datetime.date(2021, 1, 1),
        exited_on=datetime.date(2022, 1, 1),
    )

    def uuids(query):
        response = api_a.get(f"/api/v1/stays/?{query}")
        assert response.status_code == 200, response.data
        return {stay["uuid"] for stay in response.data["results"]}

    assert uuids("") == {str(stay_a.uuid), str(past.uuid)}
    assert uuids(f"household={stay_a.household.uuid}") == {str(stay_a.uuid)}
    assert uuids(f"unit={other_unit.uuid}") == {str(past.uuid)}
    assert uuids("present_on=2021-06-01") == {str(past.uuid)}
    assert uuids("present_on=2024-06-01") == {str(stay_a.uuid)}
    assert api_a.get("/api/v1/stays/?present_on=01/06/2024").status_code == 400


def test_reading_a_stay_writes_a_view_access_log(api_a, stay_a):
    response = api_a.get(f"/api/v1/stays/{stay_a.uuid}/")
    assert response.status_code == 200
    assert response.data["ref"] == stay_a.ref
    log = AccessLog.objects.get(action=AccessLog.Action.VIEW)
    assert (log.object_type, log.object_uuid) == ("stay", stay_a.uuid)


def test_a_tenancy_officer_records_entries(api_as, household_a, unit_a):
    assert enter(api_as("tenancy_officer"), household_a, unit_a).status_code == 201


def test_stays_cannot_be_edited_or_deleted_directly(api_a, stay_a):
    url = f"/api/v1/stays/{stay_a.uuid}/"
    assert api_a.patch(url, {"entered_on": "2020-01-01"}, format="json").status_code == 405
    assert api_a.delete(url).status_code == 405


def test_an_entry_more_than_a_year_ahead_is_refused_in_french(api_a, household_a, unit_a, today):
    response = enter(api_a, household_a, unit_a, entered_on="2026-06-16")
    assert response.status_code == 400
    assert response.data["entered_on"] == [
        "Date plus d'un an après aujourd'hui (au plus tard le 15/06/2026)."
    ]
    assert not Stay.objects.filter(household=household_a).exists()


def test_an_entry_whose_unit_does_not_suit_the_household_must_be_confirmed(
    api_a, household_a, org_a, programme_a
):
    big = HousingUnitFactory(organisation=org_a, ref="L-T5", typology="T5", programme=programme_a)
    refused = enter(api_a, household_a, big)
    assert refused.status_code == 400
    (message,) = refused.data["confirm_size"]
    assert message.startswith("Attention : un ménage de 1 personne dans un logement prévu pour")
    assert "« confirm_size » : true" in message
    assert not Stay.objects.exists()
    confirmed = enter(api_a, household_a, big, confirm_size=True)
    assert confirmed.status_code == 201, confirmed.data
    assert "confirm_size" not in confirmed.data
    assert Stay.objects.get().unit == big
