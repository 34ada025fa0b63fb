"""Pages of requests and assessments: the list, record a request, its page, assess it,
withdraw it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.forms import run_service
from seuil.core.pages import form_page
from seuil.core.permissions import can_change_social_note, can_view_households, can_view_social_note
from seuil.core.policy import Action, Scope
from seuil.core.views_policy import policy
from seuil.households.enums import ResourceType
from seuil.households.models import Household, Membership

from .. import permissions, waiting
from ..enums import DECIDABLE_STATUSES, RequestStatus
from ..forms.requests import AssessmentForm, RequestForm, WithdrawRequestForm
from ..models import Proposal, Referral, Request
from ..services import requests as actions
from . import lookup, pages


def _requests_crumb():
    return (reverse("orientation:requests"), "Demandes")


def _request_crumbs(orientation_request):
    return (
        _requests_crumb(),
        (
            reverse("orientation:request_detail", args=[orientation_request.uuid]),
            f"Demande {orientation_request.ref}",
        ),
    )


@policy(read=Action.RECORD_REQUEST)
def request_list(request):
    status = request.GET.get("statut", "")
    requests = (
        Request.objects.visible_to(request.user)
        .select_related("siao", "household")
        .prefetch_related(pages.MEMBERS)
        .order_by("-received_on", "-pk")
    )
    if status == "en-cours":
        requests = requests.in_progress()
    elif status in RequestStatus.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, pages.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = actions.read_requests(page.object_list, acting_user=request.user)
    return render(
        request,
        "orientation/request_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "status": status,
            "statuses": [("", "Toutes"), ("en-cours", "En cours"), *RequestStatus.choices],
            "query_without_page": f"statut={status}&" if status else "",
        },
    )


@policy(Action.RECORD_REQUEST, scope=Scope.OWN)
def request_create(request):
    households = Household.objects.visible_to(request.user, Action.RECORD_REQUEST).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("person"))
    )
    initial = {"received_on": timezone.localdate()}
    chosen = request.GET.get("menage")
    if chosen and lookup.is_uuid(chosen) and households.filter(uuid=chosen).exists():
        initial["household"] = chosen
    form = RequestForm(
        request.POST or None, households=households, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: actions.record_request(
                data["household"],
                siao=data["siao"],
                received_on=data["received_on"],
                origin=data["origin"],
                prescriber=data["prescriber"],
                acting_user=request.user,
            ),
        )
        if created:
            messages.success(request, f"La demande {created.ref} a été enregistrée.")
            return redirect("orientation:request_detail", uuid=created.uuid)
    return form_page(
        request,
        form,
        title="Enregistrer une demande d'orientation",
        intro="La demande d'un ménage auprès du SIAO. Elle sera ensuite évaluée, puis "
        "présentée en commission.",
        submit="Enregistrer la demande",
        crumbs=pages.crumbs(_requests_crumb()),
    )


@policy(read=Action.RECORD_REQUEST)
def request_detail(request, uuid):
    today = timezone.localdate()
    orientation_request = lookup.request_for(request, uuid, Action.RECORD_REQUEST)
    household = orientation_request.household
    actions.read_request(orientation_request, acting_user=request.user)
    referral = (
        Referral.objects.filter(request=orientation_request)
        .select_related("programme__organisation", "stay__unit")
        .first()
    )
    position = None
    if referral is not None and referral.is_waiting_on(today):
        position = waiting.position_of(referral, today)
    proposals = []
    if referral is not None and permissions.can_view_proposals(request.user):
        proposals = list(
            Proposal.objects.visible_to(request.user)
            .filter(referral=referral)
            .select_related("vacancy__unit")
        )
    user = request.user
    may_withdraw = permissions.can_record_request(user) and (
        orientation_request.status not in (RequestStatus.REFUSED, RequestStatus.WITHDRAWN)
        and not (referral is not None and referral.status != "waiting")
    )
    return render(
        request,
        "orientation/request_detail.html",
        {
            "orientation_request": orientation_request,
            "household": household,
            "assessment": orientation_request.assessment_on(None),
            "assessments": sorted(
                orientation_request.assessments.all(),
                key=lambda a: (a.assessed_on, a.pk),
                reverse=True,
            ),
            "transitions": orientation_request.transitions.select_related("by"),
            "decisions": orientation_request.decisions.select_related(
                "meeting", "programme__organisation"
            ),
            "agenda": orientation_request.commission_meetings.order_by("held_on"),
            "referral": referral,
            "position": position,
            "proposals": proposals,
            "today": today,
            "show_social_note": can_view_social_note(user, household),
            "consents": pages.consents_of(household, today),
            "can_see_household": can_view_households(user),
            "can_assess": permissions.can_assess(user)
            and actions.may_be_assessed(orientation_request),
            "can_withdraw": may_withdraw,
            "can_schedule": permissions.can_assess(user)
            and orientation_request.status in DECIDABLE_STATUSES,
        },
    )


@policy(Action.ASSESS, scope=Scope.OWN)
def assess(request, uuid):
    orientation_request = lookup.request_for(request, uuid, Action.ASSESS)
    household = orientation_request.household
    previous = orientation_request.assessment_on(None)
    with_note = can_change_social_note(request.user) and (
        Household.objects.visible_to(request.user, Action.CHANGE_SOCIAL_NOTE)
        .filter(pk=household.pk)
        .exists()
    )
    initial = {"assessed_on": timezone.localdate(), **AssessmentForm.initial_from(previous)}
    if with_note:
        initial.update(social_note=household.social_note, household_version=household.version)
    form = AssessmentForm(request.POST or None, initial=initial, with_social_note=with_note)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: actions.record_assessment(
                orientation_request,
                acting_user=request.user,
                assessed_on=data["assessed_on"],
                social_note=data["social_note"] if with_note else None,
                expected_household_version=data.get("household_version"),
                **form.assessment_fields(),
            ),
        )
        if done:
            messages.success(request, "L'évaluation a été enregistrée.")
            return redirect("orientation:request_detail", uuid=orientation_request.uuid)
    elif request.method != "POST":
        actions.read_household_to_assess(orientation_request, acting_user=request.user)
    intro = (
        "Une nouvelle évaluation, datée, s'ajoute aux précédentes (conservées) ; elle part "
        "de la dernière."
    )
    current = household.resources_on(timezone.localdate())
    if current:
        names = dict(ResourceType.choices)
        intro += (
            " Ressources du ménage enregistrées : "
            + ", ".join(str(names.get(t, t)) for t in sorted(current))
            + "."
        )
    return form_page(
        request,
        form,
        title=f"Évaluer la demande {orientation_request.ref}",
        intro=intro,
        submit="Enregistrer l'évaluation",
        crumbs=pages.crumbs(*_request_crumbs(orientation_request)),
    )


@policy(Action.RECORD_REQUEST, scope=Scope.OWN)
def request_withdraw(request, uuid):
    orientation_request = lookup.request_for(request, uuid, Action.RECORD_REQUEST)
    form = WithdrawRequestForm(
        request.POST or None,
        initial={"on": timezone.localdate(), "version": orientation_request.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: actions.withdraw_request(
                orientation_request,
                on=data["on"],
                reason=data["reason"],
                comment=data["comment"],
                acting_user=request.user,
                expected_version=data["version"],
            ),
        ):
            messages.success(request, f"La demande {orientation_request.ref} a été retirée.")
            return redirect("orientation:request_detail", uuid=orientation_request.uuid)
    return form_page(
        request,
        form,
        title=f"Retirer la demande {orientation_request.ref}",
        intro="Le ménage quitte la liste d'attente s'il y est, et une proposition en cours est "
        "retirée. Le retrait et son motif restent dans l'historique de la demande.",
        submit="Retirer la demande",
        crumbs=pages.crumbs(*_request_crumbs(orientation_request)),
    )
