"""The exchange file as an XLSX workbook: the template's sheets, headers and drop-down
lists; export → read gives back the same document; errors placed on their sheet, row and
column; the upload checked by its content."""

import datetime
import io
import json
import zipfile
from unittest import mock

import pytest
from openpyxl import load_workbook

from seuil.core.enums import Role
from seuil.core.jsondoc import Code, List
from seuil.core.models import AccessLog, Organisation, User
from seuil.exchange.exporter import dumps, export_organisation, organisation_document
from seuil.exchange.importer import ExchangeValidationError, import_exchange
from seuil.exchange.schema import TOP_KEYS
from seuil.exchange.services import export_workbook, preview
from seuil.exchange.sheets import BY_KEY, SHEETS
from seuil.exchange.workbook import (
    CHOICES_TITLE,
    README_TITLE,
    WorkbookError,
    check_file,
    read_workbook,
    write_workbook,
)
from seuil.housing.enums import Typology
from tests.exchange.conftest import row_counts
from tests.exchange.samples import rich_with_tenancy
from tests.exchange.workbooks import Book

pytestmark = pytest.mark.django_db


@pytest.fixture
def apremis(db):
    import_exchange(rich_with_tenancy())
    return Organisation.objects.get(ref="apremis")


def problems_of(data, organisation):
    """(sheet, row, column, message) of every problem of the preview: the workbook's own
    and the importer's (run and rolled back: nothing written)."""
    found, _ = preview(read_workbook(data, organisation))
    return [(p.sheet, p.row, p.column, p.message) for p in found]


# ---------------------------------------------------------------- the template


def test_the_template_has_a_sheet_per_list_with_french_headers_and_field_names():
    book = load_workbook(io.BytesIO(write_workbook()))
    assert book.sheetnames[0] == README_TITLE
    assert book.sheetnames[1:-1] == [sheet.title for sheet in SHEETS]
    assert book[CHOICES_TITLE].sheet_state == "hidden"
    members = book["Membres"]
    assert [c.value for c in members[1]][:4] == [
        "Ménage (référence)",
        "Référence de la personne",
        "Rôle dans le ménage",
        "Sexe",
    ]
    assert [c.value for c in members[2]][:4] == ["household", "ref", "role", "sex"]
    assert members.row_dimensions[2].hidden
    readme = " ".join(
        str(c.value) for row in book[README_TITLE].iter_rows() for c in row if c.value
    )
    for sheet in SHEETS:
        assert sheet.title in readme


def test_every_list_and_field_of_the_format_has_its_sheet_and_column():
    top = {sheet.key for sheet in SHEETS if "." not in sheet.key}
    assert top == set(TOP_KEYS) - {"format"}
    for sheet in SHEETS:
        columns = {c.field for c in sheet.columns}
        nested = {name for name, f in sheet.spec.items() if isinstance(f, List)}
        assert columns | nested == set(sheet.spec), sheet.key
        assert nested == set(sheet.nested), sheet.key
        for name in sheet.nested:
            assert f"{sheet.key}.{name}" in BY_KEY


def test_each_coded_column_lists_exactly_the_codes_of_the_format():
    for sheet in SHEETS:
        for column in sheet.columns:
            field = sheet.spec[column.field]
            item = getattr(field, "item", field)
            if isinstance(item, Code):
                assert column.choices is not None, (sheet.key, column.field)
                assert tuple(column.choices.values) == tuple(item.choices), column.field
            else:
                assert column.choices is None, (sheet.key, column.field)


def test_coded_columns_offer_a_drop_down_list_of_french_labels():
    book = load_workbook(io.BytesIO(write_workbook()))
    ws = book["Logements"]
    validations = {str(v.sqref).split(":")[0]: v for v in ws.data_validations.dataValidation}
    typology = validations["C3"]  # Typologie
    assert typology.type == "list" and CHOICES_TITLE in typology.formula1
    assert validations["L3"].formula1 == '"Oui,Non"'  # Accessible
    lists = book[CHOICES_TITLE]
    labels = [row[0].value for row in lists.iter_rows(min_row=1) if row[0].value]
    assert "Intermédiation locative" in labels or any(
        "Intermédiation locative" == c.value for row in lists.iter_rows() for c in row
    )


# ---------------------------------------------------------------- round trip


def test_export_then_read_gives_back_the_exported_document(apremis):
    document = export_organisation(apremis)
    data = write_workbook(document)
    reading = read_workbook(data, apremis)
    assert reading.problems == []
    assert json.loads(dumps(reading.document)) == json.loads(dumps(document))


def test_the_workbook_a_user_downloads_reads_back_as_the_exported_document(apremis):
    """The page's workbook walks each list of the document once, a batch of households at
    a time (here two), filling a household's members, statuses and resources sheets as
    it goes: the same workbook as the whole document's."""
    user = User.objects.create(username="gestion", organisation=apremis, role=Role.SERVICE_MANAGER)
    with mock.patch("seuil.exchange.batches.BATCH_SIZE", 2):
        data = export_workbook(user)
    reading = read_workbook(data, apremis)
    assert reading.problems == []
    assert json.loads(dumps(reading.document)) == json.loads(dumps(export_organisation(apremis)))
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, user=user).count() == 1


def test_the_workbook_tells_its_progress_in_rows_of_the_main_lists(apremis):
    """What the page of a workbook prepared in the background shows: the rows of the
    main lists written (a household with its members is one), out of all of them."""
    told = []
    write_workbook(
        organisation_document(apremis), progress=lambda done, total: told.append((done, total))
    )
    exported = export_organisation(apremis)
    total = sum(len(value) for value in exported.values() if isinstance(value, list))
    assert total > 20
    assert told == [(done, total) for done in range(1, total + 1)]


def test_the_exported_workbook_shows_labels_dates_and_oui_non(apremis):
    book = Book(write_workbook(export_organisation(apremis)))
    assert book.get("Logements", "typology", "L02-A") == "Chambre"
    assert book.get("Logements", "accessible", "L03") == "Oui"
    assert book.get("Logements", "captured_on", "L03") == datetime.datetime(2021, 1, 15)
    assert book.get("Ménages", "prior_situation", "M03") == "Rue ou 115"
    assert book.get("Ressources", "types", "M03") == "Aucune ressource"


def test_importing_the_exported_workbook_changes_nothing(apremis):
    before = row_counts()
    reading = read_workbook(write_workbook(export_organisation(apremis)), apremis)
    assert not import_exchange(reading.document).changed
    assert row_counts() == before


def test_cells_typed_by_hand_read_as_the_exported_ones(apremis):
    book = Book(write_workbook(export_organisation(apremis)))
    book.set("Logements", "captured_on", "L03", "15/01/2021")
    book.set("Logements", "rent", "L01", "420,50")
    book.set("Logements", "typology", "L01", "t3")
    book.set("Logements", "accessible", "L01", "non")
    book.set("Ressources", "types", "M01", "RSA ; prestations familiales", key_field="household")
    reading = read_workbook(book.bytes(), apremis)
    assert reading.problems == []
    assert not import_exchange(reading.document).changed


# ---------------------------------------------------------------- errors


def test_errors_in_several_sheets_are_each_placed_and_nothing_is_written(apremis):
    book = Book(write_workbook(export_organisation(apremis)))
    book.set("Logements", "typology", "L01", "T9")
    book.set("Logements", "rent", "L02", "beaucoup")
    member_row = book.set("Membres", "birth_date", "P02", "31/02/2012", key_field="ref")
    book.set("Séjours", "household", "S02", "M99")
    book.set("Paiements", "amount", "R01", -5)
    before = row_counts()
    found = problems_of(book.bytes(), apremis)
    labels = ", ".join(f"« {label} »" for label in Typology.labels)
    assert found == [
        ("Logements", 3, "C", f"valeur inconnue « T9 » (choisir dans la liste : {labels})"),
        ("Logements", 4, "I", "nombre invalide « beaucoup »"),
        ("Membres", member_row, "E", "date inexistante « 31/02/2012 »"),
        ("Séjours", 4, "B", "ménage « M99 » inconnu (ni dans le fichier ni en base)"),
        ("Paiements", 3, "D", "nombre négatif interdit"),
    ]
    assert row_counts() == before


def test_a_workbook_of_another_organisation_is_refused(apremis):
    other = Organisation.objects.create(ref="autre", name="Autre association")
    data = write_workbook(export_organisation(apremis))
    found = problems_of(data, other)
    assert found[0][:3] == ("Organisation", 3, "A")
    assert "« apremis »" in found[0][3] and "« autre »" in found[0][3]


def test_a_person_of_another_organisation_is_refused_as_seuil_import_refuses_it(apremis):
    other = Organisation.objects.create(ref="autre", name="Autre association")
    book = Book(write_workbook({"organisation": {"ref": "autre", "name": "Autre association"}}))
    book.append(
        "Séjours", {"ref": "S9", "household": "M01", "unit": "L01", "entered_on": "2024-01-01"}
    )
    reading = read_workbook(book.bytes(), other)
    with pytest.raises(ExchangeValidationError) as from_workbook:
        import_exchange(reading.document, dry_run=True)
    json_document = {**reading.document}
    with pytest.raises(ExchangeValidationError) as from_json:
        import_exchange(json.loads(dumps(json_document)))
    assert from_workbook.value.items == from_json.value.items
    assert any("M01" in message for _, message in from_workbook.value.items)


def test_a_removed_sheet_leaves_its_data_alone_and_a_sheet_present_is_the_whole_list(apremis):
    book = Book(write_workbook(export_organisation(apremis)))
    book.remove("Membres")
    book.remove("Statuts administratifs")
    reading = read_workbook(book.bytes(), apremis)
    assert "members" not in reading.document["households"][0]
    assert not import_exchange(reading.document).changed
    book = Book(write_workbook(export_organisation(apremis)))
    book.delete_rows("Membres", "M02")
    summary = import_exchange(read_workbook(book.bytes(), apremis).document, dry_run=True)
    assert summary.counts["memberships"].deleted == 1


def test_a_nested_row_naming_no_parent_row_and_unknown_sheets_and_columns_are_errors(apremis):
    book = Book(write_workbook(export_organisation(apremis)))
    row = book.append("Membres", {"household": "M77", "ref": "P77", "role": "Enfant"})
    book.book.create_sheet("Mes notes")
    book.book["Ménages"].cell(1, 5, "Commentaire")
    found = problems_of(book.bytes(), apremis)
    assert ("Ménages", 1, "E") in [f[:3] for f in found]
    assert ("Membres", row, "A") in [f[:3] for f in found]
    assert any(f[0] == "Mes notes" and "feuille inconnue" in f[3] for f in found)


def test_without_the_hidden_row_the_french_headers_are_read(apremis):
    book = Book(write_workbook(export_organisation(apremis)))
    for title in book.book.sheetnames:
        if title not in (README_TITLE, CHOICES_TITLE):
            book.book[title].delete_rows(2)
    reading = read_workbook(book.bytes(), apremis)
    assert reading.problems == []
    assert not import_exchange(reading.document).changed


# ---------------------------------------------------------------- the file itself


def _zip(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "vide"),
        (b"%PDF-1.7 this is a pdf", "n'est pas un classeur Excel (.xlsx)"),
        ("nom;prénom\nDupont;Anne\n".encode(), "n'est pas un classeur Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ancien format (.xls)"),
        (_zip({"word/document.xml": "<w/>", "[Content_Types].xml": "<t/>"}), "(.xlsx)"),
        (
            _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
            "OpenDocument (.ods)",
        ),
        (b"PK\x03\x04 not really a zip", "n'est pas un classeur Excel (.xlsx)"),
    ],
)
def test_a_file_that_is_no_xlsx_workbook_is_refused_whatever_its_name(data, message):
    with pytest.raises(WorkbookError, match=None) as refused:
        check_file(data)
    assert message in str(refused.value)


def test_an_oversized_or_bomb_workbook_is_refused(monkeypatch):
    from seuil.exchange import workbook

    data = write_workbook()
    monkeypatch.setattr(workbook, "MAX_BYTES", len(data) - 1)
    with pytest.raises(WorkbookError, match="dépasse"):
        check_file(data)
    monkeypatch.undo()
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(WorkbookError, match="décompressé"):
        check_file(data)


def test_a_damaged_workbook_is_refused_in_french():
    data = _zip({"xl/workbook.xml": "<not-a-workbook", "[Content_Types].xml": "<Types/>"})
    check_file(data)
    with pytest.raises(WorkbookError, match="ne peut pas être lu"):
        read_workbook(data, Organisation(ref="x", name="X"))


def test_a_workbook_with_xml_entities_is_refused_before_they_expand():
    from openpyxl.xml import functions

    assert functions.iterparse.__module__.startswith("defusedxml")  # sheets: defusedxml
    source = zipfile.ZipFile(io.BytesIO(write_workbook()))
    out = io.BytesIO()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = bomb.encode() + content.split(b"?>", 1)[-1]
            archive.writestr(item, content)
    data = out.getvalue()
    check_file(data)
    with pytest.raises(WorkbookError, match="ne peut pas être lu"):
        read_workbook(data, Organisation(ref="x", name="X"))


def test_a_new_name_for_the_organisation_is_refused_with_what_to_do(apremis):
    book = Book(write_workbook(export_organisation(apremis)))
    book.set("Organisation", "name", "apremis", "APREMIS renommée")
    assert problems_of(book.bytes(), apremis) == [
        (
            "Organisation",
            3,
            "B",
            "l'organisation « apremis » s'appelle « APREMIS – Association d'aide », pas "
            "« APREMIS renommée » : un import depuis l'interface ne la renomme pas "
            "(remettez son nom actuel dans la feuille « Organisation »)",
        )
    ]
