"""Vacancy days and their cost, for every unit, from the stock facts (`captured_on`,
`returned_on`, stays): exact whatever the vacancy records say, like the activity report.

A unit is vacant on a day when it is in stock (captured on or before it, not yet returned)
and no stay is present that day; the cost of each vacant day is the unit's rent + charges
prorated by calendar day (`costs.py`). Vacancy records (`Vacancy`) are the work items that
proposals offer. What a page says of an open one (« vacant depuis le …, n jours ») comes
from `figures_of`, which reads the unit's own vacancy through housing's `vacancy_of`, the
function of the home page and of the unit list: the same date and days everywhere.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from seuil.housing.models import HousingUnit, Stay
from seuil.housing.vacant_units import vacancy_of

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


@dataclass
class VacancyFigures:
    vacancy: object
    vacant_since: datetime.date
    days: int
    cost: Decimal | None  # None: rent unknown


def figures_of(vacancy_records, day):
    """[VacancyFigures] of vacancy records on `day`, in their order (one query for the
    units). An open record of a unit vacant on `day` says the unit's vacancy (`vacancy_of`:
    since the later of its capture and its last exit); a closed one, or one declared for a
    unit still occupied, its own dates."""
    records = list(vacancy_records)
    open_units = [v.unit_id for v in records if v.closed_on is None]
    vacant = {
        unit.pk: vacancy_of(unit, day)
        for unit in HousingUnit.objects.filter(pk__in=open_units).vacant_on(day).with_last_exit(day)
    }
    rows = []
    for record in records:
        stock = vacant.get(record.unit_id) if record.closed_on is None else None
        if stock is not None:
            since, days = stock.vacant_since, stock.days
        else:
            since, days = record.opened_on, record.days_on(day)
        unit = record.unit
        monthly = costs.monthly_amount(unit.rent, unit.charges)
        cost = costs.vacancy_cost(monthly, since, since + datetime.timedelta(days=days))
        rows.append(VacancyFigures(record, since, days, cost))
    return rows


def vacancy_cost(vacancy, day):
    """The cost of a vacancy record from its opening to its closing (or to `day`)."""
    unit = vacancy.unit
    monthly = costs.monthly_amount(unit.rent, unit.charges)
    end = vacancy.opened_on + datetime.timedelta(days=vacancy.days_on(day))
    return costs.vacancy_cost(monthly, vacancy.opened_on, end)
