"""Requests to a SIAO and their assessments: record, assess, withdraw; the request's
status moves (`move_request`), and what reading a request writes to the access log."""

from django.core.exceptions import ValidationError
from django.db import transaction

from seuil.core.audit import audited_save, record_reads
from seuil.core.concurrency import claim_version
from seuil.core.enums import OrganisationKind
from seuil.core.plausibility import check_composition
from seuil.core.refs import new_ref
from seuil.core.transitions import check_transition, start, transition
from seuil.households import services as household_services

from .. import notices
from ..costs import suggested_bearable_rent
from ..enums import OPEN_PROPOSAL_STATUSES, ProposalStatus, ReferralStatus, RequestStatus
from ..models import Assessment, Referral, Request
from .common import locked, not_after_today
from .proposals import close_proposal
from .waiting_lists import close_referral


def move_request(request, target, *, on, acting_user, reason="", comment=""):
    """Move a request to the status `target` on `on` (refused if its table forbids it, or
    before its last change); a form read before this move is now stale."""
    check_transition(request, target)
    if on < request.status_since:
        raise ValidationError(
            {
                "on": f"Cette date précède le dernier changement de la demande "
                f"(le {request.status_since:%d/%m/%Y})."
            }
        )
    claim_version(request)  # a form read before this change is now stale
    transition(
        request,
        target,
        on=on,
        by=acting_user,
        reason=reason,
        comment=comment,
        changes={"status_since": on},
        validate=False,
    )


@transaction.atomic
def record_request(household, *, siao, received_on, origin, prescriber="", acting_user):
    """Enregistrer la demande d'orientation d'un ménage auprès d'un SIAO."""
    if siao.kind != OrganisationKind.SIAO:
        raise ValidationError({"siao": "La demande s'adresse à un SIAO."})
    not_after_today(received_on, "La date de réception", "received_on")
    request = Request(
        ref=new_ref(Request),
        household=household,
        siao=siao,
        received_on=received_on,
        origin=origin,
        prescriber=prescriber,
        status=RequestStatus.RECEIVED,
        status_since=received_on,
        created_by=acting_user,
    )
    start(request, on=received_on, by=acting_user)
    notices.request_received(request, acting_user=acting_user)
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
    request = locked(request)
    if not may_be_assessed(request):
        raise ValidationError(f"Une demande « {request.get_status_display()} » ne s'évalue plus.")
    if assessed_on < request.received_on:
        raise ValidationError(
            {"assessed_on": "L'évaluation ne peut précéder la réception de la demande."}
        )
    not_after_today(assessed_on, "La date de l'évaluation", "assessed_on")
    roles = [m.role for m in request.household.members_on(assessed_on)]
    wrong = check_composition(fields.get("priority_criteria") or (), roles)
    if wrong:
        raise ValidationError(
            {
                "priority_criteria": f"{wrong} le {assessed_on:%d/%m/%Y} : décochez ce critère "
                "ou complétez la composition du ménage."
            }
        )
    if fields.get("bearable_rent") is None:
        fields["bearable_rent"] = suggested_bearable_rent(
            fields.get("monthly_resources"), fields.get("housing_benefit")
        )
    assessment = Assessment(request=request, author=acting_user, assessed_on=assessed_on, **fields)
    audited_save(assessment, None, by=acting_user, household=request.household)
    if request.status in (RequestStatus.RECEIVED, RequestStatus.POSTPONED):
        move_request(request, RequestStatus.ASSESSED, on=assessed_on, acting_user=acting_user)
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
    request = locked(request)
    claim_version(request, expected_version)
    not_after_today(on, "La date du retrait", "on")
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif du retrait."})
    if request.status == RequestStatus.ADMITTED:
        referral = Referral.objects.select_for_update().get(request=request)
        if referral.status != ReferralStatus.WAITING:
            raise ValidationError(
                "Le ménage est déjà entré dans un logement : la demande ne peut plus être retirée."
            )
        for proposal in referral.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES):
            close_proposal(
                proposal,
                ProposalStatus.WITHDRAWN,
                on=max(on, proposal.proposed_on),
                acting_user=acting_user,
                comment="Demande d'orientation retirée.",
            )
        close_referral(
            referral, ReferralStatus.WITHDRAWN, on=on, acting_user=acting_user, reason=reason
        )
    move_request(
        request,
        RequestStatus.WITHDRAWN,
        on=on,
        acting_user=acting_user,
        reason=reason,
        comment=comment,
    )
    return request


# ---- reads ---------------------------------------------------------------------------------


def read_requests(requests, *, acting_user):
    """The requests of a list page (evaluated), each read written to the access log."""
    return record_reads(acting_user, requests)


def read_request(request, *, acting_user):
    """Reading a request's page: the request and its household's file are read."""
    record_reads(acting_user, [request, request.household])


def read_household_to_assess(request, *, acting_user):
    """Opening the assessment form of a request shows its household's file."""
    record_reads(acting_user, [request.household])
