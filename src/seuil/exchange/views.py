"""The spreadsheet pages: the template and the export to download, the upload, the preview
of a workbook with its errors, the import and its result (IMPORT_ORGANISATION and
EXPORT_ORGANISATION: the service manager and the administrator, of their organisation)."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRefresh

from seuil.core.documents import as_attachment
from seuil.core.downloads import prepare
from seuil.core.pages import object_or_404
from seuil.core.policy import Action
from seuil.core.views_policy import policy
from seuil.core.workers import progress_warnings
from seuil.households.models import Household

from . import services
from .forms import WorkbookForm
from .models import ImportStatus, SpreadsheetImport
from .workbook import XLSX_TYPE, write_workbook

RECENT = 20


def _xlsx(data, filename):
    response = HttpResponse(data, content_type=XLSX_TYPE)
    return as_attachment(response, filename)


@policy(read=Action.IMPORT_ORGANISATION, write=Action.IMPORT_ORGANISATION)
def imports(request):
    """The page: download the template or the export, upload a workbook, the imports."""
    form = WorkbookForm()
    if request.method == "POST":
        form = WorkbookForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record = services.upload_workbook(form.cleaned_data["workbook"], request.user)
            except services.UploadRefused as refused:
                form.add_error("workbook", str(refused))
            else:
                return redirect("exchange:import_detail", record.uuid)
    records = (
        SpreadsheetImport.objects.visible_to(request.user)
        .select_related("created_by")
        .defer("workbook", "document", "problems", "places")
    )
    return render(
        request,
        "exchange/imports.html",
        {
            "form": form,
            "records": records[:RECENT],
            "inline_max": settings.SEUIL_EXPORT_INLINE_MAX_ROWS,
        },
    )


@policy(read=Action.IMPORT_ORGANISATION)
def template(request):
    """The empty workbook to fill in."""
    return _xlsx(write_workbook(), "seuil-modele-import.xlsx")


@policy(read=Action.EXPORT_ORGANISATION)
def export(request):
    """The organisation's data in the same workbook (what `seuil export` exports); for an
    organisation of more than `SEUIL_EXPORT_INLINE_MAX_ROWS` households, prepared in the
    background (`core.downloads`, kind `organisation_workbook`: 19 s of CPU for 30,000)."""
    organisation = request.user.organisation
    filename = f"seuil-{organisation.ref}-{timezone.localdate().isoformat()}.xlsx"
    if Household.objects.filter(organisation=organisation).count() > (
        settings.SEUIL_EXPORT_INLINE_MAX_ROWS
    ):
        download = prepare(
            request.user, "organisation_workbook", filename=filename, content_type=XLSX_TYPE
        )
        return redirect("prepared_download", download.uuid)
    return _xlsx(services.export_workbook(request.user), filename)


def write_prepared(download, progress):
    """The workbook of a `PreparedDownload` of kind `organisation_workbook`, its progress
    counted in rows of the main lists (units, households, stays…)."""
    yield services.export_workbook(download.requested_by, progress)


@policy(read=Action.IMPORT_ORGANISATION, write=Action.IMPORT_ORGANISATION)
def import_detail(request, uuid):
    """The preview of a checked workbook (its errors, or what importing it would change)
    and, once imported, the result; POST imports it."""
    record = object_or_404(request, SpreadsheetImport.objects.select_related("created_by"), uuid)
    if request.method == "POST":
        # Imported already (a second click): the page says so, nothing is done twice.
        record = services.start_import(record, request.user)
        return redirect("exchange:import_detail", record.uuid)
    context = {
        "record": record,
        "problems": json.loads(record.problems) if record.problems else [],
        "counts": list(record.counts.values()),
        **progress_warnings(
            queued=record.status in (ImportStatus.CHECKING, ImportStatus.QUEUED),
            running=record.status == ImportStatus.RUNNING,
            since=record.started_at or record.created_at,
        ),
    }
    if request.htmx:
        if not record.is_pending:
            return HttpResponseClientRefresh()
        return render(request, "exchange/_progress.html", context)
    return render(request, "exchange/import_detail.html", context)
