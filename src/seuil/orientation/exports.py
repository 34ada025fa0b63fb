"""Downloads of the waiting lists (`orientation:waiting_export`, `?format=csv|xlsx`).

One row per household the user sees on a waiting list today, list by list (programme, then
SIAO) in the order of priority: programme, SIAO, position (on the whole list), request and
referral references, household reference and head, dates, waiting days and points.

Every text cell goes through `core.spreadsheet.safe_text` (a leading `=`, `+`, `-`, `@`,
tab or carriage return gets an apostrophe), in the CSV too, so no name typed in Seuil
becomes a formula in a spreadsheet. Each download writes **one access-log row per household
listed** (action `export`, all in one insert), so that each household's access log shows
who exported it.
"""

import csv
import io

from django.db import transaction
from django.http import HttpResponse
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


def waiting_rows(user, day):
    """([row], [household]) of the waiting lists `user` sees on `day`."""
    rows, households = [], []
    for programme in waiting.programmes_with_lists(user).order_by("name", "pk"):
        for waiting_list in waiting.waiting_lists(user, programme, day):
            for entry in waiting_list.entries:
                referral, points = entry.referral, entry.breakdown
                rows.append(
                    [
                        programme.name,
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
                )
                households.append(referral.household)
    return rows, households


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else safe_text(value)
                for value in row
            ]
        )
    # A BOM so that spreadsheets read the accents.
    return ("\ufeff" + buffer.getvalue()).encode(), "text/csv; charset=utf-8"


def _xlsx(rows, day):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Listes d'attente"
    sheet.append([f"Listes d'attente au {day:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A4"
    for row in rows:
        sheet.append([safe_text(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if hasattr(cell.value, "year"):
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return (
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


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
    with transaction.atomic():
        rows, households = waiting_rows(request.user, day)
        record_reads(request.user, households, action=AccessLog.Action.EXPORT)
    body, content_type = _csv(rows) if fmt == "csv" else _xlsx(rows, day)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="listes-d-attente-{day.isoformat()}.{fmt}"'
    )
    return response
