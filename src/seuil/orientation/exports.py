"""Downloads of the waiting lists (`orientation:waiting_export`, `?format=csv|xlsx`).

One row per household the user sees on a waiting list today, list by list (programme, then
SIAO) in the order of priority: programme, SIAO, position (on the whole list), request and
referral references, household reference and head, dates, waiting days and points.

Every text cell goes through `core.spreadsheet.safe_text` (a leading `=`, `+`, `-`, `@`,
tab or carriage return gets an apostrophe), in the CSV too, so no name typed in Seuil
becomes a formula in a spreadsheet. Each download writes **one access-log row per household
listed** (action `export`, one insert per chunk of households), so that each household's
access log shows who exported it. Both are written in constant memory: the CSV is streamed
line by line, the XLSX written row by row to a temporary file, the households read a chunk
at a time.
"""

import csv
import io
import tempfile

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from seuil.core.audit import record_reads
from seuil.core.models import AccessLog
from seuil.core.policy import Action
from seuil.core.spreadsheet import safe_text
from seuil.core.views_policy import policy

from . import waiting

FORMATS = ("csv", "xlsx")
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


def _head(household):
    head = household.head_on(None)
    if head is None:
        return ""
    return f"{head.person.last_name.upper()} {head.person.first_name}".strip()


def _row(entry, day):
    referral, points = entry.referral, entry.breakdown
    return [
        referral.programme.name,
        referral.siao.name,
        entry.position,
        referral.request.ref,
        referral.ref,
        referral.household.ref,
        _head(referral.household),
        referral.request.received_on,
        referral.admitted_on,
        (day - referral.admitted_on).days,
        points.waiting_points,
        points.criteria_points,
        points.total,
    ]


def waiting_rows(user, day):
    """The rows of the waiting lists `user` sees on `day`, a chunk of households at a time;
    each chunk's access-log rows (action `export`) are written, in one insert, before its
    rows are given."""
    for entries in waiting.entries_in_chunks(user, day):
        record_reads(
            user, [entry.referral.household for entry in entries], action=AccessLog.Action.EXPORT
        )
        for entry in entries:
            yield _row(entry, day)


def _csv(rows):
    """The CSV, line by line (a BOM first, so that spreadsheets read the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")

    def line(values):
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode()

    yield "\ufeff".encode() + line(HEADERS)
    for row in rows:
        yield line(
            [
                value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else safe_text(value)
                for value in row
            ]
        )


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
