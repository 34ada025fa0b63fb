"""Letting a household in and recording its exit: success, and each invariant refused with
a French message and nothing written."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from seuil.core.models import AccessLog
from seuil.housing.models import Stay
from tests.conftest import TODAY, days_ago
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


def iso(day):
    return day.isoformat()


@pytest.fixture
def programme(org_a):
    return ProgrammeFactory(organisation=org_a, name="IML Réfugiés")


@pytest.fixture
def unit(org_a, programme):
    # A T2 suits the one-person household below (no size warning to confirm).
    return HousingUnitFactory(
        organisation=org_a,
        ref="L-ENTREE",
        typology="T2",
        programme=programme,
        captured_on=days_ago(60),
    )


@pytest.fixture
def household(org_a):
    return MembershipFactory(
        household__organisation=org_a, person__first_name="Aïcha", person__last_name="Diallo"
    ).household


def enter(client, unit, household, **fields):
    data = {
        "household": str(household.uuid),
        "entered_on": iso(TODAY),
        "programme": "",
        "support_intensity": "standard",
        **fields,
    }
    return client.post(reverse("housing:enter", args=[unit.uuid]), data)


def messages_of(response, field=None):
    """The form's error messages: all of them, or those of one field."""
    errors = response.context["form"].errors
    if field is not None:
        return list(errors.get(field, []))
    return [message for messages in errors.values() for message in messages]


# ---- the entry form --------------------------------------------------------------------


def test_the_entry_form_offers_the_households_not_housed_today_by_head_name_and_ref(
    client_a, unit, household, org_a
):
    housed = MembershipFactory(
        household__organisation=org_a, person__first_name="Yonas", person__last_name="Tesfaye"
    ).household
    StayFactory(household=housed, entered_on=days_ago(10))
    response = client_a.get(reverse("housing:enter", args=[unit.uuid]))
    html = response.content.decode()
    assert f"DIALLO Aïcha (réf. {household.ref})" in html
    assert "TESFAYE" not in html


def test_the_entry_form_defaults_to_today_and_to_the_unit_programme(client_a, unit, programme):
    form = client_a.get(reverse("housing:enter", args=[unit.uuid])).context["form"]
    assert form["entered_on"].value() == TODAY
    assert str(form["programme"].value()) == str(programme.uuid)


def test_a_household_enters_a_vacant_unit(client_a, unit, household, programme):
    response = enter(
        client_a, unit, household, programme=str(programme.uuid), support_intensity="reinforced"
    )
    assert response.status_code == 302
    assert response.url == reverse("housing:detail", args=[unit.uuid])
    stay = Stay.objects.get()
    assert (stay.household, stay.unit, stay.programme) == (household, unit, programme)
    assert stay.entered_on == TODAY
    assert stay.support_intensity == "reinforced"
    page = client_a.get(response.url)
    html = page.content.decode()
    assert "Entrée enregistrée" in html
    assert page.context["row"].state == "occupied"
    assert "DIALLO Aïcha" in html


def test_an_entry_without_programme_takes_the_unit_programme(client_a, unit, household):
    enter(client_a, unit, household)
    assert Stay.objects.get().programme == unit.programme


# ---- every invariant refused, nothing written -------------------------------------------


def assert_refused(response, expected):
    assert response.status_code == 200
    errors = messages_of(response)
    assert any(expected in message for message in errors), errors
    assert escape(expected) in response.content.decode()
    assert not Stay.objects.filter(entered_on=TODAY).exists()
    assert not AccessLog.objects.exists()


def test_an_entry_into_an_occupied_unit_is_refused(client_a, unit, org_a, household):
    StayFactory(household__organisation=org_a, unit=unit, entered_on=days_ago(5))
    response = enter(client_a, unit, household)
    assert_refused(response, "Le logement est occupé sur cette période")
    # Attached to the date that would have to change, which the page marks invalid.
    (message,) = messages_of(response, "entered_on")
    assert message.startswith("Le logement est occupé sur cette période")
    assert 'aria-invalid="true"' in response.content.decode()


def test_an_entry_before_the_capture_is_refused(client_a, unit, household):
    response = enter(client_a, unit, household, entered_on=iso(days_ago(61)))
    assert_refused(response, "Le logement n'est dans le parc que depuis le")
    assert not Stay.objects.exists()


def test_an_entry_of_a_household_already_housed_elsewhere_is_refused(client_a, unit, household):
    StayFactory(household=household, entered_on=days_ago(5))
    response = enter(client_a, unit, household)
    assert_refused(response, "Le ménage est déjà logé sur cette période")


def test_an_entry_into_a_shared_dwelling_rather_than_one_of_its_rooms_is_refused(
    client_a, unit, household
):
    HousingUnitFactory(organisation=unit.organisation, typology="room", parent=unit)
    response = enter(client_a, unit, household)
    assert_refused(response, "Ce logement est partagé en chambres")


def test_an_entry_into_a_returned_unit_is_refused(client_a, unit, household):
    unit.returned_on = days_ago(1)
    unit.save()
    response = enter(client_a, unit, household)
    assert_refused(response, "Le logement a été rendu au bailleur le")


def test_a_household_of_another_organisation_cannot_be_chosen(client_a, unit, org_b):
    outsider = MembershipFactory(household__organisation=org_b).household
    response = enter(client_a, unit, outsider)
    assert response.status_code == 200
    assert response.context["form"].errors["household"]
    assert not Stay.objects.exists()


# ---- exit ------------------------------------------------------------------------------


@pytest.fixture
def present_stay(unit, household):
    return StayFactory(household=household, unit=unit, entered_on=days_ago(30))


def exit_data(**fields):
    return {
        "exited_on": iso(TODAY),
        "destination": "social_landlord",
        **fields,
    }


def test_an_exit_is_recorded_with_its_destination_and_the_lease_transfer(
    client_a, present_stay, unit
):
    response = client_a.post(
        reverse("housing:exit", args=[present_stay.uuid]),
        exit_data(lease_transferred="on"),
    )
    assert response.status_code == 302
    assert response.url == reverse("housing:detail", args=[unit.uuid])
    present_stay.refresh_from_db()
    assert present_stay.exited_on == TODAY
    assert present_stay.exit_destination == "social_landlord"
    assert present_stay.lease_transferred is True
    page = client_a.get(response.url)
    assert page.context["row"].state == "vacant"
    html = page.content.decode()
    assert "Sortie enregistrée" in html
    assert "Logement social (bail propre)" in html


def test_the_exit_form_lists_destinations_in_french(client_a, present_stay):
    html = client_a.get(reverse("housing:exit", args=[present_stay.uuid])).content.decode()
    for label in ("Logement privé (bail propre)", "Hors département", "Fin de prise en charge"):
        assert label in html
    assert "Glissement de bail" in html


def test_an_exit_before_the_entry_is_refused(client_a, present_stay):
    response = client_a.post(
        reverse("housing:exit", args=[present_stay.uuid]),
        exit_data(exited_on=iso(days_ago(31))),
    )
    assert response.status_code == 200
    assert messages_of(response, "exited_on") == ["La date de sortie précède la date d'entrée."]
    present_stay.refresh_from_db()
    assert present_stay.exited_on is None
    assert not AccessLog.objects.exists()


def test_an_exit_after_the_unit_was_returned_is_refused(client_a, present_stay, unit):
    unit.returned_on = TODAY
    unit.save()
    response = client_a.post(
        reverse("housing:exit", args=[present_stay.uuid]),
        exit_data(exited_on=iso(TODAY + datetime.timedelta(days=3))),
    )
    assert any("rendu au bailleur" in m for m in messages_of(response))
    present_stay.refresh_from_db()
    assert present_stay.exited_on is None


def test_an_exit_needs_a_destination(client_a, present_stay):
    response = client_a.post(
        reverse("housing:exit", args=[present_stay.uuid]), exit_data(destination="")
    )
    assert response.context["form"].errors["destination"]
    present_stay.refresh_from_db()
    assert present_stay.exited_on is None


def test_an_exit_already_recorded_is_not_recorded_twice(client_a, present_stay, unit):
    present_stay.exited_on = days_ago(2)
    present_stay.save()
    response = client_a.post(reverse("housing:exit", args=[present_stay.uuid]), exit_data())
    assert response.status_code == 302
    present_stay.refresh_from_db()
    assert present_stay.exited_on == days_ago(2)
    page = client_a.get(response.url)
    assert "La sortie de ce séjour est déjà enregistrée" in page.content.decode()


def test_an_exit_on_9999_12_31_is_refused_in_french(client_a, present_stay):
    response = client_a.post(
        reverse("housing:exit", args=[present_stay.uuid]), exit_data(exited_on="9999-12-31")
    )
    assert response.context["form"].errors["exited_on"] == [
        "Date plus d'un an après aujourd'hui (au plus tard le 15/06/2026)."
    ]
    present_stay.refresh_from_db()
    assert present_stay.exited_on is None
