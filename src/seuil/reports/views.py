"""The activity report page and its downloads.

Always the user's own organisation; reading needs VIEW_ACTIVITY_REPORT (403 otherwise),
the steering dashboard VIEW_AGGREGATES. The period and programmes come from a GET form
(`ActivityReportForm`); the facts are loaded once (`load_facts`, a few bulk queries) and
serve the report, the monthly occupancy chart and, for users who may see households, the
list of missing data by household. The data-quality page (VIEW_DATA_QUALITY) lists what to
complete or correct in the organisation's files (`data_quality`).
"""

import json
from inspect import signature

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from seuil.core.audit import record_reads
from seuil.core.permissions import can_view_households
from seuil.core.policy import Action
from seuil.core.views_policy import policy

from . import compute
from .data_quality import data_quality as compute_data_quality
from .facts import load_facts
from .forms import ActivityReportForm
from .outcomes_steering import mobility_table, outcomes_table
from .presentation import missing_details, report_context
from .steering import steering_table

FORMATS = {
    "json": "JSON",
    "html": "HTML",
    "xlsx": "Excel (XLSX)",
    "docx": "Word (DOCX)",
    "pdf": "PDF",
}


def _form(request):
    data = request.GET.copy()
    data.pop("format", None)
    return ActivityReportForm(
        data, organisation=request.user.organisation, today=timezone.localdate()
    )


def _load(request, form):
    start, end = form.cleaned_data["period"]
    facts = load_facts(
        request.user.organisation.ref, form.cleaned_data["programme_refs"], start, end
    )
    return facts, compute.compute(facts, start, end)


def _query_string(request):
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()


@policy(read=Action.VIEW_ACTIVITY_REPORT)
def activity(request):
    form = _form(request)
    context = {"form": form, "formats": FORMATS}
    status = 200
    if form.is_valid():
        facts, report = _load(request, form)
        start, end = form.cleaned_data["period"]
        context.update(report_context(report, facts))
        context["query"] = _query_string(request)
        if can_view_households(request.user):
            context["missing_households"] = missing_details(facts, start, end)
    else:
        status = 400
    return render(request, "reports/activity.html", context, status=status)


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
    if fmt == "json":
        _, report = _load(request, form)
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
        facts, report = _load(request, form)
        options = {"facts": facts} if "facts" in signature(render_report).parameters else {}
        try:
            body, content_type, filename = render_report(report, fmt, **options)
        except ImportError:  # this format's renderer is not there yet
            return HttpResponse(
                "Format bientôt disponible.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
