"""The tenancy's printed documents: contract, convention, avis, quittance or partial
receipt, CCAPEX sheet; each download logged; a template the operator adapts is used."""

import datetime
import shutil
import subprocess

import lxml.html
import pytest
from django.urls import reverse

from seuil.core import document_templates as core_documents
from seuil.core.models import AccessLog
from seuil.tenancy import documents
from seuil.tenancy.models import PreventionCase, RentDocument
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory, PersonFactory
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.tenancy.factories import SubLeaseFactory, pay, term

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def officer(client, org_a):
    client.force_login(UserFactory(organisation=org_a, tenancy_officer=True))
    return client


@pytest.fixture
def sub_lease(org_a):
    unit = HousingUnitFactory(organisation=org_a, ref="L-D1", address="3 rue Vascosan")
    stay = StayFactory(
        household__organisation=org_a, household__ref="M-D1", unit=unit, entered_on=D(2025, 1, 2)
    )
    MembershipFactory(
        household=stay.household,
        person=PersonFactory(organisation=org_a, first_name="Samira", last_name="Haddad"),
        role="head",
    )
    sub_lease = SubLeaseFactory(stay=stay, ref="B-D1", due_day=5, tripartite=True)
    term(sub_lease, stay.entered_on, 420, 60, 310)
    return sub_lease


def rent_call(sub_lease, month):
    from seuil.tenancy.models import RentCall

    return RentCall.objects.create(
        sub_lease=sub_lease,
        month=month,
        due_on=month.replace(day=5),
        rent=420,
        charges=60,
        housing_benefit=310,
    )


def text_of(response):
    assert response.status_code == 200, response.status_code
    return " ".join(lxml.html.fromstring(response.content).text_content().split())


def pdf_text(content, tmp_path):
    assert content.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(text.replace("\u202f", " ").split())


def test_the_contract_and_the_convention_print_the_rent_and_the_parties(
    officer, sub_lease, tmp_path
):
    response = officer.get(reverse("tenancy:contract_pdf", args=[sub_lease.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Contrat de sous-location" in text
    assert "Samira Haddad" in text and "3 rue Vascosan" in text
    assert "420,00 €" in text and "170,00 €" in text  # rent, then the household's share
    response = officer.get(reverse("tenancy:convention_pdf", args=[sub_lease.uuid]))
    assert "Convention tripartite" in pdf_text(response.content, tmp_path)
    logs = AccessLog.objects.filter(object_uuid=sub_lease.uuid, action=AccessLog.Action.EXPORT)
    assert logs.count() == 2


def test_no_convention_without_a_tripartite_agreement(officer, sub_lease):
    sub_lease.tripartite = False
    sub_lease.save()
    response = officer.get(reverse("tenancy:convention_pdf", args=[sub_lease.uuid]), follow=True)
    assert "pas de convention tripartite" in text_of(response)


def test_the_avis_states_the_share_the_balance_before_and_what_to_pay(officer, sub_lease, tmp_path):
    rent_call(sub_lease, D(2025, 1, 1))
    pay(sub_lease, D(2025, 1, 8), 100)  # 70 € left from January
    february = rent_call(sub_lease, D(2025, 2, 1))
    response = officer.get(reverse("tenancy:notice_pdf", args=[february.uuid]))
    text = pdf_text(response.content, tmp_path)
    assert "Avis d'échéance – février 2025" in text
    assert "70,00 €" in text  # the balance at 31/01/2025
    assert "240,00 €" in text  # 70 + 170
    assert "B-D1" in text  # the reference to give with the payment
    assert AccessLog.objects.filter(
        object_uuid=february.uuid, action=AccessLog.Action.EXPORT
    ).exists()


def test_a_quittance_only_for_a_month_fully_paid(sub_lease, tmp_path):
    january = rent_call(sub_lease, D(2025, 1, 1))
    with pytest.raises(Exception, match="ni quittance ni reçu"):
        documents.receipt_pdf(january, D(2025, 1, 31))
    pay(sub_lease, D(2025, 1, 6), 100)
    content, name = documents.receipt_pdf(january, D(2025, 1, 31))
    assert name.startswith("recu-partiel-")
    text = pdf_text(content, tmp_path)
    assert "Reçu partiel" in text and "n'est pas une quittance" in text
    assert "100,00 €" in text and "70,00 €" in text  # received, what remains
    pay(sub_lease, D(2025, 1, 20), 70)
    content, name = documents.receipt_pdf(january, D(2025, 1, 31))
    assert name.startswith("quittance-")
    text = pdf_text(content, tmp_path)
    assert "Quittance de loyer – janvier 2025" in text
    assert "du 01/01/2025 au 31/01/2025" in text
    assert "310,00 €" in text and "170,00 €" in text


def test_the_receipt_page_refuses_an_unpaid_month_in_french(officer, sub_lease):
    january = rent_call(sub_lease, D(2025, 1, 1))
    response = officer.get(reverse("tenancy:receipt_pdf", args=[january.uuid]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "ni quittance ni reçu" in text_of(response)


def test_payments_settle_the_oldest_month_first_for_the_quittance(sub_lease):
    january, february = rent_call(sub_lease, D(2025, 1, 1)), rent_call(sub_lease, D(2025, 2, 1))
    pay(sub_lease, D(2025, 2, 6), 170)  # paid in February: settles January
    assert documents.month_standing(january, D(2025, 2, 28)).fully_paid
    assert documents.month_standing(february, D(2025, 2, 28)).paid == 0


def test_the_sending_of_a_month_is_noted(officer, sub_lease):
    january = rent_call(sub_lease, D(2025, 1, 1))
    response = officer.post(
        reverse("tenancy:delivery", args=[january.uuid]),
        {"kind": "notice", "delivery": "sent", "on": "2025-01-01"},
    )
    assert response.status_code == 302
    document = RentDocument.objects.get(rent_call=january)
    assert (document.kind, document.delivery) == ("notice", "sent")
    page = officer.get(reverse("tenancy:account", args=[sub_lease.uuid]) + "?au=2025-01-31")
    assert "avis d'échéance envoyé le 01/01/2025" in text_of(page)
    month = officer.get(reverse("tenancy:month") + "?mois=2025-01&vue=appels")
    assert "avis d'échéance envoyé le 01/01/2025" in text_of(month)


def test_the_ccapex_sheet_gives_the_debt_statement(officer, sub_lease, tmp_path):
    rent_call(sub_lease, D(2025, 1, 1))
    rent_call(sub_lease, D(2025, 2, 1))
    pay(sub_lease, D(2025, 1, 6), 50)
    case = PreventionCase.objects.create(
        organisation=sub_lease.organisation, sub_lease=sub_lease, opened_on=D(2025, 1, 21)
    )
    content, _ = documents.ccapex_pdf(case, D(2025, 3, 1))
    text = pdf_text(content, tmp_path)
    assert "Fiche de saisine de la CCAPEX" in text
    assert "290,00 €" in text  # 120 left on January + 170 for February
    assert "120,00 €" in text and "55 jours" in text  # January, due 05/01
    response = officer.get(reverse("tenancy:ccapex_pdf", args=[case.uuid]))
    assert response.status_code == 200
    assert AccessLog.objects.filter(object_uuid=case.uuid, action="export").exists()


def test_the_social_worker_prints_but_other_organisations_get_404(client, org_a, org_b, sub_lease):
    january = rent_call(sub_lease, D(2025, 1, 1))
    client.force_login(UserFactory(organisation=org_b, tenancy_officer=True))
    assert client.get(reverse("tenancy:notice_pdf", args=[january.uuid])).status_code == 404
    assert client.get(reverse("tenancy:contract_pdf", args=[sub_lease.uuid])).status_code == 404
    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    assert client.get(reverse("tenancy:notice_pdf", args=[january.uuid])).status_code == 200
    response = client.post(
        reverse("tenancy:delivery", args=[january.uuid]),
        {"kind": "notice", "delivery": "sent", "on": "2025-01-01"},
    )
    assert response.status_code == 403


def test_the_operator_adapts_a_document_for_its_organisation(settings, tmp_path, sub_lease):
    settings.SEUIL_DOCUMENT_TEMPLATES = tmp_path
    folder = tmp_path / sub_lease.organisation.ref / "tenancy" / "documents"
    folder.mkdir(parents=True)
    (folder / "notice.html").write_text(
        '{% extends "tenancy/documents/notice.html" %}'
        "{% block footer %}<p>Permanence le mardi matin.</p>{% endblock %}"
    )
    january = rent_call(sub_lease, D(2025, 1, 1))
    text = pdf_text(documents.notice_pdf(january)[0], tmp_path)
    assert "Permanence le mardi matin." in text and "Avis d'échéance" in text
    name = "tenancy/documents/notice.html"
    assert core_documents.which(name, sub_lease.organisation).startswith("modèle adapté")
    # Another organisation keeps Seuil's text.
    assert core_documents.which(name, None) == "modèle de Seuil"
