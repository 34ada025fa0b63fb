"""Attached documents are encrypted with the keys of the encrypted notes: a rotation
re-encrypts them too, all or nothing; uploads never lie in clear on the disk."""

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from seuil.core import crypto
from seuil.core.documents import DocumentKind, detect_type, read_decrypted
from seuil.core.uploads import MAX_KEPT_BYTES, BoundedMemoryUploadHandler
from seuil.households.models import HouseholdDocument
from tests.households.factories import HouseholdFactory

SECRET = b"TITRE-DE-SEJOUR-FR-0042"
PDF = b"%PDF-1.4\n" + SECRET + b"\n%%EOF\n"


def attach(household, data=PDF):
    document = HouseholdDocument(household=household, kind=DocumentKind.RESIDENCE_PERMIT)
    document.save_with_file(data, detect_type(data), "titre.pdf", document.save)
    return document


def on_disk(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def keys(db, settings):
    settings.SEUIL_ENCRYPTION_KEYS = Fernet.generate_key().decode()
    return settings


def test_a_rotation_re_encrypts_the_documents_and_drops_the_old_files(
    keys, document_storage, django_capture_on_commit_callbacks
):
    old_key = keys.SEUIL_ENCRYPTION_KEYS
    documents = [attach(HouseholdFactory()) for _ in range(2)]
    before = on_disk(document_storage)
    assert all(SECRET not in token for token in before.values())
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_encryption_key", "--drop-old", stdout=out)
    assert "documents des ménages : 2 documents rechiffrés" in out.getvalue()
    line = next(x for x in out.getvalue().splitlines() if x.startswith("SEUIL_ENCRYPTION_KEYS="))
    keys.SEUIL_ENCRYPTION_KEYS = line.removeprefix("SEUIL_ENCRYPTION_KEYS=")
    after = on_disk(document_storage)
    assert len(after) == 2 and not set(after) & set(before)  # old files deleted
    for document in documents:
        document.refresh_from_db()
        token = after[document.stored_name]
        assert SECRET not in token
        with pytest.raises(InvalidToken):
            Fernet(old_key).decrypt(token)
        assert read_decrypted(document.stored_name) == PDF


def test_a_rotation_that_meets_an_unreadable_document_changes_nothing(
    keys, document_storage, django_capture_on_commit_callbacks
):
    attach(HouseholdFactory())
    keys.SEUIL_ENCRYPTION_KEYS = Fernet.generate_key().decode()  # the first key is lost
    readable = attach(HouseholdFactory())
    before = on_disk(document_storage)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(CommandError, match="Rien n'a été rechiffré"):
            call_command("rotate_encryption_key", "--reencrypt-only", stdout=io.StringIO())
    assert on_disk(document_storage) == before
    readable.refresh_from_db()
    assert read_decrypted(readable.stored_name) == PDF
    crypto.reset_keys()


def test_an_upload_is_kept_in_memory_up_to_the_limit_and_counted_beyond(settings):
    request = RequestFactory().post("/")
    handler = BoundedMemoryUploadHandler(request)
    handler.new_file("file", "scan.pdf", "application/pdf", None)
    chunk = b"x" * (1024 * 1024)
    for start in range(0, 25):
        handler.receive_data_chunk(chunk, start * len(chunk))
    upload = handler.file_complete(25 * len(chunk))
    assert upload.size == 25 * len(chunk)
    assert len(upload.read()) == MAX_KEPT_BYTES + 1
    assert not hasattr(upload, "temporary_file_path")
