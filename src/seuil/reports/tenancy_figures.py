"""The `tenancy` section of the activity report (EXCHANGE.md §2.1, DOMAIN.md §4 item 6).

`tenancy_section(facts, start, end)` computes, from plain facts (no Django), for the period
[start, end] (both days included):

- `sub_leases_at_end`: sub-leases signed on or before `end` whose stay is present at `end`;
- `called`: the households' share (rent + charges − housing benefit) of the rent calls due
  in the period; `collected`: the payments received in the period; `collection_rate` =
  collected / called, 4 decimals, null when nothing was called. A charges regularisation
  (`ledger.regularised`, not in the exchange format) counts on its day: a difference called
  as a call, a difference refunded as a credit (`credits`) that lowers `called` and
  settles the calls like a payment, never `collected`;
- `arrears_at_end`: the sub-leases whose balance at `end` is positive and the sum of those
  balances, by age (`seuil.tenancy.ledger`: the payments made on or before `end` settle the
  calls due on or before `end` oldest first; what is left on a call counts at its age
  `end − due_on`; a sub-lease counts once, at the age of its oldest call left unpaid);
  `credit_at_end`: the sum of the negative balances, as a positive amount;
- `repayment_plans`: `agreed` in the period; `active_at_end`: agreed on or before `end`
  and whose last instalment is due on or after `end`;
- `inspections`: done in the period, by kind.

The facts are those of the sub-leases of the stays in scope (their calls and payments
follow them after the household has left) and the inspections of the units in scope:
`load_tenancy` reads them (four queries), `seuil.reports.facts` calls it. Amounts are
euros with two decimals (JSON numbers).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from seuil.core.numbers import round_half_up
from seuil.tenancy import ledger

INSPECTION_KINDS = ("entry", "pre_exit", "exit")
AGE_BANDS = ledger.AGE_BANDS
CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class SubLeaseFact:
    id: int
    signed_on: datetime.date
    entered_on: datetime.date
    exited_on: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class CallFact:
    sub_lease_id: int
    month: datetime.date
    due_on: datetime.date
    share: Decimal


@dataclass(frozen=True, slots=True)
class PaymentFact:
    sub_lease_id: int
    paid_on: datetime.date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PlanFact:
    id: int
    agreed_on: datetime.date
    last_due_on: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class InspectionFact:
    id: int
    kind: str
    done_on: datetime.date


@dataclass
class TenancyFacts:
    sub_leases: list[SubLeaseFact] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)
    payments: list[PaymentFact] = field(default_factory=list)
    plans: list[PlanFact] = field(default_factory=list)
    inspections: list[InspectionFact] = field(default_factory=list)
    # Charges refunded (regularisations): credits, not payments received.
    credits: list[PaymentFact] = field(default_factory=list)


def euros(amount):
    """An amount as a JSON number with two decimals at most."""
    return float(Decimal(amount).quantize(CENT))


def rate(numerator, denominator, places=4):
    """numerator / denominator (amounts) rounded half up, None when the denominator is 0."""
    if not denominator:
        return None
    return round_half_up(int(numerator * 100), int(denominator * 100), places)


def _accounts(facts):
    """sub_lease_id → (calls, payments) as `ledger` values."""
    calls, payments = defaultdict(list), defaultdict(list)
    for call in facts.calls:
        calls[call.sub_lease_id].append(ledger.Call(call.month, call.due_on, call.share))
    for payment in [*facts.payments, *facts.credits]:
        payments[payment.sub_lease_id].append(ledger.Paid(payment.paid_on, payment.amount))
    return calls, payments


def called_between(facts, first, last):
    """The shares of the calls due in [first, last], less the charges refunded then."""
    called = sum((c.share for c in facts.calls if first <= c.due_on <= last), ZERO)
    return called - sum((c.amount for c in facts.credits if first <= c.paid_on <= last), ZERO)


def arrears_at(facts, day):
    """(arrears {band: [sub-leases, amount]}, credit) of the sub-leases at `day`."""
    calls, payments = _accounts(facts)
    by_age = {band: [0, ZERO] for band in AGE_BANDS}
    credit = ZERO
    for sub_lease in facts.sub_leases:
        own_calls, own_payments = calls.get(sub_lease.id, ()), payments.get(sub_lease.id, ())
        balance = ledger.balance(own_calls, own_payments, day)
        if balance < 0:
            credit -= balance
            continue
        debt = ledger.arrears(own_calls, own_payments, day)
        if debt is None:
            continue
        by_age[debt.band][0] += 1
        for unpaid in debt.calls:
            by_age[unpaid.band][1] += unpaid.amount
    return by_age, credit


def tenancy_section(facts, start, end):
    """The `tenancy` section (a dict) of `facts` for [start, end]."""

    def within(day):
        return day is not None and start <= day <= end

    called = called_between(facts, start, end)
    collected = sum((p.amount for p in facts.payments if within(p.paid_on)), ZERO)
    by_age, credit = arrears_at(facts, end)
    inspections = dict.fromkeys(INSPECTION_KINDS, 0)
    for inspection in facts.inspections:
        if within(inspection.done_on) and inspection.kind in inspections:
            inspections[inspection.kind] += 1
    return {
        "sub_leases_at_end": sum(
            1
            for s in facts.sub_leases
            if s.signed_on <= end
            and s.entered_on <= end
            and (s.exited_on is None or s.exited_on > end)
        ),
        "called": euros(called),
        "collected": euros(collected),
        "collection_rate": rate(collected, called),
        "arrears_at_end": {
            "sub_leases": sum(count for count, _ in by_age.values()),
            "amount": euros(sum((amount for _, amount in by_age.values()), ZERO)),
            "by_age": {
                band: {"sub_leases": count, "amount": euros(amount)}
                for band, (count, amount) in by_age.items()
            },
        },
        "credit_at_end": euros(credit),
        "repayment_plans": {
            "agreed": sum(1 for p in facts.plans if within(p.agreed_on)),
            "active_at_end": sum(
                1
                for p in facts.plans
                if p.agreed_on <= end and p.last_due_on is not None and p.last_due_on >= end
            ),
        },
        "inspections": inspections,
    }


def tenancy_checks(section):
    """The checks the section runs on itself: (English name, ok)."""
    arrears = section["arrears_at_end"]
    bands = arrears["by_age"].values()
    return [
        (
            "tenancy.arrears by age sum to arrears sub-leases",
            sum(b["sub_leases"] for b in bands) == arrears["sub_leases"],
        ),
        (
            "tenancy.arrears by age sum to arrears amount",
            round(sum(b["amount"] for b in bands), 2) == arrears["amount"],
        ),
        (
            "tenancy.collection rate is collected over called",
            section["collection_rate"] is None or section["called"] > 0,
        ),
    ]


def monthly_collection(facts, months):
    """[(label, called, collected, rate)] for each (label, first, last) of `months`."""
    rows = []
    for label, first, last in months:
        called = called_between(facts, first, last)
        collected = sum((p.amount for p in facts.payments if first <= p.paid_on <= last), ZERO)
        rows.append((label, called, collected, rate(collected, called)))
    return rows


# ---------------------------------------------------------------- French labels

# Pieces of the check names above, translated (`presentation.check_label`).
CHECK_WORDS = [
    ("tenancy.", "Gestion locative : "),
    (
        "arrears by age sum to arrears sub-leases",
        "les impayés par ancienneté égalent le nombre de sous-locations en impayé",
    ),
    (
        "arrears by age sum to arrears amount",
        "les impayés par ancienneté égalent le montant des impayés",
    ),
    (
        "collection rate is collected over called",
        "le taux d'encaissement n'est calculé que sur un montant appelé",
    ),
]

AGE_LABELS = ledger.AGE_LABELS
INSPECTION_LABELS = {
    "entry": "États des lieux d'entrée",
    "pre_exit": "Pré-états des lieux de sortie",
    "exit": "États des lieux de sortie",
}


def french_amount(value):
    """12345.5 → « 12 345,50 » (a figure the spreadsheet reads back as a number)."""
    text = f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",")


def figure_rows(section, end_label):
    """[(French label, shown value)] of the section's headline figures."""
    arrears = section["arrears_at_end"]
    rate_value = section["collection_rate"]
    return [
        (f"Sous-locations en cours au {end_label}", section["sub_leases_at_end"]),
        ("Appelé aux ménages sur la période (€)", french_amount(section["called"])),
        ("Encaissé sur la période (€)", french_amount(section["collected"])),
        ("Taux d'encaissement", "non calculable" if rate_value is None else _percent(rate_value)),
        (f"Sous-locations en impayé au {end_label}", arrears["sub_leases"]),
        (f"Montant des impayés au {end_label} (€)", french_amount(arrears["amount"])),
        (
            f"Avances des ménages (crédits) au {end_label} (€)",
            french_amount(section["credit_at_end"]),
        ),
        ("Échéanciers convenus sur la période", section["repayment_plans"]["agreed"]),
        (f"Échéanciers en cours au {end_label}", section["repayment_plans"]["active_at_end"]),
    ]


def _percent(value):
    text = f"{value * 100:,.1f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0%"


def age_rows(section):
    """[(French label, sub-leases, amount shown)] of the arrears by age, every band."""
    return [
        (AGE_LABELS[band], values["sub_leases"], french_amount(values["amount"]))
        for band, values in section["arrears_at_end"]["by_age"].items()
    ]


def inspection_rows(section):
    return [(INSPECTION_LABELS[kind], count) for kind, count in section["inspections"].items()]


# ---------------------------------------------------------------- loading


def load_tenancy(organisation, programme_ids, start, end):
    """The `TenancyFacts` of `organisation` up to `end`: the sub-leases of its stays (of
    `programme_ids` when given), their calls due and payments made on or before `end`,
    their repayment plans agreed on or before `end` with their last instalment, and the
    inspections done in the period of its units (of `programme_ids` when given)."""
    from django.db.models import Max

    from seuil.tenancy.models import (
        ChargesRegularisation,
        Inspection,
        Payment,
        RentCall,
        RepaymentPlan,
        SubLease,
    )

    sub_leases = SubLease.objects.filter(stay__organisation=organisation)
    inspections = Inspection.objects.filter(
        unit__organisation=organisation, done_on__range=(start, end)
    )
    if programme_ids:
        sub_leases = sub_leases.filter(stay__programme_id__in=programme_ids)
        inspections = inspections.filter(unit__programme_id__in=programme_ids)
    ids = sub_leases.values("pk")
    calls = RentCall.objects.filter(sub_lease__in=ids, due_on__lte=end).values_list(
        "sub_lease_id", "month", "due_on", "rent", "charges", "housing_benefit"
    )
    payments = Payment.objects.filter(sub_lease__in=ids, paid_on__lte=end).values_list(
        "sub_lease_id", "paid_on", "amount"
    )
    # A regularisation is a call or a credit as the ledger says (`ledger.regularised`).
    regularised_calls, credits = [], []
    for sid, on, difference in ChargesRegularisation.objects.filter(
        sub_lease__in=ids, on__lte=end
    ).values_list("sub_lease_id", "on", "difference"):
        as_calls, as_credits = ledger.regularised([], [], [ledger.Regularisation(on, difference)])
        regularised_calls += [CallFact(sid, c.month, c.due_on, c.share) for c in as_calls]
        credits += [PaymentFact(sid, p.paid_on, p.amount) for p in as_credits]
    plans = (
        RepaymentPlan.objects.filter(sub_lease__in=ids, agreed_on__lte=end)
        .annotate(last=Max("instalments__due_on"))
        .values_list("pk", "agreed_on", "last")
    )
    return TenancyFacts(
        sub_leases=[
            SubLeaseFact(*row)
            for row in sub_leases.values_list(
                "pk", "signed_on", "stay__entered_on", "stay__exited_on"
            )
        ],
        calls=[
            CallFact(sid, month, due_on, ledger.share(rent, charges, benefit))
            for sid, month, due_on, rent, charges, benefit in calls.iterator(chunk_size=20_000)
        ]
        + regularised_calls,
        payments=[PaymentFact(*row) for row in payments.iterator(chunk_size=20_000)],
        credits=credits,
        plans=[PlanFact(*row) for row in plans],
        inspections=[
            InspectionFact(*row) for row in inspections.values_list("pk", "kind", "done_on")
        ],
    )
