"""Pages of the exit preparation and of the follow-up after exit.

Each view declares its policy action (`@policy`): reading the follow-ups needs
VIEW_FOLLOW_UPS, recording one (or giving the household its one-time link)
RECORD_FOLLOW_UP, the exit checklist PREPARE_EXIT, the outcomes page VIEW_OUTCOMES; every
stay comes through `visible_to` (another organisation's: 404). The household's own form
(`answer`) and the page on what is kept (`what_we_keep`) need no account: the first is
reached only through an unguessable, expiring, single-use link.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.audit import record_access
from seuil.core.forms import add_service_errors, run_service
from seuil.core.models import AccessLog
from seuil.core.pages import form_page, object_or_404
from seuil.core.policy import Action, allows
from seuil.core.views_policy import policy
from seuil.housing.models import Stay

from . import services
from .due import follow_ups_due
from .enums import LeavingReason
from .figures import outcome_figures
from .forms import ExitChecklistForm, FollowUpForm, HouseholdAnswerForm, initial_answers
from .models import CHECKLIST_ITEMS, FollowUp


def _stay(request, uuid):
    return object_or_404(
        request, Stay.objects.select_related("household", "unit", "programme"), uuid
    )


def _crumbs(stay):
    return [
        (reverse("outcomes:due"), "Suivis"),
        (stay.household.get_absolute_url(), str(stay.household)),
    ]


# ---------------------------------------------------------------- follow-ups


@policy(read=Action.VIEW_FOLLOW_UPS)
def due(request):
    """Les suivis à faire aujourd'hui (6, 12, 24 mois après une sortie vers un logement)."""
    today = timezone.localdate()
    stays = Stay.objects.visible_to(request.user, Action.VIEW_FOLLOW_UPS)
    rows = follow_ups_due(request.user.organisation, today, stays=stays)
    return render(
        request,
        "outcomes/due.html",
        {
            "rows": rows,
            "today": today,
            "late": sum(1 for row in rows if row.late_on(today)),
            "can_view_outcomes": allows(request.user, Action.VIEW_OUTCOMES),
        },
    )


@policy(read=Action.VIEW_FOLLOW_UPS)
def stay_follow_ups(request, stay):
    stay = _stay(request, stay)
    follow_ups = list(stay.follow_ups.order_by("-on", "-pk"))
    links = list(stay.follow_up_links.order_by("-created_at"))
    record_access(request.user, AccessLog.Action.VIEW, stay)
    return render(
        request,
        "outcomes/stay.html",
        {
            "stay": stay,
            "follow_ups": follow_ups,
            "links": links,
            "now": timezone.now(),
            "crumbs": _crumbs(stay),
            "can_record": allows(request.user, Action.RECORD_FOLLOW_UP),
        },
    )


def _answers(data):
    return {name: data.get(name) for name in services.ANSWER_FIELDS}


@policy(Action.RECORD_FOLLOW_UP)
def record(request, stay):
    stay = _stay(request, stay)
    form = FollowUpForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.record_follow_up(
                stay, on=data["on"], answers=_answers(data), by=request.user
            ),
        )
        if done:
            messages.success(request, f"Suivi du {data['on']:%d/%m/%Y} enregistré.")
            return redirect("outcomes:stay", stay=stay.uuid)
    return form_page(
        request,
        form,
        title="Enregistrer un suivi après la sortie",
        crumbs=[*_crumbs(stay), (reverse("outcomes:stay", args=[stay.uuid]), "Suivis")],
        intro=_stay_intro(stay),
    )


@policy(Action.RECORD_FOLLOW_UP)
def edit(request, uuid):
    follow_up = object_or_404(request, FollowUp.objects.select_related("stay__household"), uuid)
    stay = follow_up.stay
    form = FollowUpForm(request.POST or None, initial=initial_answers(follow_up))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.change_follow_up(
                follow_up,
                on=data["on"],
                answers=_answers(data),
                by=request.user,
                expected_version=data["version"],
            ),
        )
        if done:
            messages.success(request, "Suivi corrigé.")
            return redirect("outcomes:stay", stay=stay.uuid)
    return form_page(
        request,
        form,
        title=f"Corriger le suivi du {follow_up.on:%d/%m/%Y}",
        crumbs=[*_crumbs(stay), (reverse("outcomes:stay", args=[stay.uuid]), "Suivis")],
        intro=_stay_intro(stay),
    )


def _stay_intro(stay):
    if stay.exited_on is None:
        return f"Logement {stay.unit.ref}, entré le {stay.entered_on:%d/%m/%Y} : pas encore sorti."
    destination = stay.get_exit_destination_display() or "destination non renseignée"
    return f"Logement {stay.unit.ref}, sorti le {stay.exited_on:%d/%m/%Y} ({destination})."


@policy(Action.RECORD_FOLLOW_UP)
def issue_link(request, stay):
    """Give the household a one-time link to answer itself; the link is shown once."""
    stay = _stay(request, stay)
    token = link = None
    errors = []
    if request.method == "POST":
        try:
            link, token = services.issue_link(stay, by=request.user)
        except ValidationError as error:
            errors = error.messages
    url = request.build_absolute_uri(reverse("outcomes:answer", args=[token])) if token else ""
    return render(
        request,
        "outcomes/issue_link.html",
        {
            "stay": stay,
            "link": link,
            "url": url,
            "errors": errors,
            "days": services.link_lifetime().days,
            "crumbs": [*_crumbs(stay), (reverse("outcomes:stay", args=[stay.uuid]), "Suivis")],
        },
    )


# ---------------------------------------------------------------- exit checklist


@policy(Action.PREPARE_EXIT)
def checklist(request, stay):
    stay = _stay(request, stay)
    current = services.checklist_of(stay)
    initial = {"version": current.version} if current.pk else {}
    form = ExitChecklistForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = run_service(
            form,
            lambda: services.save_checklist(
                current,
                values,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved:
            missing = saved.missing()
            text = "Préparation de la sortie enregistrée"
            if missing:
                text += (
                    f" : il manque encore {len(missing)} élément{'s' if len(missing) > 1 else ''}."
                )
            messages.success(request, text if missing else text + " : tout est prêt.")
            return redirect("outcomes:checklist", stay=stay.uuid)
    elif current.pk:
        record_access(request.user, AccessLog.Action.VIEW, current)
    return form_page(
        request,
        form,
        title=f"Préparer la sortie du logement {stay.unit.ref}",
        crumbs=_crumbs(stay),
        intro=_stay_intro(stay),
        template="outcomes/checklist.html",
        context={
            "checklist": current,
            "missing": current.missing(),
            "missing_at_exit": _labels(current.missing_at_exit),
            "can_change_stays": allows(request.user, Action.CHANGE_STAYS),
            "stay": stay,
        },
    )


def _labels(codes):
    if codes is None:
        return None
    labels = {code: label for code, label, _ in CHECKLIST_ITEMS}
    return [labels.get(code, code) for code in codes]


# ---------------------------------------------------------------- outcomes page


@policy(read=Action.VIEW_OUTCOMES)
def outcomes(request):
    """Retention and returns at 6, 12 and 24 months, for the organisation and each
    programme, over a period (the last twelve months by default)."""
    today = timezone.localdate()
    end = _date(request.GET.get("fin")) or today
    start = _date(request.GET.get("debut")) or end - datetime.timedelta(days=364)
    if start > end:
        start, end = end, start
    scopes = outcome_figures(request.user.organisation, start, end)
    labels = dict(LeavingReason.choices)
    for scope in scopes:
        scope.reason_rows = sorted(
            ((labels.get(code, code), count) for code, count in scope.reasons.items()),
            key=lambda row: (-row[1], row[0]),
        )
    return render(
        request,
        "outcomes/outcomes.html",
        {
            "scopes": scopes,
            "start": start,
            "end": end,
        },
    )


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------- the household's link


def _no_referrer(response):
    """The link's token is in the URL: no page it leads to may learn it."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
def answer(request, token):
    """The household's own follow-up form, through its one-time link (no account)."""
    try:
        link = services.usable_link(token)
    except services.LinkUnusable:
        return _no_referrer(render(request, "outcomes/link_unusable.html", status=404))
    form = HouseholdAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_link(token, _answers(form.cleaned_data))
        except services.LinkUnusable:
            return _no_referrer(render(request, "outcomes/link_unusable.html", status=404))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _no_referrer(render(request, "outcomes/answer_thanks.html"))
    return _no_referrer(
        render(
            request,
            "outcomes/answer.html",
            {"form": form, "organisation": link.organisation, "expires_at": link.expires_at},
        )
    )


@login_not_required
def what_we_keep(request):
    """Plain French: what the follow-up keeps, why, for how long, and the household's rights."""
    return render(request, "outcomes/what_we_keep.html", {"days": services.link_lifetime().days})
