"""The tenancy services: rent calls from the terms, the account as of any day, late calls,
repayment plans kept or broken, the writes (audited, the management mode respected)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from seuil.core.daily import daily_tasks
from seuil.core.models import ChangeRecord
from seuil.tenancy import services
from seuil.tenancy.models import Instalment, RentCall, RepaymentPlan, SubLease
from tests.core.factories import UserFactory
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.tenancy.factories import SubLeaseFactory, call, pay, term

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def sub_lease(org_a):
    stay = StayFactory(
        household__organisation=org_a, unit__organisation=org_a, entered_on=D(2024, 1, 15)
    )
    sub_lease = SubLeaseFactory(stay=stay, due_day=5)
    term(sub_lease, D(2024, 1, 15), 400, 62, 300)
    return sub_lease


def calls_of(sub_lease):
    return {
        c.month: (c.due_on, c.rent, c.charges, c.housing_benefit)
        for c in RentCall.objects.filter(sub_lease=sub_lease)
    }


# ---------------------------------------------------------------- rent calls


def test_a_month_is_called_from_the_terms_in_proportion_of_the_days_present(sub_lease, org_a):
    assert services.generate_rent_calls(org_a, D(2024, 1, 20)) == 1
    # 17 days of 31: 400 × 17/31, 62 × 17/31, 300 × 17/31, rounded half up to the cent.
    assert calls_of(sub_lease)[D(2024, 1, 1)] == (
        D(2024, 1, 5),
        Decimal("219.35"),
        Decimal("34.00"),
        Decimal("164.52"),
    )
    assert services.generate_rent_calls(org_a, D(2024, 2, 1)) == 1
    assert calls_of(sub_lease)[D(2024, 2, 1)][1:] == (Decimal("400"), 62, 300)


def test_generating_a_month_twice_creates_nothing_more_and_keeps_a_correction(sub_lease, org_a):
    services.generate_rent_calls(org_a, D(2024, 2, 1))
    RentCall.objects.filter(sub_lease=sub_lease).update(rent=390)
    assert services.generate_rent_calls(org_a, D(2024, 2, 10)) == 0
    assert RentCall.objects.get(sub_lease=sub_lease).rent == 390


def test_a_new_term_applies_from_its_day_and_the_exit_ends_the_calls(sub_lease, org_a):
    term(sub_lease, D(2024, 3, 1), 410, 62, 250)
    stay = sub_lease.stay
    stay.exited_on = D(2024, 4, 10)
    stay.save()
    for month in (3, 4, 5):
        services.generate_rent_calls(org_a, D(2024, month, 1))
    calls = calls_of(sub_lease)
    assert calls[D(2024, 3, 1)][1:] == (410, 62, 250)
    # Present 9 days of April (the exit day is not a day of presence).
    assert calls[D(2024, 4, 1)][1:] == (Decimal("123.00"), Decimal("18.60"), Decimal("75.00"))
    assert D(2024, 5, 1) not in calls


def test_no_call_without_terms_or_before_the_signature(org_a):
    stay = StayFactory(
        household__organisation=org_a, unit__organisation=org_a, entered_on=D(2024, 1, 1)
    )
    sub_lease = SubLeaseFactory(stay=stay, signed_on=D(2024, 3, 2))
    term(sub_lease, D(2024, 1, 1), 400)
    other = SubLeaseFactory(
        stay=StayFactory(
            household__organisation=org_a, unit__organisation=org_a, entered_on=D(2024, 1, 1)
        )
    )
    assert services.generate_rent_calls(org_a, D(2024, 2, 1)) == 0
    assert services.generate_rent_calls(org_a, D(2024, 3, 1)) == 1
    assert not other.rent_calls.exists()


def test_the_daily_task_calls_the_current_month(sub_lease, frozen_now):
    assert services.rent_calls_task in daily_tasks()
    line = services.rent_calls_task(frozen_now, dry_run=True)
    assert line == "1 appel de loyer créé pour juin 2025 (simulation)."
    assert not RentCall.objects.exists()
    assert services.rent_calls_task(frozen_now) == "1 appel de loyer créé pour juin 2025."
    assert services.rent_calls_task(frozen_now) == "0 appel de loyer créé pour juin 2025."
    record = ChangeRecord.objects.get(object_uuid=RentCall.objects.get().uuid)
    assert record.household_uuid == sub_lease.stay.household.uuid


# ---------------------------------------------------------------- the account


def test_the_account_as_of_any_day(sub_lease):
    call(sub_lease, D(2024, 2, 1), 162)  # due 5 Feb
    call(sub_lease, D(2024, 3, 1), 162)  # due 5 Mar
    call(sub_lease, D(2024, 4, 1), 162)  # due 5 Apr
    pay(sub_lease, D(2024, 2, 5), 162, "cash")  # on the due date
    pay(sub_lease, D(2024, 3, 20), 100)  # partial, late
    account = services.account(sub_lease, D(2024, 4, 10))
    assert [(line.day, line.debit, line.credit, line.balance) for line in account.lines] == [
        (D(2024, 2, 5), 162, None, 162),
        (D(2024, 2, 5), None, 162, 0),
        (D(2024, 3, 5), 162, None, 162),
        (D(2024, 3, 20), None, 100, 62),
        (D(2024, 4, 5), 162, None, 224),
    ]
    assert account.lines[1].label == "Paiement – Espèces (au guichet)"
    assert account.balance == account.debt == 224
    # What is left: 62 of March (36 days old), all of April (5 days old).
    assert [(u.call.month, u.amount, u.age) for u in account.arrears.calls] == [
        (D(2024, 3, 1), 62, 36),
        (D(2024, 4, 1), 162, 5),
    ]
    assert account.arrears.band == "31-60"
    assert [u.call.month for u in account.late] == [D(2024, 3, 1)]
    # As of an earlier day, the later lines are not there.
    assert services.account(sub_lease, D(2024, 2, 5)).balance == 0


def test_an_overpayment_is_a_credit(sub_lease):
    call(sub_lease, D(2024, 2, 1), 162)
    pay(sub_lease, D(2024, 2, 1), 200)
    account = services.account(sub_lease, D(2024, 2, 28))
    assert (account.balance, account.credit, account.arrears) == (-38, 38, None)


# ---------------------------------------------------------------- late calls


def test_a_call_is_late_more_than_15_days_after_its_due_date(sub_lease, org_a):
    call(sub_lease, D(2024, 2, 1), 162)  # due 5 Feb
    assert services.late_rent_calls(org_a, D(2024, 2, 20)) == []  # 15 days
    (late,) = services.late_rent_calls(org_a, D(2024, 2, 21))  # 16 days
    assert (late.unpaid, late.days_overdue, late.first) == (162, 16, True)
    assert late.late_since == D(2024, 2, 21)
    assert services.rent_calls_late_from(org_a, D(2024, 2, 21)) == [late]
    assert services.rent_calls_late_from(org_a, D(2024, 2, 22)) == []
    pay(sub_lease, D(2024, 2, 22), 100)
    (late,) = services.late_rent_calls(org_a, D(2024, 2, 23))
    assert late.unpaid == 62
    pay(sub_lease, D(2024, 2, 24), 62)
    assert services.late_rent_calls(org_a, D(2024, 2, 25)) == []


def test_late_calls_are_those_of_the_organisation_only(sub_lease, org_a, org_b):
    call(sub_lease, D(2024, 2, 1), 162)
    assert services.late_rent_calls(org_b, D(2024, 6, 1)) == []
    assert len(services.late_rent_calls(org_a, D(2024, 6, 1))) == 1


# ---------------------------------------------------------------- repayment plans


def test_instalments_are_kept_while_the_rent_and_the_instalment_are_paid(sub_lease):
    user = UserFactory(organisation=sub_lease.organisation, tenancy_officer=True)
    for month in (6, 7, 8):
        call(sub_lease, D(2024, month, 1), 100)  # due on the 5th
    plan = services.save_repayment_plan(
        RepaymentPlan(sub_lease=sub_lease, agreed_on=D(2024, 6, 10), debt=Decimal("300")),
        [
            Instalment(due_on=D(2024, 7, 10), amount=Decimal("50")),
            Instalment(due_on=D(2024, 8, 10), amount=Decimal("50")),
            Instalment(due_on=D(2024, 9, 10), amount=Decimal("50")),
        ],
        by=user,
    )
    pay(sub_lease, D(2024, 7, 8), 150)  # July's rent and the first instalment
    pay(sub_lease, D(2024, 8, 9), 120)  # 30 short
    (state,) = services.account(sub_lease, D(2024, 8, 20)).plans
    assert state.plan == plan
    assert [s.state for s in state.instalments] == ["kept", "broken", "upcoming"]
    assert state.state == "broken"
    assert state.label == "Non tenu"


def test_a_plan_needs_an_instalment(sub_lease):
    with pytest.raises(ValidationError):
        services.save_repayment_plan(
            RepaymentPlan(sub_lease=sub_lease, agreed_on=D(2024, 6, 10), debt=1), [], by=None
        )


# ---------------------------------------------------------------- writes


def test_a_sub_lease_is_saved_with_its_terms_and_its_history(org_a):
    user = UserFactory(organisation=org_a, tenancy_officer=True)
    stay = StayFactory(household__organisation=org_a, unit__organisation=org_a)
    sub_lease = services.save_sub_lease(
        SubLease(stay=stay, signed_on=stay.entered_on, tripartite=True, due_day=10),
        [services.SubLeaseTerm(starts_on=stay.entered_on, rent=400, charges=50, housing_benefit=0)],
        by=user,
    )
    assert sub_lease.organisation == org_a
    assert sub_lease.ref.startswith("B-")
    assert sub_lease.terms.count() == 1
    records = ChangeRecord.objects.filter(household_uuid=stay.household.uuid)
    assert {r.object_type for r in records} == {"sublease", "subleaseterm"}
    with pytest.raises(ValidationError, match="déjà une sous-location"):
        services.save_sub_lease(SubLease(stay=stay, signed_on=stay.entered_on), [], by=user)


def test_no_sub_lease_under_a_management_mandate(org_a):
    unit = HousingUnitFactory(organisation=org_a, management_mode="mandate")
    stay = StayFactory(household__organisation=org_a, unit=unit)
    with pytest.raises(ValidationError, match="mandat de gestion"):
        services.save_sub_lease(SubLease(stay=stay, signed_on=stay.entered_on), [], by=None)


def test_terms_whose_housing_benefit_exceeds_rent_and_charges_are_refused(org_a):
    stay = StayFactory(household__organisation=org_a, unit__organisation=org_a)
    with pytest.raises(ValidationError, match="APL"):
        services.save_sub_lease(
            SubLease(stay=stay, signed_on=stay.entered_on),
            [services.SubLeaseTerm(starts_on=stay.entered_on, rent=100, housing_benefit=101)],
            by=None,
        )
    assert not SubLease.objects.exists()
