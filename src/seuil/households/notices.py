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

from seuil.core.documents import DocumentKind
from seuil.core.policy import Action, Scope, allows
from seuil.notifications.enums import Delivery
from seuil.notifications.expiry import ExpiryReminder, expiry_sentence
from seuil.notifications.registry import register_kind

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
    return expiry_sentence(
        f"Le titre de séjour du dossier {document.household.ref}",
        document.expires_on,
        today,
        "pensez à la demande de renouvellement",
    )


RESIDENCE_PERMITS = ExpiryReminder(
    kind=RESIDENCE_PERMIT_EXPIRING,
    action=Action.CHANGE_HOUSEHOLDS,
    category=CATEGORY,
    report="Titres de séjour",
    told_forms="titre rappelé,titres rappelés",
    due=permits_due,
    organisation_of=lambda document: document.household.organisation_id,
    title=lambda document: f"Renouvellement du titre de séjour (dossier {document.household.ref})",
    sentence=_sentence,
    url=_url,
)


def remind_residence_permits_task(now, *, dry_run=False):
    """Daily task (`seuil daily`): the residence permits about to expire."""
    return RESIDENCE_PERMITS.daily_task(now, dry_run=dry_run)


def residence_permits(user, today):
    """« Mes tâches »: the permits due in the user's organisation, for whoever changes its
    households' files."""
    return RESIDENCE_PERMITS.todos(user, today)
