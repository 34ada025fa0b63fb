"""Money of orientation, in plain Python (no Django): what a vacant unit costs, and the
rent a household can bear.

Vacancy cost. A unit's monthly rent and charges are prorated by calendar day: one vacant
day of a month of N days costs (rent + charges) / N. A whole calendar month vacant thus
costs exactly one month's rent and charges, whatever its length. The sum is rounded to the
cent at the end (half up). Unknown rent: unknown cost (None); unknown charges count as 0.

Bearable rent (rent + charges a household can pay each month), as suggested to the
evaluator, who may change it: the estimated housing benefit plus 30 % of the household's
monthly resources other than housing benefit (the usual maximum effort rate), rounded to
the euro (half up).
"""

import calendar
import datetime
import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")
EFFORT_RATE = Decimal("0.30")


def suggested_bearable_rent(monthly_resources, housing_benefit):
    """Housing benefit + 30 % of the other resources, to the euro; None if resources are
    unknown."""
    if monthly_resources is None:
        return None
    benefit = Decimal(str(housing_benefit)) if housing_benefit is not None else Decimal(0)
    amount = EFFORT_RATE * Decimal(str(monthly_resources)) + benefit
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def monthly_amount(rent, charges):
    """Rent + charges per month as a Decimal, or None when the rent is unknown."""
    if rent is None:
        return None
    return Decimal(str(rent)) + (Decimal(str(charges)) if charges is not None else Decimal(0))


def vacancy_cost(monthly, start, end):
    """The cost of the days from `start` (included) to `end` (excluded) at `monthly` € per
    month, prorated by calendar day, rounded to the cent; None when `monthly` is None."""
    if monthly is None:
        return None
    return to_cents(_exact_cost(monthly, start, end))


def to_cents(amount):
    """An exact amount (Fraction) rounded to the cent, half up, as a Decimal."""
    cents = math.floor(amount * 100 + Fraction(1, 2))
    return (Decimal(cents) / 100).quantize(CENT)


def _exact_cost(monthly, start, end):
    """The exact cost (a Fraction, no rounding) of the days [start, end)."""
    monthly = Fraction(str(monthly))
    total = Fraction(0)
    day = start
    while day < end:
        days_in_month = calendar.monthrange(day.year, day.month)[1]
        next_month = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        stop = min(end, next_month)
        total += monthly * (stop - day).days / days_in_month
        day = stop
    return total


def vacant_spans(in_stock, stays, start, end):
    """The spans [a, b) of [start, end) when a unit is in stock and nobody is in it.

    `in_stock` is (captured_on, returned_on or None); `stays` are (entered_on, exited_on or
    None) pairs, as `housing` stores them (present from entry to the day before exit).
    """
    captured, returned = in_stock
    a = max(start, captured)
    b = end if returned is None else min(end, returned)
    if a >= b:
        return []
    busy = sorted(
        (max(a, entered), b if exited is None else min(b, exited))
        for entered, exited in stays
        if entered < b and (exited is None or exited > a)
    )
    spans, cursor = [], a
    for entered, exited in busy:
        if entered > cursor:
            spans.append((cursor, entered))
        cursor = max(cursor, exited)
    if cursor < b:
        spans.append((cursor, b))
    return spans


def vacant_days_and_cost(in_stock, stays, monthly, start, end):
    """(vacant days, cost) of a unit over [start, end) from its stock and stays."""
    spans = vacant_spans(in_stock, stays, start, end)
    days = sum((b - a).days for a, b in spans)
    if monthly is None:
        return days, None
    return days, to_cents(sum((_exact_cost(monthly, a, b) for a, b in spans), Fraction(0)))
