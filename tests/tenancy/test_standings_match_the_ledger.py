"""The database's settling of many sub-leases at once (`services.standings`, a window over
the calls) gives exactly what the ledger's rule gives sub-lease by sub-lease, on random
histories: balance, arrears, every call left unpaid with its amount and age."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.tenancy import ledger, services
from seuil.tenancy.models import Payment, RentCall, SubLease
from tests.conftest import examples
from tests.housing.factories import StayFactory
from tests.tenancy.factories import SubLeaseFactory

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
