"""Pages of the commission: meetings, their agenda, decisions and minutes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from seuil.core.documents import as_attachment
from seuil.core.enums import OrganisationKind
from seuil.core.forms import run_service
from seuil.core.pages import form_page, object_or_404
from seuil.core.permissions import can_view_households
from seuil.core.policy import Action, Scope
from seuil.core.views_policy import policy
from seuil.core.wording import plural
from seuil.housing.models import Programme

from .. import permissions, waiting
from ..enums import DECIDABLE_STATUSES, ReferralStatus
from ..forms.commission import AgendaForm, DecisionForm, MeetingForm, ScheduleForm
from ..models import CommissionMeeting, Referral, Request
from ..services import commission as actions
from ..services.requests import read_request
from . import lookup, pages


def _meetings_crumb():
    return (reverse("orientation:meetings"), "Commissions")


def _meeting_crumbs(meeting):
    return (
        _meetings_crumb(),
        (reverse("orientation:meeting_detail", args=[meeting.uuid]), str(meeting)),
    )


@policy(read=Action.ASSESS)
def meeting_list(request):
    meetings = CommissionMeeting.objects.visible_to(request.user).select_related("siao")
    page = Paginator(meetings.order_by("-held_on", "-pk"), pages.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "orientation/meeting_list.html",
        {
            "page_obj": page,
            "today": timezone.localdate(),
            "can_create": permissions.can_decide_referral(request.user)
            and lookup.user_siao(request.user) is not None,
            "query_without_page": "",
        },
    )


@policy(Action.DECIDE_REFERRAL, scope=Scope.OWN)
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    siao = lookup.user_siao(request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if siao is None:
            form.add_error(None, "Seul un SIAO tient une commission d'orientation.")
        else:
            meeting = run_service(
                form,
                lambda: actions.schedule_meeting(
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
        crumbs=pages.crumbs(_meetings_crumb()),
    )


@policy(read=Action.ASSESS)
def meeting_detail(request, uuid):
    meeting = lookup.meeting_for(request, uuid, Action.ASSESS)
    rows = actions.read_agenda(meeting, acting_user=request.user)
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


@policy(Action.DECIDE_REFERRAL, scope=Scope.OWN)
def meeting_edit(request, uuid):
    meeting = lookup.meeting_for(request, uuid, Action.DECIDE_REFERRAL)
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
            lambda: actions.update_meeting(
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
        crumbs=pages.crumbs(*_meeting_crumbs(meeting)),
    )


@policy(Action.ASSESS, scope=Scope.OWN)
def meeting_agenda(request, uuid):
    meeting = lookup.meeting_for(request, uuid, Action.ASSESS)
    candidates = (
        Request.objects.visible_to(request.user, Action.ASSESS)
        .filter(siao=meeting.siao, status__in=DECIDABLE_STATUSES)
        .exclude(agenda_items__meeting=meeting)
        .select_related("household")
        .prefetch_related(pages.MEMBERS)
        .order_by("received_on", "ref")
    )
    form = AgendaForm(request.POST or None, requests=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["requests"])
        if run_service(
            form, lambda: actions.add_to_agenda(meeting, chosen, acting_user=request.user)
        ):
            count = len(chosen)
            messages.success(
                request,
                f"{plural(count, 'demande inscrite,demandes inscrites')} à l'ordre du jour.",
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
        crumbs=pages.crumbs(*_meeting_crumbs(meeting)),
    )


@policy(Action.ASSESS, scope=Scope.OWN)
def request_schedule(request, uuid):
    """« Inscrire à une commission » from a request's page: the upcoming meetings of its
    SIAO where it is not yet on the agenda."""
    orientation_request = lookup.request_for(request, uuid, Action.ASSESS)
    meetings = (
        CommissionMeeting.objects.visible_to(request.user, Action.ASSESS)
        .filter(siao=orientation_request.siao, held_on__gte=timezone.localdate())
        .exclude(agenda_items__request=orientation_request)
        .select_related("siao")
        .order_by("held_on", "pk")
    )
    form = ScheduleForm(request.POST or None, meetings=meetings)
    back = reverse("orientation:request_detail", args=[orientation_request.uuid])
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        if run_service(
            form,
            lambda: actions.add_to_agenda(meeting, [orientation_request], acting_user=request.user),
        ):
            messages.success(
                request,
                f"La demande {orientation_request.ref} est inscrite à l'ordre du jour de la "
                f"{meeting}.",
            )
            return redirect(back)
    intro = f"Demande {orientation_request.ref} ({orientation_request.household})."
    if orientation_request.status not in DECIDABLE_STATUSES:
        intro += " Seule une demande évaluée (ou ajournée) passe en commission."
    if not meetings.exists():
        intro += (
            f" Aucune commission à venir du SIAO {orientation_request.siao.name} : "
            "programmez-en une d'abord."
        )
    return form_page(
        request,
        form,
        title=f"Inscrire la demande {orientation_request.ref} à une commission",
        intro=intro,
        submit="Inscrire à l'ordre du jour",
        crumbs=pages.crumbs(
            (reverse("orientation:requests"), "Demandes"),
            (back, f"Demande {orientation_request.ref}"),
        ),
        cancel_url=back,
    )


def programmes_for_decision(siao):
    """Programmes a SIAO may admit households to: those of the operators of its département
    (all of them when the SIAO has no département)."""
    programmes = Programme.objects.filter(organisation__kind=OrganisationKind.OPERATOR)
    if siao.department:
        programmes = programmes.filter(organisation__department=siao.department)
    return programmes.select_related("organisation").order_by("organisation__name", "name")


@policy(Action.DECIDE_REFERRAL, scope=Scope.OWN)
def decide(request, uuid, request_uuid):
    meeting = lookup.meeting_for(request, uuid, Action.DECIDE_REFERRAL)
    orientation_request = object_or_404(
        request,
        Request.objects.filter(agenda_items__meeting=meeting)
        .select_related("household")
        .prefetch_related(pages.MEMBERS, "assessments"),
        request_uuid,
        Action.DECIDE_REFERRAL,
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
            lambda: actions.decide(
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
    # The page shows the household and its assessment: the request and its file are read.
    read_request(orientation_request, acting_user=request.user)
    today = timezone.localdate()
    household = orientation_request.household
    waiting_on = [
        (referral, waiting.position_of(referral, today))
        for referral in Referral.objects.visible_to(request.user)
        .filter(household=household, status=ReferralStatus.WAITING)
        .select_related("programme__organisation")
    ]
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
        crumbs=pages.crumbs(*_meeting_crumbs(meeting)),
        template="orientation/decide.html",
        context={
            "orientation_request": orientation_request,
            "household": household,
            "assessment": orientation_request.assessment_on(today),
            "waiting_on": waiting_on,
            "can_see_household": can_view_households(request.user),
        },
    )


@policy(read=Action.ASSESS)
@require_GET
def meeting_minutes(request, uuid):
    meeting = lookup.meeting_for(request, uuid, Action.ASSESS)
    content = actions.export_minutes(meeting, acting_user=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"proces-verbal-commission-{meeting.held_on:%Y-%m-%d}.pdf"
    return as_attachment(response, name)
