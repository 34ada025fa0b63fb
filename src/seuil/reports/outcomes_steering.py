"""The outcomes after exit on the steering dashboard of state services: per operator, the
12-month cohort of the last twelve months and what became of it (the activity report's
`outcomes` figures, `seuil.outcomes.rules`); and per arrival operator, the households
national mobility brought and what became of them (`outcomes.mobility.mobility_outcomes`,
the national mobility survey's figures). Small cells hidden as on the rest of the
dashboard (`steering.suppress_small_cells`), never a name."""

import datetime
from dataclasses import dataclass

from seuil.outcomes import rules
from seuil.outcomes.figures import outcome_facts_by_organisation
from seuil.outcomes.mobility import mobility_outcomes, moved_persons
from seuil.outcomes.models import MobilityFile

from .steering import SMALL_CELL, steered_organisations, suppress_small_cells

COLUMNS = (
    ("cohort", "Sortis vers un logement il y a un an"),
    ("followed_up", "dont suivis à 12 mois"),
    ("housed", "dont toujours logés"),
    ("not_housed", "dont plus logés"),
    ("returned", "dont revenus dans l'année"),
)


@dataclass
class OutcomesTable:
    since: datetime.date
    day: datetime.date
    columns: tuple
    rows: list  # (organisation name, [count or None, …])
    totals: list


def outcomes_table(user, day):
    """Per operator the user steers: the 12-month cohort whose anniversary falls in the
    last twelve months to `day`, and its outcomes; small cells hidden."""
    since = day - datetime.timedelta(days=364)
    organisations = list(steered_organisations(user).order_by("name"))
    target = datetime.timedelta(days=rules.TWELVE_MONTHS.target)
    facts = outcome_facts_by_organisation(
        [o.pk for o in organisations], since - target, day - target
    )
    figures = [
        rules.figures(rules.cohort(facts[o.pk], since, day, rules.TWELVE_MONTHS))
        for o in organisations
    ]
    shown = {key: suppress_small_cells([f[key] for f in figures]) for key, _ in COLUMNS}
    rows = [
        (organisation.name, [shown[key][i] for key, _ in COLUMNS])
        for i, organisation in enumerate(organisations)
    ]
    totals = [sum(f[key] for f in figures) for key, _ in COLUMNS]
    totals = [None if 0 < total < SMALL_CELL else total for total in totals]
    return OutcomesTable(since, day, COLUMNS, rows, totals)


MOBILITY_COLUMNS = (
    ("households", "Ménages arrivés par la mobilité nationale"),
    ("persons", "Personnes arrivées"),
    ("cohort", "Sortis vers un logement depuis un an ou plus"),
    ("followed_up", "dont suivis à 12 mois"),
    ("housed", "dont toujours logés"),
    ("in_territory", "dont toujours dans la commune d'arrivée"),
    ("employed", "dont en emploi"),
)


def _hidden(figures, columns):
    """Rows and totals of `figures` (one dict per row) as shown: small cells hidden."""
    shown = {key: suppress_small_cells([f[key] for f in figures]) for key, _ in columns}
    rows = [[shown[key][i] for key, _ in columns] for i in range(len(figures))]
    totals = [sum(f[key] for f in figures) for key, _ in columns]
    return rows, [None if 0 < total < SMALL_CELL else total for total in totals]


def mobility_table(user, day):
    """Per operator the user steers that received households through national mobility:
    the households and persons moved to it up to `day`, and at 12 months after the end of
    their stay there, what became of them; small cells hidden."""
    organisations = list(steered_organisations(user).order_by("name"))
    files = {}
    for file in MobilityFile.objects.filter(
        arrival__in=organisations, moved_on__isnull=False, moved_on__lte=day
    ):
        files.setdefault(file.arrival_id, []).append(file)
    arrivals = [o for o in organisations if o.pk in files]
    figures = []
    for organisation in arrivals:
        moved = files[organisation.pk]
        twelve = next(o for o in mobility_outcomes(moved, day) if o.months == 12)
        figures.append(
            {
                "households": len(moved),
                "persons": moved_persons(moved, day),
                **{key: getattr(twelve, key) for key, _ in MOBILITY_COLUMNS[2:]},
            }
        )
    rows, totals = _hidden(figures, MOBILITY_COLUMNS)
    return OutcomesTable(
        None,
        day,
        MOBILITY_COLUMNS,
        [(o.name, values) for o, values in zip(arrivals, rows, strict=True)],
        totals,
    )
