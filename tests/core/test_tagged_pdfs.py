"""Every kind of PDF Seuil prints is a tagged PDF/UA document a screen reader can follow:
marked content with a structure tree, the language (fr), a title shown by the reader,
headings, tables with header cells, charts with an alternative text."""

import datetime

import pytest

from seuil.core.pdf import PdfDocumentError, print_pdf
from seuil.orientation.minutes import render_minutes
from seuil.privacy.subject_access import export_person
from seuil.reports.facts import activity_report, load_facts
from seuil.reports.render import render
from seuil.support.documents import render_contract
from seuil.support.documents import render_minutes as render_support_minutes
from tests.pdf_structure import read_structure
from tests.test_every_url_is_scoped import data_of_a  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def assert_accessible(content, title):
    pdf = read_structure(content)
    assert pdf.title.startswith(title)
    assert pdf.lang == "fr"
    assert pdf.tagged and pdf.marked and pdf.has_struct_tree
    assert pdf.displays_title  # readers show the title, not the file name
    tags = pdf.tags()
    assert tags.count("H1") == 1 and "H2" in tags
    return pdf, tags


def assert_tables_have_headers(tags):
    assert "Table" in tags
    assert tags.count("TH") >= tags.count("Table")


def test_the_activity_report_with_its_charts(org_a, data_of_a):  # noqa: F811
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
    facts = load_facts(org_a.ref, [], start, end)
    report = activity_report(org_a.ref, [], start, end)
    content, _, _ = render(report, "pdf", facts=facts)
    pdf, tags = assert_accessible(content, "Rapport d'activité – Association A – ")
    assert "2024" in pdf.title
    assert_tables_have_headers(tags)
    # Each chart is a figure named by its title (its figures are in the table after it).
    assert tags.count("Figure") >= 6
    assert len(pdf.figure_alts) == tags.count("Figure")
    assert all(alt.strip() for alt in pdf.figure_alts)


def test_the_commission_minutes(data_of_a):  # noqa: F811
    meeting = data_of_a["meeting"]
    _, tags = assert_accessible(render_minutes(meeting), f"Procès-verbal de la {meeting}")
    assert_tables_have_headers(tags)


def test_the_minutes_of_a_coordination_cell(data_of_a):  # noqa: F811
    meeting = data_of_a["support_meeting"]
    households = [item.household for item in meeting.agenda_items.all()]
    content = render_support_minutes(meeting, households)
    assert_accessible(content, "Compte rendu : cellule de coordination du ")


def test_the_right_of_access_document(data_of_a):  # noqa: F811
    content, _, _ = export_person(data_of_a["person"], "pdf")
    _, tags = assert_accessible(content, "Droit d'accès – Zénobie Q'Secret")
    assert_tables_have_headers(tags)


def test_the_support_contract(data_of_a):  # noqa: F811
    contract = data_of_a["support_contract"]
    _, tags = assert_accessible(render_contract(contract), "Contrat d'accompagnement C-SECRET")
    assert_tables_have_headers(tags)


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Sans langue</title></head><body><h1>x</h1></body></html>",
        '<html lang="fr"><head><title> </title></head><body><h1>x</h1></body></html>',
    ],
    ids=["no language", "empty title"],
)
def test_a_document_without_language_or_title_is_refused(html):
    with pytest.raises(PdfDocumentError):
        print_pdf(html)
