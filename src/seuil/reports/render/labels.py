"""What the downloaded documents add to the page's labels and tables (`presentation.py`).

The French labels of every code and the tables themselves come from
`presentation.build_labels` / `presentation.build_tables`; this module only names the
document (title, scope, file name), groups the tables into sheets (XLSX) and sections
(DOCX), and lists the narrative sections the operator writes.
"""

import datetime
import re
import unicodedata

from seuil.core.wording import agreement, period

from .. import presentation
from ..presentation import build_labels, build_tables, check_label, french_date

__all__ = [
    "CHECK_STATUS",
    "DOCX_SECTIONS",
    "NARRATIVE_PLACEHOLDER",
    "NARRATIVE_SECTIONS",
    "SHEETS",
    "build_labels",
    "build_tables",
    "check_label",
    "document_title",
    "filename",
    "french_date",
    "organisation_name",
    "period_label",
    "scope_label",
]

CHECK_STATUS = {True: "Vérifié", False: "Écart"}

# XLSX: one sheet per table (sheet names: 31 characters at most).
SHEETS = [
    ("Parc", ["stock", "stock_by_typology", "stock_by_sector"]),
    ("Présents – chiffres clés", ["present_figures"]),
    ("Présents – composition", ["present_composition"]),
    ("Présents – statut", ["present_legal_status"]),
    ("Présents – âges", ["present_age_bands"]),
    ("Présents – ressources", ["present_resources", "present_resource_types"]),
    ("Présents – situation antérieure", ["present_prior_situation"]),
    ("Présents – durée", ["present_length"]),
    ("Entrées – chiffres clés", ["entries_figures"]),
    ("Entrées – composition", ["entries_composition"]),
    ("Entrées – statut", ["entries_legal_status"]),
    ("Entrées – âges", ["entries_age_bands"]),
    ("Entrées – ressources", ["entries_resources", "entries_resource_types"]),
    ("Entrées – situation antérieure", ["entries_prior_situation"]),
    ("Sorties – chiffres clés", ["exits_figures"]),
    ("Sorties – composition", ["exits_composition"]),
    ("Sorties – statut", ["exits_legal_status"]),
    ("Sorties – âges", ["exits_age_bands"]),
    ("Sorties – durée", ["exits_length"]),
    ("Sorties – destinations", ["exits_destinations"]),
    ("Gestion locative", ["tenancy_figures", "tenancy_arrears", "tenancy_inspections"]),
    ("Comparaison N-1", ["headline"]),
    ("Données manquantes", ["missing"]),
]

# DOCX: (heading, table keys, chart keys) — charts drawn from the tables of the same name.
DOCX_SECTIONS = [
    ("Parc de logements", ["stock", "stock_by_typology", "stock_by_sector"], ["occupancy"]),
    (
        "Ménages présents",
        [
            "present_figures",
            "present_composition",
            "present_legal_status",
            "present_age_bands",
            "present_resources",
            "present_resource_types",
            "present_prior_situation",
            "present_length",
        ],
        ["present_composition", "present_age_bands", "present_length"],
    ),
    (
        "Entrées",
        [
            "entries_figures",
            "entries_composition",
            "entries_legal_status",
            "entries_age_bands",
            "entries_resources",
            "entries_resource_types",
            "entries_prior_situation",
        ],
        [],
    ),
    (
        "Sorties",
        [
            "exits_figures",
            "exits_composition",
            "exits_legal_status",
            "exits_age_bands",
            "exits_length",
            "exits_destinations",
        ],
        ["exits_length", "exits_destinations"],
    ),
    ("Comparaison avec l'année précédente", ["headline"], []),
    ("Données manquantes", ["missing"], []),
]

NARRATIVE_SECTIONS = ["Faits marquants de l'année", "Partenariats", "Perspectives"]
NARRATIVE_PLACEHOLDER = "[À compléter]"


def organisation_name(report):
    """The organisation's name (one query), or its reference when it is not found."""
    return presentation.organisation_name(report["scope"]["organisation"])


def period_label(report):
    """« 1er novembre 2025 – 31 octobre 2026 » (`seuil.core.wording.period`)."""
    dates = report["period"]
    return period(
        datetime.date.fromisoformat(dates["start"]), datetime.date.fromisoformat(dates["end"])
    )


def scope_label(report):
    scope = report["scope"]
    programmes = presentation.programme_names(scope["organisation"], scope["programmes"])
    if not programmes:
        return "Périmètre : tous les dispositifs de l'organisation"
    return f"{agreement(len(programmes), 'Dispositif')} : " + ", ".join(programmes)


def document_title(report, name=None):
    name = name or organisation_name(report)
    return f"Rapport d'activité – {name} – {period_label(report)}"


def _slug(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "organisation"


def filename(report, extension):
    period = report["period"]
    organisation = _slug(report["scope"]["organisation"])
    return f"rapport-activite-{organisation}-{period['start']}-{period['end']}.{extension}"
