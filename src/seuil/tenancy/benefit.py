"""Housing benefit expected vs received (APL paid to the operator: tiers payant).

What the operator **expects** for a month is the housing benefit of that month's rent call
(from the terms in force, prorated like the rent). What it **received** is the sum of the
CAF's (or MSA's) receipts recorded for that month (`BenefitReceipt`). The benefit of a month
is expected by the 15th of the following month (the CAF pays the month past at the start
of the next one); a month of a call is then:

- `paid`: received = expected;
- `different`: something received, not the amount expected (or received while nothing was
  expected);
- `missing`: nothing received although expected, once the 15th of the next month is past;
- `waiting`: nothing received yet, before then;
- `suspended`: the call expects no benefit while an earlier call of the sub-lease did (the
  terms were changed when the CAF suspended it), and nothing was received;
- `none`: no benefit expected, none before, none received (nothing to show).

The receipts are not payments of the household: its share already leaves the benefit out.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from . import ledger
from .models import HALF_CENT, BenefitReceipt, RentCall, next_month

EXPECTED_BY_DAY = 15
MONEY = DecimalField(max_digits=12, decimal_places=2)
STATES = {
    "paid": "Versée",
    "different": "Montant différent",
    "missing": "Non versée",
    "waiting": "Attendue",
    "suspended": "Suspendue",
    "none": "Pas d'APL",
}
GAPS = ("different", "missing", "suspended")


def expected_by(month):
    """The day by which the benefit of `month` should have come."""
    return next_month(month).replace(day=EXPECTED_BY_DAY)


def state(expected, received, *, had_benefit_before, month, day):
    """The state (a key of `STATES`) of a month's benefit at `day`."""
    expected, received = expected or ledger.ZERO, received or ledger.ZERO
    if expected == 0:
        if received:
            return "different"
        return "suspended" if had_benefit_before else "none"
    if received == expected:
        return "paid"
    if received:
        return "different"
    return "missing" if day > expected_by(month) else "waiting"


@dataclass(frozen=True)
class Month:
    sub_lease_id: int
    month: datetime.date
    expected: Decimal
    received: Decimal
    state: str

    @property
    def label(self):
        return STATES[self.state]

    @property
    def is_gap(self):
        return self.state in GAPS


def _received(sub_leases, **months):
    """(sub-lease pk, month) → the benefit received, for the months filtered by `months`."""
    rows = (
        BenefitReceipt.objects.filter(sub_lease__in=sub_leases, **months)
        .values("sub_lease", "month")
        .annotate(total=Sum("amount"))
        .values_list("sub_lease", "month", "total")
    )
    return {(s, m): ledger.cents(t) for s, m, t in rows}


def of_sub_lease(sub_lease, day, *, months=12):
    """The last `months` months called up to `day` of `sub_lease`, newest first, with
    their benefit expected, received and state (months with neither left out)."""
    calls = list(
        RentCall.objects.filter(sub_lease=sub_lease, month__lte=day)
        .order_by("month")
        .values_list("month", "housing_benefit")
    )
    received = _received([sub_lease.pk], month__in=[m for m, _ in calls])
    found, had = [], False
    for month, expected in calls:
        got = received.get((sub_lease.pk, month), ledger.ZERO)
        current = state(expected, got, had_benefit_before=had, month=month, day=day)
        had = had or expected > 0
        if current != "none":
            found.append(Month(sub_lease.pk, month, expected, got, current))
    return list(reversed(found))[:months]


def gaps_of_months(sub_leases, first, last, day):
    """The calls of the months from `first` to `last` of `sub_leases` (a queryset) whose
    benefit is missing, differs or is suspended at `day`: [Month], newest month first,
    then by state and sub-lease. One query, which reads only the calls where the benefit
    received is not the one expected (within half a cent: SQLite sums in floating point)
    and those without benefit after a call with some; the state of each is then told."""
    received = Coalesce(
        Subquery(
            BenefitReceipt.objects.filter(sub_lease=OuterRef("sub_lease"), month=OuterRef("month"))
            .values("sub_lease")
            .annotate(total=Sum("amount"))
            .values("total"),
            output_field=MONEY,
        ),
        Value(ledger.ZERO),
        output_field=MONEY,
    )
    helped_before = Exists(
        RentCall.objects.filter(
            sub_lease=OuterRef("sub_lease"), month__lt=OuterRef("month"), housing_benefit__gt=0
        )
    )
    calls = (
        RentCall.objects.filter(sub_lease__in=sub_leases.values("pk"), month__range=(first, last))
        .annotate(received=received, helped_before=helped_before)
        .filter(
            Q(received__gt=F("housing_benefit") + HALF_CENT)
            | Q(received__lt=F("housing_benefit") - HALF_CENT)
            | Q(housing_benefit=0, helped_before=True)
        )
        .values_list("sub_lease", "month", "housing_benefit", "received", "helped_before")
    )
    rows = []
    for pk, month, expected, got, helped in calls:
        got = ledger.cents(got)
        current = state(expected, got, had_benefit_before=helped, month=month, day=day)
        if current in GAPS:
            rows.append(Month(pk, month, expected, got, current))
    rows.sort(key=lambda row: (-row.month.toordinal(), GAPS.index(row.state), row.sub_lease_id))
    return rows
