"""Eviction prevention: a case opens the day a rent becomes late, its stages are dated, it
closes with its outcome; the winter truce is shown and respected in the dates."""

import datetime

import pytest
from django.urls import reverse

from seuil.core.daily import daily_tasks
from seuil.core.models import ChangeRecord
from seuil.tenancy import prevention
from seuil.tenancy.models import PreventionCase
from tests.core.factories import UserFactory
from tests.housing.factories import StayFactory
from tests.tenancy.factories import SubLeaseFactory, call

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("day", "truce", "earliest"),
    [
        (D(2024, 10, 31), False, D(2024, 10, 31)),
        (D(2024, 11, 1), True, D(2025, 4, 1)),
        (D(2024, 12, 24), True, D(2025, 4, 1)),
        (D(2025, 3, 31), True, D(2025, 4, 1)),
        (D(2025, 4, 1), False, D(2025, 4, 1)),
    ],
)
def test_the_winter_truce_runs_from_1_november_to_31_march(day, truce, earliest):
    assert prevention.in_winter_truce(day) is truce
    assert prevention.earliest_eviction(day) == earliest
    assert ("Trêve hivernale en cours" in prevention.truce_note(day)) is truce


@pytest.fixture
def sub_lease(org_a):
    stay = StayFactory(
        household__organisation=org_a, unit__organisation=org_a, entered_on=D(2025, 1, 1)
    )
    sub_lease = SubLeaseFactory(stay=stay, due_day=5)
    call(sub_lease, D(2025, 5, 1), 170)  # due 5 May: late from 21 May
    return sub_lease


def test_a_case_opens_the_day_the_first_rent_becomes_late(org_a, sub_lease):
    assert prevention.open_cases(org_a, D(2025, 5, 20)) == 0
    assert prevention.open_cases(org_a, D(2025, 5, 21)) == 1
    case = PreventionCase.objects.get()
    assert case.opened_on == D(2025, 5, 21)
    assert [(s.stage, s.on) for s in case.steps.all()] == [("first_unpaid", D(2025, 5, 21))]
    assert ChangeRecord.objects.filter(object_uuid=case.uuid).get().household_uuid == (
        sub_lease.stay.household.uuid
    )
    assert prevention.open_cases(org_a, D(2025, 5, 22)) == 0
    prevention.close_case(case, "debt_cleared", D(2025, 5, 30), by=None)
    assert prevention.open_cases(org_a, D(2025, 6, 1)) == 0  # closed since that rent was late


def test_the_daily_task_opens_the_cases(sub_lease, frozen_now):
    assert prevention.prevention_task in daily_tasks()
    assert prevention.prevention_task(frozen_now, dry_run=True) == (
        "1 dossier de prévention des expulsions ouvert (premier loyer en retard) (simulation)."
    )
    assert not PreventionCase.objects.exists()
    prevention.prevention_task(frozen_now)
    assert PreventionCase.objects.get().opened_on == D(2025, 5, 21)


def test_the_officer_notes_the_stages_and_closes_the_case(client, org_a, sub_lease, today):
    prevention.open_cases(org_a, today)
    case = PreventionCase.objects.get()
    client.force_login(UserFactory(organisation=org_a, tenancy_officer=True))
    url = reverse("tenancy:prevention_step", args=[case.uuid])
    assert client.post(url, {"stage": "ccapex_referral", "on": "2025-06-10"}).status_code == 302
    response = client.post(url, {"stage": "judgment", "outcome": "evicted", "on": "2025-06-12"})
    assert response.status_code == 200  # one or the other
    assert client.post(url, {"outcome": "plan_kept", "on": "2025-06-14"}).status_code == 302
    case.refresh_from_db()
    assert (case.closed_on, case.outcome) == (D(2025, 6, 14), "plan_kept")
    assert [s.stage for s in case.steps.all()] == ["first_unpaid", "ccapex_referral"]
    page = client.get(reverse("tenancy:account", args=[sub_lease.uuid])).content.decode()
    assert "Saisine de la CCAPEX" in page and "échéancier tenu" in page


def test_the_social_worker_reads_the_case_and_writes_nothing(client, org_a, sub_lease, today):
    prevention.open_cases(org_a, today)
    case = PreventionCase.objects.get()
    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    page = client.get(reverse("tenancy:account", args=[sub_lease.uuid])).content.decode()
    assert "Premier loyer impayé" in page
    url = reverse("tenancy:prevention_step", args=[case.uuid])
    assert client.post(url, {"stage": "reminder", "on": "2025-06-10"}).status_code == 403
