"""What support tells people (`seuil.notifications`) and gives them to do (« Mes tâches »),
from what `due.py` says is due.

- `contract_ending`: 30 days before a support contract ends (as amended), its household's
  referents are told — the managers of caseloads when it has none: amend it or prepare the
  exit; told again if an amendment moves the end and the new end comes near;
- `appointment_tomorrow`: the day before a planned contact, its worker (and the tenancy
  officer of a joint visit);
- `objectives_to_propose`: at an entry (`housing.services.on_entry`), when the household's
  last SIAO assessment records needs with no objective in progress, its referents (the
  managers of caseloads when it has none) are asked to confirm the objectives to set;
- « Mes tâches »: the contracts ending, the contracts to sign and the households without
  contact, of the households the user is referent of (all of them for a manager of
  caseloads); one line « revues mensuelles à faire » for the households present without a
  review this month (the tenancy officer, who takes part in every review: all of them).

A message names references (contract, household file), never a person.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from seuil.core.models import Organisation
from seuil.core.policy import Action, Scope, allows, roles_with
from seuil.core.wording import plural
from seuil.housing.models import Stay
from seuil.notifications.enums import Delivery
from seuil.notifications.registry import Todo, register_kind
from seuil.notifications.services import notify

from . import due, rules
from .models import Referent

CONTRACT_ENDING = "contract_ending"
APPOINTMENT_TOMORROW = "appointment_tomorrow"
OBJECTIVES_TO_PROPOSE = "objectives_to_propose"
CATEGORY = "Accompagnement"


def register_kinds():
    register_kind(
        CONTRACT_ENDING,
        label="Contrat d'accompagnement bientôt terminé",
        summary="Un contrat d'accompagnement se termine dans moins d'un mois : un avenant ou "
        "la préparation de la sortie est à prévoir.",
        default=Delivery.IMMEDIATE,
        concerns=lambda user: allows(user, Action.CHANGE_SUPPORT, Scope.OWN),
        order=85,
    )
    register_kind(
        APPOINTMENT_TOMORROW,
        label="Rendez-vous du lendemain",
        summary="Vous avez un rendez-vous prévu demain avec un ménage.",
        default=Delivery.DIGEST,
        concerns=lambda user: allows(user, Action.VIEW_CONTACTS),
        order=86,
    )
    register_kind(
        OBJECTIVES_TO_PROPOSE,
        label="Objectifs à confirmer à l'entrée",
        summary="Un ménage entre dans un logement : les besoins relevés par le SIAO proposent "
        "des objectifs d'accompagnement, à confirmer.",
        default=Delivery.IMMEDIATE,
        concerns=lambda user: allows(user, Action.CHANGE_SUPPORT, Scope.OWN),
        order=87,
    )


def _household_url(household):
    return reverse("households:detail", args=[household.uuid])


def _referents(households, day):
    """{household pk: [its referents on `day`]}."""
    found = {}
    for referent in (
        Referent.objects.filter(household__in=households).on(day).select_related("worker")
    ):
        found.setdefault(referent.household_id, []).append(referent.worker)
    return found


def signal_ending_contracts(organisation, day):
    """Tell the referents (or the managers) of the contracts whose end is within 30 days,
    once for each end. Returns how many contracts."""
    ending = due.contracts_ending(organisation, day)
    referents = _referents([row.contract.stay.household_id for row in ending], day)
    count = 0
    for row in ending:
        contract, household = row.contract, row.contract.stay.household
        workers = referents.get(household.pk, [])
        count += bool(
            notify(
                CONTRACT_ENDING,
                contract,
                message=f"Le contrat d'accompagnement {contract.ref} (ménage {household.ref}) "
                f"se termine le {row.ends_on:%d/%m/%Y} : un avenant ou la préparation de la "
                "sortie est à prévoir.",
                recipients=workers,
                organisation=None if workers else organisation.pk,
                roles=None if workers else roles_with(Action.MANAGE_CASELOADS, Scope.OWN),
                url=_household_url(household),
                once=row.ends_on - datetime.timedelta(days=rules.ENDING_SOON_DAYS),
            )
        )
    return count


def remind_appointments(organisation, day):
    """Tell each worker of the contacts planned the day after `day`. Returns how many."""
    count = 0
    for worker, contacts in due.appointments_tomorrow(organisation, day).items():
        for contact in contacts:
            at = f" à {contact.at:%H:%M}" if contact.at else ""
            count += bool(
                notify(
                    APPOINTMENT_TOMORROW,
                    contact,
                    message=f"Rendez-vous {contact.ref} demain, {contact.on:%d/%m/%Y}{at}, avec "
                    f"le ménage {contact.household.ref} ({contact.get_kind_display().lower()}).",
                    recipients=[worker],
                    url=reverse("support:week"),
                    once=True,
                )
            )
    return count


def objectives_to_propose(stay, acting_user):
    """At an entry (registered with `housing.services.on_entry`): the household's
    referents (else the managers of caseloads) are asked to confirm the objectives its last
    assessment proposes. Nothing else is written: the objectives wait for their yes."""
    from . import needs

    household = stay.household
    proposed = needs.to_propose(household)
    if not proposed:
        return []
    workers = _referents([household.pk], stay.entered_on).get(household.pk, [])
    return notify(
        OBJECTIVES_TO_PROPOSE,
        household,
        message=f"Le ménage {household.ref} entre au logement {stay.unit.ref} : l'évaluation "
        f"du SIAO propose {plural(len(proposed), 'objectif,objectifs')} d'accompagnement, "
        "à confirmer.",
        recipients=workers,
        organisation=None if workers else stay.organisation_id,
        roles=None if workers else roles_with(Action.MANAGE_CASELOADS, Scope.OWN),
        url=reverse("support:objectives_propose", args=[household.uuid]),
        actor=acting_user,
    )


def _organisations():
    return Organisation.objects.filter(pk__in=Stay.objects.values("organisation_id"))


def support_reminders_task(now, *, dry_run=False):
    """Every day: contracts ending soon and tomorrow's appointments are signalled."""
    today = timezone.localdate(now)
    organisations = list(_organisations())
    if dry_run:
        ending = sum(len(due.contracts_ending(o, today)) for o in organisations)
        planned = sum(
            len(contacts)
            for o in organisations
            for contacts in due.appointments_tomorrow(o, today).values()
        )
        contracts = "contrat bientôt terminé à signaler,contrats bientôt terminés à signaler"
        appointments = "rendez-vous de demain à rappeler,rendez-vous de demain à rappeler"
        suffix = " (simulation)."
    else:
        ending = sum(signal_ending_contracts(o, today) for o in organisations)
        planned = sum(remind_appointments(o, today) for o in organisations)
        contracts = "contrat bientôt terminé signalé,contrats bientôt terminés signalés"
        appointments = "rendez-vous de demain rappelé,rendez-vous de demain rappelés"
        suffix = "."
    return f"Accompagnement : {plural(ending, contracts)}, {plural(planned, appointments)}{suffix}"


def _mine(user, today):
    """The households `user` has to look after, as a subquery: those it is referent of;
    None for a manager of caseloads (all of them)."""
    if allows(user, Action.MANAGE_CASELOADS, Scope.OWN):
        return None
    return Referent.objects.filter(worker=user).on(today).values("household_id")


def support_todos(user, today):
    """Contracts ending, to sign, and households without contact, for their referent."""
    if not allows(user, Action.CHANGE_SUPPORT, Scope.OWN):
        return []
    due_today = due.due_on(user.organisation, today, _mine(user, today))
    todos = []
    for row in due_today.ending:
        household = row.contract.stay.household
        todos.append(
            Todo(
                title=f"Contrat {row.contract.ref} (ménage {household.ref}) : avenant ou "
                "préparation de la sortie",
                url=_household_url(household),
                due_on=row.ends_on,
                category=CATEGORY,
                detail=f"Se termine le {row.ends_on:%d/%m/%Y}.",
            )
        )
    for row in due_today.to_sign:
        household = row.stay.household
        todos.append(
            Todo(
                title=f"Signer le contrat d'accompagnement du ménage {household.ref}",
                url=reverse("support:contract_sign", args=[row.stay.uuid]),
                due_on=row.stay.entered_on + datetime.timedelta(rules.LATE_SIGNATURE_DAYS),
                category=CATEGORY,
                detail=f"Entré le {row.stay.entered_on:%d/%m/%Y}.",
            )
        )
    for row in due_today.silent:
        household = row.stay.household
        todos.append(
            Todo(
                title=f"Prendre contact avec le ménage {household.ref}",
                url=reverse("support:contact_add", args=[household.uuid]),
                due_on=today - datetime.timedelta(days=row.days - row.limit),
                category=CATEGORY,
                detail=f"Aucun contact depuis {plural(row.days, 'jour')}.",
            )
        )
    return todos


MONTHLY_REVIEWS_SHOWN = 8


def review_todos(user, today):
    """One line: the households (the user's, as `_mine` says; all of them for a tenancy
    officer) present today without a monthly review this month."""
    if not allows(user, Action.WRITE_REVIEWS, Scope.OWN):
        return []
    everyone = allows(user, Action.VIEW_REVIEWS, Scope.REFERRED)
    households = due.households_without_review(
        user.organisation, today, None if everyone else _mine(user, today)
    )
    if not households:
        return []
    refs = ", ".join(h.ref for h in households[:MONTHLY_REVIEWS_SHOWN])
    more = len(households) - MONTHLY_REVIEWS_SHOWN
    if more > 0:
        refs += f" et {plural(more, 'autre')}"
    next_month = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return [
        Todo(
            title=f"Revues mensuelles à faire : {plural(len(households), 'ménage')}",
            url=reverse("support:reviews"),
            due_on=next_month - datetime.timedelta(days=1),
            category=CATEGORY,
            detail=f"Sans revue ce mois-ci : {refs}.",
        )
    ]
