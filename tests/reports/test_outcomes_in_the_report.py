"""The `outcomes` section from the database: an organisation's file imported, then its
activity report in JSON and in every format (HTML, XLSX, DOCX, PDF)."""

import io
import shutil
import subprocess

import docx
import openpyxl
import pytest

from seuil.exchange.importer import import_exchange
from seuil.reports.facts import activity_report
from seuil.reports.render import render

D = __import__("datetime").date
START, END = D(2024, 11, 1), D(2025, 10, 31)


def unit(ref, programme):
    return {"ref": ref, "programme": programme, "typology": "T2", "captured_on": "2021-01-01"}


def household(ref):
    return {"ref": ref, "members": [{"ref": f"{ref}-P", "role": "head", "sex": "F"}]}


def stay(ref, household_ref, unit_ref, programme, entered_on, exited_on=None, **fields):
    return {
        "ref": ref,
        "household": household_ref,
        "unit": unit_ref,
        "programme": programme,
        "entered_on": entered_on,
        "exited_on": exited_on,
        **fields,
    }


def follow_up(ref, stay_ref, on, housed):
    return {"ref": ref, "stay": stay_ref, "on": on, "housed": housed}


FILE = {
    "format": "seuil-exchange/1",
    "organisation": {"ref": "suivi", "name": "Association Suivi", "kind": "operator"},
    "programmes": [{"ref": "iml-r", "name": "IML Réfugiés"}, {"ref": "asg", "name": "ASG"}],
    "housing_units": [
        unit("L1", "iml-r"),
        unit("L2", "iml-r"),
        unit("L3", "asg"),
        unit("L4", "iml-r"),
        unit("L5", "asg"),
    ],
    "households": [household("M1"), household("M2"), household("M3"), household("M4")],
    "stays": [
        # 12 months on 2025-03-01; two follow-ups 9 days away each: the later (not housed).
        stay(
            "S1",
            "M1",
            "L1",
            "iml-r",
            "2022-01-01",
            "2024-03-01",
            exit_destination="social_landlord",
        ),
        # 12 months on 2025-06-01: a follow-up that day (not known), and a return that day.
        stay(
            "S2",
            "M2",
            "L2",
            "iml-r",
            "2022-01-01",
            "2024-06-01",
            exit_destination="private_landlord",
        ),
        # The lease slid: to housing, whatever the destination says; 12 months on 2025-01-09.
        stay("S3", "M3", "L3", "asg", "2022-01-01", "2024-01-10", lease_transferred=True),
        # To a shelter: not in the cohort.
        stay("S4", "M4", "L4", "iml-r", "2022-01-01", "2024-05-01", exit_destination="shelter"),
        stay("S5", "M2", "L5", "asg", "2025-06-01"),
    ],
    "follow_ups": [
        follow_up("F1", "S1", "2024-09-01", True),  # six months: outside the 12-month window
        follow_up("F2", "S1", "2025-02-20", True),
        follow_up("F3", "S1", "2025-03-10", False),
        follow_up("F4", "S2", "2025-06-01", None),
        follow_up("F5", "S4", "2025-05-01", True),
    ],
}


@pytest.fixture
def report(db):
    import_exchange(FILE)
    return activity_report("suivi", [], START, END)


def test_the_section_counts_the_organisations_cohort(report):
    assert report["outcomes"] == {
        "cohort": 3,
        "followed_up": 2,
        "housed": 0,
        "not_housed": 1,
        "returned": 1,
    }


def test_a_programme_keeps_its_own_exits_and_a_return_anywhere_in_the_organisation(report):
    assert activity_report("suivi", ["iml-r"], START, END)["outcomes"] == {
        "cohort": 2,
        "followed_up": 2,
        "housed": 0,
        "not_housed": 1,
        "returned": 1,
    }
    assert activity_report("suivi", ["asg"], START, END)["outcomes"]["cohort"] == 1


LABEL = "Ménages sortis vers un logement il y a un an (cohorte à 12 mois)"


def test_every_format_shows_the_section(report, tmp_path):
    html = render(report, "html")[0].decode()
    assert "Après la sortie" in html and 'id="tableau-apres-la-sortie"' in html
    assert LABEL in html

    workbook = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")[0]))
    rows = {row[0]: row[1] for row in workbook["Après la sortie"].iter_rows(values_only=True)}
    assert rows[LABEL] == 3 and rows["dont plus logés"] == 1

    document = docx.Document(io.BytesIO(render(report, "docx")[0]))
    assert "Après la sortie" in [p.text for p in document.paragraphs]
    table = next(t for t in document.tables if t.cell(1, 0).text == LABEL)
    assert table.cell(1, 1).text == "3"

    pdf = render(report, "pdf")[0]
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "Après la sortie" in text and "dont revenus" in text
