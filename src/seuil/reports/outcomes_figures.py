"""The `outcomes` section of the activity report (EXCHANGE.md §2.1, DOMAIN.md §4 item 8),
computed from plain facts (no Django).

`outcomes_section(facts, start, end)`: the 12-month cohort of the period and what became
of it, by the rules of `seuil.outcomes.rules` (their one home: the outcomes page and the
follow-ups due read them too):

- `cohort`: stays in scope that ended to housing (`social_landlord`, `private_landlord`,
  or lease transferred) and whose `exited_on + 365 days` falls in [start, end];
- `followed_up`: those with a follow-up dated from `exited_on + 300` to `exited_on + 430`
  days; the one nearest to `exited_on + 365` counts (of two as near, the later);
- `housed` / `not_housed`: its `housed` is true / false (null counts in neither);
- `returned`: cohort stays whose household entered another stay of the organisation after
  `exited_on` and at most 365 days after it.

The facts (`seuil.outcomes.rules.OutcomeFacts`) are loaded by
`seuil.outcomes.figures.load_outcome_facts`: the exits in scope, their follow-ups and the
entries of the organisation's stays.
"""

from seuil.outcomes import rules

FIGURES = ("cohort", "followed_up", "housed", "not_housed", "returned")


def outcomes_section(facts, start, end):
    """The `outcomes` section (a dict) of `facts` for [start, end]."""
    return rules.figures(rules.cohort(facts, start, end, rules.TWELVE_MONTHS))


def checks(section):
    """The checks the report runs on the section: (English name, holds)."""
    return [
        ("outcomes.followed up within cohort", section["followed_up"] <= section["cohort"]),
        (
            "outcomes.housed and not housed within followed up",
            section["housed"] + section["not_housed"] <= section["followed_up"],
        ),
        ("outcomes.returned within cohort", section["returned"] <= section["cohort"]),
    ]


# ---------------------------------------------------------------- French labels

FIGURE_LABELS = {
    "cohort": "Ménages sortis vers un logement il y a un an (cohorte à 12 mois)",
    "followed_up": "dont suivis autour de 12 mois (entre 300 et 430 jours après la sortie)",
    "housed": "dont toujours logés",
    "not_housed": "dont plus logés",
    "returned": "dont revenus dans un dispositif de l'organisation dans l'année",
}
CHECK_WORDS = [
    ("outcomes.", "Après la sortie : "),
    ("followed up within cohort", "les ménages suivis sont inclus dans la cohorte"),
    (
        "housed and not housed within followed up",
        "les ménages logés et non logés sont inclus dans les ménages suivis",
    ),
    ("returned within cohort", "les retours sont inclus dans la cohorte"),
]


def figure_rows(section):
    """[(French label, value)] of the section's figures, in order."""
    return [(FIGURE_LABELS[key], section[key]) for key in FIGURES]
