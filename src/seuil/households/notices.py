"""Residence permits about to expire: a notification once, and a line of « Mes tâches »
until a newer permit is filed (registered in `HouseholdsConfig.ready`).

A residence permit filed in a household's file (`HouseholdDocument`, kind
``residence_permit``, its end of validity required) is due from
`SEUIL_RESIDENCE_PERMIT_REMINDER_DAYS` days before its last day (90 by default: the renewal
is asked for in the two months before, and a prefecture's appointment takes time). It
stops being due when a permit of the same person (of the household, for one filed without
a person) expiring later is filed. The notification and the task name the household's
reference, never a person.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from seuil.core.documents import DocumentKind
from seuil.core.policy import Action, Scope, allows, roles_with
from seuil.core.wording import plural
from seuil.notifications.enums import Delivery
from seuil.notifications.registry import Todo, register_kind
from seuil.notifications.services import notify

from .models import HouseholdDocument

RESIDENCE_PERMIT_EXPIRING = "residence_permit_expiring"
CATEGORY = "Titres de séjour"


def register_kinds():
    register_kind(
        RESIDENCE_PERMIT_EXPIRING,
        label="Titre de séjour bientôt expiré",
        summary="Un titre de séjour déposé au dossier d'un ménage arrive à expiration : "
        "pensez à la demande de renouvellement.",
        default=Delivery.DIGEST,
        concerns=lambda user: allows(user, Action.CHANGE_HOUSEHOLDS, Scope.OWN),
        order=200,
    )


def permits_due(today, organisation=None):
    """The residence permits due on `today` (see the module), soonest first."""
    horizon = today + datetime.timedelta(days=settings.SEUIL_RESIDENCE_PERMIT_REMINDER_DAYS)
    permits = HouseholdDocument.objects.filter(kind=DocumentKind.RESIDENCE_PERMIT)
    later = permits.filter(expires_on__gt=OuterRef("expires_on"))
    superseded = Q(person__isnull=False, has_later_own=True) | Q(
        person__isnull=True, has_later_household=True
    )
    due = (
        permits.filter(expires_on__lte=horizon, household__anonymised_on__isnull=True)
        .annotate(
            has_later_own=Exists(later.filter(person=OuterRef("person"))),
            has_later_household=Exists(
                later.filter(household=OuterRef("household"), person__isnull=True)
            ),
        )
        .exclude(superseded)
        .select_related("household")
        .order_by("expires_on", "pk")
    )
    if organisation is not None:
        due = due.filter(household__organisation=organisation)
    return due


def _url(document):
    return reverse("households:detail", args=[document.household.uuid]) + "#documents"


def _sentence(document, today):
    day = f"{document.expires_on:%d/%m/%Y}"
    if document.expires_on < today:
        return f"Le titre de séjour du dossier {document.household.ref} a expiré le {day}."
    return (
        f"Le titre de séjour du dossier {document.household.ref} expire le {day} : pensez "
        "à la demande de renouvellement."
    )


def remind_residence_permits(today):
    """Those who change the household's file are told, once per permit, that it is due.
    Returns how many permits were told of."""
    count = 0
    for document in permits_due(today).filter(expires_on__gte=today):
        told = notify(
            RESIDENCE_PERMIT_EXPIRING,
            document,
            message=_sentence(document, today),
            organisation=document.household.organisation_id,
            roles=roles_with(Action.CHANGE_HOUSEHOLDS, Scope.OWN),
            url=_url(document),
            once=True,
        )
        count += bool(told)
    return count


def remind_residence_permits_task(now, *, dry_run=False):
    """Daily task (`seuil daily`): the residence permits about to expire."""
    today = timezone.localtime(now).date()
    if dry_run:
        count = permits_due(today).filter(expires_on__gte=today).count()
        return f"Titres de séjour : {plural(count, 'rappel')} à envoyer (simulation)."
    count = remind_residence_permits(today)
    return f"Titres de séjour : {plural(count, 'titre rappelé,titres rappelés')}."


def residence_permits(user, today):
    """« Mes tâches »: the permits due in the user's organisation, for whoever changes its
    households' files."""
    if not allows(user, Action.CHANGE_HOUSEHOLDS, Scope.OWN):
        return []
    return [
        Todo(
            title=f"Renouvellement du titre de séjour (dossier {document.household.ref})",
            url=_url(document),
            due_on=document.expires_on,
            category=CATEGORY,
            detail=_sentence(document, today),
        )
        for document in permits_due(today, user.organisation_id)
    ]
