"""Pages of proposals: the list, a proposal, its answers, its withdrawal, and the entry of
the household of an accepted one."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from seuil.core.forms import run_service
from seuil.core.pages import form_page
from seuil.core.permissions import can_view_households, can_view_social_note
from seuil.core.policy import Action, Scope
from seuil.core.views_policy import policy
from seuil.households.models import Membership
from seuil.housing.enums import SupportIntensity

from .. import permissions
from ..enums import OPEN_PROPOSAL_STATUSES, Answer, Party, ProposalStatus, SupportLevel
from ..forms.proposals import AnswerForm, EntryFromProposalForm, WithdrawProposalForm
from ..models import Proposal
from ..services import proposals as actions
from . import lookup, pages


@policy(read=Action.VIEW_PROPOSALS)
def proposal_list(request):
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
    rows = actions.read_proposals(proposals[:200], acting_user=request.user)
    named = permissions.named_households(request.user, [p.referral.household for p in rows])
    return render(
        request,
        "orientation/proposal_list.html",
        {
            "rows": [(p, p.referral.household_id in named) for p in rows],
            "show": show,
            "choices": [("en-cours", "En cours"), ("", "Toutes"), *ProposalStatus.choices],
            "today": timezone.localdate(),
            "can_declare": permissions.can_declare_vacancy(request.user),
        },
    )


def _proposal_crumbs(proposal):
    return (
        (reverse("orientation:proposals"), "Propositions"),
        (reverse("orientation:proposal_detail", args=[proposal.uuid]), str(proposal)),
    )


@policy(read=Action.VIEW_PROPOSALS)
def proposal_detail(request, uuid):
    proposal = lookup.proposal_for(request, uuid, Action.VIEW_PROPOSALS)
    household = proposal.referral.household
    today = timezone.localdate()
    show_note = can_view_social_note(request.user, household)
    actions.read_proposal(proposal, acting_user=request.user, with_household=show_note)
    assessment = proposal.referral.request.assessment_on(proposal.proposed_on)
    user = request.user
    named = bool(permissions.named_households(user, [household]))
    return render(
        request,
        "orientation/proposal_detail.html",
        {
            "proposal": proposal,
            "household": household,
            "members": household.members_on(today),
            "assessment": assessment,
            "fit": pages.unit_fit(assessment, proposal.vacancy.unit),
            "named": named,
            "transitions": proposal.transitions.select_related("by"),
            "show_social_note": show_note,
            "consents": pages.consents_of(household, today),
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


@policy(Action.ANSWER_PROPOSAL)
def proposal_answer(request, uuid):
    proposal = lookup.proposal_for(request, uuid, Action.ANSWER_PROPOSAL)
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
            lambda: actions.answer_proposal(
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
    elif form.single_party == Party.LANDLORD:
        intro += " Vous enregistrez la réponse du bailleur."
    elif form.single_party == Party.HOUSEHOLD:
        intro += " Vous enregistrez la réponse du ménage."
    return form_page(
        request,
        form,
        title=f"Répondre à la proposition {proposal.ref}",
        intro=intro,
        submit="Enregistrer la réponse",
        crumbs=pages.crumbs(*_proposal_crumbs(proposal)),
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


@policy(Action.MAKE_PROPOSAL, scope=Scope.OWN)
def proposal_withdraw(request, uuid):
    proposal = lookup.proposal_for(request, uuid, Action.MAKE_PROPOSAL)
    form = WithdrawProposalForm(
        request.POST or None,
        initial={"on": timezone.localdate(), "version": proposal.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(
            form,
            lambda: actions.withdraw_proposal(
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
        crumbs=pages.crumbs(*_proposal_crumbs(proposal)),
    )


@policy(Action.CHANGE_STAYS)
def proposal_enter(request, uuid):
    proposal = lookup.proposal_for(request, uuid, Action.CHANGE_STAYS)
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
            lambda: actions.enter_from_proposal(
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
        crumbs=pages.crumbs(*_proposal_crumbs(proposal)),
    )
