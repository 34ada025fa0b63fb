"""Closings: where each sub-lease's account stood at the end of each year, so that the
figures as of a day (`services.standings`: balances, arrears settled oldest first and
their age, late calls) read only the months since the last closing, not ten years of
history.

A closing (`SubLeaseClosing`) of a sub-lease at D (a 31 December) holds its balance at D
and the calls the payments made up to D had left (partly) unpaid, oldest first. That is
all what came before D weighs on a later day: settling oldest first, the payments after
D first settle what the closing left unpaid, then the calls after D. So the standing at a
later day is the closing's balance plus the sums after D, and its unpaid calls are the
newest of the calls after D and of those the closing left unpaid (counted at their whole
share) whose shares add up to that balance: `services.standings` reads the last closing
of each sub-lease on or before the day in the same statement as the rows after it.

- `build(today)` writes the closings missing at every 31 December before `today`, year
  after year (each from the one before), for the sub-leases signed by then that have a
  row of account by then; `seuil daily` runs it (`closings_task`).
- A closing is deleted as soon as a row of account dated on or before it is created,
  changed or deleted (`models.invalidate_closings`, in the models' writes): the daily
  task writes it again from the rows as they are.
- A write dated in a closed year moves `models.CLOSINGS_INPUTS` (`core.derived`): `build`
  stores what it computed only if they did not move meanwhile, else computes it again, so
  no closing misses a write saved while it was computed.
"""

import datetime

from django.utils import timezone

from seuil.core import derived

from .models import CLOSINGS_INPUTS, SubLease, SubLeaseClosing

BATCH = 5_000


def last_year_end(day):
    """The last 31 December on or before `day`."""
    year = day.year if (day.month, day.day) == (12, 31) else day.year - 1
    return datetime.date(year, 12, 31)


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

        def compute(missing=missing, closed_on=closed_on):
            return _closings(standings(missing, closed_on), closed_on)

        if dry_run:
            rows = compute()
        else:
            rows = derived.store_unless_moved(CLOSINGS_INPUTS, compute, _stored)
        written += len(rows)
    return written


def _stored(rows):
    SubLeaseClosing.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return rows


def _closings(found, closed_on):
    """The `SubLeaseClosing` rows of `standings` as of `closed_on`."""
    return [
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


def closings_task(now, *, dry_run=False):
    """Every day: the closings of the past years that are missing (new sub-leases, or
    deleted by a change of an old row of account)."""
    written = build(timezone.localdate(now), dry_run=dry_run)
    noun = "arrêté de compte annuel écrit" if written <= 1 else "arrêtés de compte annuels écrits"
    line = f"{written} {noun}"
    return f"{line} (simulation)." if dry_run else f"{line}."
