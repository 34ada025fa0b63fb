"""What tenancy tells people (`seuil.notifications`) and gives them to do (« Mes tâches »).

- `rent_late`: the day a rent call becomes late (15 days after its due date, unpaid), the
  users of the organisation who see the tenancy (tenancy officer, social worker, manager)
  are told once, about the sub-lease (DOMAIN.md §4 item 6: the early warning);
- « Mes tâches » of whoever changes the tenancy: each sub-lease with late rent, to follow
  up from the day its oldest late call became late.

- `insurance_expiring`: a household's home insurance certificate is due from
  `INSURANCE_REMINDER_DAYS` days before its last day until a newer one is recorded: whoever
  changes the tenancy is told once, and « Mes tâches » lists it (expired ones too).

A message names references (sub-lease, household file), never a person.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from seuil.core.models import Organisation
from seuil.core.policy import Action, Scope, allows, roles_with
from seuil.core.wording import plural
from seuil.notifications.enums import Delivery
from seuil.notifications.expiry import ExpiryReminder, expiry_sentence
from seuil.notifications.registry import Todo, register_kind
from seuil.notifications.services import notify

from .models import Insurance, SubLease
from .services import late_calls_of, rent_calls_late_from, standings

RENT_LATE = "rent_late"
CATEGORY = "Loyers"
INSURANCE_EXPIRING = "insurance_expiring"
INSURANCE_CATEGORY = "Assurances habitation"
# A month to get the new certificate from the household.
INSURANCE_REMINDER_DAYS = 30


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
    register_kind(
        INSURANCE_EXPIRING,
        label="Assurance habitation bientôt expirée",
        summary="L'attestation d'assurance habitation d'un ménage arrive à échéance : "
        "demandez-lui la nouvelle.",
        default=Delivery.DIGEST,
        concerns=lambda user: allows(user, Action.CHANGE_TENANCY, Scope.OWN),
        order=81,
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


# ---------------------------------------------------------------- home insurance


def insurances_due(today, organisation=None):
    """The certificates due on `today`: ending within `INSURANCE_REMINDER_DAYS` days (or
    ended), with no later certificate of the same household; soonest first."""
    horizon = today + datetime.timedelta(days=INSURANCE_REMINDER_DAYS)
    later = Insurance.objects.filter(
        household=OuterRef("household"), expires_on__gt=OuterRef("expires_on")
    )
    due = (
        Insurance.objects.filter(expires_on__lte=horizon, household__anonymised_on__isnull=True)
        .exclude(Exists(later))
        .select_related("household")
        .order_by("expires_on", "pk")
    )
    if organisation is not None:
        due = due.filter(organisation=organisation)
    return due


def _insurance_sentence(insurance, today):
    return expiry_sentence(
        f"L'assurance habitation du ménage {insurance.household.ref}",
        insurance.expires_on,
        today,
        "demandez la nouvelle attestation",
    )


INSURANCES = ExpiryReminder(
    kind=INSURANCE_EXPIRING,
    action=Action.CHANGE_TENANCY,
    category=INSURANCE_CATEGORY,
    report="Assurances habitation",
    told_forms="attestation rappelée,attestations rappelées",
    due=insurances_due,
    organisation_of=lambda insurance: insurance.organisation_id,
    title=lambda insurance: (
        f"Attestation d'assurance habitation (ménage {insurance.household.ref})"
    ),
    sentence=_insurance_sentence,
    url=lambda insurance: insurance.household.get_absolute_url(),
)


def remind_insurances(today):
    """Whoever changes the tenancy is told, once per certificate, that it ends soon.
    Returns how many certificates were told of."""
    return INSURANCES.remind(today)


def remind_insurances_task(now, *, dry_run=False):
    """Daily task (`seuil daily`): the home insurance certificates about to end."""
    return INSURANCES.daily_task(now, dry_run=dry_run)


def insurances(user, today):
    """« Mes tâches »: the certificates due in the user's organisation, for whoever changes
    the tenancy."""
    return INSURANCES.todos(user, today)
