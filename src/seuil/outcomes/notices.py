"""What outcomes tells people (`seuil.notifications`) and gives them to do (« Mes tâches »):
the follow-ups after an exit to housing, at 6, 12 and 24 months (`due.follow_ups_due`).

- `follow_up_due`: when a follow-up's window opens, those who record follow-ups in the
  organisation are told, once for each milestone;
- « Mes tâches »: every follow-up due, by the milestone's day (late after it).

A message names references (stay, household file), never a person.
"""

from django.urls import reverse
from django.utils import timezone

from seuil.core.models import Organisation
from seuil.core.policy import Action, Scope, allows, roles_with
from seuil.core.wording import plural
from seuil.housing.models import Stay
from seuil.notifications.enums import Delivery
from seuil.notifications.registry import Todo, register_kind
from seuil.notifications.services import notify

from .due import follow_ups_due

FOLLOW_UP_DUE = "follow_up_due"
CATEGORY = "Suivi après la sortie"


def register_kinds():
    register_kind(
        FOLLOW_UP_DUE,
        label="Suivi après la sortie à faire",
        summary="Un ménage sorti vers un logement arrive à l'échéance d'un suivi (6, 12 ou 24 "
        "mois après sa sortie).",
        default=Delivery.DIGEST,
        concerns=lambda user: allows(user, Action.RECORD_FOLLOW_UP, Scope.OWN),
        order=90,
    )


def _title(row):
    return (
        f"Suivi à {row.milestone.months} mois du ménage {row.stay.household.ref} (séjour "
        f"{row.stay.ref})"
    )


def signal_follow_ups(organisation, day):
    """Tell the organisation of the follow-ups whose window opens on `day` (or opened
    before without a word). Returns how many."""
    count = 0
    for row in follow_ups_due(organisation, day):
        count += bool(
            notify(
                FOLLOW_UP_DUE,
                row.stay,
                message=f"{_title(row)} : à faire d'ici le {row.due_on:%d/%m/%Y} (sorti le "
                f"{row.stay.exited_on:%d/%m/%Y}).",
                organisation=organisation.pk,
                roles=roles_with(Action.RECORD_FOLLOW_UP, Scope.OWN),
                url=reverse("outcomes:stay", args=[row.stay.uuid]),
                once=row.milestone.opens_on(row.stay.exited_on),
            )
        )
    return count


def follow_ups_task(now, *, dry_run=False):
    """Every day: the follow-ups that became due are signalled."""
    today = timezone.localdate(now)
    organisations = Organisation.objects.filter(
        pk__in=Stay.objects.filter(exited_on__isnull=False).values("organisation_id")
    )
    if dry_run:
        count = sum(len(follow_ups_due(o, today)) for o in organisations)
        forms = "suivi après la sortie à signaler,suivis après la sortie à signaler"
        return f"{plural(count, forms)} (simulation)."
    count = sum(signal_follow_ups(o, today) for o in organisations)
    return f"{plural(count, 'suivi après la sortie signalé,suivis après la sortie signalés')}."


def follow_up_todos(user, today):
    """The follow-ups due in the stays the user sees."""
    if not allows(user, Action.RECORD_FOLLOW_UP, Scope.OWN):
        return []
    stays = Stay.objects.visible_to(user, Action.VIEW_FOLLOW_UPS)
    return [
        Todo(
            title=_title(row),
            url=reverse("outcomes:record", args=[row.stay.uuid]),
            due_on=row.due_on,
            category=CATEGORY,
            detail=f"Sorti le {row.stay.exited_on:%d/%m/%Y} ; possible jusqu'au "
            f"{row.closes_on:%d/%m/%Y}.",
        )
        for row in follow_ups_due(user.organisation, today, stays=stays)
    ]
