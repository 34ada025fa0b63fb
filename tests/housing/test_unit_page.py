"""The unit page: characteristics, rooms or parent, occupancy history, state and actions."""

import pytest
from django.urls import reverse

from seuil.core.models import AccessLog
from seuil.housing.models import Landlord, Sector
from tests.conftest import days_ago
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.fixture
def unit(org_a):
    return HousingUnitFactory(
        organisation=org_a,
        ref="L010",
        typology="T3",
        address="4 rue Gresset",
        commune="80021",
        sector=Sector.objects.create(organisation=org_a, ref="am", name="Grand Amiénois"),
        landlord=Landlord.objects.create(
            organisation=org_a, ref="opac", name="OPAC d'Amiens", kind="social"
        ),
        programme=ProgrammeFactory(organisation=org_a, name="IML Réfugiés"),
        surface_m2=58,
        accessible=True,
        captured_on=days_ago(800),
    )


def household_named(org, first, last):
    return MembershipFactory(
        household__organisation=org, person__first_name=first, person__last_name=last
    ).household


@pytest.fixture
def history(unit, org_a):
    """A first household left with a sliding lease; a second one lives there today."""
    first = StayFactory(
        household=household_named(org_a, "Yonas", "Tesfaye"),
        unit=unit,
        entered_on=days_ago(700),
        exited_on=days_ago(200),
        exit_destination="social_landlord",
        lease_transferred=True,
        support_intensity="reinforced",
    )
    present = StayFactory(
        household=household_named(org_a, "Aïcha", "Diallo"),
        unit=unit,
        programme=unit.programme,
        entered_on=days_ago(100),
    )
    return first, present


def test_the_unit_page_shows_the_characteristics(client_a, unit):
    html = client_a.get(reverse("housing:detail", args=[unit.uuid])).content.decode()
    for text in (
        "Logement L010",
        "4 rue Gresset",
        "80021",
        "Grand Amiénois",
        "OPAC d&#x27;Amiens (Bailleur social)",
        "IML Réfugiés",
        "Sous-location",
        "420,00 € par mois",
        "60,00 € par mois",
        "58 m²",
        "Toujours dans le parc",
    ):
        assert text in html, text


def test_the_unit_page_shows_every_stay_of_the_occupancy_history(client_a, unit, history):
    response = client_a.get(reverse("housing:detail", args=[unit.uuid]))
    html = response.content.decode()
    assert [stay for stay, _head in response.context["stays"]] == [history[1], history[0]]
    assert "TESFAYE Yonas" in html
    assert "Logement social (bail propre)" in html
    assert "Accompagnement renforcé" in html
    assert days_ago(200).strftime("%d/%m/%Y") in html
    assert reverse("households:detail", args=[history[1].household.uuid]) in html


def test_an_occupied_unit_offers_to_record_the_exit_of_the_present_stay(client_a, unit, history):
    response = client_a.get(reverse("housing:detail", args=[unit.uuid]))
    html = response.content.decode()
    assert response.context["row"].state == "occupied"
    assert "DIALLO Aïcha" in html
    assert reverse("housing:exit", args=[history[1].uuid]) in html
    assert reverse("housing:exit", args=[history[0].uuid]) not in html
    assert "Faire entrer un ménage" not in html


def test_a_vacant_unit_offers_to_let_a_household_in(client_a, unit):
    response = client_a.get(reverse("housing:detail", args=[unit.uuid]))
    html = response.content.decode()
    assert "Vacant" in html
    assert "Faire entrer un ménage" in html
    assert reverse("housing:enter", args=[unit.uuid]) in html
    assert "Aucun ménage n'est encore entré dans ce logement." in html


def test_a_returned_unit_offers_no_entry(client_a, unit):
    unit.returned_on = days_ago(1)
    unit.save()
    html = client_a.get(reverse("housing:detail", args=[unit.uuid])).content.decode()
    assert "Rendu" in html
    assert "Faire entrer un ménage" not in html


def test_a_shared_dwelling_lists_its_rooms_and_a_room_links_to_its_dwelling(client_a, unit):
    room = HousingUnitFactory(
        organisation=unit.organisation, ref="L010-A", typology="room", parent=unit
    )
    response = client_a.get(reverse("housing:detail", args=[unit.uuid]))
    html = response.content.decode()
    assert [row.unit for row in response.context["rooms"]] == [room]
    assert "Chambres de ce logement partagé" in html
    assert "Faire entrer un ménage" not in html
    html = client_a.get(reverse("housing:detail", args=[room.uuid])).content.decode()
    assert "de la colocation L010" in html
    assert reverse("housing:detail", args=[unit.uuid]) in html


def test_a_social_worker_sees_the_entry_button_but_not_the_edit_button(client, unit, org_a):
    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    html = client.get(reverse("housing:detail", args=[unit.uuid])).content.decode()
    assert "Faire entrer un ménage" in html
    assert "Modifier le logement" not in html


def test_the_unit_page_logs_a_read_of_each_household_it_names(client_a, member_a, unit, history):
    client_a.get(reverse("housing:detail", args=[unit.uuid]))
    logged = AccessLog.objects.values_list("user", "action", "object_type", "object_uuid")
    assert sorted(logged) == sorted(
        (member_a.pk, "view", "household", stay.household.uuid) for stay in history
    )


def test_a_landlord_sees_its_unit_but_not_the_households(client, unit, history):
    landlord_org = unit.landlord.account = type(unit.organisation).objects.create(
        ref="opac-org", name="OPAC", kind="landlord"
    )
    unit.landlord.save()
    client.force_login(UserFactory(organisation=landlord_org, landlord=True))
    response = client.get(reverse("housing:detail", args=[unit.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Occupé" in html
    assert "DIALLO" not in html
    assert "TESFAYE" not in html
    assert "ne sont pas affichés pour votre rôle" in html
