"""Bank statements: CAMT.053 read safely, CSV read with the saved mapping, each credit line
kept once, the sub-lease proposed, nothing booked twice."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seuil.core.models import AccessLog
from seuil.tenancy import bank
from seuil.tenancy.models import BankLine, CsvMapping, Payment
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory
from tests.housing.factories import StayFactory
from tests.tenancy.factories import SubLeaseFactory, call, term

pytestmark = pytest.mark.django_db

D = datetime.date

CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt><GrpHdr><MsgId>REL-2025-06</MsgId></GrpHdr>
  <Stmt><Id>S1</Id>
   <Ntry><NtryRef>1</NtryRef><Amt Ccy="EUR">170.50</Amt><CdtDbtInd>CRDT</CdtDbtInd>
    <Sts>BOOK</Sts><BookgDt><Dt>2025-06-05</Dt></BookgDt><AcctSvcrRef>BQ0001</AcctSvcrRef>
    <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
     <RltdPties><Dbtr><Nm>M OU MME DUPONT</Nm></Dbtr></RltdPties>
     <RmtInf><Ustrd>LOYER JUIN B-BANK1</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
   <Ntry><Amt Ccy="EUR">120.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2025-06-07</Dt></BookgDt><AcctSvcrRef>BQ0002</AcctSvcrRef>
    <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>ÖZTÜRK GÖKHAN</Nm></Dbtr></RltdPties>
     <RmtInf><Ustrd>VIREMENT</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
   <Ntry><Amt Ccy="EUR">80.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>2025-06-08</Dt></BookgDt><AcctSvcrRef>BQ0003</AcctSvcrRef></Ntry>
   <Ntry><Amt Ccy="EUR">99.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
    <BookgDt><Dt>2025-06-09</Dt></BookgDt><AcctSvcrRef>BQ0004</AcctSvcrRef></Ntry>
  </Stmt></BkToCstmrStmt></Document>""".encode()


@pytest.fixture
def sub_leases(org_a):
    def one(ref, last_name, share):
        stay = StayFactory(
            household__organisation=org_a, unit__organisation=org_a, entered_on=D(2025, 1, 1)
        )
        MembershipFactory(household=stay.household, role="head", person__last_name=last_name)
        sub_lease = SubLeaseFactory(stay=stay, ref=ref)
        term(sub_lease, stay.entered_on, share)
        call(sub_lease, D(2025, 6, 1), share)
        return sub_lease

    return one("B-BANK1", "Dupont", 170.5), one("B-BANK2", "Öztürk", 120)


def test_a_camt053_statement_gives_its_booked_credits():
    lines = bank.read_camt053(CAMT)
    assert [(line.booked_on, line.amount, line.payer, line.bank_ref) for line in lines] == [
        (D(2025, 6, 5), Decimal("170.50"), "M OU MME DUPONT", "BQ0001"),
        (D(2025, 6, 7), Decimal("120.00"), "ÖZTÜRK GÖKHAN", "BQ0002"),
    ]
    assert lines[0].label == "LOYER JUIN B-BANK1"
    assert lines[0].reference == ""


@pytest.mark.parametrize(
    "evil",
    [
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Document><BkToCstmrStmt>&x;</BkToCstmrStmt></Document>",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<Document><BkToCstmrStmt>&b;</BkToCstmrStmt></Document>",
        b"<Document><pas-un-releve/></Document>",
        b"pas du XML",
    ],
)
def test_a_statement_with_entities_or_no_statement_at_all_is_refused(evil):
    with pytest.raises(bank.StatementError):
        bank.read_camt053(evil)


def test_importing_the_same_statement_twice_keeps_each_line_once(org_a):
    lines = bank.read_camt053(CAMT)
    first = bank.import_statement(org_a, lines, kind="camt053")
    second = bank.import_statement(org_a, lines, kind="camt053")
    assert (first.lines_new, second.lines_found, second.lines_new) == (2, 2, 0)
    assert BankLine.objects.count() == 2


def test_each_line_is_proposed_its_sub_lease_and_booked_once(org_a, sub_leases):
    officer = UserFactory(organisation=org_a, tenancy_officer=True)
    bank.import_statement(org_a, bank.read_camt053(CAMT), kind="camt053")
    lines = list(BankLine.objects.order_by("booked_on"))
    proposals = bank.propose(org_a, lines)
    assert [(p.sub_lease.ref, p.why) for p in proposals] == [
        ("B-BANK1", "référence de l'avis d'échéance"),
        ("B-BANK2", "nom du ménage et montant du loyer"),
    ]
    payment = bank.book(lines[0], sub_leases[0], by=officer)
    assert (payment.paid_on, payment.amount, payment.sub_lease) == (
        D(2025, 6, 5),
        Decimal("170.50"),
        sub_leases[0],
    )
    with pytest.raises(ValidationError, match="déjà traitée"):
        bank.book(lines[0], sub_leases[0], by=officer)
    bank.import_statement(org_a, bank.read_camt053(CAMT), kind="camt053")
    assert Payment.objects.count() == 1
    assert BankLine.objects.filter(status="to_reconcile").count() == 1


def test_a_line_is_proposed_by_the_name_of_the_head_the_household_has_today(org_a, sub_leases):
    """The head who left the household no longer names it; the one who took over does."""
    household = sub_leases[1].stay.household
    household.memberships.update(joined_on=D(2025, 1, 1), left_on=D(2025, 3, 1))
    MembershipFactory(
        household=household, role="head", person__last_name="Kaya", joined_on=D(2025, 3, 1)
    )
    statement = CAMT.replace("ÖZTÜRK GÖKHAN".encode(), b"KAYA ELIF")
    bank.import_statement(org_a, bank.read_camt053(statement), kind="camt053")
    lines = list(BankLine.objects.order_by("booked_on"))
    assert [(p.sub_lease and p.sub_lease.ref, p.why) for p in bank.propose(org_a, lines)] == [
        ("B-BANK1", "référence de l'avis d'échéance"),
        ("B-BANK2", "nom du ménage et montant du loyer"),
    ]


def test_a_csv_export_reads_with_the_saved_mapping(org_a):
    mapping = CsvMapping(
        organisation=org_a,
        delimiter=";",
        date_column="Date opération",
        amount_column="Montant",
        payer_column="Tiers",
        label_column="Libellé",
    )
    data = (
        "Date opération;Libellé;Tiers;Montant\n"
        "05/06/2025;LOYER B-BANK1;DUPONT;170,50\n"
        "05/06/2025;LOYER B-BANK1;DUPONT;170,50\n"
        "06/06/2025;FRAIS;BANQUE;-12,00\n"
        "07/06/2025;VIR;ÖZTÜRK;1 120,00\n"
    ).encode("cp1252")
    lines = bank.read_csv(data, mapping)
    assert [(line.booked_on, line.amount, line.payer) for line in lines] == [
        (D(2025, 6, 5), Decimal("170.50"), "DUPONT"),
        (D(2025, 6, 5), Decimal("170.50"), "DUPONT"),
        (D(2025, 6, 7), Decimal("1120.00"), "ÖZTÜRK"),
    ]
    # Two identical lines of one file are two payments; the same file again adds nothing.
    assert bank.import_statement(org_a, lines, kind="csv").lines_new == 3
    assert bank.import_statement(org_a, lines, kind="csv").lines_new == 0
    with pytest.raises(bank.StatementError, match="Colonne"):
        bank.read_csv(b"Jour;Somme\n01/01/2025;1\n", mapping)


def test_the_officer_imports_and_reconciles_on_the_page(client, org_a, sub_leases):
    client.force_login(UserFactory(organisation=org_a, tenancy_officer=True))
    url = reverse("tenancy:bank")
    upload = SimpleUploadedFile("releve.xml", CAMT, content_type="application/xml")
    response = client.post(url, {"kind": "camt053", "statement": upload})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "B-BANK1" in page and "référence de l'avis d'échéance" in page
    lines = list(BankLine.objects.order_by("booked_on"))
    response = client.post(
        url,
        {
            "action": "book",
            "line": [str(line.uuid) for line in lines],
            f"choice-{lines[0].uuid}": "book",
            f"ref-{lines[0].uuid}": "B-BANK1",
            f"choice-{lines[1].uuid}": "ignore",
            f"ref-{lines[1].uuid}": "B-BANK2",
        },
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.sub_lease == sub_leases[0]
    # The payment booked is in the access log, under the officer's name and organisation.
    logged = AccessLog.objects.get(object_uuid=payment.uuid)
    assert (logged.action, logged.object_type, logged.user.organisation) == (
        "create",
        "payment",
        org_a,
    )
    assert set(BankLine.objects.values_list("status", flat=True)) == {"booked", "ignored"}
    again = SimpleUploadedFile("releve.xml", CAMT, content_type="application/xml")
    client.post(url, {"kind": "camt053", "statement": again})
    assert Payment.objects.count() == 1
    assert BankLine.objects.count() == 2


def test_the_social_worker_does_not_see_the_bank_statements(client, org_a):
    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    assert client.get(reverse("tenancy:bank")).status_code == 403
