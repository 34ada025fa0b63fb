"""`seuil import` and `seuil export`: French messages, no traceback, non-zero status."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from seuil.core.models import AccessLog
from tests.exchange.conftest import row_counts
from tests.exchange.samples import rich

pytestmark = pytest.mark.django_db


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(command, *args):
    """The CommandError message and the stderr lines of a refused command."""
    out, err = io.StringIO(), io.StringIO()
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        call_command(command, *args, stdout=out, stderr=err)
    assert row_counts() == before
    message = str(caught.value)
    assert "Traceback" not in message + err.getvalue()
    return message, err.getvalue().splitlines()


@pytest.fixture
def write(tmp_path):
    def write(content, name="fichier.json"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        return str(path)

    return write


def test_import_prints_a_summary_in_french(write):
    out, err = run("import", write(rich()))
    assert "Import réussi pour l'organisation « apremis »" in out
    assert "ménages : 3 créé(s), 0 mis à jour, 0 inchangé(s)" in out
    assert "personnes : 6 créé(s)" in out
    assert err == ""  # no progress lines when stderr is not a terminal
    out, _ = run("import", write(rich()))
    assert "Aucun changement : la base était déjà à jour." in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{\n  "format": "seuil-exchange/1",\n  oups\n}',
            "n'est pas du JSON valide (ligne 3, colonne 3)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "n'est pas un texte UTF-8"),
        (b"PK\x03\x04\x14\x00\x06\x00", "n'est pas du JSON valide"),
        ("", "est vide"),
        ('{"format": "seuil-exchange/1", "rent": NaN}', "« NaN », qui n'est pas un nombre JSON"),
        ("[" * 100_000 + "]" * 100_000, "imbriqué trop profondément"),
    ],
    ids=["pas du JSON", "image binaire", "classeur xlsx", "vide", "NaN", "imbrication"],
)
def test_garbage_files_are_refused_in_french(write, content, expected):
    message, errors = refused("import", write(content))
    assert message.startswith("Import refusé : le fichier")
    assert expected in message
    assert message.endswith("Rien n'a été enregistré.")
    assert errors == []


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    message, _ = refused("import", str(tmp_path / "absent.json"))
    assert message == (
        f"Import refusé : le fichier « {tmp_path / 'absent.json'} » n'existe pas. "
        "Rien n'a été enregistré."
    )
    message, _ = refused("import", str(tmp_path))
    assert "est un dossier" in message


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ([], "le fichier doit contenir un objet JSON ({…}) au premier niveau"),
        ('"seuil-exchange/1"', "le fichier doit contenir un objet JSON ({…}) au premier niveau"),
        (
            {"format": "seuil-echange/1"},
            "format : format « seuil-echange/1 » : « seuil-exchange/1 » attendu",
        ),
        ({"households": []}, "format : format absent ou invalide : « seuil-exchange/1 » attendu"),
    ],
    ids=["liste", "texte", "mauvais format", "sans format"],
)
def test_files_that_are_not_exchange_documents_are_refused(write, content, error):
    message, errors = refused("import", write(content))
    assert errors == [error]
    assert message == "Import refusé : 1 erreur, rien n'a été enregistré."


def test_wrong_top_level_types_are_all_reported(write):
    data = {
        "format": "seuil-exchange/1",
        "organisation": "apremis",
        "programmes": {},
        "households": "M01",
        "stays": 3,
    }
    message, errors = refused("import", write(data))
    assert errors == [
        "organisation : objet attendu",
        "programmes : liste attendue",
        "households : liste attendue",
        "stays : liste attendue",
    ]
    assert message == "Import refusé : 4 erreurs, rien n'a été enregistré."


def test_every_error_is_printed_on_its_own_line_then_the_summary(write):
    data = rich()
    data["households"][0]["members"][1]["birth_date"] = "2023-02-30"
    data["housing_units"][0]["rent"] = -1
    data["stays"][0]["unit"] = "L99"
    message, errors = refused("import", write(data))
    assert errors == [
        "housing_units[0].rent : nombre négatif interdit",
        "households[0].members[1].birth_date : date inexistante « 2023-02-30 »",
        "stays[0].unit : logement « L99 » inconnu (ni dans le fichier ni en base)",
    ]
    assert message == "Import refusé : 3 erreurs, rien n'a été enregistré."


def test_export_writes_to_standard_output_and_logs_the_export(write):
    run("import", write(rich()))
    out, _ = run("export", "--organisation", "apremis")
    document = json.loads(out)
    assert document["organisation"]["ref"] == "apremis"
    assert "N'Diaye" in out  # names kept readable, not \\u-escaped
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert log.object_type == "organisation"
    assert log.user is None


def test_export_writes_a_file(write, tmp_path):
    run("import", write(rich()))
    target = tmp_path / "export.json"
    out, err = run("export", "--organisation", "apremis", "--output", str(target))
    assert out == ""
    assert "Export écrit dans" in err
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "seuil-exchange/1"


def test_export_of_an_unknown_organisation_is_refused(write):
    run("import", write(rich()))
    message, errors = refused("export", "--organisation", "inconnue")
    assert errors == ["Organisation « inconnue » inconnue."]
    assert message == "Export impossible. Organisations existantes : apremis."


def test_export_into_a_missing_folder_is_refused(write, tmp_path):
    run("import", write(rich()))
    message, errors = refused(
        "export", "--organisation", "apremis", "--output", str(tmp_path / "non" / "x.json")
    )
    assert message == "Export impossible."
    assert errors[0].startswith("Impossible d'écrire dans")
