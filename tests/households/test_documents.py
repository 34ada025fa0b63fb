"""Documents of a household's file: checked on their content, encrypted on disk, served to
the organisation holding the file only, every download in the access log."""

import io
import os
import stat
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seuil.core.models import AccessLog, ChangeRecord
from seuil.households.models import HouseholdDocument
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory

SECRET = b"NUMERO-DE-PASSEPORT-12AB34567"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + SECRET + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + SECRET
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def head(org_a):
    return MembershipFactory(
        household__organisation=org_a, person__first_name="Awa", person__last_name="Diallo"
    )


@pytest.fixture
def household(head):
    return head.household


def upload(client, household, data, name, **fields):
    return client.post(
        reverse("households:add_document", args=[household.uuid]),
        {
            "kind": "identity",
            "about": "household",
            "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
            **fields,
        },
    )


def stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_pdf_is_stored_encrypted_and_downloaded_as_it_was(
    client_a, household, member_a, document_storage
):
    response = upload(client_a, household, PDF, "passeport.pdf", expires_on="2030-01-31")
    assert response.status_code == 302
    document = HouseholdDocument.objects.get()
    assert (document.kind, document.file_type, document.size) == ("identity", "pdf", len(PDF))
    [path] = stored_files(document_storage)
    on_disk = path.read_bytes()
    assert SECRET not in on_disk and b"%PDF" not in on_disk
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert "passeport" not in path.name

    page = client_a.get(reverse("households:detail", args=[household.uuid])).content.decode()
    assert "passeport.pdf" in page and "31/01/2030" in page
    response = client_a.get(document.get_download_url())
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="passeport.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    downloads = AccessLog.objects.filter(
        action=AccessLog.Action.DOWNLOAD, object_uuid=document.uuid
    )
    assert list(downloads.values_list("user", flat=True)) == [member_a.pk]
    client_a.get(document.get_download_url())
    assert downloads.count() == 2
    created = ChangeRecord.objects.get(object_uuid=document.uuid)
    assert created.household_uuid == household.uuid


def test_an_exe_renamed_pdf_is_refused_in_french_and_nothing_is_stored(
    client_a, household, document_storage
):
    response = upload(client_a, household, EXE, "attestation.pdf")
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert "« attestation.pdf » n'est pas d'un type accepté" in message
    assert "PDF, JPEG, PNG, ODT ou DOCX" in message
    assert not HouseholdDocument.objects.exists()
    assert not document_storage.exists() or not stored_files(document_storage)


def test_a_file_over_the_limit_is_refused_with_its_size(
    client_a, household, document_storage, settings
):
    settings.SEUIL_DOCUMENT_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024 + 200_000)
    response = upload(client_a, household, big, "scan.pdf")
    [message] = response.context["form"].errors["file"]
    assert "« scan.pdf » est trop lourd : 1,2 Mo, pour 1 Mo au plus" in message
    assert not HouseholdDocument.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "file_type", "download_name"),
    [
        (PNG, "photo.png", "png", "photo.png"),
        (b"\xff\xd8\xff\xe0" + SECRET, "recto.jpeg", "jpeg", "recto.jpeg"),
        (docx_bytes(), "courrier.docx", "docx", "courrier.docx"),
        (odt_bytes(), "courrier.odt", "odt", "courrier.odt"),
        # The type is the content's: a PNG named .pdf is downloaded as a .png.
        (PNG, "titre.pdf", "png", "titre.png"),
    ],
)
def test_accepted_types_are_told_by_their_content(
    client_a, household, document_storage, data, name, file_type, download_name
):
    assert upload(client_a, household, data, name).status_code == 302
    document = HouseholdDocument.objects.get()
    assert document.file_type == file_type
    assert document.download_name() == download_name


def test_a_zip_that_is_not_a_text_document_is_refused(client_a, household, document_storage):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", EXE)
    response = upload(client_a, household, buffer.getvalue(), "dossier.docx")
    assert "n'est pas d'un type accepté" in response.context["form"].errors["file"][0]


def test_a_residence_permit_needs_its_end_of_validity(client_a, household, head, document_storage):
    response = upload(
        client_a, household, PDF, "titre.pdf", kind="residence_permit", about=str(head.person.uuid)
    )
    assert response.context["form"].errors["expires_on"] == [
        "Indiquez jusqu'à quand le titre de séjour est valable."
    ]
    response = upload(
        client_a,
        household,
        PDF,
        "titre.pdf",
        kind="residence_permit",
        about=str(head.person.uuid),
        expires_on="2026-03-01",
    )
    assert response.status_code == 302
    assert HouseholdDocument.objects.get().person == head.person


def test_another_organisation_never_reaches_a_document(
    client, household, member_a, member_b, org_a, document_storage
):
    client.force_login(member_a)
    upload(client, household, PDF, "passeport.pdf")
    document = HouseholdDocument.objects.get()
    client.force_login(member_b)
    assert client.get(document.get_download_url()).status_code == 404
    assert client.get(document.get_delete_url()).status_code == 404
    assert client.post(document.get_delete_url()).status_code == 404
    assert not AccessLog.objects.filter(
        action=AccessLog.Action.DOWNLOAD, object_uuid=document.uuid
    ).exists()
    # A psychologist of the same organisation sees referred households, never their documents.
    psychologist = UserFactory(organisation=org_a, role="psychologist")
    client.force_login(psychologist)
    assert client.get(document.get_download_url()).status_code in (403, 404)


def test_a_deleted_document_leaves_no_file(
    client_a, household, document_storage, django_capture_on_commit_callbacks
):
    upload(client_a, household, PDF, "passeport.pdf")
    document = HouseholdDocument.objects.get()
    page = client_a.get(document.get_delete_url())
    assert "Supprimer le document « passeport.pdf »" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(document.get_delete_url())
    assert response.status_code == 302
    assert not HouseholdDocument.objects.exists()
    assert stored_files(document_storage) == []
    deletion = ChangeRecord.objects.get(object_uuid=document.uuid, action="delete")
    assert deletion.household_uuid == household.uuid


def test_a_social_worker_of_another_role_without_change_right_cannot_upload(
    client, household, org_a, document_storage
):
    tenancy_officer = UserFactory(organisation=org_a, tenancy_officer=True)
    client.force_login(tenancy_officer)
    assert upload(client, household, PDF, "bail.pdf").status_code == 403
    assert not HouseholdDocument.objects.exists()


def test_the_access_log_page_lists_downloads_even_after_the_deletion(
    client_a, household, document_storage
):
    upload(client_a, household, PDF, "passeport.pdf")
    document = HouseholdDocument.objects.get()
    client_a.get(document.get_download_url())
    client_a.post(document.get_delete_url())
    page = client_a.get(reverse("households:access_log", args=[household.uuid]))
    rows = [(row.action, row.what) for row in page.context["rows"]]
    assert ("Téléchargement", "Document du ménage (élément supprimé)") in rows
    history = client_a.get(reverse("households:history", args=[household.uuid]))
    kinds = [(row.kind, row.what) for row in history.context["rows"]]
    assert ("delete", "Document du ménage (élément supprimé)") in kinds
