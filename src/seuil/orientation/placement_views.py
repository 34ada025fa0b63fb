"""Orientation pages, second half: waiting lists and the SIAO's priority weights, vacancies
(their days and cost), proposals and their answers, and the entry of an accepted proposal.
The landlord's space is the same pages, narrowed by `visible_to` to its own units.

Same rules as `views.py`: the rule first (403), then `visible_to(user, action)` for the
page's action (404), writes through `services`.
"""

import datetime

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.audit import record_access
from seuil.core.forms import date_field, run_service
from seuil.core.models import AccessLog
from seuil.core.permissions import can_view_households, can_view_social_note, require
from seuil.core.policy import Action
from seuil.households.models import Membership
from seuil.housing.enums import SupportIntensity
from seuil.housing.models import HousingUnit

from . import costs, permissions, services, vacancies, waiting
from .enums import OPEN_PROPOSAL_STATUSES, Answer, ProposalStatus, SupportLevel
from .forms import (
    AnswerForm,
    CloseVacancyForm,
    DeclareVacancyForm,
    EntryFromProposalForm,
    PriorityWeightsForm,
    ProposalForm,
    WithdrawProposalForm,
)
from .models import PriorityWeights, Proposal, Referral, Vacancy
from .views import _consents_of, _user_siao, form_page, is_uuid

DAY = datetime.timedelta(days=1)


# ---- waiting lists ---------------------------------------------------------------------------


def waiting_list_index(request):
    require(permissions.can_view_waiting_lists, request.user)
    today = timezone.localdate()
    programmes = list(waiting.programmes_with_lists(request.user).order_by("name", "pk"))
    waiting_now = Referral.objects.visible_to(request.user).waiting_on(today)
    counts = {}
    for programme_id in waiting_now.values_list("programme_id", flat=True):
        counts[programme_id] = counts.get(programme_id, 0) + 1
    return render(
        request,
        "orientation/waiting_lists.html",
        {
            "rows": [(p, counts.get(p.pk, 0)) for p in programmes],
            "today": today,
            "can_set_weights": permissions.can_set_priority_weights(request.user),
        },
    )


class CompareForm(forms.Form):
    day = date_field("Liste au", required=False)
    compared_on = date_field("Comparer au", required=False)


def waiting_list_detail(request, uuid):
    require(permissions.can_view_waiting_lists, request.user)
    programme = get_object_or_404(waiting.programmes_with_lists(request.user), uuid=uuid)
    today = timezone.localdate()
    form = CompareForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    day = min(data.get("day") or today, today)
    compared_on = data.get("compared_on") or day - waiting.COMPARE_DAYS * DAY
    lists = waiting.waiting_lists(request.user, programme, day, compared_on)
    with transaction.atomic():
        for waiting_list in lists:
            for entry in waiting_list.entries:
                record_access(request.user, AccessLog.Action.VIEW, entry.referral)
    if not form.is_bound:
        form = CompareForm(initial={"day": day, "compared_on": compared_on})
    return render(
        request,
        "orientation/waiting_list.html",
        {
            "programme": programme,
            "lists": lists,
            "form": form,
            "day": day,
            "compared_on": compared_on,
            "today": today,
            "can_see_households": can_view_households(request.user),
            "can_see_requests": permissions.can_view_requests(request.user),
        },
    )


def priority_weights(request):
    require(permissions.can_set_priority_weights, request.user)
    siao = _user_siao(request.user)
    today = timezone.localdate()
    current = PriorityWeights.weights_on(siao.pk if siao else None, today)
    form = PriorityWeightsForm(
        request.POST or None, initial=PriorityWeightsForm.initial_from(current)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if siao is None:
            form.add_error(None, "Seul un SIAO fixe la pondération de ses listes d'attente.")
        elif run_service(
            form,
            lambda: services.set_priority_weights(
                siao,
                points_per_month=data["points_per_month"],
                max_waiting_points=data["max_waiting_points"],
                criterion_points=form.criterion_points(),
                acting_user=request.user,
            ),
        ):
            messages.success(
                request, "La pondération est enregistrée ; elle s'applique dès aujourd'hui."
            )
            return redirect("orientation:priority_weights")
    history = (
        PriorityWeights.objects.visible_to(request.user).select_related("set_by")
        if siao
        else PriorityWeights.objects.none()
    )
    return render(
        request,
        "orientation/priority_weights.html",
        {"form": form, "history": history, "siao": siao, "today": today},
    )


# ---- vacancies -------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    start = date_field("Du", required=False)
    end = date_field("Au", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("La fin de la période précède son début.")
        return data


def vacancy_list(request):
    require(permissions.can_view_vacancies, request.user)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    end = data.get("end") or today
    start = data.get("start") or end - 364 * DAY
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    open_vacancies = list(
        Vacancy.objects.visible_to(request.user)
        .filter(closed_on__isnull=True)
        .select_related("unit__programme", "unit__landlord", "unit__organisation")
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.filter(status__in=OPEN_PROPOSAL_STATUSES),
                to_attr="open_proposals",
            )
        )
        .order_by("opened_on", "pk")
    )
    units = HousingUnit.objects.visible_to(request.user)
    unit_rows = vacancies.unit_vacancies(units, start, end)
    return render(
        request,
        "orientation/vacancy_list.html",
        {
            "open_rows": [
                (v, v.days_on(today), vacancies.vacancy_cost(v, today), v.open_proposals)
                for v in open_vacancies
            ],
            "unit_rows": unit_rows,
            "total_days": sum(r.days for r in unit_rows),
            "total_cost": sum((r.cost for r in unit_rows if r.cost is not None), 0),
            "unknown_cost": sum(1 for r in unit_rows if r.cost is None),
            "form": form,
            "start": start,
            "end": end,
            "today": today,
            "can_declare": permissions.can_declare_vacancy(request.user),
        },
    )


def vacancy_declare(request):
    require(permissions.can_declare_vacancy, request.user)
    today = timezone.localdate()
    units = (
        HousingUnit.objects.visible_to(request.user, Action.DECLARE_VACANCY)
        .lettable()
        .filter(captured_on__lte=today + 366 * DAY)
        .order_by("ref")
    )
    initial = {"opened_on": today}
    chosen = request.GET.get("logement")
    if chosen:
        unit = units.filter(uuid=chosen).first() if is_uuid(chosen) else None
        if unit:
            initial["unit"] = unit.uuid
    form = DeclareVacancyForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        vacancy = run_service(
            form,
            lambda: services.declare_vacancy(
                data["unit"], opened_on=data["opened_on"], acting_user=request.user
            ),
        )
        if vacancy:
            messages.success(
                request,
                f"Le logement {vacancy.unit.ref} est déclaré vacant à partir du "
                f"{vacancy.opened_on:%d/%m/%Y}.",
            )
            return redirect("orientation:vacancy_detail", uuid=vacancy.uuid)
    intro = (
        "Un logement vacant peut être proposé aux ménages de la liste d'attente de son "
        "dispositif. Chaque jour de vacance coûte son loyer et ses charges."
    )
    if not units.exists():
        intro += " Aucun logement ne vous est confié pour l'instant."
    return form_page(
        request,
        form,
        title="Déclarer un logement vacant",
        intro=intro,
        submit="Déclarer la vacance",
        cancel_url=reverse("orientation:vacancies"),
        crumbs=((reverse("orientation:vacancies"), "Vacances"),),
    )


def _vacancy_for(request, uuid, action):
    return get_object_or_404(
        Vacancy.objects.visible_to(request.user, action).select_related(
            "unit__programme__organisation", "unit__landlord", "unit__organisation", "unit__sector"
        ),
        uuid=uuid,
    )


def _fit(assessment, unit):
    """What the assessment says of this unit, item by item: [(label, True/False/None)]."""
    if assessment is None:
        return []
    monthly = costs.monthly_amount(unit.rent, unit.charges)
    territory = unit.department or ""
    wished = [t.casefold() for t in assessment.wished_territories]
    places = {territory.casefold(), (unit.sector.name if unit.sector else "").casefold()} - {""}
    rank = next((i + 1 for i, t in enumerate(wished) if t in places), None)
    shared = unit.typology == "room"
    return [
        (
            "Typologie souhaitée",
            unit.typology in assessment.wished_typologies if assessment.wished_typologies else None,
        ),
        (
            "Loyer supportable",
            monthly <= assessment.bearable_rent
            if monthly is not None and assessment.bearable_rent is not None
            else None,
        ),
        (
            "Accessibilité",
            unit.accessible if assessment.needs_accessible else True,
        ),
        ("Colocation acceptée", assessment.accepts_shared if shared else True),
        (
            f"Territoire souhaité{f' (choix n° {rank})' if rank else ''}",
            rank is not None if wished else None,
        ),
    ]


def vacancy_detail(request, uuid):
    require(permissions.can_view_vacancies, request.user)
    vacancy = _vacancy_for(request, uuid, Action.VIEW_UNITS)
    today = timezone.localdate()
    proposals = list(
        Proposal.objects.visible_to(request.user)
        .filter(vacancy=vacancy)
        .select_related("referral__household", "proposed_by")
        .prefetch_related(
            Prefetch(
                "referral__household__memberships",
                queryset=Membership.objects.select_related("person"),
            )
        )
    )
    held = vacancy.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).first()
    candidates = []
    unit = vacancy.unit
    may_propose = permissions.can_make_proposal(request.user)
    if may_propose and vacancy.closed_on is None and held is None and unit.programme_id:
        candidates = _candidates(request.user, vacancy, today)
    return render(
        request,
        "orientation/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "unit": unit,
            "days": vacancy.days_on(today),
            "cost": vacancies.vacancy_cost(vacancy, today),
            "monthly": costs.monthly_amount(unit.rent, unit.charges),
            "proposals": proposals,
            "held": held,
            "candidates": candidates,
            "today": today,
            "can_propose": may_propose and vacancy.closed_on is None and held is None,
            "can_close": permissions.can_close_vacancy(request.user)
            and vacancy.closed_on is None
            and unit.organisation_id == request.user.organisation_id,
            "can_see_households": can_view_households(request.user),
        },
    )


def _candidates(user, vacancy, day):
    """[(position, referral, breakdown, fit)] of the lists of the unit's programme that the
    user sees, in their order (one list per referring SIAO, one after the other)."""
    rows = []
    for waiting_list in waiting.waiting_lists(user, vacancy.unit.programme, day):
        for entry in waiting_list.entries:
            if entry.open_proposal is not None:
                continue
            assessment = entry.referral.request.assessment_on(day)
            rows.append(
                (entry.position, entry.referral, entry.breakdown, _fit(assessment, vacancy.unit))
            )
    return rows


def vacancy_close(request, uuid):
    require(permissions.can_close_vacancy, request.user)
    vacancy = _vacancy_for(request, uuid, Action.DECLARE_VACANCY)
    form = CloseVacancyForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.close_vacancy(
                vacancy,
                closed_on=data["closed_on"],
                reason=data["reason"],
                acting_user=request.user,
            ),
        ):
            messages.success(request, f"La vacance du logement {vacancy.unit.ref} est fermée.")
            return redirect("orientation:vacancy_detail", uuid=vacancy.uuid)
    return form_page(
        request,
        form,
        title=f"Fermer la vacance du logement {vacancy.unit.ref}",
        intro="Par exemple quand le logement est rendu au bailleur. L'entrée d'un ménage ferme "
        "la vacance d'elle-même.",
        submit="Fermer la vacance",
        cancel_url=reverse("orientation:vacancy_detail", args=[vacancy.uuid]),
        crumbs=_vacancy_crumbs(vacancy),
    )


def _vacancy_crumbs(vacancy):
    return (
        (reverse("orientation:vacancies"), "Vacances"),
        (
            reverse("orientation:vacancy_detail", args=[vacancy.uuid]),
            f"Logement {vacancy.unit.ref}",
        ),
    )


def propose(request, uuid):
    require(permissions.can_make_proposal, request.user)
    vacancy = _vacancy_for(request, uuid, Action.MAKE_PROPOSAL)
    today = timezone.localdate()
    unit = vacancy.unit
    ordered = []
    if unit.programme_id:
        ordered = [
            (entry.position, entry.referral)
            for waiting_list in waiting.waiting_lists(request.user, unit.programme, today)
            for entry in waiting_list.entries
            if entry.open_proposal is None
        ]
    referrals = Referral.objects.visible_to(request.user, Action.MAKE_PROPOSAL).filter(
        programme_id=unit.programme_id
    )
    form = ProposalForm(
        request.POST or None,
        referrals=referrals,
        ordered=ordered,
        initial={"proposed_on": today, "ask_landlord": unit.landlord_id is not None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = run_service(
            form,
            lambda: services.make_proposal(
                vacancy,
                data["referral"],
                proposed_on=data["proposed_on"],
                acting_user=request.user,
                ask_landlord=data["ask_landlord"],
            ),
        )
        if proposal:
            messages.success(
                request,
                f"Le logement {unit.ref} est proposé ; réponse attendue au plus tard le "
                f"{proposal.expires_on:%d/%m/%Y}.",
            )
            return redirect("orientation:proposal_detail", uuid=proposal.uuid)
    delay = services.proposal_delay_days()
    intro = (
        f"Le logement est réservé au ménage pendant {delay} jours ; sans réponse à la fin du "
        "délai, la proposition expire et le logement redevient disponible."
    )
    if not unit.programme_id:
        intro += " Ce logement n'est rattaché à aucun dispositif : rattachez-le d'abord."
    elif not ordered:
        intro += " Aucun ménage de la liste d'attente n'est disponible pour l'instant."
    return form_page(
        request,
        form,
        title=f"Proposer le logement {unit.ref}",
        intro=intro,
        submit="Proposer le logement",
        cancel_url=reverse("orientation:vacancy_detail", args=[vacancy.uuid]),
        crumbs=_vacancy_crumbs(vacancy),
    )


# ---- proposals -------------------------------------------------------------------------------


def proposal_list(request):
    require(permissions.can_view_proposals, request.user)
    show = request.GET.get("statut", "en-cours")
    proposals = (
        Proposal.objects.visible_to(request.user)
        .select_related("vacancy__unit__landlord", "referral__household", "referral__programme")
        .prefetch_related(
            Prefetch(
                "referral__household__memberships",
                queryset=Membership.objects.select_related("person"),
            )
        )
        .order_by("-proposed_on", "-pk")
    )
    if show == "en-cours":
        proposals = proposals.filter(status__in=OPEN_PROPOSAL_STATUSES, stay__isnull=True)
    elif show in ProposalStatus.values:
        proposals = proposals.filter(status=show)
    with transaction.atomic():
        rows = list(proposals[:200])
        for proposal in rows:
            record_access(request.user, AccessLog.Action.VIEW, proposal)
    return render(
        request,
        "orientation/proposal_list.html",
        {
            "rows": rows,
            "show": show,
            "choices": [("en-cours", "En cours"), ("", "Toutes"), *ProposalStatus.choices],
            "today": timezone.localdate(),
            "can_declare": permissions.can_declare_vacancy(request.user),
        },
    )


def _proposal_for(request, uuid, action):
    return get_object_or_404(
        Proposal.objects.visible_to(request.user, action).select_related(
            "vacancy__unit__landlord",
            "vacancy__unit__programme",
            "vacancy__unit__sector",
            "referral__household",
            "referral__programme__organisation",
            "referral__request",
            "referral__siao",
            "stay",
        ),
        uuid=uuid,
    )


def _proposal_crumbs(proposal):
    return (
        (reverse("orientation:proposals"), "Propositions"),
        (reverse("orientation:proposal_detail", args=[proposal.uuid]), str(proposal)),
    )


def proposal_detail(request, uuid):
    require(permissions.can_view_proposals, request.user)
    proposal = _proposal_for(request, uuid, Action.VIEW_PROPOSALS)
    household = proposal.referral.household
    today = timezone.localdate()
    show_note = can_view_social_note(request.user, household)
    with transaction.atomic():
        record_access(request.user, AccessLog.Action.VIEW, proposal)
        if show_note:
            record_access(request.user, AccessLog.Action.VIEW, household)
    assessment = proposal.referral.request.assessment_on(proposal.proposed_on)
    user = request.user
    return render(
        request,
        "orientation/proposal_detail.html",
        {
            "proposal": proposal,
            "household": household,
            "members": household.members_on(today),
            "assessment": assessment,
            "fit": _fit(assessment, proposal.vacancy.unit),
            "transitions": proposal.transitions.select_related("by"),
            "show_social_note": show_note,
            "consents": _consents_of(household, today),
            "landlord_account": proposal.vacancy.unit.landlord.account
            if proposal.vacancy.unit.landlord_id
            else None,
            "today": today,
            "overdue": proposal.status == ProposalStatus.PROPOSED and today > proposal.expires_on,
            "parties": permissions.answer_parties(user, proposal),
            "can_withdraw": permissions.can_make_proposal(user) and proposal.is_open,
            "can_enter": permissions.can_enter_household(user)
            and proposal.status == ProposalStatus.ACCEPTED
            and proposal.stay_id is None,
            "can_see_household": can_view_households(user),
            "is_landlord": user.role == "landlord",
        },
    )


def proposal_answer(request, uuid):
    require(permissions.can_answer_proposal, request.user)
    proposal = _proposal_for(request, uuid, Action.ANSWER_PROPOSAL)
    parties = permissions.answer_parties(request.user, proposal)
    form = AnswerForm(
        request.POST or None,
        parties=parties,
        initial={"on": timezone.localdate(), "version": proposal.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answered = run_service(
            form,
            lambda: services.answer_proposal(
                proposal,
                party=data["party"],
                accepted=data["accepted"],
                on=data["on"],
                reason=data["reason"],
                comment=data["comment"],
                acting_user=request.user,
                expected_version=data["version"],
            ),
        )
        if answered:
            messages.success(request, _answer_message(answered))
            return redirect("orientation:proposal_detail", uuid=proposal.uuid)
    intro = f"Logement {proposal.vacancy.unit.ref}, proposé le {proposal.proposed_on:%d/%m/%Y} ; "
    intro += f"réponse attendue au plus tard le {proposal.expires_on:%d/%m/%Y}."
    if not parties:
        intro += " Aucune réponse n'est attendue de vous sur cette proposition."
    return form_page(
        request,
        form,
        title=f"Répondre à la proposition {proposal.ref}",
        intro=intro,
        submit="Enregistrer la réponse",
        cancel_url=reverse("orientation:proposal_detail", args=[proposal.uuid]),
        crumbs=_proposal_crumbs(proposal),
    )


def _answer_message(proposal):
    if proposal.status == ProposalStatus.ACCEPTED:
        return "La proposition est acceptée : le ménage peut entrer dans le logement."
    if proposal.status == ProposalStatus.REFUSED:
        return (
            "La proposition est refusée : le logement est de nouveau disponible, et le ménage "
            "garde sa place sur la liste d'attente."
        )
    waiting_for = "du bailleur" if proposal.landlord_answer == Answer.PENDING else "du ménage"
    return f"Réponse enregistrée ; la réponse {waiting_for} est attendue."


def proposal_withdraw(request, uuid):
    require(permissions.can_make_proposal, request.user)
    proposal = _proposal_for(request, uuid, Action.MAKE_PROPOSAL)
    form = WithdrawProposalForm(
        request.POST or None,
        initial={"on": timezone.localdate(), "version": proposal.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: services.withdraw_proposal(
                proposal,
                on=data["on"],
                comment=data["comment"],
                acting_user=request.user,
                expected_version=data["version"],
            ),
        ):
            messages.success(
                request,
                "La proposition est retirée : le logement est de nouveau disponible, et le "
                "ménage garde sa place sur la liste d'attente.",
            )
            return redirect("orientation:proposal_detail", uuid=proposal.uuid)
    return form_page(
        request,
        form,
        title="Retirer la proposition",
        intro=f"Logement {proposal.vacancy.unit.ref}, proposé le "
        f"{proposal.proposed_on:%d/%m/%Y} ({proposal.get_status_display().lower()}).",
        submit="Retirer la proposition",
        cancel_url=reverse("orientation:proposal_detail", args=[proposal.uuid]),
        crumbs=_proposal_crumbs(proposal),
    )


def proposal_enter(request, uuid):
    require(permissions.can_enter_household, request.user)
    proposal = _proposal_for(request, uuid, Action.CHANGE_STAYS)
    assessment = proposal.referral.request.assessment_on(None)
    reinforced = assessment is not None and assessment.support_level == SupportLevel.REINFORCED
    form = EntryFromProposalForm(
        request.POST or None,
        initial={
            "entered_on": timezone.localdate(),
            "support_intensity": SupportIntensity.REINFORCED
            if reinforced
            else SupportIntensity.STANDARD,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stay = run_service(
            form,
            lambda: services.enter_from_proposal(
                proposal,
                entered_on=data["entered_on"],
                support_intensity=data["support_intensity"],
                acting_user=request.user,
            ),
        )
        if stay:
            messages.success(
                request,
                f"Entrée enregistrée dans le logement {stay.unit.ref} le "
                f"{stay.entered_on:%d/%m/%Y} ; la vacance est fermée.",
            )
            return redirect("housing:detail", uuid=stay.unit.uuid)
    unit = proposal.vacancy.unit
    intro = f"Logement {unit.ref} ({unit.get_typology_display()})"
    intro += f", {unit.address}." if unit.address else "."
    if proposal.status != ProposalStatus.ACCEPTED:
        intro += " La proposition n'est pas (encore) acceptée : l'entrée n'est pas possible."
    elif proposal.stay_id:
        intro += " Le ménage est déjà entré dans ce logement."
    return form_page(
        request,
        form,
        title="Faire entrer le ménage",
        intro=intro,
        submit="Faire entrer le ménage",
        cancel_url=reverse("orientation:proposal_detail", args=[proposal.uuid]),
        crumbs=_proposal_crumbs(proposal),
    )
