"""What is due in support on a day, for an organisation: the functions notifications will
call (reminders, alerts), and the support pages show.

- `contracts_ending(organisation, day)`: contracts in force whose end (as known on `day`)
  falls within 30 days: amend them or prepare the exit;
- `households_without_contact(organisation, day)`: households present on `day` in one of the
  organisation's stays with no contact that took place for more than N days (N per
  programme, `SupportSettings.no_contact_days`, 30 by default), counted from their last
  contact, or from their entry when they have had none;
- `contracts_to_sign(organisation, day)`: stays present on `day` without a contract in force,
  entered more than 30 days ago (the contract is signed in the first month);
- `households_without_review(organisation, day)`: households present on `day` in one of
  the organisation's stays with no monthly review yet in `day`'s month;
- `appointments_tomorrow(organisation, day)`: the contacts planned the day after `day`, by
  worker (the reminder the day before);
- `due_on(organisation, day)`: the first three together (`Due`), from one reading of the
  stays present and their contracts (the due page, the dashboard, the daily task).

`due_on` and `households_without_review` take `households` (ids, or a subquery of them):
only the stays of these households are read (a referent's « Mes tâches », not the
organisation's thousands).

Each returns plain rows, ordered by urgency, in a fixed number of queries; the last contact
of each household is read by one indexed lookup per household (contact_household_on),
not by grouping all its contacts.
"""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery

from seuil.housing.models import Stay

from . import rules
from .enums import ContactStatus
from .models import Amendment, Contact, Review, SupportContract, SupportSettings


@dataclass(frozen=True)
class EndingContract:
    contract: SupportContract
    ends_on: datetime.date
    days_left: int
    last_possible_end: datetime.date | None  # the programme's cap, when there is one


@dataclass(frozen=True)
class WithoutContact:
    stay: Stay
    last_contact_on: datetime.date | None
    days: int  # since the last contact, or since the entry
    limit: int  # the programme's N


@dataclass(frozen=True)
class ToSign:
    stay: Stay
    days_since_entry: int


@dataclass(frozen=True)
class Due:
    ending: list  # [EndingContract]
    to_sign: list  # [ToSign]
    silent: list  # [WithoutContact]


def _present_stays(organisation, day, households=None):
    stays = Stay.objects.filter(organisation=organisation).present_on(day)
    if households is not None:
        stays = stays.filter(household__in=households)
    return stays.select_related("household", "programme", "unit")


def _with_last_contact(stays, organisation, day):
    """`stays` annotated with `last_contact_on`: the household's last contact that took
    place on or before `day` (None when none)."""
    last = (
        Contact.objects.filter(
            organisation=organisation,
            household=OuterRef("household_id"),
            status=ContactStatus.DONE,
            on__lte=day,
        )
        .order_by("-on")
        .values("on")[:1]
    )
    return stays.annotate(last_contact_on=Subquery(last))


def due_on(organisation, day, households=None):
    """What is due on `day`: contracts ending, contracts to sign, households without
    contact, from one reading of the stays present (of `households` only, when given)."""
    stays = _present_stays(organisation, day, households)
    stays = list(_with_last_contact(stays, organisation, day))
    by_stay = _contracts([s.pk for s in stays], day)
    return Due(
        _ending(stays, by_stay, day, rules.ENDING_SOON_DAYS),
        _to_sign(stays, by_stay, day),
        _without_contact(stays, day),
    )


def _contracts(stays, day):
    """{stay pk: [contracts signed on or before `day`, with their amendments]}."""
    contracts = SupportContract.objects.filter(stay__in=stays, signed_on__lte=day).prefetch_related(
        Prefetch("amendments", queryset=Amendment.objects.order_by("signed_on", "ends_on"))
    )
    by_stay = {}
    for contract in contracts:
        by_stay.setdefault(contract.stay_id, []).append(contract)
    return by_stay


def contracts_ending(organisation, day, within=rules.ENDING_SOON_DAYS):
    """Contracts in force on `day` ending within `within` days, soonest first; a stay whose
    other contract goes on beyond is left out."""
    stays = list(_present_stays(organisation, day))
    return _ending(stays, _contracts([s.pk for s in stays], day), day, within)


def _ending(stays, by_stay, day, within):
    rows = []
    for stay in stays:
        in_force = [c for c in by_stay.get(stay.pk, ()) if c.in_force_on(day)]
        if not in_force:
            continue
        contract = max(in_force, key=lambda c: c.end_known_on(day))
        ends_on = contract.end_known_on(day)
        left = (ends_on - day).days
        if left <= within:
            contract.stay = stay
            rows.append(EndingContract(contract, ends_on, left, contract.last_possible_end))
    return sorted(rows, key=lambda r: (r.ends_on, r.contract.ref))


def contracts_to_sign(organisation, day):
    """Stays present on `day`, entered more than 30 days before, without a contract in force."""
    stays = list(_present_stays(organisation, day))
    return _to_sign(stays, _contracts([s.pk for s in stays], day), day)


def _to_sign(stays, by_stay, day):
    rows = []
    for stay in stays:
        since = (day - stay.entered_on).days
        if since <= rules.LATE_SIGNATURE_DAYS:
            continue
        if not any(c.in_force_on(day) for c in by_stay.get(stay.pk, ())):
            rows.append(ToSign(stay, since))
    return sorted(rows, key=lambda r: (-r.days_since_entry, r.stay.ref))


def no_contact_days(programme_ids):
    """{programme pk: N} for the programmes that set their own N."""
    return dict(
        SupportSettings.objects.filter(programme_id__in=programme_ids).values_list(
            "programme_id", "no_contact_days"
        )
    )


def households_without_contact(organisation, day):
    """Households present on `day` without a contact for more than their programme's N days,
    longest first."""
    stays = _with_last_contact(_present_stays(organisation, day), organisation, day)
    return _without_contact(list(stays), day)


def _without_contact(stays, day):
    """`stays` annotated by `_with_last_contact`."""
    limits = no_contact_days({s.programme_id for s in stays if s.programme_id})
    rows = []
    for stay in stays:
        limit = limits.get(stay.programme_id, rules.DEFAULT_NO_CONTACT_DAYS)
        last_on = stay.last_contact_on
        since = last_on if last_on is not None and last_on >= stay.entered_on else None
        days = (day - (since or stay.entered_on)).days
        if days > limit:
            rows.append(WithoutContact(stay, since, days, limit))
    return sorted(rows, key=lambda r: (-r.days, r.stay.ref))


def appointments_tomorrow(organisation, day):
    """{worker: [contacts planned on the day after `day`]} (the tenancy officer of a joint
    visit is reminded too)."""
    reminders = {}
    contacts = (
        Contact.objects.filter(
            organisation=organisation, status=ContactStatus.PLANNED, on=day + datetime.timedelta(1)
        )
        .select_related("household", "worker", "tenancy_officer")
        .order_by("at", "pk")
    )
    for contact in contacts:
        for person in (contact.worker, contact.tenancy_officer):
            if person is not None:
                reminders.setdefault(person, []).append(contact)
    return reminders


def households_without_review(organisation, day, households=None):
    """The households present on `day` in the organisation's stays without a monthly review
    since the first of `day`'s month, by reference (one row each; of `households` only,
    when given)."""
    first = day.replace(day=1)
    reviewed = Review.objects.filter(
        organisation=organisation, held_on__gte=first, held_on__lte=day
    ).values("household_id")
    found = {}
    for stay in _present_stays(organisation, day, households).exclude(household__in=reviewed):
        found.setdefault(stay.household_id, stay.household)
    return sorted(found.values(), key=lambda h: h.ref)
