"""The `tenancy` section of the activity report against a brute-force reference written from
DOMAIN.md §4 item 6 (in cents, call by call), on random rent histories dense around the
period's end, and on hand-built edge cases."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.reports.compute import Facts, compute
from seuil.reports.tenancy_figures import (
    CallFact,
    InspectionFact,
    PaymentFact,
    PlanFact,
    SubLeaseFact,
    TenancyFacts,
    tenancy_section,
)
from tests.conftest import examples

D = datetime.date
DAY = datetime.timedelta(days=1)
START, END = D(2024, 1, 1), D(2024, 12, 31)
EDGE_AGES = (0, 1, 15, 16, 30, 31, 60, 61, 90, 91, 200)


# ---------------------------------------------------------------- the reference


def band_of(age):
    if age <= 30:
        return "0-30"
    if age <= 60:
        return "31-60"
    if age <= 90:
        return "61-90"
    return ">90"


def cents(amount):
    return int(Decimal(amount) * 100)


def reference(facts, start, end):
    """The section, figure by figure, as DOMAIN.md §4 item 6 words it."""
    called = sum(cents(c.share) for c in facts.calls if start <= c.due_on <= end)
    collected = sum(cents(p.amount) for p in facts.payments if start <= p.paid_on <= end)
    by_age = {band: [0, 0] for band in ("0-30", "31-60", "61-90", ">90")}
    in_arrears = arrears_amount = credit = 0
    for sub_lease in facts.sub_leases:
        calls = sorted(
            (c for c in facts.calls if c.sub_lease_id == sub_lease.id and c.due_on <= end),
            key=lambda c: (c.due_on, c.month),
        )
        paid = sum(
            cents(p.amount)
            for p in facts.payments
            if p.sub_lease_id == sub_lease.id and p.paid_on <= end
        )
        balance = sum(cents(c.share) for c in calls) - paid
        if balance < 0:
            credit += -balance
        if balance <= 0:
            continue
        in_arrears += 1
        arrears_amount += balance
        # The payments settle the calls oldest first, one cent after the other.
        left_to_settle = paid
        oldest = None
        for call in calls:
            owed = cents(call.share)
            settled = min(owed, left_to_settle)
            left_to_settle -= settled
            unpaid = owed - settled
            if unpaid > 0:
                age = (end - call.due_on).days
                by_age[band_of(age)][1] += unpaid
                if oldest is None:
                    oldest = age
        by_age[band_of(oldest)][0] += 1
    if called:
        rate = float(
            (Decimal(collected) / Decimal(called)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        )
    else:
        rate = None
    return {
        "sub_leases_at_end": sum(
            1
            for s in facts.sub_leases
            if s.signed_on <= end
            and s.entered_on <= end
            and (s.exited_on is None or s.exited_on > end)
        ),
        "called": called / 100,
        "collected": collected / 100,
        "collection_rate": rate,
        "arrears_at_end": {
            "sub_leases": in_arrears,
            "amount": arrears_amount / 100,
            "by_age": {
                band: {"sub_leases": n, "amount": amount / 100}
                for band, (n, amount) in by_age.items()
            },
        },
        "credit_at_end": credit / 100,
        "repayment_plans": {
            "agreed": sum(1 for p in facts.plans if start <= p.agreed_on <= end),
            "active_at_end": sum(
                1
                for p in facts.plans
                if p.agreed_on <= end and p.last_due_on is not None and p.last_due_on >= end
            ),
        },
        "inspections": {
            kind: sum(1 for i in facts.inspections if i.kind == kind and start <= i.done_on <= end)
            for kind in ("entry", "pre_exit", "exit")
        },
    }


# ---------------------------------------------------------------- random histories

money = st.one_of(
    st.sampled_from([Decimal("0"), Decimal("0.01"), Decimal("170.50"), Decimal("480.50")]),
    st.integers(0, 90000).map(lambda c: Decimal(c) / 100),
)


def near(day):
    return st.one_of(
        st.integers(-400, 60).map(lambda n: day + n * DAY),
        st.sampled_from(EDGE_AGES).map(lambda age: day - age * DAY),
    )


@st.composite
def histories(draw):
    end = draw(st.sampled_from([END, D(2024, 2, 29), D(2024, 3, 31), D(2024, 6, 15)]))
    start = draw(st.sampled_from([START, end - 30 * DAY, end]))
    facts = TenancyFacts()
    for sub_lease_id in range(draw(st.integers(0, 5))):
        entered_on = draw(near(end))
        exited_on = draw(st.one_of(st.none(), near(end).filter(lambda d, e=entered_on: d >= e)))
        facts.sub_leases.append(SubLeaseFact(sub_lease_id, draw(near(end)), entered_on, exited_on))
        months = draw(st.lists(st.integers(-14, 2), unique=True, max_size=8))
        for offset in months:
            month = (end.replace(day=1) + offset * 31 * DAY).replace(day=1)
            due_on = draw(
                st.one_of(
                    st.integers(0, 27).map(lambda n, m=month: m + n * DAY),
                    st.sampled_from(EDGE_AGES).map(lambda age: end - age * DAY),
                )
            )
            facts.calls.append(CallFact(sub_lease_id, month, due_on, draw(money)))
        due_dates = [c.due_on for c in facts.calls if c.sub_lease_id == sub_lease_id]
        for _ in range(draw(st.integers(0, 6))):
            paid_on = draw(
                st.one_of(near(end), st.sampled_from(due_dates) if due_dates else near(end))
            )
            amount = draw(money.filter(lambda a: a > 0))
            facts.payments.append(PaymentFact(sub_lease_id, paid_on, amount))
        for plan in range(draw(st.integers(0, 2))):
            agreed_on = draw(near(end))
            last = draw(st.one_of(st.none(), st.sampled_from([end - DAY, end, end + DAY])))
            facts.plans.append(PlanFact(sub_lease_id * 10 + plan, agreed_on, last))
    for i in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["entry", "pre_exit", "exit"]))
        facts.inspections.append(InspectionFact(i, kind, draw(near(end))))
    return facts, start, end


@settings(max_examples=examples(500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_every_figure_equals_the_reference(data):
    facts, start, end = data
    assert tenancy_section(facts, start, end) == reference(facts, start, end)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_the_report_with_its_tenancy_section_passes_its_own_checks(data):
    facts, start, end = data
    report = compute(Facts(organisation="x", tenancy=facts), start, end)
    assert list(report)[-2:] == ["tenancy", "checks"]
    assert [c["name"] for c in report["checks"] if not c["ok"]] == []
    arrears = report["tenancy"]["arrears_at_end"]
    assert sum(b["sub_leases"] for b in arrears["by_age"].values()) == arrears["sub_leases"]


# ---------------------------------------------------------------- hand-built edge cases


def one_call_history(age, *, share="100", payments=()):
    """A sub-lease with one call `age` days old at END, and these (days before END, amount)
    payments."""
    return TenancyFacts(
        sub_leases=[SubLeaseFact(1, D(2023, 1, 1), D(2023, 1, 1))],
        calls=[CallFact(1, D(2024, 1, 1), END - age * DAY, Decimal(share))],
        payments=[PaymentFact(1, END - days * DAY, Decimal(a)) for days, a in payments],
    )


def test_each_age_falls_in_its_band():
    expected = {
        15: "0-30",
        30: "0-30",
        31: "31-60",
        60: "31-60",
        61: "61-90",
        90: "61-90",
        91: ">90",
    }
    for age, band in expected.items():
        section = tenancy_section(one_call_history(age), START, END)
        by_age = section["arrears_at_end"]["by_age"]
        assert by_age[band] == {"sub_leases": 1, "amount": 100.0}, age
        assert sum(b["sub_leases"] for b in by_age.values()) == 1


def test_a_payment_on_the_due_date_covers_the_call_and_one_the_day_after_end_does_not():
    paid_on_due_date = one_call_history(31, payments=[(31, "100")])
    assert tenancy_section(paid_on_due_date, START, END)["arrears_at_end"]["sub_leases"] == 0
    paid_after_end = one_call_history(31, payments=[(-1, "100")])
    section = tenancy_section(paid_after_end, START, END)
    assert section["arrears_at_end"]["amount"] == 100.0
    assert section["collected"] == 0.0


def test_payments_settle_the_oldest_calls_first_and_a_sub_lease_counts_at_its_oldest_age():
    facts = TenancyFacts(
        sub_leases=[SubLeaseFact(1, D(2023, 1, 1), D(2023, 1, 1))],
        calls=[
            CallFact(1, D(2024, 9, 1), END - 91 * DAY, Decimal("100")),  # 91 days
            CallFact(1, D(2024, 10, 1), END - 61 * DAY, Decimal("100")),  # 61 days
            CallFact(1, D(2024, 11, 1), END - 31 * DAY, Decimal("100")),  # 31 days
            CallFact(1, D(2024, 12, 1), END - 15 * DAY, Decimal("100")),  # 15 days
        ],
        # 150 paid: the 91-day call is covered, half of the 61-day one.
        payments=[PaymentFact(1, END - 70 * DAY, Decimal("100")), PaymentFact(1, END, 50)],
    )
    arrears = tenancy_section(facts, START, END)["arrears_at_end"]
    assert arrears["sub_leases"] == 1
    assert arrears["amount"] == 250.0
    assert arrears["by_age"] == {
        "0-30": {"sub_leases": 0, "amount": 100.0},
        "31-60": {"sub_leases": 0, "amount": 100.0},
        "61-90": {"sub_leases": 1, "amount": 50.0},
        ">90": {"sub_leases": 0, "amount": 0.0},
    }


def test_an_overpaid_sub_lease_is_a_credit_not_arrears():
    section = tenancy_section(one_call_history(10, payments=[(12, "130.25")]), START, END)
    assert section["arrears_at_end"]["sub_leases"] == 0
    assert section["credit_at_end"] == 30.25
    assert section["collection_rate"] == 1.3025


def test_nothing_called_gives_no_collection_rate():
    facts = TenancyFacts(payments=[PaymentFact(1, D(2024, 5, 1), Decimal("10"))])
    section = tenancy_section(facts, START, END)
    assert (section["called"], section["collected"], section["collection_rate"]) == (
        0.0,
        10.0,
        None,
    )


def test_a_call_wholly_paid_by_housing_benefit_owes_nothing():
    section = tenancy_section(one_call_history(100, share="0"), START, END)
    assert section["arrears_at_end"]["sub_leases"] == 0
    assert section["called"] == 0.0
