"""The tenancy part of the state's steering dashboard: arrears and collection by operator.

Counts only, small cells hidden as in `steering.suppress_small_cells`: the number of
sub-leases in arrears on the day (a count from 1 to 4 hidden, and the amount with it), the
amount of those arrears, and the collection rate over the last twelve months (collected /
called: hidden when fewer than five sub-leases were called, so that it tells nothing of one
household).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum

from seuil.tenancy.models import Payment, RentCall, SubLease
from seuil.tenancy.services import standings

COLUMNS = (
    "Sous-locations en impayé",
    "Montant des impayés",
    "Taux d'encaissement sur 12 mois",
)
ZERO = Decimal("0")


@dataclass
class TenancySteering:
    columns: tuple
    rows: list  # (organisation name, [count or None, amount or None, rate or None])
    totals: list


def _rate(collected, called):
    return None if not called else float(collected / called)


def tenancy_steering(organisations, day, since, suppress, threshold):
    """The rows of `organisations` (ordered) on `day`, collection over [since, day]."""
    ids = [o.pk for o in organisations]
    sub_leases = SubLease.objects.filter(organisation__in=ids)
    owner = dict(sub_leases.values_list("pk", "organisation_id"))
    in_arrears, amounts = Counter(), defaultdict(lambda: ZERO)
    for pk, standing in standings(sub_leases, day).items():
        if standing.arrears is not None:
            in_arrears[owner[pk]] += 1
            amounts[owner[pk]] += standing.arrears.amount
    calls = RentCall.objects.filter(sub_lease__organisation__in=ids, due_on__range=(since, day))
    called, called_leases = {}, {}
    for row in calls.values("sub_lease__organisation").annotate(
        total=Sum(F("rent") + F("charges") - F("housing_benefit")),
    ):
        called[row["sub_lease__organisation"]] = row["total"] or ZERO
    for row in calls.values("sub_lease__organisation", "sub_lease").distinct():
        called_leases.setdefault(row["sub_lease__organisation"], set()).add(row["sub_lease"])
    collected = dict(
        Payment.objects.filter(organisation__in=ids, paid_on__range=(since, day))
        .values("organisation")
        .annotate(total=Sum("amount"))
        .values_list("organisation", "total")
    )
    counts = suppress([in_arrears[pk] for pk in ids])
    rows = []
    for i, organisation in enumerate(organisations):
        pk = organisation.pk
        shown = counts[i]
        enough = len(called_leases.get(pk, ())) >= threshold
        rows.append(
            (
                organisation.name,
                [
                    shown,
                    None if shown is None else amounts[pk],
                    _rate(collected.get(pk, ZERO), called.get(pk)) if enough else None,
                ],
            )
        )
    total = sum(in_arrears.values())
    all_called = sum(called.values(), ZERO)
    all_leases = sum(len(v) for v in called_leases.values())
    hidden = 0 < total < threshold
    totals = [
        None if hidden else total,
        None if hidden else sum(amounts.values(), ZERO),
        _rate(sum(collected.values(), ZERO), all_called) if all_leases >= threshold else None,
    ]
    return TenancySteering(COLUMNS, rows, totals)
