"""Downloads of the waiting lists (`orientation:waiting_export`, `?format=csv|xlsx`).

One row per household the user sees on a waiting list today, list by list (programme, then
SIAO) in the order of priority: programme, SIAO, position (on the whole list), request and
referral references, household reference and head, dates, waiting days and points.

Every text cell goes through `core.spreadsheet.safe_text` (a leading `=`, `+`, `-`, `@`,
tab or carriage return gets an apostrophe), in the CSV too, so no name typed in Seuil
becomes a formula in a spreadsheet. Each download writes **one access-log row per household
listed** (action `export`), so that each household's access log shows who exported it: the
database writes those of a list in one statement (`core.audit.record_selected`), before the
list's first row is given. Both formats are written in constant memory: the CSV is streamed
a piece at a time, the XLSX written row by row to a temporary file, the households read a
chunk at a time as plain values from the stored lists (`waiting.listed_lists`: a few
queries per chunk, none per household).
"""

import csv
import io
import tempfile

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from seuil.core.audit import record_selected
from seuil.core.models import AccessLog
from seuil.core.policy import Action
from seuil.core.spreadsheet import safe_text
from seuil.core.views_policy import policy

from . import waiting

FORMATS = ("csv", "xlsx")
CSV_PIECE = 64 * 1024  # characters of the CSV sent at a time
HEADERS = [
    "Dispositif",
    "SIAO",
    "Position",
    "Demande",
    "Orientation",
    "Ménage",
    "Chef de ménage",
    "Demande reçue le",
    "Admis le",
    "Jours d'attente",
    "Points d'attente",
    "Points de priorité",
    "Total des points",
]


def _head(names):
    if names is None:
        return ""
    last_name, first_name = names
    return f"{last_name.upper()} {first_name}".strip()


def _row(listed, day):
    return [
        listed.programme,
        listed.siao,
        listed.position,
        listed.request_ref,
        listed.referral_ref,
        listed.household_ref,
        _head(listed.head),
        listed.received_on,
        listed.admitted_on,
        (day - listed.admitted_on).days,
        listed.waiting_points,
        listed.criteria_points,
        listed.total,
    ]


def waiting_rows(user, day):
    """The rows of the waiting lists `user` sees on `day`, list by list; each list's
    access-log rows (action `export`) are written, in one statement, before its rows are
    given."""
    for households, chunks in waiting.listed_lists(user, day):
        record_selected(user, households, action=AccessLog.Action.EXPORT)
        for chunk in chunks:
            for listed in chunk:
                yield _row(listed, day)


def _csv(rows):
    """The CSV, a BOM first (so that spreadsheets read the accents) with the headers, then
    the lines by pieces of about `CSV_PIECE` characters (not one write to the client per
    line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")

    def taken():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode()

    writer.writerow(HEADERS)
    yield "\ufeff".encode() + taken()
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else safe_text(value)
                for value in row
            ]
        )
        if buffer.tell() >= CSV_PIECE:
            yield taken()
    if buffer.tell():
        yield taken()


def _xlsx(rows, day):
    """The workbook, written row by row to a temporary file (openpyxl's write-only mode:
    the rows are not kept in memory); the file, read from its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Listes d'attente")
    sheet.freeze_panes = "A4"

    def cells(values, **style):
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=safe_text(value))
            for name, setting in style.items():
                setattr(cell, name, setting)
            if hasattr(value, "year"):
                cell.number_format = "DD/MM/YYYY"
            out.append(cell)
        return out

    sheet.append(cells([f"Listes d'attente au {day:%d/%m/%Y}"], font=Font(bold=True, size=14)))
    sheet.append([])
    sheet.append(cells(HEADERS, font=Font(bold=True)))
    for row in rows:
        sheet.append(cells(row))
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


@policy(read=Action.VIEW_WAITING_LISTS)
def waiting_export(request):
    fmt = request.GET.get("format") or "csv"
    if fmt not in FORMATS:
        return HttpResponse(
            f"Format inconnu : « {fmt} » (formats possibles : csv, xlsx).",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    day = timezone.localdate()
    rows = waiting_rows(request.user, day)
    filename = f"listes-d-attente-{day.isoformat()}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        _xlsx(rows, day),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
