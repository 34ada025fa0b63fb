"""Orientation pages, first half: the orientation hub, requests and assessments, commission
meetings, their decisions and minutes. (Waiting lists, vacancies and proposals:
`placement_views.py`.)

Every page checks its rule first (403 when the role may never do it), then finds its object
with `visible_to(user, action)` for the very action it needs (404 outside the user's scope).
Writes go through `services`, whose French refusals are shown on the form, nothing written.
Reading a household's orientation file writes access-log rows in the same transaction.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from seuil.core.audit import record_access
from seuil.core.enums import OrganisationKind
from seuil.core.forms import run_service
from seuil.core.models import AccessLog
from seuil.core.permissions import (
    can_change_social_note,
    can_view_households,
    can_view_social_note,
    require,
)
from seuil.core.policy import Action
from seuil.households.enums import ResourceType
from seuil.households.models import Consent, Household, Membership
from seuil.housing.models import Programme

from . import minutes, permissions, services, waiting
from .enums import DECIDABLE_STATUSES, RequestStatus
from .forms import (
    AgendaForm,
    AssessmentForm,
    DecisionForm,
    MeetingForm,
    RequestForm,
    WithdrawRequestForm,
)
from .models import CommissionMeeting, Proposal, Referral, Request, Vacancy

PAGE_SIZE = 50
MEMBERS = Prefetch("household__memberships", queryset=Membership.objects.select_related("person"))


def form_page(request, form, *, title, intro="", submit="Enregistrer", cancel_url, crumbs=()):
    return render(
        request,
        "orientation/form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "cancel_url": cancel_url,
            "crumbs": crumbs,
        },
    )


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


# ---- hub -------------------------------------------------------------------------------------


def index(request):
    """The orientation hub: what the user may do, with a few counts of its scope."""
    user = request.user
    today = timezone.localdate()
    counts = {}
    if permissions.can_view_requests(user):
        counts["requests"] = Request.objects.visible_to(user).in_progress().count()
    if permissions.can_view_commissions(user):
        counts["meetings"] = (
            CommissionMeeting.objects.visible_to(user).filter(held_on__gte=today).count()
        )
    if permissions.can_view_waiting_lists(user):
        counts["waiting"] = Referral.objects.visible_to(user).waiting_on(today).count()
    if permissions.can_view_vacancies(user):
        counts["vacancies"] = (
            Vacancy.objects.visible_to(user).filter(closed_on__isnull=True).count()
        )
    if permissions.can_view_proposals(user):
        counts["proposals"] = Proposal.objects.visible_to(user).filter(status="proposed").count()
    return render(request, "orientation/index.html", {"counts": counts, "today": today})


# ---- requests --------------------------------------------------------------------------------


def request_list(request):
    require(permissions.can_view_requests, request.user)
    status = request.GET.get("statut", "")
    requests = (
        Request.objects.visible_to(request.user)
        .select_related("siao", "household")
        .prefetch_related(MEMBERS)
        .order_by("-received_on", "-pk")
    )
    if status == "en-cours":
        requests = requests.in_progress()
    elif status in RequestStatus.values:
        requests = requests.filter(status=status)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    with transaction.atomic():
        rows = list(page.object_list)
        for orientation_request in rows:
            record_access(request.user, AccessLog.Action.VIEW, orientation_request)
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


def request_create(request):
    require(permissions.can_record_request, request.user)
    households = Household.objects.visible_to(request.user, Action.RECORD_REQUEST).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("person"))
    )
    initial = {"received_on": timezone.localdate()}
    chosen = request.GET.get("menage")
    if chosen and is_uuid(chosen) and households.filter(uuid=chosen).exists():
        initial["household"] = chosen
    form = RequestForm(
        request.POST or None, households=households, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: services.record_request(
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
        cancel_url=reverse("orientation:requests"),
        crumbs=(_requests_crumb(),),
    )


def is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _request_for(request, uuid, action):
    return get_object_or_404(
        Request.objects.visible_to(request.user, action)
        .select_related("siao", "household", "household__organisation")
        .prefetch_related(MEMBERS, "assessments__author"),
        uuid=uuid,
    )


def _consents_of(household, today):
    """The social-note consents of the household: who may read its note beyond its file."""
    consents = Consent.objects.filter(
        household=household, scope__in=["social_note", "mobility_file"]
    )
    return [(c, c.status_on(today)) for c in consents.select_related("recipient")]


def request_detail(request, uuid):
    require(permissions.can_view_requests, request.user)
    today = timezone.localdate()
    with transaction.atomic():
        orientation_request = _request_for(request, uuid, Action.RECORD_REQUEST)
        household = orientation_request.household
        record_access(request.user, AccessLog.Action.VIEW, orientation_request)
        record_access(request.user, AccessLog.Action.VIEW, household)
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
            "consents": _consents_of(household, today),
            "can_see_household": can_view_households(user),
            "can_assess": permissions.can_assess(user)
            and services.may_be_assessed(orientation_request),
            "can_withdraw": may_withdraw,
            "can_schedule": permissions.can_assess(user)
            and orientation_request.status in DECIDABLE_STATUSES,
        },
    )


def assess(request, uuid):
    require(permissions.can_assess, request.user)
    orientation_request = _request_for(request, uuid, Action.ASSESS)
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
            lambda: services.record_assessment(
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
        with transaction.atomic():
            record_access(request.user, AccessLog.Action.VIEW, household)
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
        cancel_url=reverse("orientation:request_detail", args=[orientation_request.uuid]),
        crumbs=_request_crumbs(orientation_request),
    )


def request_withdraw(request, uuid):
    require(permissions.can_record_request, request.user)
    orientation_request = _request_for(request, uuid, Action.RECORD_REQUEST)
    form = WithdrawRequestForm(
        request.POST or None,
        initial={"on": timezone.localdate(), "version": orientation_request.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.withdraw_request(
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
        cancel_url=reverse("orientation:request_detail", args=[orientation_request.uuid]),
        crumbs=_request_crumbs(orientation_request),
    )


# ---- commission ------------------------------------------------------------------------------


def _meetings_crumb():
    return (reverse("orientation:meetings"), "Commissions")


def _meeting_crumbs(meeting):
    return (
        _meetings_crumb(),
        (reverse("orientation:meeting_detail", args=[meeting.uuid]), str(meeting)),
    )


def meeting_list(request):
    require(permissions.can_view_commissions, request.user)
    meetings = CommissionMeeting.objects.visible_to(request.user).select_related("siao")
    page = Paginator(meetings.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orientation/meeting_list.html",
        {
            "page_obj": page,
            "today": timezone.localdate(),
            "can_create": permissions.can_decide_referral(request.user)
            and _user_siao(request.user) is not None,
            "query_without_page": "",
        },
    )


def _user_siao(user):
    organisation = user.organisation
    if organisation is not None and organisation.kind == OrganisationKind.SIAO:
        return organisation
    return None


def meeting_create(request):
    require(permissions.can_decide_referral, request.user)
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    siao = _user_siao(request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if siao is None:
            form.add_error(None, "Seul un SIAO tient une commission d'orientation.")
        else:
            meeting = run_service(
                form,
                lambda: services.schedule_meeting(
                    siao,
                    held_on=data["held_on"],
                    members_present=data["members_present"],
                    acting_user=request.user,
                ),
            )
            if meeting:
                messages.success(request, f"La {meeting} est programmée.")
                return redirect("orientation:meeting_detail", uuid=meeting.uuid)
    return form_page(
        request,
        form,
        title="Programmer une commission",
        intro="Vous inscrirez ensuite à son ordre du jour les demandes évaluées."
        if siao
        else "Votre organisation n'est pas un SIAO : elle ne tient pas de commission.",
        submit="Programmer la commission",
        cancel_url=reverse("orientation:meetings"),
        crumbs=(_meetings_crumb(),),
    )


def _meeting_for(request, uuid, action):
    return get_object_or_404(
        CommissionMeeting.objects.visible_to(request.user, action).select_related("siao"),
        uuid=uuid,
    )


def meeting_detail(request, uuid):
    require(permissions.can_view_commissions, request.user)
    meeting = _meeting_for(request, uuid, Action.ASSESS)
    rows = minutes.agenda_rows(meeting)
    with transaction.atomic():
        for agenda_request, _ in rows:
            record_access(request.user, AccessLog.Action.VIEW, agenda_request)
    return render(
        request,
        "orientation/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "today": timezone.localdate(),
            "held": meeting.held_on <= timezone.localdate(),
            "can_decide": permissions.can_decide_referral(request.user),
            "can_add": permissions.can_assess(request.user),
        },
    )


def meeting_edit(request, uuid):
    require(permissions.can_decide_referral, request.user)
    meeting = _meeting_for(request, uuid, Action.DECIDE_REFERRAL)
    form = MeetingForm(
        request.POST or None,
        initial={
            "held_on": meeting.held_on,
            "members_present": meeting.members_present,
            "version": meeting.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.update_meeting(
                meeting,
                held_on=data["held_on"],
                members_present=data["members_present"],
                acting_user=request.user,
                expected_version=data["version"],
            ),
        ):
            messages.success(request, "La commission a été modifiée.")
            return redirect("orientation:meeting_detail", uuid=meeting.uuid)
    return form_page(
        request,
        form,
        title=f"Modifier la {meeting}",
        cancel_url=reverse("orientation:meeting_detail", args=[meeting.uuid]),
        crumbs=_meeting_crumbs(meeting),
    )


def meeting_agenda(request, uuid):
    require(permissions.can_assess, request.user)
    meeting = _meeting_for(request, uuid, Action.ASSESS)
    candidates = (
        Request.objects.visible_to(request.user, Action.ASSESS)
        .filter(siao=meeting.siao, status__in=DECIDABLE_STATUSES)
        .exclude(agenda_items__meeting=meeting)
        .select_related("household")
        .prefetch_related(MEMBERS)
        .order_by("received_on", "ref")
    )
    form = AgendaForm(request.POST or None, requests=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["requests"])
        if run_service(
            form, lambda: services.add_to_agenda(meeting, chosen, acting_user=request.user)
        ):
            count = len(chosen)
            messages.success(
                request,
                f"{count} demande{'s' if count > 1 else ''} inscrite{'s' if count > 1 else ''} "
                "à l'ordre du jour.",
            )
            return redirect("orientation:meeting_detail", uuid=meeting.uuid)
    intro = "Seules les demandes évaluées (ou ajournées) adressées à ce SIAO peuvent passer en "
    intro += "commission."
    if not candidates.exists():
        intro += " Aucune demande n'attend d'être inscrite pour l'instant."
    return form_page(
        request,
        form,
        title=f"Ordre du jour de la {meeting}",
        intro=intro,
        submit="Inscrire à l'ordre du jour",
        cancel_url=reverse("orientation:meeting_detail", args=[meeting.uuid]),
        crumbs=_meeting_crumbs(meeting),
    )


def programmes_for_decision(siao):
    """Programmes a SIAO may admit households to: those of the operators of its département
    (all of them when the SIAO has no département)."""
    programmes = Programme.objects.filter(organisation__kind=OrganisationKind.OPERATOR)
    if siao.department:
        programmes = programmes.filter(organisation__department=siao.department)
    return programmes.select_related("organisation").order_by("organisation__name", "name")


def decide(request, uuid, request_uuid):
    require(permissions.can_decide_referral, request.user)
    meeting = _meeting_for(request, uuid, Action.DECIDE_REFERRAL)
    orientation_request = get_object_or_404(
        Request.objects.visible_to(request.user, Action.DECIDE_REFERRAL)
        .filter(agenda_items__meeting=meeting)
        .select_related("household")
        .prefetch_related(MEMBERS, "assessments"),
        uuid=request_uuid,
    )
    form = DecisionForm(
        request.POST or None,
        programmes=programmes_for_decision(meeting.siao),
        initial={"version": orientation_request.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = run_service(
            form,
            lambda: services.decide(
                meeting,
                orientation_request,
                outcome=data["outcome"],
                programme=data["programme"],
                refusal_reason=data["refusal_reason"],
                comment=data["comment"],
                acting_user=request.user,
                expected_version=data["version"],
            ),
        )
        if decision:
            messages.success(
                request,
                f"Décision enregistrée pour la demande {orientation_request.ref} : "
                f"{decision.get_outcome_display().lower()}.",
            )
            return redirect("orientation:meeting_detail", uuid=meeting.uuid)
    existing = meeting.decisions.filter(request=orientation_request).first()
    intro = f"Demande {orientation_request.ref} ({orientation_request.get_status_display()})."
    if existing:
        intro += f" Décision déjà prise par cette commission : {existing.get_outcome_display()}."
    elif meeting.held_on > timezone.localdate():
        intro += " La commission n'a pas encore eu lieu : la décision s'enregistre le jour même."
    return form_page(
        request,
        form,
        title=f"Décision de la {meeting}",
        intro=intro,
        submit="Enregistrer la décision",
        cancel_url=reverse("orientation:meeting_detail", args=[meeting.uuid]),
        crumbs=_meeting_crumbs(meeting),
    )


@require_GET
def meeting_minutes(request, uuid):
    require(permissions.can_view_commissions, request.user)
    meeting = _meeting_for(request, uuid, Action.ASSESS)
    with transaction.atomic():
        content = minutes.render_minutes(meeting)
        record_access(request.user, AccessLog.Action.EXPORT, meeting)
        for item in meeting.agenda_items.select_related("request"):
            record_access(request.user, AccessLog.Action.EXPORT, item.request)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"proces-verbal-commission-{meeting.held_on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
