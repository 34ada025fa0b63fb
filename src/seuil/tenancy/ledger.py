"""The account of a sub-lease: balance, arrears settled oldest first and their age, late
calls, the instalments of a repayment plan. Plain Python (no Django): the services, the
pages and the activity report (`seuil.reports.tenancy_figures`) all count with it.

The rules (DOMAIN.md §4 item 6):

- the **share** of a rent call is what the household owes: rent + charges − the housing
  benefit paid to the operator;
- the **balance** of a sub-lease at day D = the shares of its calls due on or before D − its
  payments made on or before D (positive: a debt; negative: a credit);
- the payments made on or before D **settle** the calls due on or before D oldest first (by
  `due_on`, then `month`); what is left unpaid on a call is counted at its **age**,
  D − `due_on` in days, in the bands `0-30`, `31-60`, `61-90`, `>90`;
- a **late** call at D is a call due more than 15 days before D that the payments made up
  to D have not covered (in whole): the early warning at the first unpaid rent.

A **charges regularisation** (once a year: real charges − the provisions called) enters
the account on its day: a positive difference as one more call (due that day, counted as
called), a negative one as a credit that settles the calls like a payment (not counted as
collected: the household paid nothing). `regularised(calls, payments, regularisations)`
gives the calls and the payments the rules above then count with.

Settling oldest first leaves what is unpaid on the newest calls: the unpaid part of a call
never shrinks as D goes on without payment, and a call once covered stays covered.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
LATE_AFTER_DAYS = 15
AGE_BANDS = ("0-30", "31-60", "61-90", ">90")
AGE_LABELS = {
    "0-30": "0 à 30 jours",
    "31-60": "31 à 60 jours",
    "61-90": "61 à 90 jours",
    ">90": "Plus de 90 jours",
}


class Call(NamedTuple):
    """A rent call: its month (first day), due date and the household's share. (Named
    tuples: `services.standings` makes hundreds of thousands of these at once.)"""

    month: datetime.date
    due_on: datetime.date
    share: Decimal


class Paid(NamedTuple):
    paid_on: datetime.date
    amount: Decimal


class Unpaid(NamedTuple):
    """What is left unpaid on a call at a date, and its age in days at that date."""

    call: Call
    amount: Decimal
    age: int

    @property
    def band(self):
        return age_band(self.age)


@dataclass(frozen=True, slots=True)
class Regularisation:
    """A charges regularisation: on `on`, `difference` (real charges − provisions) called
    (> 0) or refunded (< 0)."""

    on: datetime.date
    difference: Decimal

    @property
    def month(self):
        return self.on.replace(day=1)


def regularised(calls, payments, regularisations):
    """(calls, payments) with the regularisations in them: a difference called is a call
    due on its day, a difference refunded a credit made on its day."""
    calls, payments = list(calls), list(payments)
    for item in regularisations:
        if item.difference > 0:
            calls.append(Call(item.month, item.on, item.difference))
        elif item.difference < 0:
            payments.append(Paid(item.on, -item.difference))
    return calls, payments


def cents(value):
    """An amount as the database gives it (None, a float on SQLite, a Decimal) in euros
    with two decimals."""
    return Decimal(str(value or 0)).quantize(CENT)


def share(rent, charges, housing_benefit):
    """The household's share of a call: rent + charges − housing benefit."""
    return (rent or ZERO) + (charges or ZERO) - (housing_benefit or ZERO)


def age_band(days):
    """`0-30` (0 to 30 days), `31-60`, `61-90`, `>90`."""
    if days <= 30:
        return "0-30"
    if days <= 60:
        return "31-60"
    if days <= 90:
        return "61-90"
    return ">90"


def order(call):
    """The settling order: oldest due date first, then oldest month."""
    return (call.due_on, call.month)


def called_by(calls, day):
    """The shares of the calls due on or before `day`."""
    return sum((c.share for c in calls if c.due_on <= day), ZERO)


def paid_by(payments, day):
    """The payments made on or before `day`."""
    return sum((p.amount for p in payments if p.paid_on <= day), ZERO)


def balance(calls, payments, day):
    """Shares due on or before `day` − payments made on or before `day`."""
    return called_by(calls, day) - paid_by(payments, day)


def unpaid(calls, payments, day):
    """The calls due on or before `day` that the payments made on or before `day`, settled
    oldest first, leave (partly) unpaid, oldest first, each with its unpaid amount and its
    age at `day`."""
    available = paid_by(payments, day)
    left = []
    for call in sorted((c for c in calls if c.due_on <= day), key=order):
        if available >= call.share:
            available -= call.share
            continue
        left.append(Unpaid(call, call.share - available, (day - call.due_on).days))
        available = ZERO
    return left


def late(calls, payments, day, *, after_days=LATE_AFTER_DAYS):
    """The calls late at `day`: due more than `after_days` days before it and not covered
    by the payments made up to it (settled oldest first)."""
    return [u for u in unpaid(calls, payments, day) if u.age > after_days]


def became_late_on(call):
    """The first day a call is late if it is not covered by then."""
    return call.due_on + datetime.timedelta(days=LATE_AFTER_DAYS + 1)


@dataclass(frozen=True, slots=True)
class Arrears:
    """The arrears of a sub-lease at a date: `amount` > 0, the calls left unpaid, the age of
    the oldest of them (which gives the sub-lease's band)."""

    amount: Decimal
    calls: tuple
    oldest_age: int

    @property
    def band(self):
        return age_band(self.oldest_age)


def arrears(calls, payments, day):
    """The arrears of a sub-lease at `day`, None when its balance is not positive."""
    left = unpaid(calls, payments, day)
    if not left:
        return None
    return Arrears(sum((u.amount for u in left), ZERO), tuple(left), left[0].age)


# ---------------------------------------------------------------- repayment plans


@dataclass(frozen=True, slots=True)
class Instalment:
    due_on: datetime.date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class InstalmentState:
    instalment: Instalment
    state: str  # "kept", "broken", "upcoming" (enums.InstalmentState)
    expected: Decimal  # what the payments since the agreement had to reach by its due date
    paid: Decimal  # what they reached


def instalment_states(agreed_on, instalments, calls, payments, day):
    """Where each instalment of a plan agreed on `agreed_on` stands at `day`.

    The household keeps its plan when it pays its current rent and the instalments: an
    instalment due on d is **kept** when the payments made after the agreement and up to d
    reach the shares of the calls due after the agreement and up to d plus the instalments
    due up to d; otherwise it is **broken** once d is past (`day` > d). An instalment due
    after `day` (or on it, not reached yet) is **upcoming**.
    """
    states = []
    due_so_far = ZERO
    for instalment in sorted(instalments, key=lambda i: i.due_on):
        due_so_far += instalment.amount
        deadline = instalment.due_on
        expected = due_so_far + sum(
            (c.share for c in calls if agreed_on < c.due_on <= deadline), ZERO
        )
        until = min(deadline, day)
        paid = sum((p.amount for p in payments if agreed_on < p.paid_on <= until), ZERO)
        if deadline > day:
            state = "upcoming"
        elif paid >= expected:
            state = "kept"
        else:  # due today and not reached yet: broken from tomorrow
            state = "broken" if deadline < day else "upcoming"
        states.append(InstalmentState(instalment, state, expected, paid))
    return states


def plan_state(states):
    """A plan is `broken` when one of its instalments is, `kept` when all are, else
    `in_progress`."""
    kinds = {s.state for s in states}
    if "broken" in kinds:
        return "broken"
    if kinds <= {"kept"}:
        return "kept"
    return "in_progress"
