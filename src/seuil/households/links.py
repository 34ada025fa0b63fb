"""Links between a household and the organisations that do not hold its file, and handovers.

A household's file is *held* by one organisation (`Household.organisation`: the one that
created it, or to which it was handed over). Other organisations are *linked* to it for a
reason and for a time, as rows of `HouseholdLink`, which scope ``linked`` of the policy
reads (`core.scoping`). The rows are derived from the records that make the link: each app
registers a *source* (`register_link_source`) that says, for some households, which links
their records make today, and refreshes them (`refresh_links`) whenever it writes such a
record. How long each kind of link lasts after its record closes is written once, in
`RETENTION` (docs/protection-des-donnees.md, « Partage entre organisations »):

- a SIAO, by a request it received: while the request is in progress or admitted; after a
  refusal, `RETENTION[REQUEST]` more days (time to contest the decision); a withdrawn
  request ends the link on the day of the withdrawal;
- an operator, by an admitted referral to one of its programmes: while the household waits
  on its list, until the referral closes (a stay then takes over);
- an operator, by a stay in one of its units: from the entry until `RETENTION[STAY]` days
  after the exit (the follow-up after the exit);
- the former holder, after a handover: `RETENTION[HANDOVER]` days.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from seuil.core.audit import audited_change, audited_save
from seuil.core.models import Organisation

from .models import Handover, Household, HouseholdLink, LinkReason, Person

RETENTION = {
    LinkReason.REQUEST: datetime.timedelta(days=90),
    LinkReason.REFERRAL: datetime.timedelta(0),
    LinkReason.STAY: datetime.timedelta(days=365),
    LinkReason.HANDOVER: datetime.timedelta(days=90),
}


def ends_after(reason, closed_on):
    """The first day without access of a link whose record closed on `closed_on` (None:
    still open): the retention of its reason later."""
    return None if closed_on is None else closed_on + RETENTION[reason]


@dataclass(frozen=True)
class Link:
    """A link as a source states it: `valid_until` None while it lasts (`ends_after`)."""

    organisation_id: int
    household_id: int
    reason: str
    source: object  # the uuid of the record that makes the link
    valid_from: datetime.date
    valid_until: datetime.date | None = None


# Functions `household ids -> iterable of Link`: what the records of an app make.
LINK_SOURCES = []


def register_link_source(source):
    if source not in LINK_SOURCES:
        LINK_SOURCES.append(source)
    return source


def handover_links(household_ids):
    """The former holder keeps a link for a while after a handover."""
    for handover in Handover.objects.filter(household_id__in=household_ids):
        yield Link(
            handover.from_organisation_id,
            handover.household_id,
            LinkReason.HANDOVER,
            handover.uuid,
            handover.on,
            ends_after(LinkReason.HANDOVER, handover.on),
        )


def refresh_links(household_ids):
    """Make the link rows of these households what their records say (in the caller's
    transaction): new links created, changed ones updated, those with no record deleted.
    A holder is never linked to its own households."""
    household_ids = set(household_ids)
    if not household_ids:
        return
    holders = dict(Household.objects.filter(pk__in=household_ids).values_list("pk", "organisation"))
    wanted = {}
    for source in LINK_SOURCES:
        for link in source(household_ids):
            if holders.get(link.household_id) in (None, link.organisation_id):
                continue
            key = (link.organisation_id, link.household_id, link.reason, str(link.source))
            until = link.valid_until
            wanted[key] = (link.valid_from, None if until is None else max(until, link.valid_from))
    existing = HouseholdLink.objects.filter(household_id__in=household_ids)
    stale, changed = [], []
    for row in existing:
        key = (row.organisation_id, row.household_id, row.reason, str(row.source))
        dates = wanted.pop(key, None)
        if dates is None:
            stale.append(row.pk)
        elif dates != (row.valid_from, row.valid_until):
            row.valid_from, row.valid_until = dates
            changed.append(row)
    HouseholdLink.objects.filter(pk__in=stale).delete()
    HouseholdLink.objects.bulk_update(changed, ["valid_from", "valid_until"])
    HouseholdLink.objects.bulk_create(
        HouseholdLink(
            organisation_id=organisation_id,
            household_id=household_id,
            reason=reason,
            source=source,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        for (organisation_id, household_id, reason, source), (valid_from, valid_until) in (
            wanted.items()
        )
    )


def refresh_after_save(sender, instance, **kwargs):
    """Signal receiver for the records that make links (each source's app connects it to its
    models' `post_save` and `post_delete`): the links of the record's household, in the
    same transaction (not while a backup is loaded: the links are in it)."""
    if kwargs.get("raw"):
        return
    refresh_links([instance.household_id])


def refresh_all_links(batch=1000):
    """Every household's links (after an import, an upgrade)."""
    ids = list(Household.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        refresh_links(ids[start : start + batch])


def live_links(organisation_id):
    """The households linked today to an organisation (registered with `core.scoping`)."""
    return (
        HouseholdLink.objects.live_on(timezone.localdate())
        .filter(organisation_id=organisation_id)
        .values("household_id")
    )


def linked_organisations(household, day):
    """The organisations linked to `household` on `day` (those it may be handed over to)."""
    return Organisation.objects.filter(
        pk__in=HouseholdLink.objects.live_on(day)
        .filter(household=household)
        .values("organisation_id")
    ).order_by("name")


@transaction.atomic
def hand_over(household, *, to, on, by, reason, social_note_transferred=False):
    """Hand `household`'s file over to organisation `to`, which becomes its holder.

    What goes: identity, members, statuses, resources, stays and orientation records (they
    follow the household), and the social note if the household agreed to its transfer.
    What stays with the former holder, kept on the `Handover` record that it alone reads:
    the sensitive details always, the social note otherwise. The psychologists' referrals
    of the former holder end with it (their notes stay theirs). The former holder keeps a
    link for `RETENTION[HANDOVER]` days.
    """
    if to.pk == household.organisation_id:
        raise ValidationError(
            {"to_organisation": "Ce ménage est déjà suivi par cette organisation."}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": "Une transmission se date au plus tard d'aujourd'hui."})
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de la transmission."})
    clashes = (
        Person.objects.filter(
            organisation=to, ref__in=household.memberships.values("person__ref")
        ).exists()
        or Household.objects.filter(organisation=to, ref=household.ref).exists()
    )
    if clashes:
        raise ValidationError(
            "Une référence de ce ménage ou de ses membres existe déjà dans l'organisation "
            "destinataire : changez-la avant la transmission."
        )
    from_organisation = household.organisation
    handover = Handover(
        household=household,
        from_organisation=from_organisation,
        to_organisation=to,
        on=on,
        reason=reason.strip(),
        social_note_transferred=social_note_transferred,
        kept_social_note="" if social_note_transferred else household.social_note,
        kept_sensitive_details=household.sensitive_details,
        by=by,
    )
    audited_save(handover, None, by=by, household=household)
    for person in Person.objects.filter(memberships__household=household).distinct():
        with audited_change(person, by=by, household=household, access=False, validate=False):
            person.organisation = to
    with audited_change(household, by=by, household=household, validate=False):
        household.organisation = to
        household.sensitive_details = ""
        if not social_note_transferred:
            household.social_note = ""
    for referral in household.clinical_referrals.filter(ended_on__isnull=True):
        with audited_change(referral, by=by, household=household, access=False):
            referral.ended_on = max(on, referral.referred_on)
    refresh_links([household.pk])
    return handover
