"""The most sensitive free text is encrypted with keys apart from SECRET_KEY, and rotates."""

import gzip
import io
import os
import stat
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import connection

from seuil.core import crypto
from seuil.households.models import ClinicalNote, Household
from tests.households.factories import ClinicalNoteFactory, HouseholdFactory

pytestmark = pytest.mark.django_db

CLINICAL_TEXT = "Cauchemars récurrents depuis la traversée ; anxiété forte le soir."
NOTE_TEXT = "Violences conjugales signalées en 2023 ; suivi par l'association Agena."


def new_key():
    return Fernet.generate_key().decode()


@pytest.fixture
def key_file(settings, tmp_path):
    """Keys from a key file in a fresh data folder (none in the environment)."""
    settings.SEUIL_ENCRYPTION_KEYS = ""
    settings.DATA_DIR = tmp_path
    return tmp_path / crypto.KEY_FILE_NAME


def stored(model, field, pk):
    """The column as the database holds it, read with plain SQL."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(field)} FROM {quote(model._meta.db_table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def test_an_encrypted_text_reads_back_as_it_was_written():
    note = ClinicalNoteFactory(text=CLINICAL_TEXT)
    assert ClinicalNote.objects.get(pk=note.pk).text == CLINICAL_TEXT
    assert ClinicalNote.objects.values_list("text", flat=True).get(pk=note.pk) == CLINICAL_TEXT


def test_the_clear_text_never_appears_in_the_database_column():
    note = ClinicalNoteFactory(text=CLINICAL_TEXT)
    household = HouseholdFactory(social_note="Note sociale lisible", sensitive_details=NOTE_TEXT)
    raw_note = stored(ClinicalNote, "text", note.pk)
    assert raw_note.startswith("gAAAAA") and "Cauchemars" not in raw_note
    assert "Violences" not in stored(Household, "sensitive_details", household.pk)
    assert "lisible" not in stored(Household, "social_note", household.pk)


def test_a_bulk_update_encrypts_too():
    household = HouseholdFactory()
    household.social_note = NOTE_TEXT
    Household.objects.bulk_update([household], ["social_note"])
    assert "Violences" not in stored(Household, "social_note", household.pk)
    assert Household.objects.get(pk=household.pk).social_note == NOTE_TEXT


def test_the_same_text_is_stored_differently_each_time_so_it_cannot_be_searched():
    first, second = HouseholdFactory(social_note="même texte"), HouseholdFactory()
    second.social_note = "même texte"
    second.save()
    assert stored(Household, "social_note", first.pk) != stored(Household, "social_note", second.pk)
    with pytest.raises(FieldError, match="chiffré"):
        Household.objects.filter(social_note="même texte").count()
    with pytest.raises(FieldError, match="chiffré"):
        Household.objects.filter(social_note__icontains="texte").count()


def test_an_empty_text_stays_empty():
    household = HouseholdFactory()
    assert stored(Household, "social_note", household.pk) == ""
    assert Household.objects.get(pk=household.pk).social_note == ""


def test_a_wrong_key_gives_a_clear_error_rather_than_garbage(settings):
    note = ClinicalNoteFactory(text=CLINICAL_TEXT)
    settings.SEUIL_ENCRYPTION_KEYS = new_key()
    with pytest.raises(crypto.DecryptionError, match="Impossible de déchiffrer"):
        ClinicalNote.objects.get(pk=note.pk)


def test_a_malformed_key_is_refused_in_french(settings):
    settings.SEUIL_ENCRYPTION_KEYS = "pas-une-cle"
    with pytest.raises(crypto.EncryptionKeyError, match="mal formée"):
        ClinicalNoteFactory(text=CLINICAL_TEXT)


def test_outside_production_the_key_file_is_created_readable_by_its_owner_only(key_file):
    assert not key_file.exists()
    note = ClinicalNoteFactory(text=CLINICAL_TEXT)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(crypto.read_key_file(key_file)) == 1
    crypto.reset_keys()
    assert ClinicalNote.objects.get(pk=note.pk).text == CLINICAL_TEXT


def test_in_production_no_key_file_is_ever_created(key_file, settings):
    settings.DEBUG, settings.PRODUCTION = False, True
    with pytest.raises(crypto.EncryptionKeyError, match="SEUIL_ENCRYPTION_KEYS"):
        ClinicalNoteFactory(text=CLINICAL_TEXT)
    assert not key_file.exists()


def test_production_refuses_to_start_without_encryption_keys(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SEUIL_ENCRYPTION_KEYS", "SEUIL_DATA_DIR", "SEUIL_ENV"}
    }
    env.update(
        SECRET_KEY="x" * 60,
        DEBUG="0",
        SEUIL_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="seuil.settings",
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SEUIL_ENCRYPTION_KEYS" in result.stderr


# ---- rotation ------------------------------------------------------------------------------


def test_after_a_rotation_with_a_key_file_the_texts_read_with_the_new_key_alone(key_file):
    note = ClinicalNoteFactory(text=CLINICAL_TEXT)
    household = HouseholdFactory(social_note=NOTE_TEXT)
    [old_key] = crypto.read_key_file(key_file)
    before = stored(ClinicalNote, "text", note.pk)
    out = io.StringIO()
    call_command("rotate_encryption_key", stdout=out)
    keys = crypto.read_key_file(key_file)
    assert len(keys) == 2 and keys[1] == old_key
    assert stored(ClinicalNote, "text", note.pk) != before
    assert "note clinique · note : 1 texte rechiffré" in out.getvalue()
    call_command("rotate_encryption_key", "--drop-old", "--reencrypt-only", stdout=io.StringIO())
    assert crypto.read_key_file(key_file) == keys[:1]
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    crypto.reset_keys()
    assert ClinicalNote.objects.get(pk=note.pk).text == CLINICAL_TEXT
    assert Household.objects.get(pk=household.pk).social_note == NOTE_TEXT
    with pytest.raises(InvalidToken):  # the old key no longer reads anything
        Fernet(old_key).decrypt(stored(ClinicalNote, "text", note.pk).encode())


def test_with_keys_from_the_environment_the_rotation_prints_the_value_to_set(settings):
    old_key = new_key()
    settings.SEUIL_ENCRYPTION_KEYS = old_key
    note = ClinicalNoteFactory(text=CLINICAL_TEXT)
    out = io.StringIO()
    call_command("rotate_encryption_key", "--drop-old", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("SEUIL_ENCRYPTION_KEYS="))
    new_keys = line.removeprefix("SEUIL_ENCRYPTION_KEYS=").split(",")
    assert len(new_keys) == 1 and new_keys[0] != old_key
    settings.SEUIL_ENCRYPTION_KEYS = new_keys[0]
    assert ClinicalNote.objects.get(pk=note.pk).text == CLINICAL_TEXT


def test_a_rotation_that_meets_an_unreadable_text_changes_nothing(settings):
    settings.SEUIL_ENCRYPTION_KEYS = new_key()
    ClinicalNoteFactory(text="écrite avec une autre clé")
    settings.SEUIL_ENCRYPTION_KEYS = current = new_key()
    readable = ClinicalNoteFactory(text=CLINICAL_TEXT)
    before = stored(ClinicalNote, "text", readable.pk)
    with pytest.raises(CommandError, match="Rien n'a été rechiffré"):
        call_command("rotate_encryption_key", "--reencrypt-only", stdout=io.StringIO())
    assert stored(ClinicalNote, "text", readable.pk) == before
    assert settings.SEUIL_ENCRYPTION_KEYS == current


# ---- backups ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_the_ciphertext_and_a_restore_reads_it_back(tmp_path):
    note = ClinicalNoteFactory(text=CLINICAL_TEXT)
    HouseholdFactory(sensitive_details=NOTE_TEXT)
    path = tmp_path / "sauvegarde.json.gz"
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    with gzip.open(path, "rt", encoding="utf-8") as file:
        content = file.read()
    assert "Cauchemars" not in content and "Violences" not in content
    assert crypto.SERIALISED_PREFIX + "gAAAAA" in content
    call_command("flush", "--no-input")
    call_command("restore", str(path), stdout=io.StringIO())
    assert ClinicalNote.objects.get(uuid=note.uuid).text == CLINICAL_TEXT
    assert NOTE_TEXT in Household.objects.values_list("sensitive_details", flat=True)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_with_other_keys_is_refused_clearly(tmp_path, settings):
    ClinicalNoteFactory(text=CLINICAL_TEXT)
    path = tmp_path / "sauvegarde.json"
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    call_command("flush", "--no-input")
    settings.SEUIL_ENCRYPTION_KEYS = new_key()
    with pytest.raises(CommandError, match="rien n'a été restauré.*Impossible de déchiffrer"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert not ClinicalNote.objects.exists()
