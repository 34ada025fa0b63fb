"""Vacancy days and their cost, for every unit, from the stock facts (`captured_on`,
`returned_on`, stays): exact whatever the vacancy records say, like the activity report.

A unit is vacant on a day when it is in stock (captured on or before it, not yet returned)
and no stay is present that day; the cost of each vacant day is the unit's rent + charges
prorated by calendar day (`costs.py`). Vacancy records (`Vacancy`) are the work items that
proposals offer; their own duration is `Vacancy.days_on(day)`.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from seuil.housing.models import Stay

from . import costs

DAY = datetime.timedelta(days=1)


@dataclass
class UnitVacancy:
    unit: object
    days: int
    cost: Decimal | None  # None: rent unknown
    monthly: Decimal | None


def unit_vacancies(units, start, end):
    """[UnitVacancy] of the lettable `units` over [start, end] (both days included): two
    queries whatever the number of units."""
    units = list(units.lettable().order_by("ref", "pk"))
    stays = {}
    for unit_id, entered, exited in Stay.objects.filter(unit__in=units).values_list(
        "unit_id", "entered_on", "exited_on"
    ):
        stays.setdefault(unit_id, []).append((entered, exited))
    rows = []
    for unit in units:
        monthly = costs.monthly_amount(unit.rent, unit.charges)
        days, cost = costs.vacant_days_and_cost(
            (unit.captured_on, unit.returned_on), stays.get(unit.pk, []), monthly, start, end + DAY
        )
        rows.append(UnitVacancy(unit=unit, days=days, cost=cost, monthly=monthly))
    return rows


def vacancy_cost(vacancy, day):
    """The cost of a vacancy record from its opening to its closing (or to `day`)."""
    unit = vacancy.unit
    monthly = costs.monthly_amount(unit.rent, unit.charges)
    end = vacancy.opened_on + datetime.timedelta(days=vacancy.days_on(day))
    return costs.vacancy_cost(monthly, vacancy.opened_on, end)
