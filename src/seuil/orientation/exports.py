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

Lists of more than `SEUIL_EXPORT_INLINE_MAX_ROWS` households in all (2,000 by default) are
prepared in the background (`core.downloads`, kind `waiting_lists`): the person is sent to
the page that shows the progress, then gives the same file; the access-log rows are then
written when the file is made, for its requester. A server process is not held for the
seconds that 10,000 rows take, while others wait.
"""

import csv
import datetime
import io

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from seuil.core.audit import record_selected
from seuil.core.documents import as_attachment
from seuil.core.downloads import prepare
from seuil.core.models import AccessLog
from seuil.core.policy import Action
from seuil.core.spreadsheet import safe_text, styled_cell
from seuil.core.views_policy import policy
from seuil.core.xlsx import SealedFile, Workbook

from . import waiting

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PROGRESS_EVERY = 500  # rows
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


def waiting_rows(user, day, lists, progress=None):
    """The rows of the waiting lists `user` sees on `day` (`lists`: `waiting.exported_lists`),
    list by list; each list's access-log rows (action `export`) are written, in one
    statement, before its rows are given. `progress(done, total)` is told every
    `PROGRESS_EVERY` rows."""
    total = waiting.listed_count(lists) if progress else None
    done = 0
    for households, chunks in waiting.listed_lists(lists):
        record_selected(user, households, action=AccessLog.Action.EXPORT)
        for chunk in chunks:
            for listed in chunk:
                yield _row(listed, day)
                done += 1
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done, total)
    if progress:
        progress(done, total)


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
    """The workbook, written row by row to sealed temporary files (openpyxl's write-only
    mode, `core.xlsx`: the rows are not kept in memory, nor written in clear); the sealed
    file of the workbook, read from its start."""
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Listes d'attente")
    sheet.freeze_panes = "A4"

    def cell(value, **style):
        if hasattr(value, "year"):
            style["number_format"] = "DD/MM/YYYY"
        return styled_cell(sheet, safe_text(value), **style)

    def cells(values, **style):
        return [cell(value, **style) for value in values]

    sheet.append(cells([f"Listes d'attente au {day:%d/%m/%Y}"], font=Font(bold=True, size=14)))
    sheet.append([])
    sheet.append(cells(HEADERS, font=Font(bold=True)))
    for row in rows:
        sheet.append(cells(row))
    output = SealedFile()
    workbook.save(output)
    output.seek(0)
    return output


def _filename(day, fmt):
    return f"listes-d-attente-{day.isoformat()}.{fmt}"


def write_prepared(download, progress):
    """The file of a `PreparedDownload` of kind `waiting_lists` (`core.downloads`), in
    pieces: the lists its requester saw on the day asked."""
    fmt = download.options["format"]
    day = datetime.date.fromisoformat(download.options["day"])
    user = download.requested_by
    rows = waiting_rows(user, day, waiting.exported_lists(user, day), progress)
    if fmt == "csv":
        yield from _csv(rows)
        return
    with _xlsx(rows, day) as output:
        while piece := output.read(CSV_PIECE):
            yield piece


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
    lists = waiting.exported_lists(request.user, day)
    if waiting.listed_count(lists) > settings.SEUIL_EXPORT_INLINE_MAX_ROWS:
        download = prepare(
            request.user,
            "waiting_lists",
            filename=_filename(day, fmt),
            content_type=CONTENT_TYPES[fmt],
            options={"format": fmt, "day": day.isoformat()},
        )
        return redirect("prepared_download", download.uuid)
    rows = waiting_rows(request.user, day, lists)
    if fmt == "csv":
        response = StreamingHttpResponse(_csv(rows), content_type=CONTENT_TYPES[fmt])
    else:
        response = FileResponse(_xlsx(rows, day), content_type=CONTENT_TYPES[fmt])
    return as_attachment(response, _filename(day, fmt))
