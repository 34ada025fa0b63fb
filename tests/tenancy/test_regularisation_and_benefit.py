"""Charges regularisation (once a year) in the balance and the arrears; housing benefit
expected vs received, the months the CAF did not pay."""

import datetime
from decimal import Decimal

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from seuil.reports.tenancy_figures import CallFact, PaymentFact, SubLeaseFact, TenancyFacts
from seuil.tenancy import benefit, ledger, services
from seuil.tenancy.models import BenefitReceipt, RentCall, SubLease
from tests.core.factories import UserFactory
from tests.housing.factories import StayFactory
from tests.tenancy.factories import SubLeaseFactory, pay, term

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def officer(client, org_a):
    client.force_login(UserFactory(organisation=org_a, tenancy_officer=True))
    return client


@pytest.fixture
def sub_lease(org_a):
    stay = StayFactory(household__organisation=org_a, entered_on=D(2024, 1, 1))
    sub_lease = SubLeaseFactory(stay=stay, ref="B-R1", due_day=5)
    term(sub_lease, D(2024, 1, 1), 400, 50, 200)
    for month in range(1, 13):
        services.generate_rent_calls(sub_lease.organisation, D(2024, month, 1))
    return sub_lease


def text_of(response):
    assert response.status_code == 200, response.status_code
    return " ".join(lxml.html.fromstring(response.content).text_content().split())


def test_the_provisions_called_over_the_year_against_the_real_charges(sub_lease):
    regularisation = services.regularise_charges(
        sub_lease,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
        actual=Decimal("690.00"),
        on=D(2025, 2, 10),
        by=None,
    )
    assert regularisation.provisions == Decimal("600.00")  # 12 × 50
    assert regularisation.difference == Decimal("90.00")
    # Called on 10/02/2025: the balance grows by 90 € from that day, not before.
    before = services.account(sub_lease, D(2025, 2, 9)).balance
    after = services.account(sub_lease, D(2025, 2, 10))
    assert after.balance - before == Decimal("90.00")
    assert any("complément appelé" in line.label for line in after.lines)
    # The standings of many sub-leases (SQL) say the same.
    found = services.standings(SubLease.objects.filter(pk=sub_lease.pk), D(2025, 3, 31))
    assert found[sub_lease.pk].balance == services.account(sub_lease, D(2025, 3, 31)).balance


def test_a_refund_is_a_credit_that_settles_the_oldest_rent(sub_lease):
    # Nothing paid: 12 × 250 € owed at the end of 2024.
    services.regularise_charges(
        sub_lease,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
        actual=Decimal("480.00"),
        on=D(2025, 1, 15),
        by=None,
    )
    day = D(2025, 1, 15)
    the_account = services.account(sub_lease, day)
    assert the_account.balance == Decimal("2880.00")  # 3000 − 120 refunded
    assert the_account.arrears.calls[0].amount == Decimal("130.00")  # January 2024 first
    found = services.standings(SubLease.objects.filter(pk=sub_lease.pk), day)
    assert found[sub_lease.pk].arrears.calls == the_account.arrears.calls


def test_a_difference_in_cents_is_accepted_whatever_the_database(org_a):
    # 591.36 − 528.00 is 63.360000000000014 in floating point, as SQLite computes it.
    stay = StayFactory(household__organisation=org_a, entered_on=D(2024, 1, 1))
    sub_lease = SubLeaseFactory(stay=stay, ref="B-R2", due_day=5)
    term(sub_lease, D(2024, 1, 1), 400, 44, 0)
    for month in range(1, 13):
        services.generate_rent_calls(org_a, D(2024, month, 1))
    regularisation = services.regularise_charges(
        sub_lease,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
        actual=Decimal("591.36"),
        on=D(2025, 2, 10),
        by=None,
    )
    regularisation.refresh_from_db()
    assert regularisation.provisions == Decimal("528.00")
    assert regularisation.difference == Decimal("63.36")


def test_one_regularisation_a_year_and_after_its_period(sub_lease):
    services.regularise_charges(
        sub_lease,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
        actual=Decimal("600"),
        on=D(2025, 1, 10),
        by=None,
    )
    with pytest.raises(ValidationError) as error:
        services.regularise_charges(
            sub_lease,
            period_start=D(2024, 6, 1),
            period_end=D(2025, 5, 31),
            actual=Decimal("600"),
            on=D(2024, 5, 1),
            by=None,
        )
    assert set(error.value.message_dict) == {"period_start", "on"}
    with pytest.raises(ValidationError, match="un an au plus"):
        services.regularise_charges(
            sub_lease,
            period_start=D(2025, 1, 1),
            period_end=D(2026, 6, 30),
            actual=Decimal("600"),
            on=D(2026, 7, 1),
            by=None,
        )


AMOUNTS = st.decimals(min_value=0, max_value=2000, places=2)


@settings(max_examples=30, deadline=None)
@given(
    shares=st.lists(AMOUNTS, min_size=1, max_size=6),
    paid=st.lists(AMOUNTS.filter(lambda a: a > 0), max_size=4),
    difference=st.decimals(min_value=-500, max_value=500, places=2),
)
def test_a_regularisation_moves_the_balance_by_its_difference(shares, paid, difference):
    """Pure rule: the balance moves by the difference; arrears still add up to the balance
    when it is positive; the report's figures count it."""
    calls = [ledger.Call(D(2024, m + 1, 1), D(2024, m + 1, 5), s) for m, s in enumerate(shares)]
    payments = [ledger.Paid(D(2024, 3, 1 + i), a) for i, a in enumerate(paid)]
    day = D(2024, 12, 31)
    with_it = ledger.regularised(
        calls, payments, [ledger.Regularisation(D(2024, 11, 20), difference)]
    )
    balance = ledger.balance(*with_it, day)
    assert balance == ledger.balance(calls, payments, day) + difference
    arrears = ledger.arrears(*with_it, day)
    assert (arrears.amount if arrears else ledger.ZERO) == max(balance, ledger.ZERO)
    from seuil.reports.tenancy_figures import arrears_at

    facts = TenancyFacts(
        sub_leases=[SubLeaseFact(1, D(2024, 1, 1), D(2024, 1, 1))],
        calls=[CallFact(1, c.month, c.due_on, c.share) for c in with_it[0]],
        payments=[PaymentFact(1, p.paid_on, p.amount) for p in with_it[1]],
    )
    by_age, credit = arrears_at(facts, day)
    assert sum((amount for _, amount in by_age.values()), ledger.ZERO) - credit == balance


def test_the_officer_regularises_on_the_account_page(officer, sub_lease):
    response = officer.post(
        reverse("tenancy:regularisation_create", args=[sub_lease.uuid]),
        {
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "actual": "540,00",
            "on": "2025-01-20",
        },
    )
    assert response.status_code == 302
    page = text_of(
        officer.get(reverse("tenancy:account", args=[sub_lease.uuid]) + "?au=2025-02-01")
    )
    assert "trop-perçu remboursé (avoir)" in page
    assert "-60,00 € (remboursée en avoir)" in page


# ---------------------------------------------------------------- housing benefit


def receive(sub_lease, month, amount, on=None):
    return BenefitReceipt.objects.create(
        organisation=sub_lease.organisation,
        sub_lease=sub_lease,
        month=month,
        received_on=on or month.replace(day=28),
        amount=Decimal(str(amount)),
    )


def test_the_months_the_caf_did_not_pay_or_paid_another_amount(sub_lease):
    receive(sub_lease, D(2024, 1, 1), 200)
    receive(sub_lease, D(2024, 3, 1), 150)
    months = {m.month: m.state for m in benefit.of_sub_lease(sub_lease, D(2024, 4, 10))}
    assert months[D(2024, 1, 1)] == "paid"
    assert months[D(2024, 2, 1)] == "missing"  # expected by 15/03
    assert months[D(2024, 3, 1)] == "different"
    assert months[D(2024, 4, 1)] == "waiting"


def test_a_caf_suspension_shows_as_such(sub_lease, org_a):
    term(sub_lease, D(2024, 5, 1), 400, 50, 0)  # the CAF suspends: no benefit from May
    RentCall.objects.filter(sub_lease=sub_lease, month__gte=D(2024, 5, 1)).update(housing_benefit=0)
    months = {m.month: m.state for m in benefit.of_sub_lease(sub_lease, D(2024, 6, 30))}
    assert months[D(2024, 5, 1)] == months[D(2024, 6, 1)] == "suspended"
    gaps = benefit.gaps_of_months(
        SubLease.objects.filter(organisation=org_a), D(2024, 5, 1), D(2024, 6, 1), D(2024, 6, 30)
    )
    assert [(g.sub_lease_id, g.month, g.state) for g in gaps] == [
        (sub_lease.pk, D(2024, 6, 1), "suspended"),
        (sub_lease.pk, D(2024, 5, 1), "suspended"),
    ]


def test_the_gaps_of_twelve_months_are_the_months_of_each_account_that_show_a_gap(sub_lease, org_a):
    receive(sub_lease, D(2024, 1, 1), 200)
    receive(sub_lease, D(2024, 2, 1), 120)  # in two parts, the second one late
    receive(sub_lease, D(2024, 2, 1), 80)
    receive(sub_lease, D(2024, 3, 1), 150)
    for month in range(4, 10):
        receive(sub_lease, D(2024, month, 1), 200)
    never_helped = SubLeaseFactory(
        stay=StayFactory(household__organisation=org_a, entered_on=D(2024, 1, 1)), due_day=5
    )
    term(never_helped, D(2024, 1, 1), 400, 50, 0)
    suspended = SubLeaseFactory(
        stay=StayFactory(household__organisation=org_a, entered_on=D(2024, 1, 1)), due_day=5
    )
    term(suspended, D(2024, 1, 1), 400, 50, 100)
    term(suspended, D(2024, 6, 1), 400, 50, 0)
    for month in range(1, 13):
        services.generate_rent_calls(org_a, D(2024, month, 1))
    for month in range(1, 6):
        receive(suspended, D(2024, month, 1), 100)
    receive(never_helped, D(2024, 11, 1), 30)  # received while nothing was expected
    day = D(2024, 12, 20)
    gaps = benefit.gaps_of_months(
        SubLease.objects.filter(organisation=org_a), D(2024, 1, 1), D(2024, 12, 1), day
    )
    expected = [
        (m.sub_lease_id, m.month, m.state)
        for s in (sub_lease, never_helped, suspended)
        for m in benefit.of_sub_lease(s, day)
        if m.is_gap
    ]
    assert sorted((g.sub_lease_id, g.month, g.state) for g in gaps) == sorted(expected)
    states = {(g.sub_lease_id, g.month): g.state for g in gaps}
    assert states[(sub_lease.pk, D(2024, 3, 1))] == "different"
    assert states[(sub_lease.pk, D(2024, 10, 1))] == "missing"
    assert states[(sub_lease.pk, D(2024, 11, 1))] == "missing"  # expected by 15/12
    assert (sub_lease.pk, D(2024, 12, 1)) not in states  # waiting until 15/01
    assert (sub_lease.pk, D(2024, 2, 1)) not in states  # paid in two parts
    assert states[(never_helped.pk, D(2024, 11, 1))] == "different"
    assert states[(suspended.pk, D(2024, 6, 1))] == "suspended"
    assert [g.month for g in gaps] == sorted((g.month for g in gaps), reverse=True)


def test_a_benefit_receipt_is_not_a_payment_of_the_household(sub_lease):
    before = services.account(sub_lease, D(2024, 12, 31)).balance
    receive(sub_lease, D(2024, 1, 1), 200)
    assert services.account(sub_lease, D(2024, 12, 31)).balance == before


def test_the_account_and_the_month_page_show_the_caf_gaps(officer, sub_lease):
    response = officer.post(
        reverse("tenancy:benefit_receipt_create", args=[sub_lease.uuid]),
        {"month": "2024-01", "received_on": "2024-02-05", "amount": "200"},
    )
    assert response.status_code == 302
    pay(sub_lease, D(2024, 1, 5), 250)
    account = text_of(
        officer.get(reverse("tenancy:account", args=[sub_lease.uuid]) + "?au=2024-03-20")
    )
    assert "APL attendue et reçue" in account and "Non versée" in account
    month = text_of(officer.get(reverse("tenancy:month") + "?mois=2024-02"))
    assert "APL non versée" in month and "Non versée" in month
    assert sub_lease.stay.household.ref in month


def test_the_report_counts_a_refund_in_the_called_and_the_arrears(sub_lease, org_a):
    from seuil.reports.tenancy_figures import load_tenancy, tenancy_section

    pay(sub_lease, D(2024, 6, 1), 1000)
    services.regularise_charges(
        sub_lease,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 11, 30),
        actual=Decimal("430.00"),  # 550 provisions called: 120 refunded
        on=D(2024, 12, 20),
        by=None,
    )
    start, end = D(2024, 1, 1), D(2024, 12, 31)
    section = tenancy_section(load_tenancy(org_a, [], start, end), start, end)
    assert section["called"] == 2880.0  # 12 × 250 − 120
    assert section["collected"] == 1000.0
    assert section["arrears_at_end"]["amount"] == 1880.0
    assert section["arrears_at_end"]["amount"] == float(services.account(sub_lease, end).balance)
