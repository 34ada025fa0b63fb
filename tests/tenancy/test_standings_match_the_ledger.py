"""The database's settling of many sub-leases at once (`services.standings`, a window over
the calls) gives exactly what the ledger's rule gives sub-lease by sub-lease, and what a
plain count of the calls oldest first gives, on random histories (regularisations called
and refunded, closings of past years, ages around 15, 30, 60 and 90 days): balance,
arrears, every call left unpaid with its amount and age."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.tenancy import closings, ledger, services
from seuil.tenancy.models import Payment, RentCall, SubLease
from tests.conftest import examples
from tests.housing.factories import StayFactory
from tests.tenancy.factories import SubLeaseFactory
from tests.tenancy.test_closings import TODAY as CLOSINGS_TODAY
from tests.tenancy.test_closings import days, ledgers, write

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)
AT = D(2024, 6, 30)
cents = st.integers(0, 60_000).map(lambda c: Decimal(c) / 100)
# Days before AT; a year and more: debts older than the calls the database reads first.
offsets = st.one_of(
    st.integers(-200, 40),
    st.sampled_from([0, 15, 16, 30, 31, 90, 91, 365, 366, 367, 800]),
)


@st.composite
def histories(draw):
    accounts = []
    for _ in range(draw(st.integers(1, 4))):
        months = draw(st.lists(st.integers(0, 8), unique=True, max_size=7))
        calls = []
        for m in months:
            month = D(2024, 1 + m % 12, 1) if m < 12 else D(2025, 1, 1)
            due_on = draw(st.one_of(st.just(month + 4 * DAY), offsets.map(lambda o: AT - o * DAY)))
            rent = draw(cents)
            benefit = draw(st.integers(0, int(rent * 100)).map(lambda c: Decimal(c) / 100))
            calls.append((month, due_on, rent, benefit))
        payments = [
            (AT - draw(offsets) * DAY, draw(cents.filter(lambda a: a > 0)))
            for _ in range(draw(st.integers(0, 5)))
        ]
        accounts.append((calls, payments))
    return accounts


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories())
def test_the_database_settles_as_the_ledger(org_a, accounts):
    with transaction.atomic():
        stays = [
            StayFactory(household__organisation=org_a, unit__organisation=org_a) for _ in accounts
        ]
        expected = {}
        for stay, (calls, payments) in zip(stays, accounts, strict=True):
            sub_lease = SubLeaseFactory(stay=stay)
            for month, due_on, rent, benefit in calls:
                RentCall.objects.create(
                    sub_lease=sub_lease,
                    month=month,
                    due_on=due_on,
                    rent=rent,
                    housing_benefit=benefit,
                )
            for n, (paid_on, amount) in enumerate(payments):
                Payment.objects.create(
                    organisation=org_a,
                    ref=f"{sub_lease.ref}-{n}",
                    sub_lease=sub_lease,
                    paid_on=paid_on,
                    amount=amount,
                )
            as_calls = [ledger.Call(m, d, r - b) for m, d, r, b in calls]
            as_paid = [ledger.Paid(d, a) for d, a in payments]
            expected[sub_lease.pk] = (
                ledger.balance(as_calls, as_paid, AT),
                ledger.arrears(as_calls, as_paid, AT),
            )
        found = services.standings(SubLease.objects.filter(organisation=org_a), AT)
        for pk, (balance, arrears) in expected.items():
            standing = found.get(pk)
            if standing is None:  # nothing called nor paid by then
                assert balance == 0 and arrears is None
                continue
            assert standing.balance == balance
            assert standing.arrears == arrears
        transaction.set_rollback(True)


def plain_standing(calls, payments, regularisations, day):
    """(balance, [(month, due date, share, unpaid, age)]) at `day`, counted without the
    ledger: the calls (rent calls, then the regularisations called, each of its day, in
    the order recorded) due by `day`, oldest first, the call i with the cumulated shares
    C_i left unpaid by min(share, C_i − P), P what was paid or refunded by `day`."""
    charges = [(d, m, 0, n, r - b) for n, (m, d, r, b) in enumerate(calls)]
    paid = sum((a for d, a in payments if d <= day), Decimal(0))
    for n, (on, amount, called) in enumerate(regularisations):
        if called:
            charges.append((on, on.replace(day=1), 1, n, amount))
        elif on <= day:
            paid += amount
    charges = sorted(c for c in charges if c[0] <= day)
    cumulated, left = Decimal(0), []
    for due_on, month, _, _, share in charges:
        cumulated += share
        unpaid = min(share, max(Decimal(0), cumulated - paid))
        if unpaid > 0:
            left.append((month, due_on, share, unpaid, (day - due_on).days))
    return cumulated - paid, left


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ledgers(),
    st.lists(
        st.one_of(
            days,
            st.tuples(days, st.sampled_from([0, 15, 16, 30, 31, 60, 61, 90, 91])).map(
                lambda d: d[0] + d[1] * DAY
            ),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_the_standings_are_the_plain_count_with_regularisations_and_closings(
    org_a, accounts, as_of
):
    with transaction.atomic():
        write(org_a, accounts)
        closings.build(CLOSINGS_TODAY)
        sub_leases = SubLease.objects.filter(organisation=org_a).order_by("pk")
        for day in as_of:
            found = services.standings(sub_leases, day)
            for sub_lease, account in zip(sub_leases, accounts, strict=True):
                balance, left = plain_standing(*account, day)
                standing = found.get(sub_lease.pk)
                if standing is None:  # nothing called nor paid by then
                    assert balance == 0 and not left
                    continue
                assert standing.balance == balance
                calls = standing.arrears.calls if standing.arrears else ()
                assert [
                    (u.call.month, u.call.due_on, u.call.share, u.amount, u.age) for u in calls
                ] == left
                if standing.arrears:
                    assert standing.arrears.amount == balance
                    assert standing.arrears.band == ledger.age_band(left[0][4])
                # The ledger page of the household counts the same.
                the_account = services.account(sub_lease, day)
                assert the_account.balance == balance
                assert the_account.arrears == standing.arrears
        transaction.set_rollback(True)


def test_same_day_calls_settle_the_rent_first_then_the_regularisations_in_their_order(org_a):
    """A rent call and two regularisations called on the same day: the payments settle the
    rent call first, then the regularisations in the order they were recorded; a rent of
    the year before, left unpaid at its closing, first of all. 15 days after its due date
    a call is not late yet, 16 days after it is."""
    accounts = [
        (
            [(D(2023, 12, 1), D(2023, 12, 5), Decimal(200), Decimal(0))]
            + [(D(2024, 3, 1), D(2024, 3, 5), Decimal(300), Decimal(0))],
            [(D(2024, 3, 5), Decimal(550))],
            [
                (D(2024, 3, 5), Decimal(50), True),
                (D(2024, 3, 5), Decimal(70), True),
                (D(2024, 2, 1), Decimal(20), False),  # a refund: a credit
            ],
        )
    ]
    write(org_a, accounts)
    closings.build(CLOSINGS_TODAY)
    sub_leases = SubLease.objects.filter(organisation=org_a)
    for day, late in ((D(2024, 3, 20), False), (D(2024, 3, 21), True)):
        standing = services.standings(sub_leases, day)[sub_leases.get().pk]
        age = (day - D(2024, 3, 5)).days
        assert plain_standing(*accounts[0], day) == (
            Decimal(50),
            [(D(2024, 3, 1), D(2024, 3, 5), Decimal(70), Decimal(50), age)],
        )
        assert standing.balance == Decimal(50)
        assert [(u.call.share, u.amount, u.age) for u in standing.arrears.calls] == [
            (Decimal(70), Decimal(50), age)
        ]
        assert standing.has_late_calls is late
