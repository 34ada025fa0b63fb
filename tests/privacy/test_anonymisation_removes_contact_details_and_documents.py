"""Anonymisation deletes a household's documents (their files too) and its members' contact
details; a unit's own documents, and the contact details of a person still followed in
another household, stay."""

import datetime

import pytest
from django.core.management import call_command

from seuil.core.audit import record_access
from seuil.core.documents import DocumentKind, detect_type
from seuil.core.models import AccessLog
from seuil.households import services
from seuil.households.models import ContactDetails, Household, HouseholdDocument
from seuil.housing.models import HousingDocument
from seuil.privacy.anonymisation import anonymise
from tests.households.factories import HouseholdFactory, MembershipFactory, PersonFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

D = datetime.date
TODAY = D(2027, 1, 1)  # retention 730 days: households that left before 1 January 2025
SECRET = b"PASSEPORT-ZEPHYRINE-99XY"
PDF = b"%PDF-1.7\n" + SECRET + b"\n%%EOF\n"


def attach(document):
    document.kind = DocumentKind.IDENTITY
    document.save_with_file(PDF, detect_type(PDF), "passeport.pdf", document.save)
    return document


@pytest.fixture
def old_family(org_a, document_storage):
    household = HouseholdFactory(organisation=org_a, ref="M-ZEPHYR")
    mother = PersonFactory(organisation=org_a, first_name="Zéphyrine", last_name="Quillebeuf")
    # Léon also lives in a household still followed: his contact details are in use.
    father = PersonFactory(organisation=org_a, first_name="Léon", last_name="Quillebeuf")
    MembershipFactory(household=household, person=mother, role="head")
    MembershipFactory(household=household, person=father, role="partner")
    MembershipFactory(household=HouseholdFactory(organisation=org_a), person=father, role="head")
    unit = HousingUnitFactory(organisation=org_a)
    stay = StayFactory(
        household=household, unit=unit, entered_on=D(2023, 1, 1), exited_on=D(2024, 9, 30)
    )
    for person, phone in ((mother, "06 11 22 33 44"), (father, "07 55 66 77 88")):
        for since in (D(2023, 1, 1), D(2024, 2, 1)):
            services.record_contact_details(
                person,
                acting_user=None,
                since=since,
                phones=[phone],
                email=f"{person.ref.lower()}@exemple.fr",
                postal_address="CCAS, 1 place de la Mairie, 80000 Amiens",
                languages=["fr", "ar"],
            )
    documents = [
        attach(HouseholdDocument(household=household)),
        attach(HouseholdDocument(household=household, person=mother)),
        attach(HousingDocument(organisation=org_a, stay=stay)),
    ]
    unit_document = attach(HousingDocument(organisation=org_a, unit=unit))
    for document in documents:
        record_access(None, AccessLog.Action.DOWNLOAD, document)
    return {
        "mother": mother,
        "father": father,
        "documents": documents,
        "unit_document": unit_document,
        "folder": document_storage,
    }


def files(folder):
    return {p for p in folder.rglob("*") if p.is_file()}


def test_documents_and_contact_details_go_with_the_household(
    old_family, django_capture_on_commit_callbacks
):
    folder = old_family["folder"]
    assert len(files(folder)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        outcome = anonymise(Household.objects.filter(ref="M-ZEPHYR"), TODAY)
    assert len(outcome.households) == 1
    assert outcome.deleted["documents"] == 2
    assert outcome.deleted["stay_documents"] == 1
    assert outcome.deleted["contact_details"] == 2  # the mother's; the father is kept
    assert not HouseholdDocument.objects.exists()
    assert list(HousingDocument.objects.all()) == [old_family["unit_document"]]
    assert not ContactDetails.objects.filter(person=old_family["mother"]).exists()
    assert ContactDetails.objects.filter(person=old_family["father"]).count() == 2
    # On disk, only the unit's document remains; the downloads' log rows are gone.
    [left] = files(folder)
    assert left.name == old_family["unit_document"].stored_name.split("/")[-1]
    uuids = [d.uuid for d in old_family["documents"]]
    assert not AccessLog.objects.filter(object_uuid__in=uuids).exists()


def test_nothing_identifying_of_the_contact_details_is_left_in_the_database(
    old_family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anonymise(Household.objects.filter(ref="M-ZEPHYR"), TODAY)
    call_command(
        "dumpdata",
        "households",
        "housing",
        "core",
        "--output",
        str(old_family["folder"].parent / "dump.json"),
    )
    text = (old_family["folder"].parent / "dump.json").read_text(encoding="utf-8")
    mother, father = old_family["mother"], old_family["father"]
    assert "33611223344" not in text and f"{mother.ref.lower()}@exemple.fr" not in text
    assert "CCAS" in text  # Léon's address, still followed
    assert "33755667788" in text and f"{father.ref.lower()}@exemple.fr" in text
