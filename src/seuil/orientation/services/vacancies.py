"""Vacancies: a unit offered for a new household, opened at an exit, declared by the
landlord or the operator, or found by the daily check of the stock; closed by an entry,
by hand (unit returned…), or by the daily check."""

from django.core.exceptions import ValidationError
from django.db import transaction

from seuil.core.enums import Role
from seuil.core.refs import new_ref
from seuil.housing.models import HousingUnit, Stay
from seuil.housing.vacant_units import vacant_units_on

from ..enums import OPEN_PROPOSAL_STATUSES, ProposalStatus, VacancyClosing, VacancyOpening
from ..models import Vacancy
from .common import locked, person, validated
from .proposals import close_proposal


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


def open_vacancy(unit, *, opened_on, reason, acting_user):
    vacancy = validated(
        Vacancy(
            ref=new_ref(Vacancy),
            unit=unit,
            opened_on=opened_on,
            opening_reason=reason,
            opened_by=person(acting_user),
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
    return open_vacancy(unit, opened_on=opened_on, reason=reason, acting_user=acting_user)


@transaction.atomic
def close_vacancy(vacancy, *, closed_on, reason, acting_user):
    """Fermer une vacance sans entrée (logement rendu, autre motif)."""
    vacancy = locked(vacancy)
    if vacancy.closed_on is not None:
        raise ValidationError(f"Cette vacance est déjà fermée (le {vacancy.closed_on:%d/%m/%Y}).")
    held = vacancy.proposals.filter(status__in=OPEN_PROPOSAL_STATUSES).first()
    if held is not None:
        raise ValidationError(
            f"Le logement est réservé par la proposition {held.ref} : retirez-la d'abord."
        )
    if closed_on < vacancy.opened_on:
        raise ValidationError(
            {"closed_on": "Une vacance ne peut être fermée avant d'être ouverte."}
        )
    vacancy.closed_on, vacancy.closing_reason, vacancy.closed_by = closed_on, reason, acting_user
    validated(vacancy).save()
    return vacancy


# ---- the daily task ------------------------------------------------------------------------


def sync_vacancies(today, *, dry_run=False):
    """Keep vacancies in line with the stock, for writes that bypass the services (imports):
    open one for each unit vacant today without one (from the day it became vacant), and
    close those of units returned to their landlord or occupied. Returns (opened, closed)."""

    opened = closed = 0
    with transaction.atomic():
        for vacant in vacant_units_on(HousingUnit.objects.all(), today):
            if vacant.unit.vacancies.filter(closed_on__isnull=True).exists():
                continue
            if vacancy_errors(vacant.unit, vacant.vacant_since):
                continue
            opened += 1
            if not dry_run:
                open_vacancy(
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
                close_proposal(
                    proposal,
                    ProposalStatus.WITHDRAWN,
                    on=max(closed_on, proposal.proposed_on),
                    acting_user=None,
                    comment="Logement rendu au bailleur ou occupé.",
                )
            vacancy.closed_on, vacancy.closing_reason = max(closed_on, vacancy.opened_on), reason
            validated(vacancy).save()
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
