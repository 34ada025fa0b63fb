"""An import never changes an existing organisation's kind, and changes its name only with
`--rename-organisation`: a file naming an existing ref is refused whole otherwise."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from seuil.core.models import AccessLog, Organisation
from seuil.exchange.importer import import_exchange
from tests.exchange.conftest import all_uuids, import_errors, row_counts
from tests.exchange.samples import rich

pytestmark = pytest.mark.django_db

NAME = "APREMIS – Association d'aide"


def changed(**organisation):
    data = rich()
    data["organisation"].update(organisation)
    data["households"][0]["members"][0]["first_name"] = "Changé"  # must not be written
    return data


def test_a_file_changing_the_kind_is_refused_and_nothing_is_written(imported_rich):
    uuids, logs = all_uuids(), AccessLog.objects.count()
    errors = import_errors(changed(kind="landlord"))
    assert errors == [
        "organisation.kind : l'organisation « apremis » est enregistrée comme « operator » "
        "(Opérateur (association)) : un import ne change pas le type d'une organisation "
        "existante (« landlord » refusé)"
    ]
    # Not even with the option that allows a new name.
    with pytest.raises(Exception, match="organisation.kind"):
        import_exchange(changed(kind="landlord", name="Autre"), rename_organisation=True)
    assert all_uuids() == uuids
    assert AccessLog.objects.count() == logs
    imported_rich.refresh_from_db()
    assert (imported_rich.kind, imported_rich.name) == ("operator", NAME)
    assert "Changé" not in imported_rich.persons.values_list("first_name", flat=True)


def test_a_file_changing_the_name_is_refused_without_the_option(imported_rich):
    before = row_counts()
    errors = import_errors(changed(name="Nouveau nom"))
    assert errors == [
        f"organisation.name : l'organisation « apremis » s'appelle « {NAME} », pas "
        "« Nouveau nom » : pour la renommer, relancer l'import avec l'option "
        "--rename-organisation"
    ]
    assert row_counts() == before
    imported_rich.refresh_from_db()
    assert imported_rich.name == NAME


def test_a_file_changing_the_name_is_accepted_with_the_option(imported_rich):
    summary = import_exchange(changed(name="Nouveau nom"), rename_organisation=True)
    assert summary.counts["organisation"].updated == 1
    imported_rich.refresh_from_db()
    assert (imported_rich.name, imported_rich.kind) == ("Nouveau nom", "operator")


def test_an_unchanged_organisation_imports_as_before(imported_rich):
    data = rich()
    data["organisation"].pop("kind", None)  # left out: stays as it is
    data["organisation"]["department"] = "02"  # the department may still change
    summary = import_exchange(data)
    assert summary.counts["organisation"].updated == 1
    assert not import_exchange(data).changed
    imported_rich.refresh_from_db()
    assert (imported_rich.name, imported_rich.kind) == (NAME, "operator")
    assert imported_rich.department == "02"


def test_a_new_organisation_takes_the_name_and_kind_of_the_file():
    data = rich()
    data["organisation"] = {"ref": "opac80", "name": "OPAC de la Somme", "kind": "landlord"}
    import_exchange(data)
    created = Organisation.objects.get(ref="opac80")
    assert (created.name, created.kind) == ("OPAC de la Somme", "landlord")


def _command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_refuses_a_new_name_and_accepts_it_with_the_option(imported_rich, tmp_path):
    path = tmp_path / "apremis.json"
    path.write_text(json.dumps(changed(name="Nouveau nom"), ensure_ascii=False), encoding="utf-8")
    before = row_counts()
    with pytest.raises(CommandError, match="Import refusé : 1 erreur, rien n'a été enregistré"):
        _command(str(path))
    assert row_counts() == before
    imported_rich.refresh_from_db()
    assert imported_rich.name == NAME
    out, _ = _command(str(path), "--rename-organisation")
    assert "Import réussi pour l'organisation « apremis »" in out
    imported_rich.refresh_from_db()
    assert imported_rich.name == "Nouveau nom"


def test_the_command_refuses_a_new_kind_even_with_the_option(imported_rich, tmp_path):
    path = tmp_path / "apremis.json"
    path.write_text(json.dumps(changed(kind="landlord"), ensure_ascii=False), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--rename-organisation", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("organisation.kind : ")
    imported_rich.refresh_from_db()
    assert imported_rich.kind == "operator"
