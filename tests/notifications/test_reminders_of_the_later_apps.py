"""The reminders of tenancy, support and outcomes: told once by `seuil daily` the day a
thing becomes due, listed in « Mes tâches » of whoever has to act, never in another
organisation's, and the e-mail sentence names no person."""

import datetime

import pytest
import time_machine

from seuil.notifications.models import Notification
from seuil.notifications.services import tasks_of
from seuil.outcomes import notices as outcomes_notices
from seuil.support import notices as support_notices
from seuil.support.enums import ContactKind
from seuil.support.services import assign_referent, record_contact, sign_contract
from seuil.tenancy import notices as tenancy_notices
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory
from tests.housing.factories import StayFactory
from tests.tenancy.factories import SubLeaseFactory, call, pay

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)


def on(signal, organisation, day):
    """Run a daily signal on `day`, the clock on that day (once a day is a day of the clock)."""
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(6)), tick=False):
        return signal(organisation, day)


def told(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).order_by("created_at"))


def titles(user, today):
    overdue, to_do = tasks_of(user, today)
    return [todo.title for todo in overdue + to_do]


@pytest.fixture
def stay(org_a):
    household = MembershipFactory(
        household__organisation=org_a,
        household__ref="M-RAPPEL",
        person__first_name="Aïcha",
        person__last_name="Diallo",
    ).household
    return StayFactory(household=household, unit__organisation=org_a, entered_on=D(2025, 1, 1))


# ---- tenancy -------------------------------------------------------------------------------


def test_a_rent_is_signalled_the_day_it_becomes_late_and_listed_until_paid(org_a, org_b, stay):
    officer = UserFactory(organisation=org_a, tenancy_officer=True)
    worker = UserFactory(organisation=org_a, social_worker=True)
    stranger = UserFactory(organisation=org_b, tenancy_officer=True)
    sub_lease = SubLeaseFactory(stay=stay, ref="B-RAPPEL", due_day=5)
    call(sub_lease, D(2025, 5, 1), 170)  # due 5 May: late from 21 May

    assert on(tenancy_notices.signal_late_rents, org_a, D(2025, 5, 20)) == 0
    assert on(tenancy_notices.signal_late_rents, org_a, D(2025, 5, 21)) == 1
    assert on(tenancy_notices.signal_late_rents, org_a, D(2025, 5, 21)) == 0  # once
    (notice,) = told(officer, "rent_late")
    assert "B-RAPPEL" in notice.message and "05/2025" in notice.message
    assert "Diallo" not in notice.message and "Aïcha" not in notice.message
    assert told(worker, "rent_late")  # the social worker sees the tenancy: told too
    assert not told(stranger, "rent_late")

    # A second unpaid rent becoming late is told again.
    call(sub_lease, D(2025, 6, 1), 170)
    assert on(tenancy_notices.signal_late_rents, org_a, D(2025, 6, 21)) == 1
    assert len(told(officer, "rent_late")) == 2

    (task,) = [t for t in tasks_of(officer, D(2025, 6, 25))[0] if "B-RAPPEL" in t.title]
    assert task.due_on == D(2025, 5, 21) and "2 loyers impayés" in task.detail
    assert not [t for t in titles(stranger, D(2025, 6, 25)) if "B-RAPPEL" in t]
    pay(sub_lease, D(2025, 6, 26), 340)
    assert not [t for t in titles(officer, D(2025, 6, 27)) if "B-RAPPEL" in t]


# ---- support -------------------------------------------------------------------------------


def test_a_contract_ending_is_told_to_the_referent_30_days_before_and_again_after_an_amendment(
    org_a, stay
):
    from seuil.support.services import amend_contract

    referent = UserFactory(organisation=org_a, social_worker=True)
    colleague = UserFactory(organisation=org_a, social_worker=True)
    manager = UserFactory(organisation=org_a)
    assign_referent(stay.household, referent, since=D(2025, 1, 1), by=None)
    contract = sign_contract(
        stay, signed_on=D(2025, 1, 10), starts_on=D(2025, 1, 10), ends_on=D(2025, 7, 10), by=None
    )
    assert on(support_notices.signal_ending_contracts, org_a, D(2025, 6, 9)) == 0
    assert on(support_notices.signal_ending_contracts, org_a, D(2025, 6, 10)) == 1
    assert on(support_notices.signal_ending_contracts, org_a, D(2025, 6, 11)) == 0  # once
    assert len(told(referent, "contract_ending")) == 1
    assert not told(colleague, "contract_ending") and not told(manager, "contract_ending")
    assert any("avenant" in t for t in titles(referent, D(2025, 6, 11)))
    assert not any(contract.ref in t for t in titles(colleague, D(2025, 6, 11)))
    assert any(contract.ref in t for t in titles(manager, D(2025, 6, 11)))  # every file

    amend_contract(contract, signed_on=D(2025, 6, 20), ends_on=D(2025, 12, 10), by=None)
    assert on(support_notices.signal_ending_contracts, org_a, D(2025, 7, 1)) == 0
    assert on(support_notices.signal_ending_contracts, org_a, D(2025, 11, 10)) == 1
    assert len(told(referent, "contract_ending")) == 2


def test_a_contract_without_referent_is_told_to_the_managers_of_caseloads(org_a, stay):
    worker = UserFactory(organisation=org_a, social_worker=True)
    manager = UserFactory(organisation=org_a)
    sign_contract(
        stay, signed_on=D(2025, 1, 10), starts_on=D(2025, 1, 10), ends_on=D(2025, 7, 10), by=None
    )
    assert on(support_notices.signal_ending_contracts, org_a, D(2025, 6, 20)) == 1
    assert told(manager, "contract_ending") and not told(worker, "contract_ending")


def test_tomorrows_appointment_is_recalled_to_its_worker_once(org_a, stay):
    worker = UserFactory(organisation=org_a, social_worker=True)
    other = UserFactory(organisation=org_a, social_worker=True)
    record_contact(
        stay.household,
        on=D(2025, 3, 4),
        at=datetime.time(14, 30),
        kind=ContactKind.HOME_VISIT,
        planned=True,
        worker=worker,
        by=None,
    )
    assert on(support_notices.remind_appointments, org_a, D(2025, 3, 2)) == 0
    assert on(support_notices.remind_appointments, org_a, D(2025, 3, 3)) == 1
    assert on(support_notices.remind_appointments, org_a, D(2025, 3, 3)) == 0
    (notice,) = told(worker, "appointment_tomorrow")
    assert "04/03/2025 à 14:30" in notice.message and "Diallo" not in notice.message
    assert not told(other, "appointment_tomorrow")


def test_the_referent_is_asked_to_sign_the_contract_and_to_call_a_silent_household(org_a, stay):
    referent = UserFactory(organisation=org_a, social_worker=True)
    assign_referent(stay.household, referent, since=D(2025, 1, 1), by=None)
    day = D(2025, 3, 1)  # entered on 1 January: 59 days, no contract, no contact
    found = titles(referent, day)
    assert "Signer le contrat d'accompagnement du ménage M-RAPPEL" in found
    assert "Prendre contact avec le ménage M-RAPPEL" in found
    record_contact(stay.household, on=D(2025, 2, 27), kind=ContactKind.PHONE, by=None)
    assert "Prendre contact avec le ménage M-RAPPEL" not in titles(referent, day)


# ---- outcomes ------------------------------------------------------------------------------


def test_each_follow_up_milestone_is_told_once_when_its_window_opens(org_a, org_b, stay):
    worker = UserFactory(organisation=org_a, social_worker=True)
    stranger = UserFactory(organisation=org_b, social_worker=True)
    stay.exited_on = D(2025, 6, 30)
    stay.exit_destination = "social_landlord"
    stay.save()
    exited = stay.exited_on
    assert on(outcomes_notices.signal_follow_ups, org_a, exited + 116 * DAY) == 0
    assert on(outcomes_notices.signal_follow_ups, org_a, exited + 117 * DAY) == 1
    assert on(outcomes_notices.signal_follow_ups, org_a, exited + 118 * DAY) == 0  # once
    assert on(outcomes_notices.signal_follow_ups, org_a, exited + 300 * DAY) == 1  # 12 months
    messages = [n.message for n in told(worker, "follow_up_due")]
    assert [m.split(" du ménage")[0] for m in messages] == ["Suivi à 6 mois", "Suivi à 12 mois"]
    assert not told(stranger, "follow_up_due")
    assert "Suivi à 12 mois du ménage M-RAPPEL" in " ".join(titles(worker, exited + 310 * DAY))
    assert not titles(stranger, exited + 310 * DAY)
