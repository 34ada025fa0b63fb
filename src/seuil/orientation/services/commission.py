"""The commission: a SIAO schedules its meetings, puts assessed requests on their agenda
and decides (admitted to a programme, refused, postponed); an admission puts the household
on the programme's waiting list. Its minutes are an export of the requests decided."""

from django.core.exceptions import ValidationError
from django.db import transaction

from seuil.core.audit import audited_save, record_access, record_reads
from seuil.core.concurrency import claim_version
from seuil.core.enums import OrganisationKind
from seuil.core.models import AccessLog
from seuil.core.refs import new_ref
from seuil.core.transitions import start

from .. import minutes, notices
from ..enums import DECIDABLE_STATUSES, DecisionOutcome, RequestStatus
from ..models import AgendaItem, CommissionMeeting, Referral, ReferralDecision
from .common import locked, today, validated
from .requests import move_request


@transaction.atomic
def schedule_meeting(siao, *, held_on, members_present="", acting_user):
    """Programmer une commission d'orientation du SIAO."""
    if siao.kind != OrganisationKind.SIAO:
        raise ValidationError("Seul un SIAO tient une commission d'orientation.")
    meeting = validated(
        CommissionMeeting(
            siao=siao, held_on=held_on, members_present=members_present, created_by=acting_user
        )
    )
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(meeting, *, held_on, members_present, acting_user, expected_version=None):
    """Modifier la date et les membres présents d'une commission."""
    meeting = locked(meeting)
    claim_version(meeting, expected_version)
    if held_on != meeting.held_on and meeting.decisions.exists():
        raise ValidationError(
            "Des décisions sont déjà prises à cette date : la date de la commission ne peut "
            "plus changer."
        )
    meeting.held_on, meeting.members_present = held_on, members_present
    validated(meeting).save()
    return meeting


@transaction.atomic
def add_to_agenda(meeting, requests, *, acting_user):
    """Inscrire des demandes évaluées à l'ordre du jour d'une commission."""
    added = []
    for request in requests:
        request = locked(request)
        if request.siao_id != meeting.siao_id:
            raise ValidationError(f"La demande {request.ref} est adressée à un autre SIAO.")
        if request.status not in DECIDABLE_STATUSES:
            raise ValidationError(
                f"La demande {request.ref} est « {request.get_status_display()} » : seule une "
                "demande évaluée (ou ajournée) passe en commission."
            )
        item = validated(AgendaItem(meeting=meeting, request=request, added_by=acting_user))
        item.save()
        record_access(acting_user, AccessLog.Action.CHANGE, request)
        added.append(item)
    notices.added_to_agenda(meeting, [item.request for item in added], acting_user=acting_user)
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
    request = locked(request)
    claim_version(request, expected_version)
    if not meeting.agenda_items.filter(request=request).exists():
        raise ValidationError("Cette demande n'est pas à l'ordre du jour de cette commission.")
    if meeting.held_on > today():
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
    decision = validated(
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
    audited_save(decision, None, by=acting_user, household=request.household, validate=False)
    move_request(
        request,
        target,
        on=meeting.held_on,
        acting_user=acting_user,
        reason=refusal_reason,
        comment=comment,
    )
    if outcome == DecisionOutcome.ADMITTED:
        admit(request, decision, programme, acting_user)
    notices.decided(decision, acting_user=acting_user)
    return decision


def admit(request, decision, programme, acting_user):
    """The household of an admitted request enters the programme's waiting list."""
    referral = Referral(
        ref=new_ref(Referral),
        request=request,
        decision=decision,
        household=request.household,
        programme=programme,
        siao=request.siao,
        admitted_on=decision.decided_on,
    )
    return start(referral, on=referral.admitted_on, by=acting_user)


# ---- reads ---------------------------------------------------------------------------------


def read_agenda(meeting, *, acting_user):
    """The agenda of a meeting (`minutes.agenda_rows`), each request on it read."""
    with transaction.atomic():
        rows = minutes.agenda_rows(meeting)
        record_reads(acting_user, [request for request, _ in rows])
    return rows


@transaction.atomic
def export_minutes(meeting, *, acting_user):
    """The minutes of a meeting (PDF): an export of the meeting and of each request on its
    agenda."""
    content = minutes.render_minutes(meeting)
    requests = [item.request for item in meeting.agenda_items.select_related("request")]
    record_reads(acting_user, [meeting, *requests], action=AccessLog.Action.EXPORT)
    return content
