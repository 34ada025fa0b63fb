"""What tenancy tells people (`seuil.notifications`) and gives them to do (« Mes tâches »).

- `rent_late`: the day a rent call becomes late (15 days after its due date, unpaid), the
  users of the organisation who see the tenancy (tenancy officer, social worker, manager)
  are told once, about the sub-lease (DOMAIN.md §4 item 6: the early warning);
- « Mes tâches » of whoever changes the tenancy: each sub-lease with late rent, to follow
  up from the day its oldest late call became late.

A message names references (sub-lease, household file), never a person.
"""

from django.urls import reverse
from django.utils import timezone

from seuil.core.models import Organisation
from seuil.core.policy import Action, Scope, allows, roles_with
from seuil.core.wording import plural
from seuil.notifications.enums import Delivery
from seuil.notifications.registry import Todo, register_kind
from seuil.notifications.services import notify

from .models import SubLease
from .services import late_calls_of, rent_calls_late_from, standings

RENT_LATE = "rent_late"
CATEGORY = "Loyers"


def register_kinds():
    register_kind(
        RENT_LATE,
        label="Loyer impayé",
        summary="Un loyer n'est pas payé quinze jours après son échéance : c'est le moment "
        "de prendre contact avec le ménage.",
        default=Delivery.IMMEDIATE,
        concerns=lambda user: allows(user, Action.VIEW_TENANCY, Scope.OWN),
        order=80,
    )


def _month(call):
    return f"{call.month:%m/%Y}"


def signal_late_rents(organisation, day):
    """Tell the organisation, once per sub-lease and late call, of the calls that became late
    on `day`. Returns how many sub-leases."""
    told = 0
    for late in rent_calls_late_from(organisation, day):
        sub_lease = late.sub_lease
        household = sub_lease.stay.household
        told += bool(
            notify(
                RENT_LATE,
                sub_lease,
                message=f"Sous-location {sub_lease.ref} (ménage {household.ref}) : le loyer de "
                f"{_month(late.call)}, échu le {late.call.due_on:%d/%m/%Y}, n'est pas payé "
                f"({late.unpaid} € restent dus).",
                organisation=organisation.pk,
                roles=roles_with(Action.VIEW_TENANCY, Scope.OWN),
                url=reverse("tenancy:account", args=[sub_lease.uuid]),
                once=day,
            )
        )
    return told


def late_rent_task(now, *, dry_run=False):
    """Every day: the rents that became late that day are signalled."""
    today = timezone.localdate(now)
    organisations = Organisation.objects.filter(pk__in=SubLease.objects.values("organisation_id"))
    if dry_run:
        count = sum(len(rent_calls_late_from(o, today)) for o in organisations)
        forms = "loyer devenu impayé à signaler,loyers devenus impayés à signaler"
        return f"{plural(count, forms)} (simulation)."
    count = sum(signal_late_rents(o, today) for o in organisations)
    return f"{plural(count, 'loyer devenu impayé signalé,loyers devenus impayés signalés')}."


def late_rents(user, today):
    """For whoever changes the tenancy: each sub-lease with late rent, oldest first."""
    if not allows(user, Action.CHANGE_TENANCY, Scope.OWN):
        return []
    sub_leases = SubLease.objects.visible_to(user, Action.CHANGE_TENANCY)
    by_sub_lease = {}
    for late in late_calls_of(sub_leases, standings(sub_leases, today), today):
        by_sub_lease.setdefault(late.sub_lease, []).append(late)
    todos = []
    for sub_lease, calls in by_sub_lease.items():
        unpaid = sum(late.unpaid for late in calls)
        todos.append(
            Todo(
                title=f"Loyers impayés : sous-location {sub_lease.ref} (ménage "
                f"{sub_lease.stay.household.ref})",
                url=reverse("tenancy:account", args=[sub_lease.uuid]),
                due_on=calls[0].late_since,
                category=CATEGORY,
                detail=f"{plural(len(calls), 'loyer impayé,loyers impayés')}, {unpaid} € dus.",
            )
        )
    return sorted(todos, key=lambda todo: (todo.due_on, todo.title))
