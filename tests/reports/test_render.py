"""The activity report as XLSX, DOCX, HTML and PDF documents, and through `seuil report`."""

import datetime
import io
import re
import shutil
import subprocess
import zipfile

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from seuil.housing.models import EvictionProcedure, Sector
from seuil.reports.facts import activity_report
from seuil.reports.render import render
from seuil.reports.render.labels import NARRATIVE_PLACEHOLDER, NARRATIVE_SECTIONS, SHEETS
from seuil.reports.render.xlsx import safe_text
from tests.core.factories import OrganisationFactory
from tests.households.factories import (
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

D = datetime.date
START, END = D(2023, 11, 1), D(2024, 10, 31)
# A sector whose name a spreadsheet would read as a formula.
EVIL_SECTOR = '=HYPERLINK("http://exemple.invalid";"cliquez")'


@pytest.fixture
def report(db):
    """A small operator: 3 lettable units, 3 households (one left for a social tenancy)."""
    org = OrganisationFactory(ref="apremis", name="APREMIS")
    iml = ProgrammeFactory(organisation=org, ref="iml-r")
    nord = Sector.objects.create(organisation=org, ref="nord", name="Nord")
    Sector.objects.create(organisation=org, ref="sud", name=EVIL_SECTOR)
    flat = HousingUnitFactory(organisation=org, programme=iml, typology="T4", sector=nord)
    room = HousingUnitFactory(organisation=org, programme=iml, typology="room", parent=flat)
    HousingUnitFactory(organisation=org, programme=iml, typology="room", parent=flat)
    t3 = HousingUnitFactory(
        organisation=org,
        programme=iml,
        typology="T3",
        sector=nord,
        captured_on=D(2023, 12, 1),
        returned_on=D(2024, 10, 31),
    )
    alone = HouseholdFactory(organisation=org, prior_situation="street_or_115")
    head = MembershipFactory(household=alone, role="head", person__sex="F").person
    LegalStatusRecordFactory(person=head, since=D(2021, 6, 1), status="refugee")
    ResourceRecordFactory(household=alone, on=D(2023, 1, 1), types=["rsa"])
    StayFactory(household=alone, unit=room, programme=iml, entered_on=D(2023, 3, 1))
    family = HouseholdFactory(organisation=org, prior_situation="")
    MembershipFactory(household=family, role="head", person__sex="M")
    MembershipFactory(household=family, role="partner", person__birth_date=D(1990, 1, 1))
    MembershipFactory(
        household=family,
        role="child",
        person__birth_date=D(2024, 5, 2),
        person__sex="",
        joined_on=D(2024, 5, 2),
        joined_reason="birth",
    )
    family_stay = StayFactory(
        household=family,
        unit=t3,
        programme=iml,
        entered_on=D(2023, 12, 15),
        exited_on=D(2024, 10, 31),
        exit_destination="social_landlord",
        lease_transferred=True,
        support_intensity="reinforced",
    )
    EvictionProcedure.objects.create(stay=family_stay, started_on=D(2024, 2, 1))
    other = HouseholdFactory(organisation=org)
    MembershipFactory(household=other, role="head")
    StayFactory(household=other, programme=None, entered_on=D(2024, 1, 1))
    return activity_report("apremis", [], START, END)


# ------------------------------------------------------------------ formula injection


@pytest.mark.parametrize("text", ["=1+1", "+33 6 00", "-2", "@SUM(A1)", "\t=1"])
def test_text_that_a_spreadsheet_would_compute_gets_an_apostrophe(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("value", ["Nord", "Femme seule", "", "1 = 1", 3, None, 0.5])
def test_other_values_are_left_as_they_are(value):
    assert safe_text(value) == value


# ------------------------------------------------------------------ XLSX


def open_workbook(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def rows_of(sheet):
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def row_labelled(sheet, label):
    for row in sheet.iter_rows(values_only=True):
        if row[0] == label:
            return row
    raise AssertionError(f"no row « {label} » in sheet « {sheet.title} »")


def test_the_workbook_has_one_sheet_per_table_with_the_figures_of_the_report(report):
    content, content_type, filename = render(report, "xlsx")
    assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert filename == "rapport-activite-apremis-2023-11-01-2024-10-31.xlsx"
    workbook = open_workbook(content)
    assert workbook.sheetnames == [name for name, _ in SHEETS] + [
        "Orientation",
        "Accompagnement",
        "Après la sortie",
        "Contrôles",
    ]
    parc = workbook["Parc"]
    assert parc["A1"].value == "Rapport d'activité – APREMIS – 1er novembre 2023 – 31 octobre 2024"
    assert parc["A1"].font.bold
    rate = row_labelled(parc, "Taux d'occupation")[1]
    assert rate == report["housing"]["occupancy_rate"]
    rate_cell = next(c for row in parc.iter_rows() for c in row if c.value == rate)
    assert "%" in rate_cell.number_format
    assert row_labelled(parc, "Logements restitués pendant la période")[1] == 1
    assert row_labelled(parc, "Chambre")[1:5] == (0, 1, 1, 0)

    figures = workbook["Présents – chiffres clés"]
    assert row_labelled(figures, "Ménages")[1] == report["present"]["households"]
    assert row_labelled(figures, "Personnes")[1] == report["present"]["persons"]
    composition = workbook["Présents – composition"]
    assert row_labelled(composition, "Femme seule")[1] == 2
    assert row_labelled(composition, "Total")[1] == report["present"]["households"]
    header = next(c for row in composition.iter_rows() for c in row if c.value == "Composition")
    assert header.font.bold
    assert composition.freeze_panes == f"B{header.row + 1}"
    assert composition._charts, "a native bar chart on the composition sheet"
    statut = workbook["Présents – statut"]
    assert row_labelled(statut, "Réfugié·e")[1:3] == (1, 1)

    exits = workbook["Sorties – destinations"]
    assert row_labelled(exits, "Logement social (bail propre)")[1:4] == (1, 1, 1)
    assert row_labelled(exits, "Total")[1] == report["exits"]["households"]
    durations = workbook["Sorties – durée"]
    assert (
        row_labelled(durations, "Durée moyenne de séjour (mois)")[1]
        == (report["exits"]["length_of_stay"]["mean_months"])
    )
    comparison = workbook["Comparaison N-1"]
    households = row_labelled(comparison, "Présents en fin de période – ménages")
    assert households[1:4] == (
        report["previous"]["present"]["households"],
        report["present"]["households"],
        report["present"]["households"] - report["previous"]["present"]["households"],
    )
    missing = workbook["Données manquantes"]
    assert row_labelled(missing, "Ménages sans situation avant l'accueil")[1] == 1
    checks = workbook["Contrôles"]
    results = [row[1] for row in rows_of(checks)[5:]]
    assert results and set(results) == {"Vérifié"}


def test_a_name_typed_in_seuil_is_never_a_formula_in_the_workbook(report):
    workbook = open_workbook(render(report, "xlsx")[0])
    parc = workbook["Parc"]
    cells = [c for row in parc.iter_rows() for c in row if isinstance(c.value, str)]
    evil = [c for c in cells if EVIL_SECTOR in c.value]
    assert evil and all(c.value == "'" + EVIL_SECTOR for c in evil)
    assert all(c.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for c in row)


# ------------------------------------------------------------------ DOCX


def test_the_word_document_has_its_sections_tables_charts_and_blank_narrative(report):
    content, content_type, filename = render(report, "docx")
    assert content_type.endswith("wordprocessingml.document")
    assert filename.endswith(".docx")
    document = docx.Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    for heading in [
        "Parc de logements",
        "Ménages présents",
        "Entrées",
        "Sorties",
        "Comparaison avec l'année précédente",
        "Données manquantes",
        *NARRATIVE_SECTIONS,
    ]:
        assert heading in headings
    texts = [p.text for p in document.paragraphs]
    assert "Rapport d'activité" in texts[0]
    assert any("APREMIS" in text for text in texts)
    assert any("1er novembre 2023 – 31 octobre 2024" in text for text in texts)
    for narrative in NARRATIVE_SECTIONS:
        following = texts[texts.index(narrative) + 1]
        assert following == NARRATIVE_PLACEHOLDER

    def table_with(first_header):
        return next(t for t in document.tables if t.cell(0, 0).text == first_header)

    destinations = table_with("Destination")
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in destinations.rows}
    assert rows["Logement social (bail propre)"] == ["1", "1", "1"]
    assert rows["Total"][0] == str(report["exits"]["households"])
    composition = table_with("Composition")
    rows = {row.cells[0].text: row.cells[1].text for row in composition.rows}
    assert rows["Femme seule"] == "2"
    assert rows["Total"] == str(report["present"]["households"])
    assert all(t.style.name == "Light Grid Accent 1" for t in document.tables)
    assert len(document.inline_shapes) >= 5
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert images and all(archive.read(n).startswith(b"\x89PNG") for n in images)


# ------------------------------------------------------------------ HTML and PDF


def test_the_html_document_is_standalone_and_holds_every_table(report):
    content, content_type, filename = render(report, "html")
    assert content_type == "text/html; charset=utf-8"
    assert filename.endswith(".html")
    html = content.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html
    assert "<style>" in html and "@page" in html
    assert "<link" not in html and "<script" not in html and "<form" not in html
    assert "APREMIS" in html and "1er novembre 2023 – 31 octobre 2024" in html
    for table_id in (
        "parc-synthese",
        "presents-chiffres",
        "presents-composition",
        "entrees-chiffres",
        "sorties-destinations",
        "donnees-manquantes",
        "chiffres-cles",
    ):
        assert f'id="tableau-{table_id}"' in html
    assert html.count("<svg") >= 5
    assert "Logement social (bail propre)" in html


def test_the_pdf_document_prints_the_html_with_its_figures(report, tmp_path):
    content, content_type, filename = render(report, "pdf")
    assert content.startswith(b"%PDF")
    assert content_type == "application/pdf"
    assert filename.endswith(".pdf")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "Rapport d'activité" in text
    assert "APREMIS" in text
    assert "69,2 %" in text  # occupancy rate
    assert re.search(r"Logement social \(bail propre\)\s+1\s+1\s+1", text)
    assert re.search(r"Ménages entrés\s+2", text)


# ------------------------------------------------------------------ the command


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "report",
        "activity",
        "--organisation",
        "apremis",
        "--start",
        START.isoformat(),
        "--end",
        END.isoformat(),
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("fmt", "magic"), [("xlsx", b"PK\x03\x04"), ("docx", b"PK\x03\x04"), ("pdf", b"%PDF")]
)
def test_the_command_writes_binary_formats_to_the_output_file(report, tmp_path, fmt, magic):
    path = tmp_path / f"rapport.{fmt}"
    out, err = run("--format", fmt, "--output", str(path))
    assert out == ""
    assert "Rapport écrit dans" in err
    assert path.read_bytes().startswith(magic)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_binary_formats_need_an_output_file(report, fmt):
    with pytest.raises(CommandError) as caught:
        run("--format", fmt)
    assert f"Le format « {fmt} » produit un fichier : indiquez où l'écrire avec --output" in str(
        caught.value
    )


def test_the_command_prints_the_html_document(report):
    out, _ = run("--format", "html")
    assert out.startswith("<!DOCTYPE html>")
    assert 'id="tableau-sorties-destinations"' in out
