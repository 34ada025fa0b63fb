"""Vacant units on a day, and since when: the home page and orientation list them."""

import datetime
from dataclasses import dataclass

from .models import HousingUnit


@dataclass
class VacantUnit:
    unit: HousingUnit
    vacant_since: datetime.date
    days: int


def vacant_units_on(units, day):
    """Vacant units of `units` on `day`, longest vacancy first.

    A unit is vacant since the later of its capture date and the last exit from it
    (on or before `day`); the number of days counts from that date to `day`.
    """
    vacant = []
    for unit in units.vacant_on(day).with_last_exit(day):
        since = unit.vacant_since
        vacant.append(VacantUnit(unit=unit, vacant_since=since, days=(day - since).days))
    vacant.sort(key=lambda v: (-v.days, v.unit.ref))
    return vacant
