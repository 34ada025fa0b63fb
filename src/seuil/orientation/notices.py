"""What orientation tells people (`seuil.notifications`): its kinds of notification, who is
told of each step, and the daily reminders.

The services call these functions inside their transaction; the e-mails leave once it
commits. A message names references (proposal, unit, request, household file), never a
person; the e-mail does not even carry it.
"""

import datetime

from django.conf import settings
from django.urls import reverse

from seuil.core.enums import OrganisationKind
from seuil.core.policy import Action, Scope, allows, roles_with
from seuil.core.wording import plural
from seuil.notifications.enums import Delivery
from seuil.notifications.registry import register_kind
from seuil.notifications.services import notify

from .enums import OPEN_PROPOSAL_STATUSES, Answer, Party, ProposalStatus
from .models import Proposal, Vacancy
from .vacancies import figures_of

DAY = datetime.timedelta(days=1)

PROPOSAL_MADE = "proposal_made"
PROPOSAL_ANSWERED = "proposal_answered"
PROPOSAL_EXPIRING = "proposal_expiring"
VACANCY_LONG = "vacancy_long"
REQUEST_RECEIVED = "request_received"
COMMISSION_AGENDA = "commission_agenda"
COMMISSION_DECISION = "commission_decision"


def register_kinds():
    """Orientation's kinds of notification (called by `OrientationConfig.ready`)."""
    register_kind(
        PROPOSAL_MADE,
        label="Nouvelle proposition de logement",
        summary="Une proposition de logement vous concerne : un logement est proposé à un "
        "ménage et une réponse est attendue.",
        default=Delivery.IMMEDIATE,
        concerns=lambda user: allows(user, Action.VIEW_PROPOSALS),
        order=10,
    )
    register_kind(
        PROPOSAL_ANSWERED,
        label="Réponse à une proposition de logement",
        summary="Une proposition de logement que vous avez faite est acceptée ou refusée.",
        default=Delivery.IMMEDIATE,
        concerns=lambda user: (
            allows(user, Action.MAKE_PROPOSAL) or allows(user, Action.RUN_MATCHING)
        ),
        order=20,
    )
    register_kind(
        PROPOSAL_EXPIRING,
        label="Proposition bientôt expirée",
        summary="Le délai de réponse d'une proposition de logement se termine bientôt : sans "
        "réponse, elle expirera.",
        default=Delivery.IMMEDIATE,
        concerns=lambda user: allows(user, Action.ANSWER_PROPOSAL),
        order=30,
    )
    register_kind(
        VACANCY_LONG,
        label="Logement vacant depuis longtemps",
        summary="Un logement est vacant depuis longtemps sans proposition en cours.",
        default=Delivery.DIGEST,
        concerns=lambda user: allows(user, Action.MAKE_PROPOSAL, Scope.OWN),
        order=40,
    )
    register_kind(
        REQUEST_RECEIVED,
        label="Nouvelle demande à évaluer",
        summary="Une demande d'orientation est arrivée au SIAO : elle attend son évaluation.",
        default=Delivery.DIGEST,
        concerns=lambda user: (
            allows(user, Action.ASSESS, Scope.OWN)
            and user.organisation.kind == OrganisationKind.SIAO
        ),
        order=50,
    )
    register_kind(
        COMMISSION_AGENDA,
        label="Ordre du jour d'une commission",
        summary="Une demande d'orientation est inscrite à l'ordre du jour d'une commission.",
        default=Delivery.DIGEST,
        concerns=lambda user: allows(user, Action.RECORD_REQUEST, Scope.OWN),
        order=60,
    )
    register_kind(
        COMMISSION_DECISION,
        label="Décision de la commission",
        summary="La commission d'orientation a rendu sa décision sur une demande.",
        default=Delivery.IMMEDIATE,
        concerns=lambda user: allows(user, Action.RECORD_REQUEST, Scope.OWN),
        order=70,
    )


def _day(day):
    return f"{day:%d/%m/%Y}"


def _proposal_url(proposal):
    return reverse("orientation:proposal_detail", args=[proposal.uuid])


def _request_url(request):
    return reverse("orientation:request_detail", args=[request.uuid])


# ---- proposals -----------------------------------------------------------------------------


def _tell_parties(kind, proposal, *, actor, landlord_message, household_message, once=False):
    """Tell the parties whose answer a proposal awaits: the landlord's account, and the
    organisation holding the household's file (which records the household's answer)."""
    unit, household = proposal.vacancy.unit, proposal.referral.household
    told = []
    landlord = unit.landlord
    if proposal.landlord_answer == Answer.PENDING and landlord and landlord.account_id:
        told += notify(
            kind,
            proposal,
            message=landlord_message,
            organisation=landlord.account_id,
            roles=roles_with(Action.ANSWER_PROPOSAL, Scope.REFERRED),
            url=_proposal_url(proposal),
            actor=actor,
            once=once,
        )
    if proposal.household_answer == Answer.PENDING:
        told += notify(
            kind,
            proposal,
            message=household_message,
            organisation=household.organisation_id,
            roles=roles_with(Action.ANSWER_PROPOSAL, Scope.OWN),
            url=_proposal_url(proposal),
            actor=actor,
            once=once,
        )
    return told


def proposal_made(proposal, *, acting_user):
    """A unit is proposed: the landlord (when its agreement is asked), the organisation
    holding the household's file, and the SIAO that referred the household are told."""
    unit, referral = proposal.vacancy.unit, proposal.referral
    household = referral.household
    deadline = _day(proposal.expires_on)
    told = _tell_parties(
        PROPOSAL_MADE,
        proposal,
        actor=acting_user,
        landlord_message=f"Le logement {unit.ref} est proposé à un ménage (proposition "
        f"{proposal.ref}) : votre réponse est attendue au plus tard le {deadline}.",
        household_message=f"Proposition {proposal.ref} : le logement {unit.ref} est proposé au "
        f"ménage {household.ref} ; sa réponse est attendue au plus tard le {deadline}.",
    )
    notify(
        PROPOSAL_MADE,
        proposal,
        message=f"Proposition {proposal.ref} : le logement {unit.ref} est proposé au ménage "
        f"{household.ref}, orienté par votre SIAO (réponses attendues au plus tard le "
        f"{deadline}).",
        organisation=referral.siao_id,
        roles=roles_with(Action.VIEW_PROPOSALS, Scope.OWN),
        url=_proposal_url(proposal),
        actor=acting_user,
        exclude=[notification.recipient for notification in told],
    )


def proposal_answered(proposal, *, acting_user):
    """A proposal is accepted or refused: whoever made it is told."""
    if proposal.status not in (ProposalStatus.ACCEPTED, ProposalStatus.REFUSED):
        return
    if proposal.status == ProposalStatus.ACCEPTED:
        outcome = "acceptée : le ménage peut entrer dans le logement"
    else:
        by = "le ménage" if proposal.refused_by == Party.HOUSEHOLD else "le bailleur"
        outcome = f"refusée par {by}"
    notify(
        PROPOSAL_ANSWERED,
        proposal,
        message=f"La proposition {proposal.ref} (logement {proposal.vacancy.unit.ref}) est "
        f"{outcome}.",
        recipients=[proposal.proposed_by],
        url=_proposal_url(proposal),
        actor=acting_user,
    )


def expiring_proposals(today):
    """Open proposals whose last day of answer is within `SEUIL_PROPOSAL_REMINDER_DAYS`."""
    horizon = today + settings.SEUIL_PROPOSAL_REMINDER_DAYS * DAY
    return Proposal.objects.filter(
        status=ProposalStatus.PROPOSED, expires_on__gte=today, expires_on__lte=horizon
    ).select_related("vacancy__unit__landlord", "referral__household")


def remind_expiring_proposals(today):
    """The parties whose answer an open proposal still awaits are told, once, when its last
    day of answer is near (`SEUIL_PROPOSAL_REMINDER_DAYS`). Returns how many proposals."""
    count = 0
    for proposal in expiring_proposals(today):
        deadline = _day(proposal.expires_on)
        told = _tell_parties(
            PROPOSAL_EXPIRING,
            proposal,
            actor=None,
            once=True,
            landlord_message=f"Proposition {proposal.ref} (logement {proposal.vacancy.unit.ref}) "
            f": votre réponse est attendue au plus tard le {deadline}, sinon elle expirera.",
            household_message=f"Proposition {proposal.ref} : la réponse du ménage "
            f"{proposal.referral.household.ref} est attendue au plus tard le {deadline}, "
            "sinon la proposition expirera.",
        )
        count += bool(told)
    return count


# ---- vacancies -----------------------------------------------------------------------------


def long_vacancies(today):
    """Open vacancies opened `SEUIL_VACANCY_ALERT_DAYS` days ago or more, with no open
    proposal."""
    since = today - settings.SEUIL_VACANCY_ALERT_DAYS * DAY
    return (
        Vacancy.objects.filter(closed_on__isnull=True, opened_on__lte=since)
        .exclude(proposals__status__in=OPEN_PROPOSAL_STATUSES)
        .select_related("unit")
    )


def signal_long_vacancies(today):
    """Those who make proposals in the unit's organisation are told, once, of a vacancy
    open too long without a proposal. Returns how many vacancies."""
    count = 0
    for figures in figures_of(long_vacancies(today), today):
        vacancy, days = figures.vacancy, figures.days
        told = notify(
            VACANCY_LONG,
            vacancy,
            message=f"Le logement {vacancy.unit.ref} est vacant depuis {plural(days, 'jour')} "
            f"(vacance "
            f"{vacancy.ref}) sans proposition en cours.",
            organisation=vacancy.unit.organisation_id,
            roles=roles_with(Action.MAKE_PROPOSAL, Scope.OWN),
            url=reverse("orientation:vacancy_detail", args=[vacancy.uuid]),
            once=True,
        )
        count += bool(told)
    return count


# ---- requests and the commission -------------------------------------------------------------


def request_received(request, *, acting_user):
    """A request reaches a SIAO: those who assess there are told."""
    notify(
        REQUEST_RECEIVED,
        request,
        message=f"Demande {request.ref} reçue le {_day(request.received_on)} (ménage "
        f"{request.household.ref}) : elle attend son évaluation.",
        organisation=request.siao_id,
        roles=roles_with(Action.ASSESS, Scope.OWN),
        url=_request_url(request),
        actor=acting_user,
    )


def added_to_agenda(meeting, requests, *, acting_user):
    """Requests go on a commission's agenda: the SIAO's members who sit in it are told once,
    and the organisation holding each household's file, of its request."""
    if not requests:
        return
    told = []
    for request in requests:
        if request.household.organisation_id == meeting.siao_id:
            continue  # the SIAO holds the file: its members are told below
        told += notify(
            COMMISSION_AGENDA,
            request,
            message=f"La demande {request.ref} (ménage {request.household.ref}) est inscrite à "
            f"l'ordre du jour de la commission du {_day(meeting.held_on)}.",
            organisation=request.household.organisation_id,
            roles=roles_with(Action.RECORD_REQUEST, Scope.OWN),
            url=_request_url(request),
            actor=acting_user,
        )
    count = len(requests)
    refs = ", ".join(request.ref for request in requests)
    added = "demande ajoutée" if count == 1 else "demandes ajoutées"
    notify(
        COMMISSION_AGENDA,
        meeting,
        message=f"{count} {added} à l'ordre du jour de la commission du "
        f"{_day(meeting.held_on)} : {refs}.",
        organisation=meeting.siao_id,
        roles=roles_with(Action.ASSESS, Scope.OWN),
        url=reverse("orientation:meeting_detail", args=[meeting.uuid]),
        actor=acting_user,
        exclude=[notification.recipient for notification in told],
    )


def decided(decision, *, acting_user):
    """The commission decides on a request: the organisation holding the household's file
    is told (and, when the SIAO holds it, its other members)."""
    request = decision.request
    notify(
        COMMISSION_DECISION,
        request,
        message=f"La commission du {_day(decision.decided_on)} a rendu sa décision sur la "
        f"demande {request.ref} (ménage {request.household.ref}) : "
        f"{decision.get_outcome_display().lower()}.",
        organisation=request.household.organisation_id,
        roles=roles_with(Action.RECORD_REQUEST, Scope.OWN),
        url=_request_url(request),
        actor=acting_user,
    )
