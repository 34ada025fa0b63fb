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
- A write dated in a closed year moves `models.CLOSINGS_INPUTS` (`core.derived`): `build`
  stores what it computed only if they did not move meanwhile, else computes it again, so
  no closing misses a write saved while it was computed.
- `last_before(ids, day)`: the last closing on or before `day` of each sub-lease.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from seuil.core import derived

from . import ledger
from .models import CLOSINGS_INPUTS, SubLease, SubLeaseClosing

BATCH = 5_000


@dataclass
class Closing:
    pk: int
    closed_on: datetime.date
    balance: Decimal
    unpaid: list | None = None  # [month, due date, share, unpaid]: `with_unpaid`

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


def any_before(day):
    """Whether there is a closing on or before `day` at all."""
    return SubLeaseClosing.objects.filter(closed_on__lte=day).exists()


def last_year_end(day):
    """The last 31 December on or before `day`."""
    year = day.year if (day.month, day.day) == (12, 31) else day.year - 1
    return datetime.date(year, 12, 31)


def last_before(ids, pks, day):
    """sub-lease pk → its last `Closing` on or before `day` (without its unpaid calls),
    for the sub-leases `pks` (a set) of `ids` (a queryset of their pks). Most have one at
    the last 31 December: read first, by that day; the others are looked for after."""
    found = {}

    def read(closings, wanted=None):
        rows = closings.values_list("sub_lease", "pk", "closed_on", "balance")
        for sub_lease_id, pk, closed_on, balance in rows.iterator(chunk_size=10_000):
            if sub_lease_id in pks and (wanted is None or wanted.get(sub_lease_id) == closed_on):
                found[sub_lease_id] = Closing(pk, closed_on, balance)

    year_end = last_year_end(day)
    read(SubLeaseClosing.objects.filter(closed_on=year_end, sub_lease__in=ids))
    missing = pks - set(found)
    if not missing:
        return found
    closings = SubLeaseClosing.objects.filter(closed_on__lt=year_end)
    if len(missing) > BATCH:
        groups = [closings.filter(sub_lease__in=ids)]
    else:
        named = sorted(missing)
        groups = [
            closings.filter(sub_lease__in=named[start : start + BATCH])
            for start in range(0, len(named), BATCH)
        ]
    for group in groups:
        last = dict(
            group.values("sub_lease")
            .annotate(last=Max("closed_on"))
            .values_list("sub_lease", "last")
        )
        last = {pk: closed_on for pk, closed_on in last.items() if pk in missing}
        days = sorted(set(last.values()))
        for closed_on in days:
            of_day = [pk for pk, last_on in last.items() if last_on == closed_on]
            for start in range(0, len(of_day), BATCH):
                read(
                    SubLeaseClosing.objects.filter(
                        closed_on=closed_on, sub_lease__in=of_day[start : start + BATCH]
                    ),
                    last,
                )
    return found


def with_unpaid(closings):
    """Fill in the unpaid calls of `closings` (`Closing`s of a balance > 0)."""
    by_pk = {c.pk: c for c in closings if c.unpaid is None}
    pks = sorted(by_pk)
    for start in range(0, len(pks), BATCH):
        rows = SubLeaseClosing.objects.filter(pk__in=pks[start : start + BATCH])
        for pk, unpaid in rows.values_list("pk", "unpaid"):
            by_pk[pk].unpaid = unpaid


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
