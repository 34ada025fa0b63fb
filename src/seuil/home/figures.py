"""The day's figures of the home page, for the user's organisation and role.

Each role's own day comes first: the parts the apps put in the slot ``home_day`` (the tasks,
the SIAO's requests and commission, the landlord's proposals, the referent's households,
the psychologist's referred households). The state's home page shows counts only (no name,
no unit): the panels other apps put in its slot ``home_state`` (the steering table of the
reports).

Every figure goes through `visible_to(user)`: a role that may not see households or units
gets zero, never someone else's data. A few queries per page, whatever the stock size.
"""

import datetime
from dataclasses import dataclass, field

from seuil.core import permissions
from seuil.core.enums import OrganisationKind, Role
from seuil.core.models import User
from seuil.households.models import Household
from seuil.housing.household_pages import present_counts
from seuil.housing.models import HousingUnit, Stay
from seuil.housing.vacant_units import VacantUnit, longest_vacancies, vacant_units_on

# The vacant units the home page lists, the longest vacancies first; the units' list shows
# them all (a large operator has thousands: a page of them all would take seconds).
VACANT_SHOWN = 20


@dataclass
class DayFigures:
    """What the home page shows; `kind` says which part of the page applies."""

    kind: str
    day: datetime.date
    month_start: datetime.date
    households_present: int = 0
    persons_present: int = 0
    units_in_stock: int = 0
    units_occupied: int = 0
    # The vacant units: all of them for a landlord, the `VACANT_SHOWN` longest vacancies
    # for an operator (`vacant_count` says how many in all).
    vacant_units: list[VacantUnit] = field(default_factory=list)
    vacant_count: int = 0
    unit_rows: list[tuple[HousingUnit, VacantUnit | None]] = field(default_factory=list)
    entries_this_month: int = 0
    exits_this_month: int = 0
    users: list[User] = field(default_factory=list)


def _stock_figures(figures, user, day, *, list_stock=False):
    units = HousingUnit.objects.visible_to(user)
    if list_stock:
        figures.vacant_units = vacant_units_on(units, day)
        figures.vacant_count = len(figures.vacant_units)
        vacancy = {v.unit.pk: v for v in figures.vacant_units}
        stock = list(units.in_stock_on(day).order_by("ref"))
        figures.unit_rows = [(unit, vacancy.get(unit.pk)) for unit in stock]
        figures.units_in_stock = len(stock)
    else:
        figures.vacant_count, figures.vacant_units = longest_vacancies(units, day, VACANT_SHOWN)
        figures.units_in_stock = units.in_stock_on(day).count()
    figures.units_occupied = figures.units_in_stock - figures.vacant_count


def _household_figures(figures, user, day):
    # Counted part by part (`visible_parts`: the households held, then those linked), each
    # a condition an index serves, not the union of the whole scope joined to the table;
    # the persons are the members of the households housed (a membership is seen with its
    # household).
    counts = [present_counts(part, day) for part in Household.objects.visible_parts(user)]
    figures.households_present = sum(households for households, _ in counts)
    figures.persons_present = sum(persons for _, persons in counts)
    stays = Stay.objects.visible_to(user)
    figures.entries_this_month = stays.filter(
        entered_on__gte=figures.month_start, entered_on__lte=day
    ).count()
    figures.exits_this_month = stays.filter(
        exited_on__gte=figures.month_start, exited_on__lte=day
    ).count()


def home_kind(user):
    """Which home page fits the user's role (a SIAO's members see the SIAO's day, not the
    stock figures of an operator, which a SIAO has not)."""
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.kind == OrganisationKind.SIAO:
        return "siao"
    if permissions.can_view_households(user):
        return "households"
    if not (user.is_authenticated and user.is_active and user.organisation_id):
        return "none"
    if user.role == Role.STATE:
        return "state"
    if user.role == Role.LANDLORD:
        return "landlord"
    if user.role == Role.ADMINISTRATOR:
        return "administrator"
    return "none"


def day_figures(user, day):
    """The figures of `day` for `user`: households, stock, entries and exits, users."""
    figures = DayFigures(kind=home_kind(user), day=day, month_start=day.replace(day=1))
    if figures.kind == "households":
        _household_figures(figures, user, day)
        _stock_figures(figures, user, day)
    elif figures.kind == "landlord":
        _stock_figures(figures, user, day, list_stock=True)
    elif figures.kind == "administrator":
        figures.users = list(
            User.objects.filter(organisation_id=user.organisation_id).order_by(
                "last_name", "first_name", "username"
            )
        )
    return figures
