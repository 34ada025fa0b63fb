"""Closings: where each sub-lease's account stood at the end of each year, so that the
figures as of a day (`services.standings`: balances, arrears settled oldest first and
their age, late calls) read only the months since the last closing, not ten years of
history.

A closing (`SubLeaseClosing`) of a sub-lease at D (a 31 December) holds its balance at D
and the calls the payments made up to D had left (partly) unpaid, oldest first. That is
all what came before D weighs on a later day: settling oldest first, the payments after
D first settle what the closing left unpaid, then the calls after D. So the standing at a
later day is the closing's balance plus the sums after D, and its unpaid calls are the
newest calls after D, completed, when the balance exceeds them, by the newest of those
the closing left unpaid (`Closing.settle`).

- `build(today)` writes the closings missing at every 31 December before `today`, year
  after year (each from the one before), for the sub-leases signed by then that have a
  row of account by then; `seuil daily` runs it (`closings_task`).
- A closing is deleted as soon as a row of account dated on or before it is created,
  changed or deleted (`models.invalidate_closings`, in the models' writes): the daily
  task writes it again from the rows as they are.
- `last_before(ids, day)`: the last closing on or before `day` of each sub-lease.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import ledger
from .models import SubLease, SubLeaseClosing

BATCH = 5_000


@dataclass(frozen=True)
class Closing:
    closed_on: datetime.date
    balance: Decimal
    unpaid: list  # [month, due date, share, unpaid] (ISO dates, decimal strings)

    def settle(self, amount, day):
        """The calls this closing left unpaid that a balance `amount` at `day`, beyond
        the calls after the closing, still leaves unpaid (`ledger.Unpaid` at `day`, oldest
        first): the newest ones whose shares add up to `amount`."""
        left, found = amount, []
        for month, due_on, share, _ in reversed(self.unpaid):
            if left <= 0:
                break
            share = Decimal(share)
            due_on = datetime.date.fromisoformat(due_on)
            call = ledger.Call(datetime.date.fromisoformat(month), due_on, share)
            found.append(ledger.Unpaid(call, min(share, left), (day - due_on).days))
            left -= share
        return found[::-1]


def last_before(ids, day):
    """sub-lease pk → its last `Closing` on or before `day`, for the sub-leases of `ids`
    (a queryset of pks)."""
    closings = SubLeaseClosing.objects.filter(sub_lease__in=ids, closed_on__lte=day)
    last = dict(
        closings.values("sub_lease")
        .annotate(last=Max("closed_on"))
        .values_list("sub_lease", "last")
    )
    by_day = defaultdict(set)
    for pk, closed_on in last.items():
        by_day[closed_on].add(pk)
    found = {}
    for closed_on, pks in by_day.items():
        rows = SubLeaseClosing.objects.filter(closed_on=closed_on)
        rows = (
            rows.filter(sub_lease__in=ids)
            if len(pks) > BATCH
            else rows.filter(sub_lease__in=list(pks))
        )
        for pk, balance, unpaid in rows.values_list("sub_lease", "balance", "unpaid"):
            if pk in pks:
                found[pk] = Closing(closed_on, balance, unpaid)
    return found


def year_ends(first, today):
    """The 31 Decembers from the year of `first` to the last one before `today`."""
    return [datetime.date(year, 12, 31) for year in range(first.year, today.year)]


def _first_day():
    """The first day of any row of account (None: none)."""
    from .models import ChargesRegularisation, Payment, RentCall

    days = [
        RentCall.objects.order_by("due_on").values_list("due_on", flat=True).first(),
        Payment.objects.order_by("paid_on").values_list("paid_on", flat=True).first(),
        ChargesRegularisation.objects.order_by("on").values_list("on", flat=True).first(),
    ]
    days = [d for d in days if d is not None]
    return min(days) if days else None


def build(today, *, dry_run=False):
    """Write the closings missing at every 31 December before `today` (year after year,
    each from the one before); returns how many were written (or would be)."""
    from .services import standings

    first = _first_day()
    if first is None:
        return 0
    written = 0
    for closed_on in year_ends(first, today):
        missing = SubLease.objects.filter(signed_on__lte=closed_on).exclude(
            closings__closed_on=closed_on
        )
        if not missing.exists():
            continue
        found = standings(missing, closed_on)
        rows = [
            SubLeaseClosing(
                sub_lease_id=pk,
                closed_on=closed_on,
                balance=standing.balance,
                unpaid=[
                    [
                        u.call.month.isoformat(),
                        u.call.due_on.isoformat(),
                        str(u.call.share),
                        str(u.amount),
                    ]
                    for u in (standing.arrears.calls if standing.arrears else ())
                ],
            )
            for pk, standing in found.items()
        ]
        written += len(rows)
        if not dry_run:
            with transaction.atomic():
                SubLeaseClosing.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return written


def closings_task(now, *, dry_run=False):
    """Every day: the closings of the past years that are missing (new sub-leases, or
    deleted by a change of an old row of account)."""
    written = build(timezone.localdate(now), dry_run=dry_run)
    noun = "arrêté de compte annuel écrit" if written <= 1 else "arrêtés de compte annuels écrits"
    line = f"{written} {noun}"
    return f"{line} (simulation)." if dry_run else f"{line}."
