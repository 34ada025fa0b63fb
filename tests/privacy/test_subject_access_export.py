"""Right of access (RGPD art. 15): a person's export holds their records, and only theirs."""

import datetime
import json
import shutil
import subprocess
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.housing.models import EvictionProcedure
from seuil.privacy import subject_access
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import (
    ClinicalNoteFactory,
    ConsentFactory,
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    PersonFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, StayFactory

D = datetime.date


@pytest.fixture
def family(org_a):
    """Aïcha (head, refugee) and her partner Bakari (subsidiary protection), housed in 2022."""
    household = HouseholdFactory(organisation=org_a, ref="M-FAMILLE")
    household.social_note = "Famille arrivée du CADA d'Amiens, projet d'emploi."
    household.sensitive_details = "Violences conjugales passées, suivi CMP."
    household.save()
    aicha = PersonFactory(organisation=org_a, first_name="Aïcha", last_name="Ndiaye")
    bakari = PersonFactory(
        organisation=org_a, first_name="Bakari", last_name="Traoré", sex="M", ref="P-BAKARI"
    )
    MembershipFactory(household=household, person=aicha, role="head")
    MembershipFactory(household=household, person=bakari, role="partner", joined_on=D(2023, 3, 1))
    LegalStatusRecordFactory(person=aicha, since=D(2021, 6, 1), status="refugee")
    LegalStatusRecordFactory(person=bakari, since=D(2023, 2, 1), status="subsidiary_protection")
    ResourceRecordFactory(household=household, on=D(2022, 1, 1), types=["rsa"])
    ResourceRecordFactory(household=household, on=D(2023, 6, 1), types=["salary", "rsa"])
    unit = HousingUnitFactory(
        organisation=org_a, ref="L-JACOBINS", address="12 rue des Jacobins", commune="80021"
    )
    stay = StayFactory(
        household=household,
        unit=unit,
        entered_on=D(2022, 1, 10),
        exited_on=D(2024, 2, 1),
        exit_destination="social_landlord",
        lease_transferred=True,
    )
    EvictionProcedure.objects.create(stay=stay, started_on=D(2023, 9, 1), ended_on=D(2023, 12, 1))
    ConsentFactory(household=household, given_on=D(2023, 1, 5), expires_on=D(2024, 1, 4))
    ClinicalNoteFactory(household=household, text="Entretien : cauchemars récurrents.")
    return {"household": household, "aicha": aicha, "bakari": bakari, "unit": unit}


def test_the_export_holds_the_persons_records_and_not_another_members_legal_status(family):
    document = subject_access.build(family["aicha"])
    text = json.dumps(document, ensure_ascii=False)

    assert document["format"] == "seuil-subject-access/1"
    assert document["person"]["first_name"] == "Aïcha"
    assert document["person"]["birth_date"] == "1988-04-02"
    assert document["legal_status"] == [{"since": "2021-06-01", "status": "refugee"}]
    assert document["memberships"][0]["role"] == "head"
    household = document["households"][0]
    assert household["ref"] == "M-FAMILLE"
    assert household["prior_situation"] == "specialised_shelter"
    assert household["social_note"].startswith("Famille arrivée du CADA")
    assert [r["types"] for r in household["resources"]] == [["rsa"], ["rsa", "salary"]]
    [stay] = household["stays"]
    assert stay["unit"] == {
        "ref": "L-JACOBINS",
        "address": "12 rue des Jacobins",
        "commune": "80021",
    }
    assert (stay["entered_on"], stay["exited_on"]) == ("2022-01-10", "2024-02-01")
    assert stay["exit_destination"] == "social_landlord" and stay["lease_transferred"] is True
    assert stay["eviction_procedures"] == [{"started_on": "2023-09-01", "ended_on": "2023-12-01"}]
    assert household["consents"][0]["scope"] == "social_note"

    # Another member: neither their identity nor their legal status.
    assert "Bakari" not in text and "Traoré" not in text and "P-BAKARI" not in text
    assert "subsidiary_protection" not in text


def test_the_keys_of_the_document_are_stable(family):
    document = subject_access.build(family["aicha"])
    assert list(document) == [
        "format",
        "generated_at",
        "organisation",
        "person",
        "legal_status",
        "contact_details",
        "memberships",
        "households",
        "support_path",
        "change_history",
        "access_log",
        "clinical_notes",
        "sensitive_details",
        "documents",
    ]


def test_clinical_notes_and_sensitive_details_are_left_to_their_authors(family):
    text = json.dumps(subject_access.build(family["aicha"]), ensure_ascii=False)
    assert "cauchemars" not in text
    assert "Violences conjugales" not in text
    assert (
        "Les notes cliniques sont communiquées par la ou le psychologue qui les a rédigées." in text
    )


def test_a_member_who_joined_later_gets_only_the_resources_and_stays_of_their_time(family):
    bakari = family["bakari"]
    household = subject_access.build(bakari)["households"][0]
    # Joined on 1 March 2023: the RSA record of 2022 was still in force, then the new one.
    assert [r["on"] for r in household["resources"]] == ["2022-01-01", "2023-06-01"]
    assert subject_access.build(bakari)["legal_status"][0]["status"] == "subsidiary_protection"


def test_a_stay_that_ended_before_the_person_joined_is_not_theirs(org_a):
    household = HouseholdFactory(organisation=org_a)
    person = PersonFactory(organisation=org_a)
    MembershipFactory(household=household, person=person, role="child", joined_on=D(2024, 1, 1))
    StayFactory(household=household, entered_on=D(2022, 1, 1), exited_on=D(2023, 1, 1))
    StayFactory(household=household, entered_on=D(2023, 6, 1))
    stays = subject_access.build(person)["households"][0]["stays"]
    assert [s["entered_on"] for s in stays] == ["2023-06-01"]


def test_the_access_log_names_organisations_and_roles_never_users(client_a, family, member_a):
    client_a.get(reverse("households:detail", args=[family["household"].uuid]))
    rows = subject_access.build(family["aicha"])["access_log"]
    assert {"organisation": "Association A", "role": "service_manager", "action": "view"} in [
        {k: row[k] for k in ("organisation", "role", "action")} for row in rows
    ]
    text = json.dumps(rows)
    assert member_a.username not in text and member_a.last_name not in text


def test_the_change_history_about_the_person_is_included(family):
    aicha, bakari = family["aicha"], family["bakari"]
    for person, changes in ((aicha, {"last_name": ["Ndiay", "Ndiaye"]}), (bakari, {"x": [1, 2]})):
        ChangeRecord.objects.create(
            action="change",
            object_type="person",
            object_uuid=person.uuid,
            household_uuid=family["household"].uuid,
            changes=changes,
            role="social_worker",
            organisation=aicha.organisation,
        )
    document = subject_access.build(aicha)
    assert [row["changes"] for row in document["change_history"]] == [
        {"last_name": ["Ndiay", "Ndiaye"]}
    ]
    html = subject_access.render_html(document)
    assert "nom : Ndiay → Ndiaye" in html


def test_the_json_download_is_logged_as_an_export(client_a, family):
    aicha = family["aicha"]
    response = client_a.get(reverse("households:subject_access_json", args=[aicha.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["person"]["last_name"] == "Ndiaye"
    assert document["organisation"] == {"ref": "asso-a", "name": "Association A"}
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.object_type, log.object_uuid) == ("person", aicha.uuid)
    assert log.role == Role.SERVICE_MANAGER and log.organisation.ref == "asso-a"


def _pdf_text(content, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    path = tmp_path / "droit-d-acces.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_the_pdf_download_opens_and_names_the_person(client_a, family, tmp_path):
    response = client_a.get(reverse("households:subject_access_pdf", args=[family["aicha"].uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 1
    text = _pdf_text(response.content, tmp_path)
    assert "Aïcha Ndiaye" in text
    assert "L-JACOBINS" in text and "Jacobins" in text
    assert "10/01/2022" in text  # dates in French format
    assert "Les notes cliniques sont communiquées" in text
    assert "Bakari" not in text


def test_the_printable_document_is_in_french_with_the_organisation_and_date(family):
    html = subject_access.render_html(subject_access.build(family["aicha"]))
    assert '<html lang="fr">' in html
    assert "Association A" in html
    assert "Réfugié·e" in html
    assert "02/04/1988" in html
    assert "Logement social (bail propre)" in html
    assert "<style" not in html and "<script" not in html


def test_a_manager_of_another_organisation_gets_404(client, member_b, family):
    client.force_login(member_b)
    for name in ("households:subject_access_json", "households:subject_access_pdf"):
        response = client.get(reverse(name, args=[family["aicha"].uuid]))
        assert response.status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_a_tenancy_officer_gets_403(client, org_a, family):
    client.force_login(UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER))
    for name in ("households:subject_access_json", "households:subject_access_pdf"):
        assert client.get(reverse(name, args=[family["aicha"].uuid])).status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_the_download_links_show_only_to_those_who_may_export(client, org_a, family):
    url = reverse("households:detail", args=[family["household"].uuid])
    json_url = reverse("households:subject_access_json", args=[family["aicha"].uuid])
    client.force_login(UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER))
    body = client.get(url).content.decode()
    assert json_url in body and "Droit d'accès : télécharger" in body
    client.force_login(UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER))
    body = client.get(url).content.decode()
    assert json_url not in body and "Droit d'accès" not in body


def test_the_command_writes_the_export_and_logs_it(family, tmp_path):
    aicha = family["aicha"]
    for fmt in ("json", "pdf"):
        output = tmp_path / f"export.{fmt}"
        call_command(
            "export_person", "--person", str(aicha.uuid), "--format", fmt, "--output", str(output)
        )
        assert output.stat().st_size > 0
    assert json.loads((tmp_path / "export.json").read_text())["person"]["first_name"] == "Aïcha"
    assert (tmp_path / "export.pdf").read_bytes().startswith(b"%PDF")
    assert AccessLog.objects.filter(action="export", object_uuid=aicha.uuid).count() == 2


def test_the_command_says_in_french_when_the_person_is_unknown(db, tmp_path):
    with pytest.raises(CommandError, match="Aucune personne"):
        call_command(
            "export_person", "--person", str(uuid.uuid4()), "--output", str(tmp_path / "x.json")
        )


def test_a_person_of_another_organisations_household_is_not_mixed_in(family):
    other = HouseholdFactory(organisation=OrganisationFactory(), ref="M-AILLEURS")
    MembershipFactory(household=other, person=family["aicha"], role="head")
    refs = [h["ref"] for h in subject_access.build(family["aicha"])["households"]]
    assert refs == ["M-FAMILLE"]


def test_contact_details_and_documents_are_in_the_export_and_not_another_members(
    family, document_storage, member_a
):
    from seuil.core.documents import DocumentKind, detect_type
    from seuil.households import services
    from seuil.households.models import HouseholdDocument
    from seuil.housing.models import HousingDocument, Stay

    aicha, bakari, household = family["aicha"], family["bakari"], family["household"]
    for since, phone in ((D(2022, 1, 10), "06 12 34 56 78"), (D(2024, 2, 1), "07 00 00 00 01")):
        services.record_contact_details(
            aicha, acting_user=member_a, since=since, phones=[phone], languages=["wo", "fr"]
        )
    services.record_contact_details(
        bakari, acting_user=member_a, since=D(2023, 3, 1), phones=["06 99 99 99 99"]
    )
    pdf = b"%PDF-1.4\n%%EOF"

    def attach(document, name):
        document.kind = DocumentKind.IDENTITY
        document.save_with_file(pdf, detect_type(pdf), name, document.save)

    attach(HouseholdDocument(household=household, person=aicha), "carte-aicha.pdf")
    attach(HouseholdDocument(household=household, person=bakari), "carte-bakari.pdf")
    attach(HouseholdDocument(household=household), "caf-menage.pdf")
    attach(
        HousingDocument(organisation=household.organisation, stay=Stay.objects.get()), "bail.pdf"
    )

    document = subject_access.build(aicha)
    assert [(c["since"], c["phones"]) for c in document["contact_details"]] == [
        ("2022-01-10", ["+33612345678"]),
        ("2024-02-01", ["+33700000001"]),
    ]
    assert document["contact_details"][0]["languages"] == ["wo", "fr"]
    names = [(d["name"], d["about"]) for d in document["households"][0]["documents"]]
    assert sorted(names) == [
        ("bail.pdf", "stay"),
        ("caf-menage.pdf", "household"),
        ("carte-aicha.pdf", "person"),
    ]
    text = json.dumps(document, ensure_ascii=False)
    assert "33699999999" not in text and "carte-bakari" not in text
    html = subject_access.render_html(document)
    assert "06 12 34 56 78" in html and "wolof" in html and "carte-aicha.pdf" in html
    assert "Les fichiers des documents ne sont pas joints" in html


def test_the_export_holds_the_tenancy_and_the_follow_ups_of_the_households_stays(
    family, org_a, tmp_path
):
    from seuil.outcomes.models import ExitChecklist, FollowUp
    from tests.tenancy.factories import tenancy_data_of

    stay = family["household"].stays.get()
    tenancy_data_of(stay)
    ExitChecklist.objects.create(
        organisation=org_a, stay=stay, starts_on=D(2023, 11, 1), applied_on=D(2023, 11, 20)
    )
    FollowUp.objects.create(
        organisation=org_a, ref="F-1", stay=stay, on=D(2024, 8, 1), housed=True, satisfaction=4
    )
    # Another household of the organisation, with its own tenancy: never in the export.
    other = StayFactory(household=HouseholdFactory(organisation=org_a), entered_on=D(2022, 5, 1))
    from tests.tenancy.factories import SubLeaseFactory, pay

    pay(SubLeaseFactory(stay=other, ref="B-AUTRE"), D(2022, 6, 1), 999)

    document = subject_access.build(family["aicha"])
    [exported] = document["households"][0]["stays"]
    tenancy, outcomes = exported["tenancy"], exported["outcomes"]
    assert tenancy["sub_lease"]["ref"] == "B-SECRET"
    assert tenancy["terms"][0]["housing_benefit"] == 310.0
    assert tenancy["payments"] == [
        {
            "ref": tenancy["payments"][0]["ref"],
            "paid_on": "2022-01-10",
            "amount": 100.0,
            "method": "transfer",
        }
    ]
    assert tenancy["repayment_plans"][0]["instalments"][0]["amount"] == 70.0
    assert tenancy["prevention_cases"][0]["opened_on"] == "2022-01-10"
    assert tenancy["inspections"][0]["kind"] == "entry"
    assert outcomes["exit_checklist"]["applied_on"] == "2023-11-20"
    assert outcomes["follow_ups"][0]["satisfaction"] == 4
    text = subject_access.render_json(document).decode()
    assert "B-AUTRE" not in text and '"amount": 999' not in text
    html = subject_access.render_html(document)
    for label in (
        "Gestion locative",
        "APL versée à l&#x27;association (tiers payant)",
        "Sortie et suivi après la sortie",
        "Demande de logement social déposée le",
        "20/11/2023",
        "100,00",
    ):
        assert label in html, label
