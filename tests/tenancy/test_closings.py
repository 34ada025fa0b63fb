"""The yearly closings of the accounts (`seuil.tenancy.closings`) change no figure: the
standings as of any day (balance, arrears, every call left unpaid with its amount and
age) are the same read from the last closing as from the whole history, on random
ledgers, on days before, at and after the closings, and after a change of an old row of
account has invalidated some of them. A change of an old payment changes the figures of
the days after it, whatever the way it is written."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.tenancy import closings, services
from seuil.tenancy.models import (
    ChargesRegularisation,
    Payment,
    RentCall,
    SubLease,
    SubLeaseClosing,
)
from tests.conftest import examples
from tests.housing.factories import StayFactory
from tests.tenancy.factories import SubLeaseFactory, call, pay

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)
START = D(2021, 1, 1)
TODAY = D(2024, 9, 1)  # closings at the end of 2021, 2022 and 2023
SPAN = (TODAY - START).days
cents = st.integers(1, 60_000).map(lambda c: Decimal(c) / 100)
days = st.one_of(
    st.integers(0, SPAN).map(lambda n: START + n * DAY),
    st.sampled_from(
        [D(y, 12, 31) + n * DAY for y in (2021, 2022, 2023) for n in (-31, -1, 0, 1, 16)]
    ),
)


@st.composite
def ledgers(draw):
    accounts = []
    for _ in range(draw(st.integers(1, 3))):
        months = draw(st.lists(st.integers(0, 43), unique=True, max_size=14))
        calls = []
        for m in months:
            month = D(2021 + m // 12, 1 + m % 12, 1)
            due_on = draw(st.one_of(st.just(month + 4 * DAY), days))
            rent = draw(cents)
            benefit = draw(st.integers(0, int(rent * 100)).map(lambda c: Decimal(c) / 100))
            calls.append((month, due_on, rent, benefit))
        payments = draw(st.lists(st.tuples(days, cents), max_size=10))
        regularisations = draw(st.lists(st.tuples(days, cents, st.booleans()), max_size=2))
        accounts.append((calls, payments, regularisations))
    return accounts


def write(org, accounts):
    for calls, payments, regularisations in accounts:
        sub_lease = SubLeaseFactory(
            stay=StayFactory(household__organisation=org, unit__organisation=org, entered_on=START),
            signed_on=START,
        )
        RentCall.objects.bulk_create(
            RentCall(sub_lease=sub_lease, month=m, due_on=d, rent=r, housing_benefit=b)
            for m, d, r, b in calls
        )
        for paid_on, amount in payments:
            pay(sub_lease, paid_on, amount)
        for n, (on, amount, called) in enumerate(regularisations):
            difference = amount if called else -amount
            ChargesRegularisation.objects.create(
                organisation=org,
                ref=f"{sub_lease.ref}-G{n}",
                sub_lease=sub_lease,
                period_start=on - 300 * DAY,
                period_end=on,
                provisions=amount,
                actual=amount + difference,
                difference=difference,
                on=on,
            )


def assert_same_figures(org, day):
    sub_leases = SubLease.objects.filter(organisation=org)
    with_closings = services.standings(sub_leases, day)
    from_the_start = services.standings(sub_leases, day, use_closings=False)
    assert with_closings == from_the_start


@st.composite
def changes(draw):
    """A change of a row of account, and the way it is written."""
    return (
        draw(st.sampled_from(["payment", "call", "regularisation"])),
        draw(st.sampled_from(["save", "update", "bulk_update", "delete", "queryset_delete"])),
        draw(days),
        draw(cents),
    )


def change(org, what, how, day, amount):
    model, field, day_field = {
        "payment": (Payment, "amount", "paid_on"),
        "call": (RentCall, "rent", "due_on"),
        "regularisation": (ChargesRegularisation, None, "on"),
    }[what]
    row = model.objects.filter(sub_lease__organisation=org).order_by("pk").first()
    if row is None:
        sub_lease = SubLease.objects.filter(organisation=org).first()
        pay(sub_lease, day, amount)  # a payment added in the past
        return
    values = {day_field: day}
    if field and not (what == "call" and amount < row.housing_benefit):
        values[field] = amount
    if how == "save":
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    elif how == "update":
        model.objects.filter(pk=row.pk).update(**values)
    elif how == "bulk_update":
        for name, value in values.items():
            setattr(row, name, value)
        model.objects.bulk_update([row], list(values))
    elif how == "delete":
        row.delete()
    else:
        model.objects.filter(pk=row.pk).delete()


@settings(
    max_examples=examples(80),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ledgers(), st.lists(days, min_size=1, max_size=4), changes())
def test_the_closings_change_no_figure(org_a, accounts, as_of, a_change):
    with transaction.atomic():
        write(org_a, accounts)
        closings.build(TODAY)
        for day in as_of:
            assert_same_figures(org_a, day)
        change(org_a, *a_change)
        for day in as_of:
            assert_same_figures(org_a, day)
        closings.build(TODAY)  # what the daily task writes again
        for day in as_of:
            assert_same_figures(org_a, day)
        transaction.set_rollback(True)


def test_a_closing_holds_the_balance_and_the_calls_left_unpaid(org_a):
    sub_lease = SubLeaseFactory(stay__household__organisation=org_a)
    call(sub_lease, D(2023, 11, 1), 400)
    call(sub_lease, D(2023, 12, 1), 400)
    pay(sub_lease, D(2023, 11, 20), 100)
    assert closings.build(D(2024, 3, 1)) == 1
    closing = SubLeaseClosing.objects.get(sub_lease=sub_lease)
    assert closing.closed_on == D(2023, 12, 31)
    assert closing.balance == Decimal("700.00")
    assert closing.unpaid == [
        ["2023-11-01", "2023-11-05", "400.00", "300.00"],
        ["2023-12-01", "2023-12-05", "400.00", "400.00"],
    ]
    assert closings.build(D(2024, 3, 1)) == 0  # nothing missing


def test_changing_an_old_payment_changes_the_figures_of_a_later_day(org_a, member_a):
    sub_lease = SubLeaseFactory(stay__household__organisation=org_a)
    for month in range(1, 13):
        call(sub_lease, D(2022, month, 1), 300)
        call(sub_lease, D(2023, month, 1), 300)
    payments = [pay(sub_lease, D(2022, month, 10), 300) for month in range(1, 13)]
    for month in range(1, 13):
        pay(sub_lease, D(2023, month, 10), 300)
    closings.build(D(2024, 2, 1))
    assert SubLeaseClosing.objects.filter(sub_lease=sub_lease).count() == 2
    later = D(2024, 1, 15)
    before = services.standings(SubLease.objects.filter(pk=sub_lease.pk), later)[sub_lease.pk]
    assert before.balance == 0 and before.arrears is None

    # March 2022 was in fact paid 100 € only.
    payment = payments[2]
    payment.amount = Decimal(100)
    services.record_payment(payment, by=member_a)

    assert not SubLeaseClosing.objects.filter(sub_lease=sub_lease).exists()
    after = services.standings(SubLease.objects.filter(pk=sub_lease.pk), later)[sub_lease.pk]
    assert after.balance == Decimal(200)
    # Settled oldest first: what is missing is on the last call, December 2023.
    assert [(u.call.month, u.amount, u.age) for u in after.arrears.calls] == [
        (D(2023, 12, 1), Decimal(200), 41)
    ]
    closings.closings_task(datetime.datetime(2024, 2, 1, 12, tzinfo=datetime.UTC))
    assert SubLeaseClosing.objects.filter(sub_lease=sub_lease).count() == 2
    again = services.standings(SubLease.objects.filter(pk=sub_lease.pk), later)[sub_lease.pk]
    assert again == after


def test_a_closing_computed_while_an_old_payment_is_saved_is_not_kept(org_a, monkeypatch):
    sub_lease = SubLeaseFactory(stay__household__organisation=org_a)
    call(sub_lease, D(2023, 6, 1), 300)
    computed = services.standings
    late = []

    def computed_then_paid(*args, **kwargs):
        # Another request records a payment of June 2023 after this one read the account.
        found = computed(*args, **kwargs)
        if not late:
            late.append(pay(sub_lease, D(2023, 6, 10), 300))
        return found

    monkeypatch.setattr(services, "standings", computed_then_paid)
    assert closings.build(D(2024, 2, 1)) == 1
    closing = SubLeaseClosing.objects.get(sub_lease=sub_lease)
    assert closing.balance == 0 and closing.unpaid == []


def test_writes_after_the_last_closing_keep_it(org_a):
    sub_lease = SubLeaseFactory(stay__household__organisation=org_a)
    call(sub_lease, D(2023, 6, 1), 300)
    closings.build(D(2024, 2, 1))
    call(sub_lease, D(2024, 1, 1), 300)
    pay(sub_lease, D(2024, 1, 10), 50)
    Payment.objects.filter(sub_lease=sub_lease).update(amount=Decimal(60))
    assert SubLeaseClosing.objects.filter(sub_lease=sub_lease).count() == 1
    standing = services.standings(SubLease.objects.filter(pk=sub_lease.pk), D(2024, 2, 1))
    assert standing[sub_lease.pk].balance == Decimal(540)


def test_an_import_that_changes_an_old_payment_changes_the_later_figures():
    from seuil.exchange.importer import import_exchange
    from tests.exchange.samples import rich_with_tenancy

    import_exchange(rich_with_tenancy())
    sub_lease = SubLease.objects.get(ref="B01")
    closings.build(D(2025, 3, 1))
    assert SubLeaseClosing.objects.filter(sub_lease=sub_lease, closed_on=D(2023, 12, 31)).exists()
    later = D(2024, 2, 1)
    before = services.standings(SubLease.objects.filter(pk=sub_lease.pk), later)[sub_lease.pk]

    data = rich_with_tenancy()
    payment = next(p for p in data["payments"] if p["ref"] == "R01")
    payment["amount"] -= 50  # the December 2023 payment was 50 € less
    import_exchange(data)

    assert not SubLeaseClosing.objects.filter(sub_lease=sub_lease).exists()
    after = services.standings(SubLease.objects.filter(pk=sub_lease.pk), later)[sub_lease.pk]
    assert after.balance == before.balance + 50
    assert (
        after
        == services.standings(SubLease.objects.filter(pk=sub_lease.pk), later, use_closings=False)[
            sub_lease.pk
        ]
    )
