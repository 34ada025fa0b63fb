"""Proposals: a vacancy's unit offered to a household of the waiting list (and to the
unit's landlord), answered by each party, withdrawn, expired after its delay, and the entry
of the household of an accepted one."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from seuil.core.audit import record_reads
from seuil.core.concurrency import claim_version
from seuil.core.refs import new_ref
from seuil.core.transitions import check_transition, start, transition
from seuil.core.wording import agreement, ordinal, plural
from seuil.housing import services as housing_services

from .. import notices, waiting
from ..enums import OPEN_PROPOSAL_STATUSES, Answer, Party, ProposalStatus, ReferralStatus
from ..models import Proposal, Referral, Vacancy
from .common import DAY, not_after_today

# The reason a matching run gives for the households it passes over.
MATCHING_SKIP_REASON = (
    "Proposé par l'appariement : la meilleure répartition d'ensemble des logements vacants "
    "entre les ménages de la liste."
)


def proposal_delay_days():
    """Days a household (and the landlord) have to answer a proposal (setting)."""
    return int(getattr(settings, "SEUIL_PROPOSAL_DELAY_DAYS", 10))


def proposal_errors(vacancy, referral, proposed_on):
    """Why `vacancy` cannot be offered to the household of `referral` (French messages)."""
    errors = []
    if vacancy.closed_on is not None:
        errors.append(f"Cette vacance est fermée depuis le {vacancy.closed_on:%d/%m/%Y}.")
    if referral.status != ReferralStatus.WAITING:
        errors.append("Ce ménage n'est plus sur la liste d'attente.")
    elif proposed_on < referral.admitted_on:
        errors.append(
            f"Le ménage n'est sur la liste d'attente que depuis le {referral.admitted_on:%d/%m/%Y}."
        )
    unit = vacancy.unit
    if unit.programme_id is not None:
        if unit.programme_id != referral.programme_id:
            errors.append(
                "Ce logement appartient à un autre dispositif que celui vers lequel le ménage "
                "est orienté."
            )
    elif unit.organisation_id != referral.programme.organisation_id:
        errors.append("Ce logement n'est pas géré par l'opérateur du dispositif du ménage.")
    held = vacancy.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).first()
    if held is not None:
        errors.append(f"Ce logement est déjà réservé par la proposition {held.ref} en cours.")
    if referral.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).exists():
        errors.append("Ce ménage a déjà une proposition en cours.")
    return errors


def passed_over(referral, day):
    """(position of `referral`, [(position, referral)] of the households ahead of it on its
    waiting list on `day` with no proposal in progress): proposing to it passes over them."""
    ranked = waiting.ranking(referral.programme_id, referral.siao_id, day)[1]
    position = next((p for p, r, _ in ranked if r.pk == referral.pk), None)
    if position is None:
        return None, []
    busy = set(
        Proposal.objects.filter(
            referral__in=[r for _, r, _ in ranked], status__in=OPEN_PROPOSAL_STATUSES
        ).values_list("referral_id", flat=True)
    )
    ahead = [(p, r) for p, r, _ in ranked if p < position and r.pk not in busy]
    return position, ahead


def skip_required_message(position, ahead):
    """Why a reason is asked: the household's position and those passed over."""
    count = len(ahead)
    rank = ordinal(position)
    have = agreement(count, "n'a,n'ont")
    them = "lui" if count == 1 else "leur"
    return (
        f"Ce ménage est {rank} sur la liste d'attente : "
        f"{plural(count, 'ménage placé,ménages placés')} avant lui {have} pas de proposition "
        f"en cours. Indiquez pourquoi le logement ne {them} est pas proposé (le motif est "
        "conservé avec la proposition)."
    )


@transaction.atomic
def make_proposal(
    vacancy,
    referral,
    *,
    proposed_on,
    acting_user,
    ask_landlord=True,
    matching_run=None,
    skip_reason="",
):
    """Proposer le logement d'une vacance à un ménage de la liste d'attente (et à son
    bailleur) : le logement est réservé jusqu'à la réponse ou l'expiration du délai.

    Proposer à un ménage alors que d'autres, placés avant lui sur la liste, n'ont pas de
    proposition en cours demande un motif (`skip_reason`), conservé avec la proposition ;
    un appariement donne le sien (la meilleure répartition d'ensemble)."""
    vacancy = Vacancy.objects.select_for_update().select_related("unit").get(pk=vacancy.pk)
    referral = Referral.objects.select_for_update().select_related("programme").get(pk=referral.pk)
    not_after_today(proposed_on, "La date de la proposition", "proposed_on")
    errors = proposal_errors(vacancy, referral, proposed_on)
    if errors:
        raise ValidationError(errors)
    position, ahead = passed_over(referral, proposed_on)
    skip_reason = skip_reason.strip() if ahead else ""
    if ahead and not skip_reason:
        if matching_run is None:
            raise ValidationError({"skip_reason": skip_required_message(position, ahead)})
        skip_reason = MATCHING_SKIP_REASON
    ask = ask_landlord and vacancy.unit.landlord_id is not None
    proposal = Proposal(
        ref=new_ref(Proposal),
        vacancy=vacancy,
        referral=referral,
        proposed_on=proposed_on,
        proposed_by=acting_user,
        expires_on=proposed_on + proposal_delay_days() * DAY,
        landlord_answer=Answer.PENDING if ask else Answer.NOT_REQUIRED,
        matching_run=matching_run,
        waiting_position=position,
        skip_reason=skip_reason,
    )
    start(proposal, on=proposed_on, by=acting_user)
    notices.proposal_made(proposal, acting_user=acting_user)
    return proposal


def close_proposal(proposal, target, *, on, acting_user, reason="", comment=""):
    """Close an open proposal on `on` (withdrawn, say): its unit is free again."""
    check_transition(proposal, target)
    if proposal.stay_id is not None:
        raise ValidationError("Le ménage est déjà entré dans le logement.")
    return transition(
        proposal,
        target,
        on=on,
        by=acting_user,
        reason=reason,
        comment=comment,
        changes={"closed_on": max(on, proposal.closed_on or on)},
    )


@transaction.atomic
def answer_proposal(
    proposal,
    *,
    party,
    accepted,
    on,
    acting_user,
    reason="",
    comment="",
    expected_version=None,
):
    """Enregistrer la réponse du ménage ou du bailleur à une proposition : un refus (motif)
    la clôt et rend le logement disponible, le ménage gardant sa place sur la liste ; elle
    est acceptée quand le ménage et, s'il est sollicité, le bailleur ont donné leur accord."""
    proposal = Proposal.objects.select_for_update().select_related("referral").get(pk=proposal.pk)
    claim_version(proposal, expected_version)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(
            f"Cette proposition n'attend plus de réponse (« {proposal.get_status_display()} »)."
        )
    not_after_today(on, "La date de la réponse", "on")
    if on < proposal.proposed_on:
        raise ValidationError({"on": "La réponse ne peut précéder la proposition."})
    if on > proposal.expires_on:
        raise ValidationError(
            {
                "on": f"Le délai de réponse a pris fin le {proposal.expires_on:%d/%m/%Y} : "
                "la proposition a expiré."
            }
        )
    field = "household_answer" if party == Party.HOUSEHOLD else "landlord_answer"
    current = getattr(proposal, field)
    if current == Answer.NOT_REQUIRED:
        raise ValidationError("L'accord du bailleur n'a pas été demandé pour cette proposition.")
    if current != Answer.PENDING:
        who = "du ménage" if party == Party.HOUSEHOLD else "du bailleur"
        raise ValidationError(f"La réponse {who} est déjà enregistrée.")
    if not accepted and not reason:
        raise ValidationError({"reason": "Indiquez le motif du refus."})
    answer = Answer.ACCEPTED if accepted else Answer.REFUSED
    changes = {field: answer, f"{field}ed_on": on}
    target = ProposalStatus.PROPOSED  # one party's agreement, the other's awaited
    if not accepted:
        target = ProposalStatus.REFUSED
        changes.update(refused_by=party, refusal_reason=reason, closed_on=on)
    else:
        answers = {
            "household_answer": proposal.household_answer,
            "landlord_answer": proposal.landlord_answer,
            field: answer,
        }
        if answers["household_answer"] == Answer.ACCEPTED and answers["landlord_answer"] in (
            Answer.ACCEPTED,
            Answer.NOT_REQUIRED,
        ):
            target = ProposalStatus.ACCEPTED
            answered = [proposal.household_answered_on, proposal.landlord_answered_on, on]
            changes["closed_on"] = max(d for d in answered if d)
    transition(
        proposal,
        target,
        on=on,
        by=acting_user,
        reason=reason if not accepted else "",
        comment=comment,
        changes=changes,
        log={"party": party, "answer": answer},
    )
    notices.proposal_answered(proposal, acting_user=acting_user)
    return proposal


@transaction.atomic
def withdraw_proposal(proposal, *, on, acting_user, comment="", expected_version=None):
    """Retirer une proposition (avant l'entrée) : le logement redevient disponible et le
    ménage garde sa place sur la liste d'attente."""
    proposal = Proposal.objects.select_for_update().select_related("referral").get(pk=proposal.pk)
    claim_version(proposal, expected_version)
    not_after_today(on, "La date du retrait", "on")
    if on < proposal.proposed_on:
        raise ValidationError({"on": "Le retrait ne peut précéder la proposition."})
    return close_proposal(
        proposal, ProposalStatus.WITHDRAWN, on=on, acting_user=acting_user, comment=comment
    )


def expire_proposals(today, *, dry_run=False):
    """Clore les propositions restées sans réponse après leur délai : chacune expire le
    lendemain du dernier jour de réponse (`expires_on`), quel que soit le jour où la tâche
    passe. Returns how many expired (or would, with `dry_run`)."""
    due = Proposal.objects.filter(status=ProposalStatus.PROPOSED, expires_on__lt=today)
    if dry_run:
        return due.count()
    count = 0
    with transaction.atomic():
        for proposal in due.select_for_update().select_related("referral__household"):
            expired_on = proposal.expires_on + DAY
            transition(
                proposal,
                ProposalStatus.EXPIRED,
                on=expired_on,
                by=None,
                changes={"closed_on": expired_on},
            )
            count += 1
    return count


@transaction.atomic
def enter_from_proposal(proposal, *, entered_on, acting_user, support_intensity="standard"):
    """Faire entrer le ménage d'une proposition acceptée : le séjour commence, la vacance se
    ferme et le ménage quitte la liste d'attente."""
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("vacancy__unit", "referral__household", "referral__programme")
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.ACCEPTED:
        raise ValidationError("Seule une proposition acceptée mène à une entrée.")
    if proposal.stay_id is not None:
        raise ValidationError("Le ménage est déjà entré dans ce logement.")
    if entered_on < proposal.proposed_on:
        raise ValidationError({"entered_on": "L'entrée ne peut précéder la proposition."})
    referral = proposal.referral
    stay = housing_services.enter_household(
        referral.household,
        proposal.vacancy.unit,
        entered_on=entered_on,
        acting_user=acting_user,
        programme=referral.programme,
        support_intensity=support_intensity,
    )
    return stay  # the entry hook (`entries.after_entry`) links the proposal to the stay


# ---- reads ---------------------------------------------------------------------------------


def read_proposals(proposals, *, acting_user):
    """The proposals of a list page (evaluated), each read written to the access log (and
    the referrals listed with them: the candidates of a vacancy)."""
    return record_reads(acting_user, proposals)


def read_proposal(proposal, *, acting_user, with_household):
    """Reading a proposal's page; `with_household`: the page shows the household's social
    note, its file is read too."""
    household = proposal.referral.household
    record_reads(acting_user, [proposal, household] if with_household else [proposal])
