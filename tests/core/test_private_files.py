"""Files that hold personal data are readable by their owner only (0600, folders 0700)."""

import io
import os
import stat
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("name", ["sauvegarde.json", "sauvegarde.json.gz"])
def test_a_backup_is_readable_by_its_owner_only(tmp_path, name):
    HouseholdFactory()
    path = tmp_path / name
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    assert mode(path) == 0o600


def test_an_existing_file_overwritten_by_an_export_loses_its_wider_mode(tmp_path, org_a):
    HouseholdFactory(organisation=org_a)
    path = tmp_path / "export.json"
    path.write_text("")
    path.chmod(0o644)
    call_command(
        "export",
        "--organisation",
        org_a.ref,
        "--output",
        str(path),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert mode(path) == 0o600


def test_the_sqlite_database_and_its_folder_are_private(tmp_path):
    data = tmp_path / "donnees"
    environment = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL"}}
    environment["SEUIL_DATA_DIR"] = str(data)
    subprocess.run(
        [sys.executable, "-m", "seuil.cli", "check"],
        env=environment,
        check=True,
        capture_output=True,
    )
    assert mode(data) == 0o700
    assert mode(data / "seuil.sqlite3") == 0o600
