"""The `tenancy` section from the database (an imported exchange file) to every format of the
activity report: JSON, the page, HTML, XLSX, DOCX."""

import datetime
import io

import docx
import lxml.html
import openpyxl
import pytest
from django.urls import reverse

from seuil.exchange.importer import import_exchange
from seuil.reports.facts import activity_report
from seuil.reports.render import render
from tests.core.factories import UserFactory
from tests.exchange.samples import rich_with_tenancy

pytestmark = pytest.mark.django_db

D = datetime.date
JANUARY = (D(2024, 1, 1), D(2024, 1, 31))


@pytest.fixture
def imported():
    import_exchange(rich_with_tenancy())


def test_the_section_counts_the_imported_rent_history(imported):
    # B01 (S01, present): 170.50 called on 5 Dec and on 5 Jan, 170.50 paid on 7 Dec.
    # B03 (S03, present until 1 Feb): 500 called on 1 Jan, 100 paid on 20 Jan.
    report = activity_report("apremis", [], *JANUARY)
    assert report["tenancy"] == {
        "sub_leases_at_end": 2,
        "called": 670.5,
        "collected": 100.0,
        "collection_rate": 0.1491,
        "arrears_at_end": {
            "sub_leases": 2,
            "amount": 570.5,
            "by_age": {
                "0-30": {"sub_leases": 2, "amount": 570.5},
                "31-60": {"sub_leases": 0, "amount": 0.0},
                "61-90": {"sub_leases": 0, "amount": 0.0},
                ">90": {"sub_leases": 0, "amount": 0.0},
            },
        },
        "credit_at_end": 0.0,
        "repayment_plans": {"agreed": 1, "active_at_end": 1},
        "inspections": {"entry": 0, "pre_exit": 0, "exit": 0},
    }
    assert all(check["ok"] for check in report["checks"])


def test_a_debt_is_still_owed_after_the_household_has_left(imported):
    # S03 exited on 1 Feb 2024: its 400 left unpaid still count, and age with time (as the
    # 170.50 of B01, whose last call is January's).
    report = activity_report("apremis", [], D(2024, 4, 1), D(2024, 4, 30))
    tenancy = report["tenancy"]
    assert tenancy["sub_leases_at_end"] == 1
    assert tenancy["arrears_at_end"]["by_age"][">90"] == {"sub_leases": 2, "amount": 570.5}
    assert tenancy["called"] == 0.0
    assert tenancy["repayment_plans"] == {"agreed": 0, "active_at_end": 0}


def test_only_the_programmes_in_scope_count(imported):
    report = activity_report("apremis", ["iml-r"], D(2023, 11, 1), D(2024, 1, 31))
    tenancy = report["tenancy"]
    assert tenancy["sub_leases_at_end"] == 1  # B01 only (S03 is in « mobilite »)
    assert tenancy["called"] == 341.0
    assert tenancy["collected"] == 170.5
    assert tenancy["collection_rate"] == 0.5
    assert tenancy["inspections"] == {"entry": 1, "pre_exit": 0, "exit": 0}
    assert tenancy["repayment_plans"]["agreed"] == 0


@pytest.fixture
def report(imported):
    return activity_report("apremis", [], *JANUARY)


def test_the_workbook_has_a_tenancy_sheet(report):
    workbook = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")[0]))
    sheet = workbook["Gestion locative"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["Appelé aux ménages sur la période (€)"][0] == 670.5
    assert rows["Taux d'encaissement"][0] == 0.1491
    assert rows["0 à 30 jours"][:2] == (2, 570.5)
    totals = [row[1:3] for row in sheet.iter_rows(values_only=True) if row[0] == "Total"]
    assert totals[0] == (2, 570.5)


def test_the_word_document_has_a_tenancy_section(report):
    document = docx.Document(io.BytesIO(render(report, "docx")[0]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert "Gestion locative" in headings
    table = next(t for t in document.tables if t.cell(0, 0).text == "Ancienneté")
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows}
    assert rows["Plus de 90 jours"] == ["0", "0,00"]
    assert rows["0 à 30 jours"] == ["2", "570,50"]


def test_the_html_document_holds_the_tables_and_the_monthly_collection_chart(report):
    html = render(report, "html")[0].decode()
    for table_id in (
        "gestion-locative-synthese",
        "gestion-locative-impayes",
        "gestion-locative-etats-des-lieux",
        "gestion-locative-encaissement-mois",
    ):
        assert f'id="tableau-{table_id}"' in html
    assert 'id="graphique-encaissement-mois"' in html
    assert "Gestion locative : les impayés par ancienneté égalent" in html


def test_the_report_page_shows_the_section(client, imported):
    from seuil.core.models import Organisation

    manager = UserFactory(organisation=Organisation.objects.get(ref="apremis"))
    client.force_login(manager)
    response = client.get(
        reverse("reports:activity"),
        {"preset": "personnalisee", "start": "2024-01-01", "end": "2024-01-31"},
    )
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    (section,) = page.xpath('//section[@aria-labelledby="rapport-gestion-locative"]')
    rows = {
        row.xpath("string(th)"): row.xpath("string(td[1])")
        for row in section.xpath('.//table[@id="tableau-gestion-locative-synthese"]//tr')
    }
    assert rows["Taux d'encaissement"] == "14,9\u00a0%"
    assert rows["Montant des impayés au 31/01/2024 (€)"] == "570,50"
