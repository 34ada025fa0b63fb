"""The activity report page and its downloads.

Always the user's own organisation; reading needs VIEW_ACTIVITY_REPORT (403 otherwise),
the steering dashboard VIEW_AGGREGATES. The period and programmes come from a GET form
(`ActivityReportForm`). The report is computed once and kept (`stored.obtain`): the page
and every download show the stored report while the data it reads is unchanged; a large
report is computed in the background, the page showing its progress meanwhile (and
refreshing itself). Users who may see households get the list of missing data by household,
`MISSING_PER_PAGE` households a page (each page read alone). The data-quality page
(VIEW_DATA_QUALITY) lists what to complete or correct in the organisation's files
(`data_quality`).
"""

import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRefresh

from seuil.core.audit import record_reads
from seuil.core.documents import as_attachment
from seuil.core.permissions import can_view_households
from seuil.core.policy import Action
from seuil.core.views_policy import policy
from seuil.core.workers import progress_warnings

from . import stored as stored_reports
from .data_quality import data_quality as compute_data_quality
from .forms import ActivityReportForm
from .models import MISSING_PER_PAGE, ReportStatus
from .outcomes_steering import mobility_table, outcomes_table
from .presentation import missing_households, report_context
from .steering import steering_table

FORMATS = {
    "json": "JSON",
    "html": "HTML",
    "xlsx": "Excel (XLSX)",
    "docx": "Word (DOCX)",
    "pdf": "PDF",
}
# Parameters of the page that are not the report's: the format of a download, the page of
# missing values, the request to compute a failed report again.
NOT_REPORT_PARAMETERS = ("format", "page", "relancer")


def _form(request):
    data = request.GET.copy()
    for name in NOT_REPORT_PARAMETERS:
        data.pop(name, None)
    return ActivityReportForm(
        data, organisation=request.user.organisation, today=timezone.localdate()
    )


def _obtain(request, form):
    start, end = form.cleaned_data["period"]
    return stored_reports.obtain(
        request.user.organisation,
        form.cleaned_data["programme_refs"],
        start,
        end,
        retry=bool(request.GET.get("relancer")),
    )


def _query_string(request):
    query = request.GET.copy()
    for name in NOT_REPORT_PARAMETERS:
        query.pop(name, None)
    return query.urlencode()


def _waiting(request, form, stored, status=200):
    """The page of a report being computed (or whose computation failed): what it waits
    for, refreshed every few seconds (htmx: the panel alone, and the whole page once
    done), with a link to refresh it by hand."""
    if request.htmx and not stored.is_pending:
        return HttpResponseClientRefresh()
    context = {
        "form": form,
        "formats": FORMATS,
        "stored": stored,
        "query": _query_string(request),
        "last_seconds": stored_reports.last_duration(request.user.organisation),
        **progress_warnings(
            queued=stored.status == ReportStatus.QUEUED,
            running=stored.status == ReportStatus.RUNNING,
            since=stored.requested_at,
        ),
    }
    if request.htmx:
        return render(request, "reports/_progress.html", context)
    return render(request, "reports/activity.html", context, status=status)


@policy(read=Action.VIEW_ACTIVITY_REPORT)
def activity(request):
    form = _form(request)
    context = {"form": form, "formats": FORMATS}
    if not form.is_valid():
        return render(request, "reports/activity.html", context, status=400)
    stored = _obtain(request, form)
    if stored.status != ReportStatus.DONE:
        return _waiting(request, form, stored)
    if request.htmx:  # the progress panel polling: the report is there
        return HttpResponseClientRefresh()
    report = stored_reports.report_of(stored)
    context.update(report_context(report, charts=stored_reports.charts_of(stored)))
    context["query"] = _query_string(request)
    context["computed_at"] = stored.finished_at
    if can_view_households(request.user):
        pages = Paginator(range(stored.missing_count), MISSING_PER_PAGE)
        page = pages.get_page(request.GET.get("page"))
        shown = stored_reports.missing_page(stored, page.number)
        context["missing_households"] = missing_households(shown)
        context["missing_page"] = page
    return render(request, "reports/activity.html", context)


@policy(read=Action.VIEW_ACTIVITY_REPORT)
def download(request):
    form = _form(request)
    fmt = request.GET.get("format") or "json"
    if fmt not in FORMATS:
        return HttpResponse(
            f"Format inconnu : « {fmt} » (formats possibles : {', '.join(FORMATS)}).",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if not form.is_valid():
        return render(
            request, "reports/activity.html", {"form": form, "formats": FORMATS}, status=400
        )
    stored = _obtain(request, form)
    if stored.status != ReportStatus.DONE:
        # 202: accepted, not ready; the page says so and links back to the download.
        return _waiting(request, form, stored, status=202)
    report = stored_reports.report_of(stored)
    if fmt == "json":
        body = json.dumps(report, ensure_ascii=False, indent=2).encode()
        start, end = report["period"]["start"], report["period"]["end"]
        content_type = "application/json; charset=utf-8"
        filename = f"rapport-activite-{report['scope']['organisation']}-{start}-{end}.json"
    else:
        try:
            from seuil.reports.render import render as render_report
        except ImportError:
            return HttpResponse(
                "Format bientôt disponible.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        charts = stored_reports.charts_of(stored)
        try:
            body, content_type, filename = render_report(report, fmt, charts=charts)
        except ImportError:  # this format's renderer is not there yet
            return HttpResponse(
                "Format bientôt disponible.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
    response = HttpResponse(body, content_type=content_type)
    return as_attachment(response, filename)


@policy(read=Action.VIEW_AGGREGATES)
def steering(request):
    """The steering dashboard of state services: counts only, small cells hidden."""
    table = steering_table(request.user, timezone.localdate())
    if table is None:
        raise PermissionDenied
    outcomes = outcomes_table(request.user, table.day)
    mobility = mobility_table(request.user, table.day)
    return render(
        request,
        "reports/steering.html",
        {"table": table, "outcomes": outcomes, "mobility": mobility},
    )


@policy(read=Action.VIEW_DATA_QUALITY)
def data_quality(request):
    """What to complete or correct in the organisation's files, with the trend over twelve
    months; the households listed are logged as read."""
    quality = compute_data_quality(request.user.organisation)
    shown = [line.household for check in quality.checks for line in check.listed]
    record_reads(request.user, [household for household in shown if household is not None])
    return render(request, "reports/data_quality.html", {"quality": quality})
