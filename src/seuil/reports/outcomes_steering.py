"""The outcomes after exit on the steering dashboard of state services: per operator, the
12-month cohort of the last twelve months and what became of it (the activity report's
`outcomes` figures, `seuil.outcomes.rules`), small cells hidden as on the rest of the
dashboard (`steering.suppress_small_cells`), never a name."""

import datetime
from dataclasses import dataclass

from seuil.outcomes import rules
from seuil.outcomes.figures import outcome_facts_by_organisation

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
