"""The pages of the exit preparation and of the follow-up after exit, as a worker uses them."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from seuil.housing.models import Stay
from seuil.outcomes.models import ExitChecklist, FollowUp
from tests.conftest import TODAY, days_ago
from tests.core.factories import UserFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def worker(client, org_a):
    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    return client


def test_the_due_page_lists_the_follow_up_and_the_worker_records_it(worker, exited):
    body = worker.get(reverse("outcomes:due")).content.decode()
    assert escape(str(exited.household)) in body and "12 mois" in body
    response = worker.post(
        reverse("outcomes:record", args=[exited.uuid]),
        {"on": TODAY.isoformat(), "housed": "true", "same_home": "", "satisfaction": "note-3"},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.housed, follow_up.same_home, follow_up.satisfaction) == (True, None, 3)
    assert follow_up.answered_by == "worker"
    assert "Aucun suivi à faire" in worker.get(reverse("outcomes:due")).content.decode()
    listing = worker.get(reverse("outcomes:stay", args=[exited.uuid])).content.decode()
    assert "3 / 5" in listing and "Saisi par un professionnel" in listing


def test_a_follow_up_dated_on_the_exit_is_refused_on_the_form(worker, exited):
    response = worker.post(
        reverse("outcomes:record", args=[exited.uuid]), {"on": exited.exited_on.isoformat()}
    )
    assert response.status_code == 200
    assert "Le suivi doit être daté après la sortie" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_a_correction_keeps_the_answers_not_changed(worker, exited):
    follow_up = FollowUp.objects.create(
        organisation=exited.organisation,
        ref="F1",
        stay=exited,
        on=TODAY,
        housed=True,
        employed=False,
    )
    page = worker.get(reverse("outcomes:edit", args=[follow_up.uuid])).content.decode()
    assert 'value="true" id="id_housed_0" checked' in page
    assert 'value="false" id="id_employed_1" checked' in page
    worker.post(
        reverse("outcomes:edit", args=[follow_up.uuid]),
        {"on": TODAY.isoformat(), "housed": "false", "employed": "false", "version": "1"},
    )
    follow_up.refresh_from_db()
    assert (follow_up.housed, follow_up.employed, follow_up.version) == (False, False, 2)


def test_the_household_file_shows_the_stay_its_follow_ups_and_what_is_next(worker, exited):
    FollowUp.objects.create(
        organisation=exited.organisation, ref="F1", stay=exited, on=days_ago(180), housed=True
    )
    body = worker.get(exited.household.get_absolute_url()).content.decode()
    assert "Préparation de la sortie et suivi après la sortie" in body
    assert ": logé" in body and "à 12 mois" in body


def test_the_exit_checklist_says_what_is_missing_and_the_exit_still_goes_through(
    client, org_a, household
):
    unit = HousingUnitFactory(organisation=org_a, captured_on=days_ago(500))
    stay = StayFactory(household=household, unit=unit, entered_on=days_ago(400))
    client.force_login(UserFactory(organisation=org_a, tenancy_officer=True))
    page = reverse("outcomes:checklist", args=[stay.uuid])
    assert "Il manque encore 9 éléments" in client.get(page).content.decode()
    response = client.post(
        page,
        {
            "starts_on": days_ago(90).isoformat(),
            "pre_exit_inspection_on": days_ago(10).isoformat(),
            "insurance_on": days_ago(5).isoformat(),
            "debt_status": "none",
            "debts_checked_on": days_ago(5).isoformat(),
            "not_applicable": ["school", "sliding_lease"],
            "handover_note": "Note sans consentement",
        },
    )
    assert "consentement du ménage" in response.content.decode()
    assert not ExitChecklist.objects.exists()
    response = client.post(
        page,
        {
            "starts_on": days_ago(90).isoformat(),
            "pre_exit_inspection_on": days_ago(10).isoformat(),
            "insurance_on": days_ago(5).isoformat(),
            "debt_status": "none",
            "debts_checked_on": days_ago(5).isoformat(),
            "not_applicable": ["school", "sliding_lease"],
        },
    )
    assert response.status_code == 302
    checklist = ExitChecklist.objects.get()
    assert [code for code, _ in checklist.missing()] == [
        "social_housing_application",
        "caf",
        "doctor",
        "handover",
    ]
    exit_page = reverse("housing:exit", args=[stay.uuid])
    form = client.get(exit_page).content.decode()
    assert "Préparation de la sortie incomplète" in form and "CAF informée" in form
    done = client.post(
        exit_page,
        {
            "exited_on": TODAY.isoformat(),
            "destination": "social_landlord",
            "version": str(stay.version),
        },
    )
    assert done.status_code == 302
    assert Stay.objects.get(pk=stay.pk).exited_on == TODAY
    checklist.refresh_from_db()
    assert checklist.missing_at_exit == ["social_housing_application", "caf", "doctor", "handover"]
    after = client.get(page).content.decode()
    assert "il manquait" in after and "Médecin traitant transféré" in after


def test_the_outcomes_page_counts_retention_and_returns(client, org_a, exited, household):
    FollowUp.objects.create(
        organisation=org_a,
        ref="F1",
        stay=exited,
        on=days_ago(1),
        housed=False,
        reason_for_leaving="too_expensive",
    )
    client.force_login(UserFactory(organisation=org_a))
    period = {"debut": days_ago(10).isoformat(), "fin": (TODAY + 10 * DAY).isoformat()}
    body = client.get(reverse("outcomes:outcomes"), period).content.decode()
    assert escape("Toute l'organisation") in body
    assert "Logement trop cher, dettes : 1" in body
    assert "0 %" in body
