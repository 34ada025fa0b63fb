"""Vacant units on a day, and since when: the home page and orientation list them."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Window

from .models import HousingUnit


@dataclass
class VacantUnit:
    unit: HousingUnit
    vacant_since: datetime.date
    days: int


def vacancy_of(unit, day):
    """The one rule for « vacant depuis le … , n jours », on every page: a unit vacant on
    `day` (annotated by `with_last_exit(day)`) is vacant since the later of its capture and
    the last exit from it; the days count from that date to `day`."""
    since = unit.vacant_since
    return VacantUnit(unit=unit, vacant_since=since, days=(day - since).days)


def vacant_units_on(units, day):
    """Vacant units of `units` on `day`, longest vacancy first (`vacancy_of`)."""
    vacant = [vacancy_of(unit, day) for unit in units.vacant_on(day).with_last_exit(day)]
    vacant.sort(key=lambda v: (-v.days, v.unit.ref))
    return vacant


def longest_vacancies(units, day, first):
    """(How many units of `units` are vacant on `day`, the `first` (one or more) longest
    vacancies of them as `vacant_units_on` orders them): counted and cut in the database,
    in one query, not computed for each of a stock of thousands."""
    longest = (
        units.vacant_on(day)
        .with_last_exit(day)
        .annotate(vacant_count=Window(Count("pk")))
        .order_by("vacant_from", "ref")
    )
    shown = list(longest[:first])
    rows = [vacancy_of(unit, day) for unit in shown]
    rows.sort(key=lambda v: (-v.days, v.unit.ref))
    return (shown[0].vacant_count if shown else 0), rows
