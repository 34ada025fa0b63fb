"""Orientation writes, each a named action in one transaction: its French refusals are
raised as `ValidationError` and leave nothing written, its status changes are logged (date,
author, reason) and follow the transition tables of `enums`, and the records of a household's
file (requests, assessments, decisions, referrals, proposals) get an access-log row and a
change-history record in the same transaction.

Vacancies are about units, not persons: they have no access-log row nor change history, but
record who opened and closed them, and when.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seuil.core.audit import record_access
from seuil.core.concurrency import claim_version
from seuil.core.enums import OrganisationKind, Role
from seuil.core.history import record_change, snapshot
from seuil.core.models import AccessLog
from seuil.households import services as household_services
from seuil.housing import services as housing_services
from seuil.housing.models import HousingUnit, Stay

from .costs import suggested_bearable_rent
from .enums import (
    DECIDABLE_STATUSES,
    OPEN_PROPOSAL_STATUSES,
    PROPOSAL_TRANSITIONS,
    REFERRAL_TRANSITIONS,
    REQUEST_TRANSITIONS,
    Answer,
    DecisionOutcome,
    Party,
    ProposalStatus,
    ReferralStatus,
    RequestStatus,
    VacancyClosing,
    VacancyOpening,
)
from .models import (
    AgendaItem,
    Assessment,
    CommissionMeeting,
    PriorityWeights,
    Proposal,
    ProposalTransition,
    Referral,
    ReferralDecision,
    ReferralTransition,
    Request,
    RequestTransition,
    Vacancy,
)

DAY = datetime.timedelta(days=1)
CREATE, CHANGE = AccessLog.Action.CREATE, AccessLog.Action.CHANGE


def proposal_delay_days():
    """Days a household (and the landlord) have to answer a proposal (setting)."""
    return int(getattr(settings, "SEUIL_PROPOSAL_DELAY_DAYS", 10))


def _today():
    return timezone.localdate()


def _validated(obj):
    obj.full_clean(validate_unique=True, validate_constraints=True)
    return obj


def _not_after_today(day, what):
    if day > _today():
        raise ValidationError(f"{what} ne peut être postérieure à aujourd'hui.")


def _person(user):
    """The user who acted, None for a command or an automatic task."""
    return user if user is not None and user.is_authenticated else None


def _locked(obj):
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _refuse_transition(labels, current, target, noun):
    raise ValidationError(
        f"{noun} « {labels[current]} » ne peut pas passer à « {labels[target]} »."
    )


# ---- requests ------------------------------------------------------------------------------


def _move_request(request, target, *, on, acting_user, reason="", comment=""):
    if target not in REQUEST_TRANSITIONS[RequestStatus(request.status)]:
        labels = dict(RequestStatus.choices)
        _refuse_transition(labels, request.status, target, "Une demande")
    if on < request.status_since:
        raise ValidationError(
            f"Cette date précède le dernier changement de la demande "
            f"(le {request.status_since:%d/%m/%Y})."
        )
    before = snapshot(request)
    claim_version(request)  # a form read before this change is now stale
    RequestTransition.objects.create(
        request=request,
        from_status=request.status,
        to_status=target,
        on=on,
        by=acting_user,
        reason=reason,
        comment=comment,
    )
    request.status, request.status_since = target, on
    request.save(update_fields=["status", "status_since", "updated_at", "version"])
    record_access(acting_user, CHANGE, request)
    record_change(acting_user, request, before, household=request.household)


@transaction.atomic
def record_request(household, *, siao, received_on, origin, prescriber="", acting_user):
    """Enregistrer la demande d'orientation d'un ménage auprès d'un SIAO."""
    if siao.kind != OrganisationKind.SIAO:
        raise ValidationError({"siao": "La demande s'adresse à un SIAO."})
    _not_after_today(received_on, "La date de réception")
    request = _validated(
        Request(
            ref=housing_services.new_ref("D"),
            household=household,
            siao=siao,
            received_on=received_on,
            origin=origin,
            prescriber=prescriber,
            status=RequestStatus.RECEIVED,
            status_since=received_on,
            created_by=acting_user,
        )
    )
    request.save()
    RequestTransition.objects.create(
        request=request, to_status=RequestStatus.RECEIVED, on=received_on, by=acting_user
    )
    record_access(acting_user, CREATE, request)
    record_change(acting_user, request, None, household=household)
    return request


def may_be_assessed(request):
    """A request is assessed until the commission decides, and again while the household
    waits on the list (its situation changes: the new assessment counts from its date)."""
    if request.status in (RequestStatus.RECEIVED, RequestStatus.ASSESSED, RequestStatus.POSTPONED):
        return True
    return (
        request.status == RequestStatus.ADMITTED
        and Referral.objects.filter(request=request, status=ReferralStatus.WAITING).exists()
    )


@transaction.atomic
def record_assessment(
    request,
    *,
    acting_user,
    assessed_on,
    social_note=None,
    expected_household_version=None,
    **fields,
):
    """Évaluer une demande : une nouvelle évaluation datée, les précédentes conservées.

    `social_note` (None : inchangée) s'écrit dans la note sociale du ménage."""
    request = _locked(request)
    if not may_be_assessed(request):
        raise ValidationError(f"Une demande « {request.get_status_display()} » ne s'évalue plus.")
    if assessed_on < request.received_on:
        raise ValidationError("L'évaluation ne peut précéder la réception de la demande.")
    _not_after_today(assessed_on, "La date de l'évaluation")
    if fields.get("bearable_rent") is None:
        fields["bearable_rent"] = suggested_bearable_rent(
            fields.get("monthly_resources"), fields.get("housing_benefit")
        )
    assessment = _validated(
        Assessment(request=request, author=acting_user, assessed_on=assessed_on, **fields)
    )
    assessment.save()
    record_access(acting_user, CREATE, assessment)
    record_change(acting_user, assessment, None, household=request.household)
    if request.status in (RequestStatus.RECEIVED, RequestStatus.POSTPONED):
        _move_request(request, RequestStatus.ASSESSED, on=assessed_on, acting_user=acting_user)
    household = request.household
    if social_note is not None and social_note != household.social_note:
        household_services.update_social_note(
            household,
            acting_user=acting_user,
            social_note=social_note,
            expected_version=expected_household_version,
        )
    return assessment


@transaction.atomic
def withdraw_request(request, *, on, reason, comment="", acting_user, expected_version=None):
    """Retirer une demande (désistement, logé ailleurs…) : le ménage sort de la liste
    d'attente, sa proposition en cours est retirée."""
    request = _locked(request)
    claim_version(request, expected_version)
    _not_after_today(on, "La date du retrait")
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif du retrait."})
    if request.status == RequestStatus.ADMITTED:
        referral = Referral.objects.select_for_update().get(request=request)
        if referral.status != ReferralStatus.WAITING:
            raise ValidationError(
                "Le ménage est déjà entré dans un logement : la demande ne peut plus être retirée."
            )
        for proposal in referral.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES):
            _close_proposal(
                proposal,
                ProposalStatus.WITHDRAWN,
                on=max(on, proposal.proposed_on),
                acting_user=acting_user,
                comment="Demande d'orientation retirée.",
            )
        _close_referral(
            referral, ReferralStatus.WITHDRAWN, on=on, acting_user=acting_user, reason=reason
        )
    _move_request(
        request,
        RequestStatus.WITHDRAWN,
        on=on,
        acting_user=acting_user,
        reason=reason,
        comment=comment,
    )
    return request


# ---- commission ----------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(siao, *, held_on, members_present="", acting_user):
    """Programmer une commission d'orientation du SIAO."""
    if siao.kind != OrganisationKind.SIAO:
        raise ValidationError("Seul un SIAO tient une commission d'orientation.")
    meeting = _validated(
        CommissionMeeting(
            siao=siao, held_on=held_on, members_present=members_present, created_by=acting_user
        )
    )
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(meeting, *, held_on, members_present, acting_user, expected_version=None):
    """Modifier la date et les membres présents d'une commission."""
    meeting = _locked(meeting)
    claim_version(meeting, expected_version)
    if held_on != meeting.held_on and meeting.decisions.exists():
        raise ValidationError(
            "Des décisions sont déjà prises à cette date : la date de la commission ne peut "
            "plus changer."
        )
    meeting.held_on, meeting.members_present = held_on, members_present
    _validated(meeting).save()
    return meeting


@transaction.atomic
def add_to_agenda(meeting, requests, *, acting_user):
    """Inscrire des demandes évaluées à l'ordre du jour d'une commission."""
    added = []
    for request in requests:
        request = _locked(request)
        if request.siao_id != meeting.siao_id:
            raise ValidationError(f"La demande {request.ref} est adressée à un autre SIAO.")
        if request.status not in DECIDABLE_STATUSES:
            raise ValidationError(
                f"La demande {request.ref} est « {request.get_status_display()} » : seule une "
                "demande évaluée (ou ajournée) passe en commission."
            )
        item = _validated(AgendaItem(meeting=meeting, request=request, added_by=acting_user))
        item.save()
        record_access(acting_user, CHANGE, request)
        added.append(item)
    return added


@transaction.atomic
def decide(
    meeting,
    request,
    *,
    outcome,
    programme=None,
    refusal_reason="",
    comment="",
    acting_user,
    expected_version=None,
):
    """Enregistrer la décision de la commission sur une demande : admise vers un dispositif
    (le ménage entre sur sa liste d'attente), refusée (motif) ou ajournée."""
    request = _locked(request)
    claim_version(request, expected_version)
    if not meeting.agenda_items.filter(request=request).exists():
        raise ValidationError("Cette demande n'est pas à l'ordre du jour de cette commission.")
    if meeting.held_on > _today():
        raise ValidationError(
            f"La commission du {meeting.held_on:%d/%m/%Y} n'a pas encore eu lieu."
        )
    if outcome != DecisionOutcome.ADMITTED:
        programme = None
    if outcome != DecisionOutcome.REFUSED:
        refusal_reason = ""
    if outcome == DecisionOutcome.ADMITTED and programme is None:
        raise ValidationError({"programme": "Choisissez le dispositif d'admission."})
    if outcome == DecisionOutcome.REFUSED and not refusal_reason:
        raise ValidationError({"refusal_reason": "Indiquez le motif du refus."})
    if request.status not in DECIDABLE_STATUSES:
        raise ValidationError(
            f"La demande est « {request.get_status_display()} » : la commission ne peut "
            "plus en décider."
        )
    decision = _validated(
        ReferralDecision(
            meeting=meeting,
            request=request,
            outcome=outcome,
            programme=programme,
            refusal_reason=refusal_reason,
            comment=comment,
            decided_on=meeting.held_on,
            decided_by=acting_user,
        )
    )
    target = {
        DecisionOutcome.ADMITTED: RequestStatus.ADMITTED,
        DecisionOutcome.REFUSED: RequestStatus.REFUSED,
        DecisionOutcome.POSTPONED: RequestStatus.POSTPONED,
    }[DecisionOutcome(outcome)]
    decision.save()
    record_access(acting_user, CREATE, decision)
    record_change(acting_user, decision, None, household=request.household)
    _move_request(
        request,
        target,
        on=meeting.held_on,
        acting_user=acting_user,
        reason=refusal_reason,
        comment=comment,
    )
    if outcome == DecisionOutcome.ADMITTED:
        _admit(request, decision, programme, acting_user)
    return decision


def _admit(request, decision, programme, acting_user):
    referral = _validated(
        Referral(
            ref=housing_services.new_ref("O"),
            request=request,
            decision=decision,
            household=request.household,
            programme=programme,
            siao=request.siao,
            admitted_on=decision.decided_on,
        )
    )
    referral.save()
    ReferralTransition.objects.create(
        referral=referral,
        to_status=ReferralStatus.WAITING,
        on=referral.admitted_on,
        by=acting_user,
    )
    record_access(acting_user, CREATE, referral)
    record_change(acting_user, referral, None, household=request.household)
    return referral


def _close_referral(referral, target, *, on, acting_user, reason="", stay=None):
    if target not in REFERRAL_TRANSITIONS[ReferralStatus(referral.status)]:
        _refuse_transition(dict(ReferralStatus.choices), referral.status, target, "Une orientation")
    if on < referral.admitted_on:
        raise ValidationError(
            f"Le ménage n'est sur la liste d'attente que depuis le {referral.admitted_on:%d/%m/%Y}."
        )
    before = snapshot(referral)
    ReferralTransition.objects.create(
        referral=referral,
        from_status=referral.status,
        to_status=target,
        on=on,
        by=acting_user,
        reason=reason,
    )
    referral.status, referral.closed_on = target, on
    referral.withdrawal_reason = reason if target == ReferralStatus.WITHDRAWN else ""
    referral.stay = stay
    _validated(referral).save()
    record_access(acting_user, CHANGE, referral)
    record_change(acting_user, referral, before, household=referral.household)


# ---- priority weights ----------------------------------------------------------------------


@transaction.atomic
def set_priority_weights(
    siao, *, points_per_month, max_waiting_points, criterion_points, acting_user
):
    """Fixer la pondération de la priorité des listes d'attente du SIAO, à partir
    d'aujourd'hui (les listes des jours passés gardent la pondération d'alors)."""
    if siao.kind != OrganisationKind.SIAO:
        raise ValidationError("Seul un SIAO fixe la pondération de ses listes d'attente.")
    weights, _ = PriorityWeights.objects.update_or_create(
        siao=siao,
        effective_from=_today(),
        defaults={
            "points_per_month": points_per_month,
            "max_waiting_points": max_waiting_points,
            "criterion_points": {str(k): int(v) for k, v in criterion_points.items()},
            "set_by": acting_user,
        },
    )
    return weights


# ---- vacancies -----------------------------------------------------------------------------


def vacancy_errors(unit, opened_on):
    """Why `unit` cannot have a vacancy opened on `opened_on` (French messages)."""
    errors = []
    if unit.rooms.exists():
        errors.append("Ce logement est partagé en chambres : la vacance s'ouvre pour une chambre.")
    if opened_on < unit.captured_on:
        errors.append(f"Le logement n'est dans le parc que depuis le {unit.captured_on:%d/%m/%Y}.")
    if unit.returned_on is not None and unit.returned_on <= opened_on:
        errors.append(f"Le logement a été rendu au bailleur le {unit.returned_on:%d/%m/%Y}.")
    busy = Stay.objects.filter(unit=unit).overlapping(opened_on, None).first()
    if busy is not None:
        errors.append(
            f"Le logement est occupé à cette date ou après (entrée le "
            f"{busy.entered_on:%d/%m/%Y}) : enregistrez d'abord la sortie."
        )
    current = unit.vacancies.filter(closed_on__isnull=True).first()
    if current is not None:
        errors.append(
            f"Ce logement a déjà une vacance ouverte (depuis le {current.opened_on:%d/%m/%Y})."
        )
    return errors


def _open_vacancy(unit, *, opened_on, reason, acting_user):
    vacancy = _validated(
        Vacancy(
            ref=housing_services.new_ref("V"),
            unit=unit,
            opened_on=opened_on,
            opening_reason=reason,
            opened_by=_person(acting_user),
        )
    )
    vacancy.save()
    return vacancy


@transaction.atomic
def declare_vacancy(unit, *, opened_on, acting_user):
    """Déclarer un logement vacant (le bailleur, ou l'opérateur qui le gère)."""
    HousingUnit.objects.select_for_update().filter(pk=unit.pk).first()
    errors = vacancy_errors(unit, opened_on)
    if errors:
        raise ValidationError(errors)
    reason = (
        VacancyOpening.LANDLORD if acting_user.role == Role.LANDLORD else VacancyOpening.OPERATOR
    )
    return _open_vacancy(unit, opened_on=opened_on, reason=reason, acting_user=acting_user)


@transaction.atomic
def close_vacancy(vacancy, *, closed_on, reason, acting_user):
    """Fermer une vacance sans entrée (logement rendu, autre motif)."""
    vacancy = _locked(vacancy)
    if vacancy.closed_on is not None:
        raise ValidationError(f"Cette vacance est déjà fermée (le {vacancy.closed_on:%d/%m/%Y}).")
    held = vacancy.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).first()
    if held is not None:
        raise ValidationError(
            f"Le logement est réservé par la proposition {held.ref} : retirez-la d'abord."
        )
    if closed_on < vacancy.opened_on:
        raise ValidationError("Une vacance ne peut être fermée avant d'être ouverte.")
    vacancy.closed_on, vacancy.closing_reason, vacancy.closed_by = closed_on, reason, acting_user
    _validated(vacancy).save()
    return vacancy


# ---- proposals -----------------------------------------------------------------------------


def _log_proposal(proposal, before_status, *, on, acting_user, party="", answer="", **extra):
    ProposalTransition.objects.create(
        proposal=proposal,
        from_status=before_status,
        to_status=proposal.status,
        on=on,
        by=_person(acting_user),
        party=party,
        answer=answer,
        **extra,
    )


def _save_proposal(proposal, before, acting_user, action=CHANGE):
    _validated(proposal).save()
    if acting_user is not None:
        record_access(acting_user, action, proposal)
    record_change(acting_user, proposal, before, household=proposal.referral.household)


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


@transaction.atomic
def make_proposal(
    vacancy, referral, *, proposed_on, acting_user, ask_landlord=True, matching_run=None
):
    """Proposer le logement d'une vacance à un ménage de la liste d'attente (et à son
    bailleur) : le logement est réservé jusqu'à la réponse ou l'expiration du délai."""
    vacancy = Vacancy.objects.select_for_update().select_related("unit").get(pk=vacancy.pk)
    referral = Referral.objects.select_for_update().select_related("programme").get(pk=referral.pk)
    _not_after_today(proposed_on, "La date de la proposition")
    errors = proposal_errors(vacancy, referral, proposed_on)
    if errors:
        raise ValidationError(errors)
    ask = ask_landlord and vacancy.unit.landlord_id is not None
    proposal = Proposal(
        ref=housing_services.new_ref("P"),
        vacancy=vacancy,
        referral=referral,
        proposed_on=proposed_on,
        proposed_by=acting_user,
        expires_on=proposed_on + proposal_delay_days() * DAY,
        landlord_answer=Answer.PENDING if ask else Answer.NOT_REQUIRED,
        matching_run=matching_run,
    )
    _save_proposal(proposal, None, acting_user, action=CREATE)
    _log_proposal(proposal, "", on=proposed_on, acting_user=acting_user)
    return proposal


def _close_proposal(proposal, target, *, on, acting_user, reason="", comment=""):
    if target not in PROPOSAL_TRANSITIONS[ProposalStatus(proposal.status)]:
        _refuse_transition(dict(ProposalStatus.choices), proposal.status, target, "Une proposition")
    if proposal.stay_id is not None:
        raise ValidationError("Le ménage est déjà entré dans le logement.")
    before, before_status = snapshot(proposal), proposal.status
    proposal.status = target
    proposal.closed_on = max(on, proposal.closed_on or on)
    _save_proposal(proposal, before, acting_user)
    _log_proposal(
        proposal, before_status, on=on, acting_user=acting_user, reason=reason, comment=comment
    )
    return proposal


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
    _not_after_today(on, "La date de la réponse")
    if on < proposal.proposed_on:
        raise ValidationError("La réponse ne peut précéder la proposition.")
    if on > proposal.expires_on:
        raise ValidationError(
            f"Le délai de réponse a pris fin le {proposal.expires_on:%d/%m/%Y} : la "
            "proposition a expiré."
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
    before, before_status = snapshot(proposal), proposal.status
    setattr(proposal, field, Answer.ACCEPTED if accepted else Answer.REFUSED)
    setattr(proposal, f"{field}ed_on", on)
    if not accepted:
        proposal.status = ProposalStatus.REFUSED
        proposal.refused_by, proposal.refusal_reason = party, reason
        proposal.closed_on = on
    elif proposal.household_answer == Answer.ACCEPTED and proposal.landlord_answer in (
        Answer.ACCEPTED,
        Answer.NOT_REQUIRED,
    ):
        proposal.status = ProposalStatus.ACCEPTED
        proposal.closed_on = max(
            d for d in (proposal.household_answered_on, proposal.landlord_answered_on) if d
        )
    _save_proposal(proposal, before, acting_user)
    _log_proposal(
        proposal,
        before_status,
        on=on,
        acting_user=acting_user,
        party=party,
        answer=Answer.ACCEPTED if accepted else Answer.REFUSED,
        reason=reason if not accepted else "",
        comment=comment,
    )
    return proposal


@transaction.atomic
def withdraw_proposal(proposal, *, on, acting_user, comment="", expected_version=None):
    """Retirer une proposition (avant l'entrée) : le logement redevient disponible et le
    ménage garde sa place sur la liste d'attente."""
    proposal = Proposal.objects.select_for_update().select_related("referral").get(pk=proposal.pk)
    claim_version(proposal, expected_version)
    _not_after_today(on, "La date du retrait")
    if on < proposal.proposed_on:
        raise ValidationError("Le retrait ne peut précéder la proposition.")
    return _close_proposal(
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
            before = snapshot(proposal)
            proposal.status = ProposalStatus.EXPIRED
            proposal.closed_on = proposal.expires_on + DAY
            _validated(proposal).save()
            record_change(None, proposal, before, household=proposal.referral.household)
            _log_proposal(
                proposal, ProposalStatus.PROPOSED, on=proposal.closed_on, acting_user=None
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
        raise ValidationError("L'entrée ne peut précéder la proposition.")
    referral = proposal.referral
    stay = housing_services.enter_household(
        referral.household,
        proposal.vacancy.unit,
        entered_on=entered_on,
        acting_user=acting_user,
        programme=referral.programme,
        support_intensity=support_intensity,
    )
    return stay  # the entry hook (`after_entry`) links the proposal to the stay


# ---- entries and exits (hooks of housing.services) -----------------------------------------


def after_entry(stay, acting_user):
    """At an entry: refuse it if the unit is held for another household; close the unit's
    vacancy it fills; the household leaves the programme's waiting list (housed), and its
    proposals for other units are withdrawn."""
    vacancy = (
        Vacancy.objects.select_for_update()
        .filter(unit=stay.unit, closed_on__isnull=True, opened_on__lte=stay.entered_on)
        .first()
    )
    if vacancy is not None:
        for proposal in vacancy.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES):
            if proposal.referral.household_id != stay.household_id:
                raise ValidationError(
                    f"Ce logement est réservé par la proposition {proposal.ref} à un autre "
                    "ménage : retirez-la d'abord."
                )
            if proposal.status == ProposalStatus.PROPOSED:
                raise ValidationError(
                    f"La proposition {proposal.ref} attend encore une réponse : enregistrez "
                    "l'accord avant l'entrée."
                )
        for proposal in vacancy.proposals.filter(status=ProposalStatus.ACCEPTED, stay=None):
            before = snapshot(proposal)
            proposal.stay = stay  # its household enters: the proposal led to this stay
            _save_proposal(proposal, before, acting_user)
        if stay.exited_on is None:
            vacancy.closed_on = stay.entered_on
            vacancy.closing_reason = VacancyClosing.FILLED
            vacancy.closed_by = _person(acting_user)
            _validated(vacancy).save()
    if stay.programme_id is None:
        return
    referral = (
        Referral.objects.select_for_update()
        .filter(
            household=stay.household_id,
            programme=stay.programme_id,
            status=ReferralStatus.WAITING,
            admitted_on__lte=stay.entered_on,
        )
        .first()
    )
    if referral is None:
        return
    for proposal in referral.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).exclude(
        vacancy__unit=stay.unit
    ):
        _close_proposal(
            proposal,
            ProposalStatus.WITHDRAWN,
            on=max(stay.entered_on, proposal.proposed_on),
            acting_user=acting_user,
            comment="Le ménage est entré dans un autre logement.",
        )
    _close_referral(
        referral, ReferralStatus.HOUSED, on=stay.entered_on, acting_user=acting_user, stay=stay
    )


def after_exit(stay, acting_user):
    """At an exit: the unit is vacant from the exit day, if it stays in the stock and nobody
    enters it on or after that day; a vacancy opens."""
    unit = stay.unit
    day = stay.exited_on
    if vacancy_errors(unit, day):
        return
    _open_vacancy(unit, opened_on=day, reason=VacancyOpening.EXIT, acting_user=acting_user)


# ---- the daily task ------------------------------------------------------------------------


def sync_vacancies(today, *, dry_run=False):
    """Keep vacancies in line with the stock, for writes that bypass the services (imports):
    open one for each unit vacant today without one (from the day it became vacant), and
    close those of units returned to their landlord or occupied. Returns (opened, closed)."""
    from seuil.housing.vacant_units import vacant_units_on

    opened = closed = 0
    with transaction.atomic():
        for vacant in vacant_units_on(HousingUnit.objects.all(), today):
            if vacant.unit.vacancies.filter(closed_on__isnull=True).exists():
                continue
            if vacancy_errors(vacant.unit, vacant.vacant_since):
                continue
            opened += 1
            if not dry_run:
                _open_vacancy(
                    vacant.unit,
                    opened_on=vacant.vacant_since,
                    reason=VacancyOpening.NEW_UNIT,
                    acting_user=None,
                )
        for vacancy in Vacancy.objects.filter(closed_on__isnull=True).select_related("unit"):
            end = _end_of(vacancy, today)
            if end is None:
                continue
            closed += 1
            if dry_run:
                continue
            closed_on, reason = end
            for proposal in vacancy.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES):
                _close_proposal(
                    proposal,
                    ProposalStatus.WITHDRAWN,
                    on=max(closed_on, proposal.proposed_on),
                    acting_user=None,
                    comment="Logement rendu au bailleur ou occupé.",
                )
            vacancy.closed_on, vacancy.closing_reason = max(closed_on, vacancy.opened_on), reason
            _validated(vacancy).save()
    return opened, closed


def _end_of(vacancy, today):
    """(day, reason) a vacancy should have closed on, by today; None while it should not."""
    unit = vacancy.unit
    if unit.returned_on is not None and unit.returned_on <= today:
        return unit.returned_on, VacancyClosing.RETURNED
    entry = (
        Stay.objects.filter(unit=unit, entered_on__gte=vacancy.opened_on, entered_on__lte=today)
        .order_by("entered_on")
        .first()
    )
    if entry is not None:
        return entry.entered_on, VacancyClosing.FILLED
    return None
