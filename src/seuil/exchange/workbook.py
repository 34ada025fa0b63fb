"""The exchange file as an XLSX workbook: the template, the export, and the reading of an
operator's workbook into a `seuil-exchange/1` document.

- `write_workbook(document)`: one sheet per list (`sheets.SHEETS`), row 1 the French
  headers, row 2 (hidden) the exchange field names, then one row per item; drop-down lists
  for the coded fields and « Oui / Non »; a « Lisez-moi » sheet first. Without a document,
  the empty template.
- `check_file(data)`: the upload is an XLSX workbook (by its content, not its name), of a
  bounded size, unpacked included (a zip bomb is refused before it is opened).
- `read_workbook(data, organisation)`: the document the workbook describes, and every
  problem of its cells with its sheet, row and column. The document then goes to
  `importer.import_exchange`, the code of `seuil import`; the (path, message) errors it
  raises are placed back on their cells by `Reading.locate`.

The workbook's columns are found by the field names of row 2 (so that the headers may be
reworded), or, when row 2 is gone, by the French headers of row 1.
"""

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from seuil.core.jsondoc import Text
from seuil.core.spreadsheet import styled_cell
from seuil.core.xlsx import Workbook

from . import cells
from .batches import items_in
from .schema import FORMAT
from .sheets import BY_KEY, CHOICES_TITLE, README_TITLE, SHEETS

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_MEMBERS = 2000
HEADER_ROW, NAMES_ROW, FIRST_ROW = 1, 2, 3
VALIDATED_ROWS = 2000  # the drop-down lists reach this many rows below the data
LINK_FIELD = Text(max_length=100, default=None)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PATH_PART = re.compile(r"^(?P<head>.*?)(?:\.(?P<name>[A-Za-z_]+)|\[(?P<index>\d+)\])$")
PATH_IN_MESSAGE = re.compile(r"\b([a-z_]+(?:\[\d+\])(?:\.[a-z_]+\[\d+\])*)")
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")


class WorkbookError(ValueError):
    """An upload that is no readable XLSX workbook; the message is in French."""


@dataclass(frozen=True, order=True)
class Problem:
    """One error of a workbook: where (sheet title, row, column letter and header; empty
    for the whole file, sheet or row) and what, in French."""

    order: tuple = field(repr=False)
    sheet: str
    row: int | None
    column: str
    header: str
    message: str

    def as_dict(self):
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }


# ---------------------------------------------------------------- writing


def field_of(sheet, column):
    return LINK_FIELD if column is sheet.link else sheet.spec[column.field]


def write_workbook(document=None, progress=None):
    """The XLSX bytes of the template, filled with `document` when given.

    Written in openpyxl's write-only mode: each row goes to a sealed temporary file as it
    is written (`core.xlsx`), instead of a cell object per value kept until the end (the
    workbook of 30,000 households took 300 MB more and twice the time). Each top-level list
    of the document is walked once: an item's row goes to its sheet, its nested lists' rows
    to theirs (a list read from the database a batch at a time is read once).
    `progress(done, total)`, when given, is told after each item of a top-level list how
    many of them are written (a household with its members and resources is one)."""
    book = Workbook(write_only=True)
    enums = _choice_enums()
    lists = _choice_ranges(enums)
    _write_readme(book.create_sheet(README_TITLE))
    writers = {sheet.key: _SheetWriter(book.create_sheet(sheet.title), sheet) for sheet in SHEETS}
    document = document or {}
    seen = {sheet.key: set() for sheet in SHEETS}
    top = [sheet for sheet in SHEETS if not sheet.single and sheet.parent is None]
    total = sum(items_in(document.get(sheet.key) or []) for sheet in top) if progress else 0
    done = 0
    for sheet in SHEETS:
        if sheet.single:
            if document.get("organisation"):
                writers[sheet.key].append(document["organisation"])
        elif sheet.parent is None:
            for item in document.get(sheet.key) or []:
                _append(writers, sheet, item, seen)
                done += 1
                if progress is not None:
                    progress(done, total)
    for writer in writers.values():
        writer.finish(lists)
    _write_choices(book.create_sheet(CHOICES_TITLE), enums)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CHILDREN = {
    parent: [sheet for sheet in SHEETS if sheet.parent == parent]
    for parent in {sheet.parent for sheet in SHEETS}
}


def _append(writers, sheet, row, seen):
    """`row` to its sheet, then the items of its nested lists to theirs, with its ref in
    their link column (a parent met twice, a person in two households, gives its items
    once)."""
    writers[sheet.key].append(row)
    for child in CHILDREN.get(sheet.key, ()):
        ref = row.get("ref")
        if ref in seen[child.key]:
            continue
        seen[child.key].add(ref)
        for item in row.get(child.list_name) or []:
            _append(writers, child, {child.link.field: ref, **item}, seen)


def _choice_enums():
    """The enums of the coded columns, each once, in the order of the sheets."""
    enums = []
    for sheet in SHEETS:
        for column in sheet.columns:
            if column.choices is not None and column.choices not in enums:
                enums.append(column.choices)
    return enums


def _choice_ranges(enums):
    """{enum: the range of its drop-down list} on the hidden sheet of the lists."""
    ranges = {}
    for i, enum in enumerate(enums, start=1):
        letter = get_column_letter(i)
        ranges[enum] = f"'{CHOICES_TITLE}'!${letter}$2:${letter}${len(enum.labels) + 1}"
    return ranges


def _write_choices(ws, enums):
    """The hidden sheet of the drop-down lists: one column per enum, its name then its
    labels."""
    ws.sheet_state = "hidden"
    ws.append([enum.__name__ for enum in enums])
    columns = [[str(label) for label in enum.labels] for enum in enums]
    for j in range(max(len(labels) for labels in columns)):
        ws.append([labels[j] if j < len(labels) else None for labels in columns])


NUMBER_FORMATS = {
    "date": "DD/MM/YYYY",
    "amount": "#,##0.00",
    "text": "@",
    "texts": "@",
    "codes": "@",
    "month": "@",
}


class _SheetWriter:
    """One sheet of the workbook, written a row at a time: its widths, formats and two
    header rows first, the drop-down lists and checks of its columns at the end."""

    def __init__(self, ws, sheet):
        self.ws = ws
        self.columns = sheet.all_columns()
        self.fields = [field_of(sheet, column) for column in self.columns]
        self.kinds = [cells.kind_of(field) for field in self.fields]
        self.formats = [NUMBER_FORMATS.get(kind) for kind in self.kinds]
        self.count = 0
        # What a write-only sheet writes before its first row: widths, formats, frozen rows.
        for j, (column, number_format) in enumerate(
            zip(self.columns, self.formats, strict=True), start=1
        ):
            dimension = ws.column_dimensions[get_column_letter(j)]
            dimension.width = max(14, min(40, len(column.header) + 4))
            if number_format:
                dimension.number_format = number_format
        ws.row_dimensions[NAMES_ROW].hidden = True
        ws.freeze_panes = f"A{FIRST_ROW}"
        header = {
            "font": Font(bold=True),
            "fill": HEADER_FILL,
            "alignment": Alignment(wrap_text=True, vertical="top"),
        }
        ws.append([styled_cell(ws, column.header, **header) for column in self.columns])
        names = Font(italic=True, color="808080")
        ws.append([styled_cell(ws, column.field, font=names) for column in self.columns])

    def append(self, row):
        values = []
        for column, spec, number_format in zip(
            self.columns, self.fields, self.formats, strict=True
        ):
            value = cells.write_cell(row.get(column.field), spec, column.choices)
            if number_format and value is not None:
                value = styled_cell(self.ws, value, number_format=number_format)
            values.append(value)
        self.ws.append(values)
        self.count += 1

    def finish(self, lists):
        last = FIRST_ROW + self.count + VALIDATED_ROWS
        for j, (column, kind) in enumerate(zip(self.columns, self.kinds, strict=True), start=1):
            validation = _validation(kind, column, lists)
            if validation is not None:
                letter = get_column_letter(j)
                validation.add(f"{letter}{FIRST_ROW}:{letter}{last}")
                self.ws.data_validations.append(validation)


def _validation(kind, column, lists):
    if kind == "code":
        formula = f"={lists[column.choices]}"
    elif kind in ("boolean", "answer"):
        formula = f'"{cells.LABEL_YES},{cells.LABEL_NO}"'
    else:
        return None
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Valeur inconnue",
        error="Choisissez une valeur de la liste.",
    )


README = (
    "Ce classeur sert à importer dans Seuil les données de votre organisation, ou à les "
    "en exporter. Chaque feuille est une liste : une ligne par élément, à partir de la "
    "ligne 3.",
    "La ligne 1 donne l'intitulé de chaque colonne ; la ligne 2, masquée, le nom de la "
    "colonne pour Seuil : ne la modifiez pas et ne supprimez pas de colonne.",
    "Les éléments se désignent par leur référence (colonne « Référence ») : un logement "
    "nomme son dispositif par la référence de celui-ci, un séjour son ménage et son "
    "logement, etc. Importer une ligne dont la référence existe déjà met l'élément à jour, "
    "sans le créer une seconde fois.",
    "Dates au format JJ/MM/AAAA ; montants en euros (420,50) ; « Oui » ou « Non » ; les "
    "colonnes à liste déroulante prennent une valeur de la liste. Plusieurs ressources ou "
    "plusieurs communes dans une cellule : séparées par des points-virgules.",
    "Une feuille supprimée du classeur laisse les données correspondantes telles qu'elles "
    "sont dans Seuil. Une feuille présente fait foi : par exemple, la feuille Membres "
    "donne la composition complète des ménages du classeur.",
    "L'import est tout ou rien : Seuil vérifie d'abord tout le classeur et montre chaque "
    "erreur avec sa feuille, sa ligne et sa colonne ; rien n'est enregistré tant qu'il "
    "reste une erreur. Importer deux fois le même classeur ne change rien la seconde fois.",
    "Ce classeur contient des données personnelles : ne l'envoyez pas par courriel sans "
    "protection, et supprimez-le une fois l'import fait.",
)


def _write_readme(ws):
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 100
    top = Alignment(vertical="top")
    wrapped = Alignment(wrap_text=True, vertical="top")
    ws.append([styled_cell(ws, "Classeur d'échange Seuil", font=Font(bold=True, size=14))])
    ws.append([])
    row = 3  # the row appended next
    for paragraph in README:
        ws.merged_cells.add(f"A{row}:B{row}")
        ws.row_dimensions[row].height = 45
        ws.append([styled_cell(ws, paragraph, alignment=wrapped)])
        row += 1
    ws.append([])
    ws.append([styled_cell(ws, title, font=Font(bold=True)) for title in ("Feuille", "Contenu")])
    row += 2
    for sheet in SHEETS:
        required = [
            c.header
            for c in sheet.all_columns()
            if c is sheet.link or getattr(sheet.spec.get(c.field), "required", False)
        ]
        text = sheet.about
        if required:
            text += " Colonnes obligatoires : " + ", ".join(required) + "."
        ws.row_dimensions[row].height = 48
        ws.append(
            [styled_cell(ws, sheet.title, alignment=top), styled_cell(ws, text, alignment=wrapped)]
        )
        row += 1
    ws.append([])
    ws.append([styled_cell(ws, f"Format : {FORMAT}", font=Font(italic=True, color="808080"))])


# ---------------------------------------------------------------- checking the upload


def check_file(data):
    """Raise WorkbookError unless `data` is an XLSX workbook of acceptable size."""
    if not data:
        raise WorkbookError("le fichier est vide.")
    if len(data) > MAX_BYTES:
        raise WorkbookError(f"le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo.")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WorkbookError(
            "c'est un classeur Excel de l'ancien format (.xls) : ouvrez-le et "
            "enregistrez-le au format « Classeur Excel (.xlsx) »."
        )
    not_xlsx = WorkbookError(
        "ce fichier n'est pas un classeur Excel (.xlsx), quel que soit son nom : "
        "téléchargez le modèle et remplissez-le."
    )
    if data[:4] != b"PK\x03\x04":
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                raise WorkbookError(
                    "c'est un classeur OpenDocument (.ods) : enregistrez-le au format "
                    "« Classeur Excel (.xlsx) »."
                )
    except zipfile.BadZipFile:
        raise not_xlsx from None
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise not_xlsx
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError("le classeur est trop volumineux une fois décompressé.")


# ---------------------------------------------------------------- reading


@dataclass
class _Read:
    """One sheet as read: its rows as {field: JSON value}, with their row numbers."""

    sheet: object
    title: str
    columns: dict  # field → (letter, header)
    rows: list = field(default_factory=list)  # (row number, {field: value}, fields failed)


class Reading:
    """A workbook read: `document` (the exchange document), `problems` (the errors of its
    cells and sheets), and what places an importer's error on its cell (`locate`)."""

    def __init__(self):
        self.document = None
        self.problems = []
        self.places = {}  # path of an object of the document → (sheet key, title, row)
        self.columns = {}  # sheet key → {field: (letter, header)}
        self.titles = {}  # sheet key → the title in the workbook
        self.failed = set()  # paths of the cells already reported (not read)
        self.missing = set()  # (sheet key, field) of the required columns left out

    def problem(self, sheet_key, row, field_name, message, *, title=None):
        order_key = (_sheet_order(sheet_key), row or 0)
        title = title or self.titles.get(sheet_key) or getattr(BY_KEY.get(sheet_key), "title", "")
        letter, header = self.columns.get(sheet_key, {}).get(field_name, ("", ""))
        if field_name and not header and sheet_key in BY_KEY:
            header = next(
                (c.header for c in BY_KEY[sheet_key].all_columns() if c.field == field_name), ""
            )
        column_order = (len(letter), letter)
        problem = Problem((*order_key, column_order, message), title, row, letter, header, message)
        self.problems.append(problem)
        return problem

    def locate(self, path, message):
        """The Problem of an importer's error (`path`, `message`); None for an error
        already reported on its cell."""
        if path in self.failed:
            return None
        head, parts = path, []
        while head and head not in self.places:
            match = PATH_PART.match(head)
            if match is None:
                break
            parts.append(match["name"] or match["index"])
            head = match["head"]
        message = self.humanise(message)
        if head in self.places:
            key, _, row = self.places[head]
            name = parts[-1] if parts and not parts[-1].isdigit() else ""
            if (key, name) in self.missing:
                return None
            return self.problem(key, row, name, message)
        top = path.split("[", 1)[0].split(".", 1)[0]
        key = top if top in BY_KEY else ""
        return self.problem(key, None, "", message, title=None if key else "")

    def humanise(self, message):
        """A message naming a row by its path (« déjà en households[0] ») names it by its
        sheet and row."""

        def place(match):
            path = match.group(1)
            found = self.places.get(path)
            if found is None:
                return path
            _, title, row = found
            return f"feuille « {title} », ligne {row}"

        return PATH_IN_MESSAGE.sub(place, message)

    def sorted_problems(self):
        return sorted(self.problems)

    def saved(self):
        """What `restore` needs to place errors later (no cell value: places only)."""
        return {
            "places": {path: list(place) for path, place in self.places.items()},
            "columns": {
                key: {f: list(c) for f, c in cols.items()} for key, cols in self.columns.items()
            },
            "titles": self.titles,
        }

    @classmethod
    def restore(cls, saved):
        reading = cls()
        reading.places = {path: tuple(place) for path, place in saved.get("places", {}).items()}
        reading.columns = {
            key: {f: tuple(c) for f, c in cols.items()}
            for key, cols in saved.get("columns", {}).items()
        }
        reading.titles = saved.get("titles", {})
        return reading


def _sheet_order(key):
    keys = [sheet.key for sheet in SHEETS]
    return keys.index(key) + 1 if key in keys else 0


def read_workbook(data, organisation):
    """Read the workbook `data` (checked by `check_file`) for `organisation`: a Reading."""
    reading = Reading()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            found = _read_sheets(book, reading)
        finally:
            book.close()
    except Exception as error:  # noqa: BLE001 — any failure of the XML or zip reading
        # The type only: the message may quote the workbook's content.
        logger.warning("unreadable workbook (%s)", type(error).__name__)
        raise WorkbookError(
            "le classeur ne peut pas être lu (fichier abîmé, protégé par un mot de passe, "
            "ou contenu refusé par sécurité)."
        ) from None
    reading.document = _document(found, reading, organisation)
    return reading


def _match_sheet(title):
    folded = title.strip().casefold()
    for sheet in SHEETS:
        if folded in (sheet.title.casefold(), sheet.key.casefold()):
            return sheet
    return None


def _read_sheets(book, reading):
    found = {}
    for ws in book.worksheets:
        title = ws.title
        if title.strip().casefold() in (README_TITLE.casefold(), CHOICES_TITLE.casefold()):
            continue
        sheet = _match_sheet(title)
        if sheet is None:
            reading.problem(
                "",
                None,
                "",
                f"feuille inconnue « {title} » : renommez-la comme une feuille du modèle, "
                "ou supprimez-la (la feuille « Lisez-moi » les liste toutes).",
                title=title,
            )
            continue
        if sheet.key in found:
            reading.problem(
                sheet.key,
                None,
                "",
                f"la feuille « {title} » est en double (déjà lue sous le nom "
                f"« {found[sheet.key].title} »).",
                title=title,
            )
            continue
        reading.titles[sheet.key] = title
        found[sheet.key] = _read_sheet(ws, sheet, title, reading)
    return found


def _header_map(sheet, header, names):
    """{column index: Column} from row 2 (field names) or, without it, row 1 (headers);
    the first data row; the unknown column titles as (index, title)."""
    by_field = {c.field: c for c in sheet.all_columns()}
    headers = [str(v).strip() if v is not None else "" for v in header]
    named = [str(v).strip() if v is not None else "" for v in names]
    if any(name in by_field for name in named):
        keys, first, lookup = named, FIRST_ROW, by_field
    else:
        keys, first = [text.casefold() for text in headers], NAMES_ROW
        lookup = {c.header.casefold(): c for c in sheet.all_columns()}
        lookup.update({c.field.casefold(): c for c in sheet.all_columns()})
    mapping, unknown = {}, []
    for i in range(max(len(headers), len(keys))):
        key = keys[i] if i < len(keys) else ""
        shown = (headers[i] if i < len(headers) else "") or key
        if not key:
            if shown:  # a column added by hand, with a title and no field name
                unknown.append((i, shown))
            continue
        column = lookup.get(key)
        if column is None:
            unknown.append((i, shown))
        else:
            mapping[i] = column
    return mapping, first, unknown


def _read_sheet(ws, sheet, title, reading):
    rows = ws.iter_rows(values_only=True)
    header = list(next(rows, ()) or ())
    names = list(next(rows, ()) or ())
    mapping, first, unknown = _header_map(sheet, header, names)
    columns = {
        column.field: (get_column_letter(i + 1), column.header) for i, column in mapping.items()
    }
    reading.columns[sheet.key] = columns
    read = _Read(sheet, title, columns)
    for i, shown in unknown:
        letter = get_column_letter(i + 1)
        reading.problems.append(
            Problem(
                (_sheet_order(sheet.key), HEADER_ROW, (len(letter), letter), ""),
                title,
                HEADER_ROW,
                letter,
                str(shown),
                f"colonne inconnue « {shown} » : remettez l'intitulé du modèle ou "
                "supprimez la colonne.",
            )
        )
    duplicates = {c.field for c in mapping.values()}
    if len(duplicates) != len(mapping):
        reading.problem(sheet.key, HEADER_ROW, "", "une colonne est en double.")
    for column in sheet.all_columns():
        needed = column is sheet.link or getattr(sheet.spec.get(column.field), "required", False)
        if needed and column.field not in columns:
            reading.missing.add((sheet.key, column.field))
            reading.problem(
                sheet.key, HEADER_ROW, "", f"colonne obligatoire « {column.header} » absente."
            )
    data_rows = rows if first == FIRST_ROW else _chain([names], rows)
    for number, values in enumerate(data_rows, start=first):
        if not values or all(cells._blank(v) for v in values):
            continue
        item, failed = {}, set()
        for i, column in mapping.items():
            value = values[i] if i < len(values) else None
            try:
                item[column.field] = cells.read_cell(value, field_of(sheet, column), column.choices)
            except cells.CellError as error:
                item[column.field] = None
                failed.add(column.field)
                reading.problem(sheet.key, number, column.field, str(error))
        read.rows.append((number, item, failed))
    return read


def _chain(first, rest):
    yield from first
    yield from rest


# ---------------------------------------------------------------- the document


def _document(found, reading, organisation):
    document = {"format": FORMAT, "organisation": _organisation(found, reading, organisation)}
    for sheet in SHEETS:
        if sheet.single or sheet.key not in found:
            continue
        if sheet.parent is not None and sheet.parent not in found:
            reading.problem(
                sheet.key,
                None,
                "",
                f"cette feuille complète la feuille « {BY_KEY[sheet.parent].title} », "
                "absente du classeur : remettez-la, ou supprimez celle-ci.",
            )
    for sheet in SHEETS:
        if sheet.single or sheet.parent is not None or sheet.key not in found:
            continue
        items = []
        for i, (number, item, failed) in enumerate(found[sheet.key].rows):
            _place(reading, f"{sheet.key}[{i}]", sheet, number, failed)
            items.append(item)
        document[sheet.key] = items
    for sheet in SHEETS:
        if sheet.parent is not None and sheet.key in found and sheet.parent in found:
            _attach(sheet, found, document, reading)
    return document


def _place(reading, path, sheet, number, failed):
    """Remember where the object `path` comes from, and which of its cells were reported."""
    reading.places[path] = (sheet.key, reading.titles.get(sheet.key, sheet.title), number)
    for name in failed:
        reading.failed.add(f"{path}.{name}")


def _parents(document, key):
    """(path, row) of every row of the sheet `key` in the document."""
    sheet = BY_KEY[key]
    if sheet.parent is None:
        return [(f"{key}[{i}]", row) for i, row in enumerate(document.get(key) or [])]
    found = []
    for path, parent in _parents(document, sheet.parent):
        for j, row in enumerate(parent.get(sheet.list_name) or []):
            found.append((f"{path}.{sheet.list_name}[{j}]", row))
    return found


def _attach(sheet, found, document, reading):
    """Give each row of the parent sheet its items of `sheet` (all of them: the sheet is
    there, so it is the whole list), and each item its place."""
    link = sheet.link.field
    by_parent = {}
    for number, item, failed in found[sheet.key].rows:
        ref = item.pop(link, None)
        if link in failed:
            continue
        if ref is None:
            if (sheet.key, link) not in reading.missing:
                reading.problem(sheet.key, number, link, f"« {sheet.link.header} » manquante.")
            continue
        by_parent.setdefault(ref, []).append((number, item, failed))
    parents = _parents(document, sheet.parent)
    known = {row.get("ref") for _, row in parents}
    parent_title = reading.titles.get(sheet.parent, BY_KEY[sheet.parent].title)
    for ref, items in by_parent.items():
        if ref not in known:
            for number, _, _ in items:
                reading.problem(
                    sheet.key,
                    number,
                    link,
                    f"« {ref} » : aucune ligne de la feuille « {parent_title} » n'a cette "
                    "référence.",
                )
    for path, parent in _parents(document, sheet.parent):
        items = by_parent.get(parent.get("ref"), [])
        parent[sheet.list_name] = [dict(item) for _, item, _ in items]
        for k, (number, _, failed) in enumerate(items):
            _place(reading, f"{path}.{sheet.list_name}[{k}]", sheet, number, failed)


def _organisation(found, reading, organisation):
    """The organisation of the document: the user's. A workbook naming another one is
    refused; what it leaves blank is the organisation's as Seuil knows it."""
    current = {
        "ref": organisation.ref,
        "name": organisation.name,
        "kind": organisation.kind,
        "department": organisation.department,
    }
    read = found.get("organisation")
    if read is None or not read.rows:
        return current
    (number, row, failed), *others = read.rows
    _place(reading, "organisation", BY_KEY["organisation"], number, failed)
    for extra, _, _ in others:
        reading.problem("organisation", extra, "", "une seule ligne attendue (votre organisation).")
    given = row.get("ref")
    if given is not None and given != organisation.ref:
        reading.problem(
            "organisation",
            number,
            "ref",
            f"ce classeur est celui de l'organisation « {given} » : vous ne pouvez importer "
            f"que les données de votre organisation « {organisation.ref} » "
            f"({organisation.name}).",
        )
        reading.failed.add("organisation.ref")
    merged = {**current, **{k: v for k, v in row.items() if v is not None}}
    merged["ref"] = organisation.ref
    return merged
