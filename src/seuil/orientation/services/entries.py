"""What an entry in a unit or an exit from it does to orientation (hooks run by
`housing.services` inside the transaction of the entry or the exit)."""

from django.core.exceptions import ValidationError

from seuil.core.audit import audited_change
from seuil.housing.models import Stay

from ..enums import (
    OPEN_PROPOSAL_STATUSES,
    ProposalStatus,
    ReferralStatus,
    VacancyClosing,
    VacancyOpening,
)
from ..models import Referral, Vacancy
from .common import person, validated
from .proposals import close_proposal
from .vacancies import open_vacancy, vacancy_errors
from .waiting_lists import close_referral


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
            with audited_change(
                proposal,
                by=acting_user,
                household=proposal.referral.household,
                access=acting_user is not None,
            ):
                proposal.stay = stay  # its household enters: the proposal led to this stay
        if stay.exited_on is None:
            vacancy.closed_on = stay.entered_on
            vacancy.closing_reason = VacancyClosing.FILLED
            vacancy.closed_by = person(acting_user)
            validated(vacancy).save()
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
        close_proposal(
            proposal,
            ProposalStatus.WITHDRAWN,
            on=max(stay.entered_on, proposal.proposed_on),
            acting_user=acting_user,
            comment="Le ménage est entré dans un autre logement.",
        )
    close_referral(
        referral, ReferralStatus.HOUSED, on=stay.entered_on, acting_user=acting_user, stay=stay
    )


def after_exit(stay, acting_user):
    """At an exit: the unit is vacant from the exit day, if it stays in the stock and nobody
    enters it on or after that day; a vacancy opens."""
    unit = stay.unit
    day = stay.exited_on
    if vacancy_errors(unit, day):
        return
    open_vacancy(unit, opened_on=day, reason=VacancyOpening.EXIT, acting_user=acting_user)


def after_stay_deletion(stay, acting_user):
    """A stay entered by mistake is deleted (nothing was recorded on it: no proposal, no
    referral): the vacancy its entry had filled opens again, if nobody occupies the unit
    since."""
    vacancy = (
        Vacancy.objects.select_for_update()
        .filter(unit=stay.unit, closed_on=stay.entered_on, closing_reason=VacancyClosing.FILLED)
        .order_by("-opened_on", "-pk")
        .first()
    )
    if vacancy is None or stay.unit.vacancies.filter(closed_on__isnull=True).exists():
        return
    if Stay.objects.filter(unit=stay.unit).overlapping(vacancy.opened_on, None).exists():
        return
    vacancy.closed_on = None
    vacancy.closing_reason = ""
    vacancy.closed_by = None
    validated(vacancy).save()
