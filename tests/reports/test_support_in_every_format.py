"""The `support` section in the JSON report and in every download format (HTML, PDF, XLSX,
DOCX), on the rich exchange file."""

import datetime
import io

import docx
import openpyxl
import pytest

from seuil.exchange.importer import import_exchange
from seuil.reports.facts import activity_report
from seuil.reports.render import render
from tests.exchange.samples import rich

pytestmark = pytest.mark.django_db
START, END = datetime.date(2023, 11, 1), datetime.date(2024, 10, 31)


@pytest.fixture
def report():
    import_exchange(rich())
    return activity_report("apremis", [], START, END)


def test_the_json_section(report):
    support = report["support"]
    assert support["contracts_signed"] == 1  # C01, 16 days after the entry
    assert support["amendments_signed"] == 1  # C01-1; C01-2 is signed after the end
    assert support["mean_days_entry_to_contract"] == 16.0
    assert support["contracts_signed_late"] == 0
    assert support["present_without_contract"] == 1  # M02, housed without a contract
    assert support["contacts"]["home_visit"] == 1
    assert support["contacts"]["joint_home_visit"] == 1
    assert support["contacts"]["office_appointment"] == 0  # K03 is of 2021
    assert support["households_visited_at_home"] == 1
    assert support["objectives"]["set"]["budget"] == 1
    assert sum(support["objectives"]["closed"].values()) == 0
    assert all(check["ok"] for check in report["checks"])


def test_html_and_pdf(report):
    html = render(report, "html")[0].decode()
    assert "Accompagnement" in html
    assert 'id="tableau-accompagnement-contacts"' in html
    assert "la signature du contrat (jours)" in html
    assert "16,0" in html
    assert "Visite à domicile conjointe (avec le régisseur)" in html
    content, content_type, _ = render(report, "pdf")
    assert content.startswith(b"%PDF") and content_type == "application/pdf"


def test_xlsx(report):
    workbook = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")[0]))
    rows = {row[0]: row[1] for row in workbook["Accompagnement"].iter_rows(values_only=True)}
    assert rows["Contrats d'accompagnement signés"] == 1
    assert rows["Délai moyen de l'entrée à la signature du contrat (jours)"] == 16.0
    assert rows["Ménages présents en fin de période sans contrat en cours"] == 1
    assert rows["Budget"] == 1


def test_docx(report):
    document = docx.Document(io.BytesIO(render(report, "docx")[0]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Accompagnement" in headings
    cells = {
        table.rows[i].cells[0].text: table.rows[i].cells[1].text
        for table in document.tables
        for i in range(len(table.rows))
    }
    assert cells["Avenants signés"] == "1"
    assert cells["Ménages rencontrés à domicile"] == "1"
