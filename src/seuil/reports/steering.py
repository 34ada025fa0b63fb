"""The steering dashboard of state services: counts per operator, small cells hidden.

State users (DDETS, DIHAL) see aggregates only (`core.policy`: scope ``aggregate``): the
operators of their département (every operator when their organisation has no
département), one row each, never a name of a person nor a unit. A count from 1 to 4 is
hidden ("< 5"); when a column then holds a single hidden cell, the next smallest non-zero
cell of that column is hidden too, so that the column total, which is shown, does not give
the hidden one away.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from seuil.core.enums import OrganisationKind
from seuil.core.models import Organisation
from seuil.core.permissions import can_view_aggregates
from seuil.households.models import Membership
from seuil.housing.enums import ExitDestination
from seuil.housing.models import HousingUnit, Stay

from .tenancy_steering import tenancy_steering

SMALL_CELL = 5
HOUSING_DESTINATIONS = (ExitDestination.SOCIAL_LANDLORD, ExitDestination.PRIVATE_LANDLORD)

# (key, French heading)
COLUMNS = (
    ("households_present", "Ménages présents"),
    ("persons_present", "Personnes présentes"),
    ("entries", "Entrées sur 12 mois"),
    ("exits", "Sorties sur 12 mois"),
    ("exits_to_housing", "dont vers un logement (bail propre)"),
    ("units_in_stock", "Logements mobilisés"),
    ("units_vacant", "Logements vacants"),
)


def suppress_small_cells(values, threshold=SMALL_CELL):
    """The column `values` as shown: None where a cell is hidden.

    Primary suppression hides every count from 1 to `threshold - 1`; secondary suppression
    hides the smallest remaining non-zero count when only one cell would be hidden.
    """
    hidden = {i for i, value in enumerate(values) if 0 < value < threshold}
    if len(hidden) == 1:
        others = [(value, i) for i, value in enumerate(values) if value and i not in hidden]
        if others:
            hidden.add(min(others)[1])
    return [None if i in hidden else value for i, value in enumerate(values)]


@dataclass
class SteeringTable:
    day: datetime.date
    since: datetime.date
    scope_label: str
    columns: tuple
    rows: list  # (organisation name, [count or None, …])
    totals: list  # [count or None, …]; a total from 1 to 4 is hidden too
    tenancy: object = None  # tenancy_steering.TenancySteering: arrears and collection

    @property
    def summary(self):
        """(French heading, total or None) for every column."""
        return [(label, total) for (_, label), total in zip(self.columns, self.totals, strict=True)]


def steered_organisations(user):
    """The operators a state user steers: its département's, or all when it has none."""
    operators = Organisation.objects.filter(kind=OrganisationKind.OPERATOR)
    department = user.organisation.department
    return operators.filter(department=department) if department else operators


def _counts(day, since, organisations):
    """Raw counts per organisation id, for every column (a few grouped queries)."""
    counts = {key: Counter() for key, _ in COLUMNS}
    stays = Stay.objects.filter(organisation__in=organisations)
    present = stays.present_on(day)
    for row in present.values("organisation").annotate(n=Count("household", distinct=True)):
        counts["households_present"][row["organisation"]] = row["n"]
    members = (
        Membership.objects.on(day)
        .filter(household__in=present.values("household"))
        .values("household__organisation")
        .annotate(n=Count("person", distinct=True))
    )
    for row in members:
        counts["persons_present"][row["household__organisation"]] = row["n"]
    window = stays.values("organisation").annotate(
        entries=Count("pk", filter=Q(entered_on__gte=since, entered_on__lte=day)),
        exits=Count("pk", filter=Q(exited_on__gte=since, exited_on__lte=day)),
        housed=Count(
            "pk",
            filter=Q(
                exited_on__gte=since,
                exited_on__lte=day,
                exit_destination__in=HOUSING_DESTINATIONS,
            ),
        ),
    )
    for row in window:
        counts["entries"][row["organisation"]] = row["entries"]
        counts["exits"][row["organisation"]] = row["exits"]
        counts["exits_to_housing"][row["organisation"]] = row["housed"]
    units = HousingUnit.objects.filter(organisation__in=organisations)
    for row in units.in_stock_on(day).values("organisation").annotate(n=Count("pk")):
        counts["units_in_stock"][row["organisation"]] = row["n"]
    for row in units.vacant_on(day).values("organisation").annotate(n=Count("pk")):
        counts["units_vacant"][row["organisation"]] = row["n"]
    return counts


def steering_table(user, day):
    """The dashboard of `user` on `day`, or None when the role sees no aggregates."""
    if not can_view_aggregates(user):
        return None
    since = day - datetime.timedelta(days=364)
    organisations = list(steered_organisations(user).order_by("name"))
    counts = _counts(day, since, [o.pk for o in organisations])
    shown = {
        key: suppress_small_cells([counts[key][o.pk] for o in organisations]) for key, _ in COLUMNS
    }
    rows = [
        (organisation.name, [shown[key][i] for key, _ in COLUMNS])
        for i, organisation in enumerate(organisations)
    ]
    totals = [sum(counts[key].values()) for key, _ in COLUMNS]
    totals = [None if 0 < total < SMALL_CELL else total for total in totals]
    department = user.organisation.department
    return SteeringTable(
        day=day,
        since=since,
        scope_label=f"département {department}" if department else "toute la France",
        columns=COLUMNS,
        rows=rows,
        totals=totals,
        tenancy=tenancy_steering(organisations, day, since, suppress_small_cells, SMALL_CELL),
    )


def home_panel(request, day):
    """The summary on the state's home page (slot ``home_state``): counts only, small cells
    hidden, never a name nor a unit; nothing for a role that sees no aggregates."""
    table = steering_table(request.user, day)
    return None if table is None else {"steering": table}
