from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRefresh

from seuil.core.audit import record_reads
from seuil.core.pages import object_or_404
from seuil.core.permissions import can_view_households
from seuil.core.policy import Action
from seuil.core.templatetags.ui import datetime_fr
from seuil.core.views_policy import policy
from seuil.core.wording import plural
from seuil.core.workers import progress_warnings
from seuil.orientation.models import Vacancy

from . import adapters, plan, services
from .enums import STEP_LABELS, RunStatus
from .forms import StartRunForm, TerritoryEmploymentForm
from .models import MatchingRun, TerritoryEmployment


@policy(Action.RUN_MATCHING)
def run_list(request):
    programmes = adapters.programmes_for(request.user)
    form = StartRunForm(request.POST or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        run = services.start_run(
            form.cleaned_data["programme"],
            acting_user=request.user,
            constraints=form.constraints(),
        )
        return redirect("matching:run_detail", run.uuid)
    runs = (
        MatchingRun.objects.visible_to(request.user)
        .select_related("programme", "created_by")
        .defer(*LARGE_FIELDS, "shown")
    )
    return render(request, "matching/run_list.html", {"form": form, "runs": runs[:50]})


# What a run keeps of its computation (megabytes for a national run): the pages read what
# the run stored for them (`plan.store_page`); accepting pairs reads its plans and links.
LARGE_FIELDS = ("instance", "results", "links", "left_out", "prices")


# The parameter naming the page of the households left without a home (`page` names the
# page of the vacant units).
UNASSIGNED_PAGE_PARAM = "sans_logement"


def _run(request, uuid):
    runs = MatchingRun.objects.select_related("programme__organisation", "created_by")
    return object_or_404(request, runs.defer(*LARGE_FIELDS), uuid)


def _progress(run, context):
    context.update(
        progress_warnings(
            queued=run.status == RunStatus.QUEUED,
            running=run.status == RunStatus.RUNNING,
            since=run.created_at,
        )
    )
    return context


@policy(read=Action.RUN_MATCHING)
def run_detail(request, uuid):
    run = _run(request, uuid)
    context = {
        "run": run,
        "step_label": STEP_LABELS.get(run.step, ""),
        "crumb": f"{run.programme.name}, {datetime_fr(run.created_at)}",
    }
    if request.htmx:
        if not run.is_pending:
            return HttpResponseClientRefresh()
        return render(request, "matching/_progress.html", _progress(run, context))
    if run.is_pending:
        _progress(run, context)
    if run.status == RunStatus.DONE:
        shown = plan.describe(run, request.GET.get("page"), request.GET.get(UNASSIGNED_PAGE_PARAM))
        page = shown["page_obj"]
        referrals = {
            pair.referral for row in page for pair in row.pairs.values() if pair and pair.referral
        }
        for listed in (shown["unassigned"], shown["left_out"]):
            referrals |= {item["referral"] for item in listed if item["referral"]}
        record_reads(request.user, sorted(referrals, key=lambda r: r.pk))
        shown_vacancies = [row.vacancy.pk for row in page if row.vacancy]
        context.update(
            shown,
            can_see_households=can_view_households(request.user),
            unassigned_param=UNASSIGNED_PAGE_PARAM,
            units_query=f"{UNASSIGNED_PAGE_PARAM}={shown['unassigned_page'].number}&",
            unassigned_query=f"page={shown['page_obj'].number}&",
            linkable_vacancies=set(
                Vacancy.objects.visible_to(request.user)
                .filter(pk__in=shown_vacancies)
                .values_list("pk", flat=True)
            ),
        )
    return render(request, "matching/run_detail.html", context)


@policy(Action.RUN_MATCHING)
def accept_pairs(request, uuid):
    run = _run(request, uuid)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pairs = [tuple(token.split("|", 1)) for token in request.POST.getlist("pair") if "|" in token]
    if not pairs:
        messages.error(request, "Cochez au moins une paire à proposer.")
        return redirect("matching:run_detail", run.uuid)
    made, errors = services.accept_pairs(run, pairs, acting_user=request.user)
    if made:
        refs = ", ".join(p.ref for p in made)
        noun = plural(len(made), "proposition faite,propositions faites")
        messages.success(request, f"{noun} : {refs}.")
    for (household_ref, unit_ref), lines in errors.items():
        messages.error(request, f"Ménage {household_ref}, logement {unit_ref} : " + " ".join(lines))
    return redirect("matching:run_detail", run.uuid)


@policy(Action.SET_EMPLOYMENT_SCORES)
def employment_scores(request):
    form = TerritoryEmploymentForm(
        request.POST or None,
        initial={"effective_from": timezone.localdate()},
        instance=TerritoryEmployment(
            organisation_id=request.user.organisation_id, set_by=request.user
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            score = form.save(commit=False)
            score.full_clean()
            score.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Perspectives d'emploi du {score.territory} enregistrées.")
            return redirect("matching:employment_scores")
    today = timezone.localdate()
    return render(
        request,
        "matching/employment_scores.html",
        {
            "form": form,
            "current": sorted(TerritoryEmployment.scores_on(today).items()),
            "records": TerritoryEmployment.objects.visible_to(request.user).select_related(
                "set_by"
            )[:200],
        },
    )
