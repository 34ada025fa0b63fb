"""What the activity report shows, ready for a template: French labels, tables and charts.

`report_context(report, facts=None, charts=None)` takes the `seuil-activity-report/1` dict
and returns the context of `reports/_report_body.html`:

- `report`: the dict itself;
- `labels`: French labels of every code (`labels["composition"]["single_woman"]`…);
- `tables`: every table of the report, each a `Table` (caption, column headers, rows with
  a French label, total row), in the order of the page;
- `charts`: inline SVG charts (`Chart`: title, svg markup, its data `Table`).

Renderers (HTML, PDF…) do `render_to_string("reports/_report_body.html",
report_context(report))`. The monthly charts need the plain facts: pass the monthly
figures computed with the report (`chart_data(facts, start, end)`, plain JSON values, kept
with a stored report), or the `facts` already loaded; otherwise the facts are loaded again
from the report's scope (a few bulk queries).

`missing_problems(facts, start, end)` says who misses what among the households and persons
the report counts, by id (plain JSON values, kept with a stored report);
`missing_households(problems)` names them, for the links to the household files on the page
(one page of them at a time); `missing_details` does both.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from seuil.core.charts import bar_chart
from seuil.core.wording import period
from seuil.households.enums import LegalStatus, PriorSituation, ResourceType, Sex
from seuil.housing.enums import ExitDestination, Typology

from . import compute, orientation_figures, outcomes_figures, support_figures, tenancy_figures

UNKNOWN = "Non renseigné"
COMPOSITION_LABELS = {
    "single_woman": "Femme seule",
    "single_man": "Homme seul",
    "couple_without_children": "Couple sans enfant",
    "woman_with_children": "Femme seule avec enfant(s)",
    "man_with_children": "Homme seul avec enfant(s)",
    "couple_with_children": "Couple avec enfant(s)",
    "other": "Autre composition",
}
AGE_BAND_LABELS = {
    "0-17": "0-17 ans",
    "18-24": "18-24 ans",
    "25-39": "25-39 ans",
    "40-59": "40-59 ans",
    "60+": "60 ans et plus",
    "unknown": "Âge inconnu",
}
PRESENT_STAY_LABELS = {"<6": "Moins de 6 mois", "6-12": "6 à 12 mois", ">12": "Plus de 12 mois"}
EXIT_STAY_LABELS = {
    "<6": "Moins de 6 mois",
    "6-12": "6 à 12 mois",
    "13-18": "13 à 18 mois",
    ">18": "Plus de 18 mois",
}
MISSING_LABELS = {
    "sex": "Personnes sans sexe renseigné",
    "birth_date": "Personnes sans date de naissance",
    "legal_status": "Personnes sans situation administrative connue",
    "resources": "Ménages sans ressources renseignées à la date",
    "prior_situation": "Ménages sans situation avant l'accueil",
}
SECTION_LABELS = {
    "housing": "Parc de logements",
    "present": "Présents",
    "entries": "Entrées",
    "exits": "Sorties",
}
# Pieces of the English check names (compute._checks), translated in order.
CHECK_WORDS = [
    *tenancy_figures.CHECK_WORDS,
    (
        "support.late contracts within contracts signed",
        "Accompagnement : contrats signés en retard inclus dans les contrats signés",
    ),
    (
        "support.households visited at home within home visits",
        "Accompagnement : ménages rencontrés à domicile au plus égaux aux visites à domicile",
    ),
    ("housing.", "Parc : "),
    ("present.", "Présents : "),
    ("entries.", "Entrées : "),
    ("exits.", "Sorties : "),
    ("captured", "logements captés"),
    ("vacant_at_end", "logements vacants en fin de période"),
    ("occupied_at_end", "logements occupés en fin de période"),
    ("returned lease transferred within returned", "baux glissés inclus dans les restitués"),
    ("returned", "logements restitués"),
    ("occupancy rate between 0 and 1", "taux d'occupation compris entre 0 et 100 %"),
    ("by typology sums to units", "la somme par typologie égale le nombre de logements"),
    ("by sector sums to units", "la somme par secteur égale le nombre de logements"),
    (
        "composition reinforced support sums to reinforced support",
        "la composition (accompagnement renforcé) égale le total en accompagnement renforcé",
    ),
    (
        "composition adult children sums to adult children",
        "la composition (enfants majeurs) égale le total des enfants majeurs",
    ),
    (
        "composition adult children sum to adult children",
        "la composition (enfants majeurs) égale le total des enfants majeurs",
    ),
    (
        "composition children sum to children",
        "la composition (enfants) égale le total des enfants",
    ),
    ("composition sums to households", "la composition égale le nombre de ménages"),
    (
        "legal status sums to households",
        "la situation administrative égale le nombre de ménages",
    ),
    (
        "legal status sums to persons",
        "la situation administrative égale le nombre de personnes",
    ),
    (
        "age bands adult children sum to adult children",
        "les tranches d'âge (enfants majeurs) égalent le total des enfants majeurs",
    ),
    ("age bands sum to persons", "les tranches d'âge égalent le nombre de personnes"),
    ("resources sum to households", "les ressources égalent le nombre de ménages"),
    (
        "prior situation sums to households",
        "la situation avant l'accueil égale le nombre de ménages",
    ),
    (
        "length of stay bands sum to households",
        "les durées de séjour égalent le nombre de ménages",
    ),
    ("persons = adults + children", "personnes = adultes + enfants"),
    (
        "persons = persons at entry + persons joined",
        "personnes = personnes à l'entrée + personnes arrivées en cours de séjour",
    ),
    (
        "births within persons joined",
        "naissances incluses dans les personnes arrivées en cours de séjour",
    ),
    ("destinations sum to households", "les destinations égalent le nombre de ménages"),
    *outcomes_figures.CHECK_WORDS,
]


@dataclass
class Row:
    label: str
    values: list


@dataclass
class Table:
    id: str
    caption: str
    columns: list  # headers of the value columns (the first column holds the row labels)
    rows: list = field(default_factory=list)
    total: list | None = None
    first_column: str = "Catégorie"


@dataclass
class Chart:
    id: str
    title: str
    svg: str
    table: Table


# ---------------------------------------------------------------- formatting


def french_number(value, places=1):
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    text = f"{value:,.{places}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def percent(rate, places=1):
    """0.8312 → « 83,1 % » (None → « — »)."""
    if rate is None:
        return "—"
    return f"{french_number(rate * 100, places)}\u00a0%"


def signed(value):
    if value > 0:
        return f"+{french_number(value)}"
    if value < 0:
        return f"−{french_number(-value)}"
    return "0"


def organisation_name(ref):
    """The name of the organisation of a report (one query); its reference when unknown."""
    from seuil.core.models import Organisation

    return Organisation.objects.filter(ref=ref).values_list("name", flat=True).first() or ref


def programme_names(organisation_ref, refs):
    """The names of a report's programmes (one query), in the report's order; a reference
    stays as it is only when no programme of the organisation has it."""
    from seuil.housing.models import Programme

    names = dict(
        Programme.objects.filter(organisation__ref=organisation_ref, ref__in=refs).values_list(
            "ref", "name"
        )
    )
    return [names.get(ref, ref) for ref in refs]


def _iso_day(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def french_date(iso):
    day = datetime.date.fromisoformat(iso) if isinstance(iso, str) else iso
    return day.strftime("%d/%m/%Y")


def check_label(name):
    text = name
    for english, french in CHECK_WORDS:
        text = text.replace(english, french)
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- labels


def _enum_labels(enum, unknown=UNKNOWN):
    labels = {code: str(label) for code, label in enum.choices}
    labels["unknown"] = unknown
    return labels


def sector_labels(report):
    """Sector names of the organisation (one query)."""
    from seuil.housing.models import Sector

    names = dict(
        Sector.objects.filter(organisation__ref=report["scope"]["organisation"]).values_list(
            "ref", "name"
        )
    )
    codes = report["housing"]["captured"]["by_sector"]
    labels = {code: names.get(code, code) for code in codes}
    labels["unknown"] = "Sans secteur"
    return labels


def build_labels(report):
    resource_types = _enum_labels(ResourceType)
    return {
        "composition": COMPOSITION_LABELS,
        "legal_status": _enum_labels(LegalStatus, unknown="Inconnue"),
        "age_bands": AGE_BAND_LABELS,
        "resource_types": resource_types,
        "prior_situation": _enum_labels(PriorSituation, unknown="Inconnue"),
        "destinations": _enum_labels(ExitDestination, unknown="Inconnue"),
        "typology": _enum_labels(Typology, unknown="Typologie inconnue"),
        "sector": sector_labels(report),
        "present_stay": PRESENT_STAY_LABELS,
        "exit_stay": EXIT_STAY_LABELS,
        "missing": MISSING_LABELS,
        "sex": _enum_labels(Sex),
    }


def combination_label(combination, resource_types):
    return " + ".join(resource_types.get(code, code) for code in combination.split("+"))


# ---------------------------------------------------------------- tables


def _simple_table(table_id, caption, counts, labels, column="Ménages"):
    rows = [Row(labels.get(code, code), [value]) for code, value in counts.items()]
    return Table(table_id, caption, [column], rows, [sum(counts.values())])


def _columns_table(table_id, caption, table, labels, columns):
    """`table`: code → {key: n}; `columns`: list of (key, header)."""
    rows = [
        Row(labels.get(code, code), [values.get(key, 0) for key, _ in columns])
        for code, values in table.items()
    ]
    total = [sum(values.get(key, 0) for values in table.values()) for key, _ in columns]
    return Table(table_id, caption, [header for _, header in columns], rows, total)


def _people_tables(prefix, section, labels, when):
    """Composition, legal status, age bands, resources, prior situation of a section."""
    tables = {}
    section_id = {"present": "presents", "entries": "entrees", "exits": "sorties"}[prefix]
    composition_columns = [("households", "Ménages")]
    if prefix == "present":
        composition_columns += [
            ("children", "Enfants"),
            ("adult_children", "dont enfants majeurs"),
            ("reinforced_support", "Ménages en accompagnement renforcé"),
        ]
    tables["composition"] = _columns_table(
        f"{section_id}-composition",
        f"Composition des ménages {when}",
        section["composition"],
        labels["composition"],
        composition_columns,
    )
    tables["composition"].first_column = "Composition"
    tables["legal_status"] = _columns_table(
        f"{section_id}-situation-administrative",
        f"Situation administrative {when} (ménages : celle de la personne de référence)",
        section["legal_status"],
        labels["legal_status"],
        [("households", "Ménages"), ("persons", "Personnes")],
    )
    tables["legal_status"].first_column = "Situation administrative"
    age_columns = [("persons", "Personnes")]
    if prefix == "present":
        age_columns.append(("adult_children", "dont enfants majeurs"))
    tables["age_bands"] = _columns_table(
        f"{section_id}-ages",
        f"Personnes par tranche d'âge {when}",
        section["age_bands"],
        labels["age_bands"],
        age_columns,
    )
    tables["age_bands"].first_column = "Tranche d'âge"
    if "resources" in section:
        resources = section["resources"]
        rows = [
            Row(combination_label(code, labels["resource_types"]), [n])
            for code, n in sorted(resources["combinations"].items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        rows.append(Row("Ressources non renseignées", [resources["unknown"]]))
        tables["resources"] = Table(
            f"{section_id}-ressources",
            f"Ressources des ménages {when} (combinaisons)",
            ["Ménages"],
            rows,
            [sum(resources["combinations"].values()) + resources["unknown"]],
            first_column="Ressources",
        )
        tables["resource_types"] = Table(
            f"{section_id}-ressources-types",
            f"Ménages percevant chaque type de ressource {when} "
            "(un ménage peut en percevoir plusieurs : pas de total)",
            ["Ménages"],
            [
                Row(labels["resource_types"].get(code, code), [n])
                for code, n in resources["by_type"].items()
            ],
            None,
            first_column="Type de ressource",
        )
    if "prior_situation" in section:
        tables["prior_situation"] = _simple_table(
            f"{section_id}-situation-avant",
            f"Situation avant l'accueil des ménages {when}",
            section["prior_situation"],
            labels["prior_situation"],
        )
        tables["prior_situation"].first_column = "Situation avant l'accueil"
    return tables


def _stock_tables(housing, labels):
    parts = [
        ("captured", "Captés"),
        ("vacant_at_end", "Vacants en fin de période"),
        ("occupied_at_end", "Occupés en fin de période"),
        ("returned", "Restitués"),
    ]
    tables = {}
    for key, name, caption in (
        ("by_typology", "typology", "Logements par typologie"),
        ("by_sector", "sector", "Logements par secteur"),
    ):
        codes = list(housing["captured"][key])
        rows = [
            Row(
                labels[name].get(code, code), [housing[part][key].get(code, 0) for part, _ in parts]
            )
            for code in codes
        ]
        total = [housing[part]["units"] for part, _ in parts]
        tables[key] = Table(
            f"parc-{name}",
            caption,
            [header for _, header in parts],
            rows,
            total,
            first_column="Typologie" if name == "typology" else "Secteur",
        )
    return tables


def headline_table(report):
    """Present / entries / exits, households and persons, this period and the previous one."""
    previous = report["previous"]
    rows = []
    for section, name in (
        ("present", "Présents en fin de période"),
        ("entries", "Entrées"),
        ("exits", "Sorties"),
    ):
        for key, unit in (("households", "ménages"), ("persons", "personnes")):
            now = report[section][key]
            before = previous[section][key]
            rows.append(Row(f"{name} – {unit}", [before, now, signed(now - before)]))
    start, end = report["period"]["start"], report["period"]["end"]
    previous_start = compute.one_year_earlier(datetime.date.fromisoformat(start))
    previous_end = compute.one_year_earlier(datetime.date.fromisoformat(end))
    return Table(
        "chiffres-cles",
        "Chiffres clés : période précédente (un an plus tôt) et période du rapport",
        [
            f"Période précédente ({period(_iso_day(previous_start), _iso_day(previous_end))})",
            f"Période du rapport ({period(_iso_day(start), _iso_day(end))})",
            "Évolution",
        ],
        rows,
        None,
        first_column="Indicateur",
    )


def build_tables(report, labels):
    housing, present, entries, exits = (
        report["housing"],
        report["present"],
        report["entries"],
        report["exits"],
    )
    end = french_date(report["period"]["end"])
    tables = {"headline": headline_table(report)}
    stock = Table(
        "parc-synthese",
        "Parc de logements sur la période",
        ["Nombre"],
        [
            Row("Logements captés pendant la période", [housing["captured"]["units"]]),
            Row(f"Logements vacants au {end}", [housing["vacant_at_end"]["units"]]),
            Row(f"Logements occupés au {end}", [housing["occupied_at_end"]["units"]]),
            Row("Logements restitués pendant la période", [housing["returned"]["units"]]),
            Row("dont bail glissé", [housing["returned"]["lease_transferred"]]),
            Row("Taux d'occupation", [percent(housing["occupancy_rate"])]),
            Row(
                "Nombre moyen de logements (logements-jours / jours de la période)",
                [french_number(housing["average_units"], 2)],
            ),
        ],
        None,
        first_column="Indicateur",
    )
    tables["stock"] = stock
    tables.update({f"stock_{k}": v for k, v in _stock_tables(housing, labels).items()})

    tables["present_figures"] = Table(
        "presents-chiffres",
        f"Ménages et personnes présents au {end}",
        ["Nombre"],
        [
            Row("Ménages", [present["households"]]),
            Row("Personnes", [present["persons"]]),
            Row("Adultes", [present["adults"]]),
            Row("Enfants", [present["children"]]),
            Row("dont enfants majeurs", [present["adult_children"]]),
            Row("Ménages en accompagnement renforcé", [present["reinforced_support"]]),
            Row("Ménages en procédure d'expulsion", [present["eviction_procedure"]]),
        ],
        first_column="Indicateur",
    )
    for key, value in _people_tables("present", present, labels, f"au {end}").items():
        tables[f"present_{key}"] = value
    tables["present_length"] = _simple_table(
        "presents-duree",
        f"Durée de séjour des ménages présents au {end} "
        f"(moyenne : {french_number(present['length_of_stay']['mean_months'])} mois)",
        present["length_of_stay"]["bands"],
        labels["present_stay"],
    )
    tables["present_length"].first_column = "Durée de séjour"

    tables["entries_figures"] = Table(
        "entrees-chiffres",
        "Entrées pendant la période",
        ["Nombre"],
        [
            Row("Ménages entrés", [entries["households"]]),
            Row("Personnes à l'entrée", [entries["persons_at_entry"]]),
            Row("Personnes arrivées en cours de séjour", [entries["persons_joined"]]),
            Row("dont naissances", [entries["births"]]),
            Row("Personnes (total)", [entries["persons"]]),
        ],
        first_column="Indicateur",
    )
    for key, value in _people_tables("entries", entries, labels, "à l'entrée").items():
        tables[f"entries_{key}"] = value

    tables["exits_figures"] = Table(
        "sorties-chiffres",
        "Sorties pendant la période",
        ["Nombre"],
        [
            Row("Ménages sortis", [exits["households"]]),
            Row("Personnes à la sortie", [exits["persons"]]),
        ],
        first_column="Indicateur",
    )
    for key, value in _people_tables("exits", exits, labels, "à la sortie").items():
        tables[f"exits_{key}"] = value
    tables["exits_length"] = _simple_table(
        "sorties-duree",
        "Durée de séjour des ménages sortis "
        f"(moyenne : {french_number(exits['length_of_stay']['mean_months'])} mois)",
        exits["length_of_stay"]["bands"],
        labels["exit_stay"],
    )
    tables["exits_length"].first_column = "Durée de séjour"
    tables["exits_destinations"] = _columns_table(
        "sorties-destinations",
        "Destination des ménages sortis",
        exits["destinations"],
        labels["destinations"],
        [
            ("households", "Ménages"),
            ("lease_transferred", "dont bail glissé"),
            ("reinforced_support", "dont accompagnement renforcé"),
        ],
    )
    tables["exits_destinations"].first_column = "Destination"
    tables["missing"] = _simple_table(
        "donnees-manquantes",
        "Données manquantes parmi les ménages et personnes comptés",
        report["missing"],
        labels["missing"],
        column="Nombre",
    )
    tables["missing"].total = None
    tables["missing"].first_column = "Donnée"
    if report.get("tenancy") is not None:
        tables.update(tenancy_tables(report["tenancy"], end))
    return tables


# ---------------------------------------------------------------- charts


def months_of(start, end):
    """The calendar months of [start, end], each cut to the period: [(label, first, last)]."""
    names = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    months = []
    first = start
    while first <= end:
        following = (first.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        last = min(end, following - datetime.timedelta(days=1))
        months.append((f"{names[first.month - 1]} {first.year}", first, last))
        first = following
    return months


def monthly_occupancy(facts, start, end):
    """[(month label, occupancy rate or None)] from the facts already loaded."""
    index = compute.index_of(facts)
    return [
        (label, compute._housing(index, first, last)["occupancy_rate"])
        for label, first, last in months_of(start, end)
    ]


def _chart_of_table(chart_id, title, table, column=0, **options):
    items = [(row.label, row.values[column]) for row in table.rows]
    return Chart(
        chart_id, title, bar_chart(f"graphique-{chart_id}", title, items, **options), table
    )


def chart_data(facts, start, end):
    """The monthly figures of the charts, as plain JSON values: `occupancy` [(month label,
    rate or None)], `collection` [(month label, called, collected as text, rate or None)]
    when the report has a tenancy section (else None)."""
    data = {"occupancy": [list(month) for month in monthly_occupancy(facts, start, end)]}
    tenancy = getattr(facts, "tenancy", None)
    data["collection"] = (
        None
        if tenancy is None
        else [
            [label, str(called), str(collected), rate]
            for label, called, collected, rate in tenancy_figures.monthly_collection(
                tenancy, months_of(start, end)
            )
        ]
    )
    return data


def build_charts(report, tables, facts=None, charts=None):
    start = datetime.date.fromisoformat(report["period"]["start"])
    end = datetime.date.fromisoformat(report["period"]["end"])
    if charts is None:
        if facts is None:
            from .facts import load_facts

            facts = load_facts(
                report["scope"]["organisation"], report["scope"]["programmes"], start, end
            )
        charts = chart_data(facts, start, end)
    monthly = [(label, rate) for label, rate in charts["occupancy"]]
    occupancy_table = Table(
        "parc-occupation-mois",
        "Taux d'occupation par mois",
        ["Taux d'occupation"],
        [Row(label, [percent(rate)]) for label, rate in monthly],
        None,
        first_column="Mois",
    )
    end_text = french_date(end)
    built = {}
    if charts["collection"] is not None:
        built["collection"] = collection_chart(charts["collection"])
    return built | {
        "occupancy": Chart(
            "occupation-mois",
            "Taux d'occupation du parc par mois",
            bar_chart(
                "graphique-occupation-mois",
                "Taux d'occupation du parc par mois",
                [(label, rate) for label, rate in monthly],
                max_value=1,
                value_text=percent,
            ),
            occupancy_table,
        ),
        "composition": _chart_of_table(
            "presents-composition",
            f"Composition des ménages présents au {end_text}",
            tables["present_composition"],
        ),
        "age_bands": _chart_of_table(
            "presents-ages",
            f"Personnes présentes au {end_text} par tranche d'âge",
            tables["present_age_bands"],
        ),
        "present_length": _chart_of_table(
            "presents-duree",
            f"Durée de séjour des ménages présents au {end_text}",
            tables["present_length"],
        ),
        "exits_length": _chart_of_table(
            "sorties-duree", "Durée de séjour des ménages sortis", tables["exits_length"]
        ),
        "destinations": _chart_of_table(
            "sorties-destinations",
            "Destination des ménages sortis",
            tables["exits_destinations"],
        ),
    }


def report_context(report, facts=None, charts=None):
    """The context of `reports/_report_body.html` (see the module docstring)."""
    labels = build_labels(report)
    tables = build_tables(report, labels)
    checks = [
        {"name": check["name"], "label": check_label(check["name"]), "ok": check["ok"]}
        for check in report["checks"]
    ]
    labels["checks"] = checks
    labels["period"] = {
        "start": french_date(report["period"]["start"]),
        "end": french_date(report["period"]["end"]),
        "text": period(_iso_day(report["period"]["start"]), _iso_day(report["period"]["end"])),
    }
    labels["organisation"] = organisation_name(report["scope"]["organisation"])
    labels["programmes"] = programme_names(
        report["scope"]["organisation"], report["scope"]["programmes"]
    )
    labels["occupancy_rate"] = percent(report["housing"]["occupancy_rate"])
    return {
        "report": report,
        "labels": labels,
        "tables": tables,
        "charts": build_charts(report, tables, facts, charts),
        "support_tables": support_tables(report["support"]) if "support" in report else (),
        "outcomes_tables": outcomes_tables(report["outcomes"]) if "outcomes" in report else (),
    }


# ---------------------------------------------------------------- missing data, by name


@dataclass
class MissingHousehold:
    household_id: int
    uuid: str = ""
    ref: str = ""
    problems: list = field(default_factory=list)


# What each code of `missing_problems` says, after the person's name when it has one.
MISSING_TEXTS = {
    "sex": "sexe non renseigné",
    "birth_date": "date de naissance non renseignée",
    "legal_status": "situation administrative inconnue",
    "resources": "ressources non renseignées à la date du rapport",
    "prior_situation": "situation avant l'accueil non renseignée",
}


def missing_problems(facts, start, end):
    """Who misses what among the households and persons the report counts: [(household id,
    [(person id or None, code of `MISSING_TEXTS`)])], in the order of the households'
    references. Same counting as `compute` (present at end, entries, exits of [start,
    end]), no query: the households' references are among the facts."""
    index = compute.index_of(facts)
    counted = compute._Counted()
    compute._present(index, end, counted)
    compute._entries(index, start, end, counted)
    compute._exits(index, start, end, counted)
    by_household = {}

    def problem(household_id, person_id, code):
        by_household.setdefault(household_id, []).append((person_id, code))

    for pid, member in counted.persons.items():
        if member.sex not in ("F", "M", "X"):
            problem(member.household_id, pid, "sex")
        if member.birth_date is None:
            problem(member.household_id, pid, "birth_date")
        if pid in counted.unknown_status:
            problem(member.household_id, pid, "legal_status")
    for household_id in counted.unknown_resources:
        problem(household_id, None, "resources")
    for household_id in counted.households:
        household = index.households.get(household_id)
        prior = household.prior_situation if household else ""
        if prior not in compute.PRIOR_SITUATIONS or prior == "unknown":
            problem(household_id, None, "prior_situation")

    def ref(household_id):
        household = index.households.get(household_id)
        return household.ref if household else ""

    return [
        (household_id, by_household[household_id]) for household_id in sorted(by_household, key=ref)
    ]


def missing_households(problems):
    """`missing_problems` (or a page of it) named: [MissingHousehold], one query for the
    households' references and one for the persons' names."""
    from seuil.households.models import Household, Person

    person_ids = {pid for _, lines in problems for pid, _ in lines if pid is not None}
    names = {
        pk: (f"{first} {last}".strip() or ref)
        for pk, first, last, ref in Person.objects.filter(pk__in=person_ids).values_list(
            "pk", "first_name", "last_name", "ref"
        )
    }
    households = {
        pk: (str(uuid), ref)
        for pk, uuid, ref in Household.objects.filter(
            pk__in=[household_id for household_id, _ in problems]
        ).values_list("pk", "uuid", "ref")
    }
    named = []
    for household_id, lines in problems:
        uuid, ref = households.get(household_id, ("", ""))
        entry = MissingHousehold(household_id, uuid, ref)
        for person_id, code in lines:
            text = MISSING_TEXTS[code]
            if person_id is not None:
                text = f"{names.get(person_id, '')} : {text}"
            if text not in entry.problems:
                entry.problems.append(text)
        named.append(entry)
    return named


def missing_details(facts, start, end):
    """Who misses what among the households and persons the report counts, by household,
    named (`missing_problems`, then `missing_households`)."""
    return missing_households(missing_problems(facts, start, end))


def orientation_tables(section):
    """The `orientation` section as two tables: its figures, and the refusals by reason."""
    figures = Table(
        "orientation-synthese",
        "Demandes, commissions, listes d'attente et vacances sur la période",
        ["Nombre"],
        [Row(label, [value]) for label, value in orientation_figures.figure_rows(section)],
        first_column="Indicateur",
    )
    refusals = Table(
        "orientation-refus",
        "Refus en commission par motif",
        ["Refus"],
        [Row(label, [count]) for label, count in orientation_figures.refusal_rows(section)],
        [section["refused"]],
        first_column="Motif",
    )
    return figures, refusals


def tenancy_tables(section, end):
    """The `tenancy` section as tables: its figures, the arrears by age, the inspections
    (keys `tenancy_figures`, `tenancy_arrears`, `tenancy_inspections`)."""
    arrears = section["arrears_at_end"]
    return {
        "tenancy_figures": Table(
            "gestion-locative-synthese",
            "Sous-locations, loyers appelés et encaissés, impayés et échéanciers",
            ["Valeur"],
            [Row(label, [value]) for label, value in tenancy_figures.figure_rows(section, end)],
            first_column="Indicateur",
        ),
        "tenancy_arrears": Table(
            "gestion-locative-impayes",
            f"Impayés au {end} par ancienneté (une sous-location comptée à l'âge de son plus "
            "ancien loyer impayé ; montants à l'âge de chaque loyer)",
            ["Sous-locations", "Montant (€)"],
            [
                Row(label, [count, amount])
                for label, count, amount in tenancy_figures.age_rows(section)
            ],
            [arrears["sub_leases"], tenancy_figures.french_amount(arrears["amount"])],
            first_column="Ancienneté",
        ),
        "tenancy_inspections": Table(
            "gestion-locative-etats-des-lieux",
            "États des lieux faits pendant la période",
            ["Nombre"],
            [Row(label, [count]) for label, count in tenancy_figures.inspection_rows(section)],
            [sum(section["inspections"].values())],
            first_column="Type",
        ),
    }


def collection_chart(monthly):
    """The monthly collection rate (collected / called) as a chart and its data table, from
    the `collection` rows of `chart_data`."""
    rows = [
        (label, Decimal(called), Decimal(collected), rate)
        for label, called, collected, rate in monthly
    ]
    table = Table(
        "gestion-locative-encaissement-mois",
        "Loyers appelés et encaissés par mois",
        ["Appelé (€)", "Encaissé (€)", "Taux d'encaissement"],
        [
            Row(
                label,
                [
                    tenancy_figures.french_amount(called),
                    tenancy_figures.french_amount(collected),
                    percent(rate),
                ],
            )
            for label, called, collected, rate in rows
        ],
        None,
        first_column="Mois",
    )
    rates = [rate for _, _, _, rate in rows]
    title = "Taux d'encaissement des loyers par mois"
    return Chart(
        "encaissement-mois",
        title,
        bar_chart(
            "graphique-encaissement-mois",
            title,
            [(label, rate) for label, _, _, rate in rows],
            max_value=max([1, *(r for r in rates if r is not None)]),
            value_text=percent,
        ),
        table,
    )


def _figure(value):
    """A count as it is, a mean in French with one decimal, "non calculable" for none."""
    if value is None:
        return "non calculable"
    return french_number(value, 1) if isinstance(value, float) else value


def support_tables(section):
    """The `support` section as four tables: its figures, the contacts by kind, the
    objectives set by domain and closed by outcome."""
    objectives = section["objectives"]
    return (
        Table(
            "accompagnement-synthese",
            "Contrats d'accompagnement, avenants et visites sur la période",
            ["Nombre"],
            [Row(label, [_figure(value)]) for label, value in support_figures.figure_rows(section)],
            first_column="Indicateur",
        ),
        Table(
            "accompagnement-contacts",
            "Contacts avec les ménages présents, par type",
            ["Contacts"],
            [Row(label, [count]) for label, count in support_figures.contact_rows(section)],
            [sum(section["contacts"].values())],
            first_column="Type de contact",
        ),
        Table(
            "accompagnement-objectifs-fixes",
            "Objectifs d'accompagnement fixés sur la période, par domaine",
            ["Objectifs"],
            [Row(label, [count]) for label, count in support_figures.objective_set_rows(section)],
            [sum(objectives["set"].values())],
            first_column="Domaine",
        ),
        Table(
            "accompagnement-objectifs-clos",
            "Objectifs d'accompagnement clos sur la période, par résultat",
            ["Objectifs"],
            [
                Row(label, [count])
                for label, count in support_figures.objective_closed_rows(section)
            ],
            [sum(objectives["closed"].values())],
            first_column="Résultat",
        ),
    )


def outcomes_tables(section):
    """The `outcomes` section as one table: the 12-month cohort and what became of it."""
    return (
        Table(
            "apres-la-sortie",
            "Douze mois après une sortie vers un logement",
            ["Ménages"],
            [Row(label, [value]) for label, value in outcomes_figures.figure_rows(section)],
            first_column="Indicateur",
        ),
    )
