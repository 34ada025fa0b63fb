"""Anonymisation of the households whose last exit is older than the retention period.

RGPD art. 5.1.e (storage limitation), CNIL référentiel for social support (délibération
2021-028): a household's file is kept for the retention period after its last exit
(`SEUIL_RETENTION_DAYS`, two years by default), then anonymised, change history and access
log included. Anonymised data still gives the same activity reports for past periods
(DOMAIN.md §4): the dated facts the report counts are kept, what identifies is removed.

Who is a candidate — `candidates(today, retention_days)`, every organisation:

- a household with at least one stay, none present or to come (every stay has an exit
  date), whose last exit is older than the retention period: `exited_on < today - retention`;
- a household that never had a stay (a file opened, never housed) whose last change is
  older than the retention period. Its last change is the latest of: its creation and last
  save, its members' last save, its dated facts (arrivals and departures of members,
  resources, members' legal statuses) and the latest change-history or access-log row of
  a creation or change of the household or a member. Choice: such a file has no exit to
  count from, and keeping it forever would break storage limitation; two years without
  any change is the period given after an exit. (Orientation, when it comes, must keep a
  household waiting on a list out of the candidates: add its open referrals there.)
- never a household already anonymised (`anonymised_on` set).

What `anonymise(households, today)` does, one transaction per batch of households:

- the household's `ref` becomes `ANON-` and 12 random hexadecimal digits, its stays' refs
  too (an operator's stay reference may carry a name or an outside file number);
- its free text is emptied (social note, sensitive details); its consents, clinical
  referrals and clinical notes are deleted; so is the free text other apps keep about it
  (orientation, support, outcomes, tenancy: each app's part in a module of this one,
  `*_anonymisation.py`);
- its documents are deleted, files included (those of the household and its members, and
  those of its stays: leases, inspections); a unit's own documents stay with the
  organisation's stock;
- the change-history and access-log rows of the household and of what belongs to it
  (memberships, stays, resources, eviction procedures) are deleted;
- `anonymised_on` is set to `today`.

Kept, because the report counts them: prior situation, resources, stays (unit, programme,
dates, destination, lease transfer, support), eviction procedures, memberships (role, dates,
arrival reason), persons' sex and legal statuses, and birth dates as generalised below.
Units, programmes and sectors belong to the organisation, not to the household.

Persons in several households. A person is anonymised only when **all** their households
are anonymised (before, or in this run); they are anonymised with the last one. A person
who is also a member of a household still on file keeps their name and birth date: that
file is in use, and must not show "Anonyme". Their membership of the anonymised household
stays (past reports count it), but its ref no longer says anything. An anonymised person:
first name emptied, last name "Anonyme", ref `ANON-…`, birth date generalised; their
contact details and languages (every dated record) are deleted; the change-history and
access-log rows of the person, of their legal statuses and of their contact details are
deleted.

Birth dates: the least precise date that keeps every age band exact. The report puts
persons in age bands (0-17, 18-24, 25-39, 40-59, 60+) and counts adult children (18+) at
dates of their household's stays only: entries, exits (the day before), joiners' arrival,
any day a stay is present. All these lie in the person's window [first entry - 1 day, last
exit] over all their households. Within the window, the band on each day depends only on
the day on which the person reaches 18, 25, 40 and 60 (birthday rule; born 29 February →
1 March in a common year), or on that threshold being reached before the window or after
it. So the birth date is replaced by the least precise date giving the same days:

1. 1 January of the birth year, when that changes none of these days (the common case);
2. otherwise the 1st of the birth month;
3. otherwise the exact date is kept: a threshold birthday falls in the window (a child
   turning 18 during the stay), and the report shows that day's change anyway.

Rejected: year and month for everybody would move a person whose 18th birthday falls in
the window to another band on some days, so a past report would change; the exact date
for everybody would keep a strong quasi-identifier (with sex and an address it singles
people out) that no figure needs. A person never housed has no window: year only. The
activity report of any past period is identical before and after (tests prove it).
"""

import datetime
import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from seuil.core.models import AccessLog, ChangeRecord
from seuil.core.wording import agreement, plural
from seuil.households.merging import merged_uuids
from seuil.households.models import (
    ClinicalNote,
    ClinicalReferral,
    Consent,
    ContactDetails,
    FileMerge,
    Household,
    HouseholdDocument,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.households.traceability import traced_uuids
from seuil.housing.models import EvictionProcedure, HousingDocument, Stay

from .orientation_anonymisation import clear_free_text, followed
from .outcomes_anonymisation import clear_outcomes
from .support_anonymisation import clear_support_free_text
from .tenancy_anonymisation import clear_tenancy_free_text

ANONYMOUS_NAME = "Anonyme"
REF_PREFIX = "ANON-"
BATCH_SIZE = 100
AGE_THRESHOLDS = (18, 25, 40, 60)
ONE_DAY = datetime.timedelta(days=1)


# ---- who ------------------------------------------------------------------------------


def retention_limit(today, retention_days=None):
    """Households whose last exit is before this day are past the retention period."""
    days = settings.SEUIL_RETENTION_DAYS if retention_days is None else retention_days
    if days < 0:
        raise ValueError("La durée de conservation ne peut être négative.")
    return today - datetime.timedelta(days=days)


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def last_change_dates(households):
    """household pk → the day of its last change (see the module's docstring)."""
    latest = {}

    def bump(pk, day):
        if day is not None and (pk not in latest or day > latest[pk]):
            latest[pk] = day

    uuids = {}
    for pk, uuid, created, updated in households.values_list(
        "pk", "uuid", "created_at", "updated_at"
    ):
        bump(pk, _day(created))
        bump(pk, _day(updated))
        uuids[uuid] = {pk}
    ids = households.values("pk")
    members = Membership.objects.filter(household__in=ids)
    for pk, person_uuid, joined, left, person_updated in members.values_list(
        "household_id", "person__uuid", "joined_on", "left_on", "person__updated_at"
    ):
        bump(pk, joined)
        bump(pk, left)
        bump(pk, _day(person_updated))
        uuids.setdefault(person_uuid, set()).add(pk)
    for pk, last in (
        members.values("household_id")
        .annotate(last=Max("person__legal_status_records__since"))
        .values_list("household_id", "last")
    ):
        bump(pk, last)
    for pk, last in (
        ResourceRecord.objects.filter(household__in=ids)
        .values("household_id")
        .annotate(last=Max("on"))
        .values_list("household_id", "last")
    ):
        bump(pk, last)
    # Subqueries rather than lists of uuids: no limit on the number of households.
    own_uuids = Q(object_uuid__in=households.values("uuid")) | Q(
        object_uuid__in=members.values("person__uuid")
    )
    changes = AccessLog.objects.filter(own_uuids).filter(
        action__in=(AccessLog.Action.CREATE, AccessLog.Action.CHANGE)
    )
    history = ChangeRecord.objects.filter(
        own_uuids | Q(household_uuid__in=households.values("uuid"))
    )
    rows = [
        *changes.values("object_uuid").annotate(last=Max("at")).values_list("object_uuid", "last"),
        *history.values("object_uuid").annotate(last=Max("at")).values_list("object_uuid", "last"),
        *history.values("household_uuid")
        .annotate(last=Max("at"))
        .values_list("household_uuid", "last"),
    ]
    for uuid, last in rows:
        for pk in uuids.get(uuid, ()):
            bump(pk, _day(last))
    return latest


def candidates(today, retention_days=None):
    """Households of every organisation past the retention period, not yet anonymised."""
    limit = retention_limit(today, retention_days)
    pending = Household.objects.filter(anonymised_on__isnull=True)
    stays = Stay.objects.filter(household=OuterRef("pk"))
    left = pending.filter(Exists(stays)).exclude(
        Exists(stays.filter(Q(exited_on__isnull=True) | Q(exited_on__gte=limit)))
    )
    never_housed = pending.exclude(Exists(stays))
    quiet = [pk for pk, last in last_change_dates(never_housed).items() if last < limit]
    return Household.objects.filter(Q(pk__in=left.values("pk")) | Q(pk__in=quiet)).order_by("pk")


# ---- birth dates ----------------------------------------------------------------------


def birthday(birth_date, years):
    """The first day on which a person born on `birth_date` is `years` old."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:  # 29 February, in a common year: one year older on 1 March
        return datetime.date(birth_date.year + years, 3, 1)


def threshold_days(birth_date, first, last):
    """For each age threshold, the first day of [first, last] on which it is reached
    (`first` when reached before the window, None when not reached within it)."""
    days = []
    for years in AGE_THRESHOLDS:
        day = birthday(birth_date, years)
        days.append(None if day > last else max(day, first))
    return tuple(days)


def generalised_birth_date(birth_date, first, last):
    """(date, precision): the least precise birth date with the same age bands on every day
    of [first, last] (None: no window), precision "year", "month" or "day"."""
    if birth_date is None:
        return None, "unknown"
    year_only = datetime.date(birth_date.year, 1, 1)
    if first is None:
        return year_only, "year"
    target = threshold_days(birth_date, first, last)
    for candidate, precision in ((year_only, "year"), (birth_date.replace(day=1), "month")):
        if threshold_days(candidate, first, last) == target:
            return candidate, precision
    return birth_date, "day"


# ---- how ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a run did (or, in a dry run, would do): counts and household uuids."""

    dry_run: bool = False
    households: list = field(default_factory=list)  # uuids (str), anonymised
    skipped: list = field(default_factory=list)  # uuids: a present or future stay, or done
    persons: int = 0  # persons anonymised
    persons_kept: int = 0  # members of a household still on file: kept as they are
    birth_dates: Counter = field(default_factory=Counter)  # precision kept → persons
    deleted: Counter = field(default_factory=Counter)  # kind of rows → rows deleted


# The records about a household that the report does not count, deleted with its identity:
# (model, label). A new model of free text about a household must be added here.
DELETED_RECORDS = (
    (Consent, "consents"),
    (ClinicalReferral, "clinical_referrals"),
    (ClinicalNote, "clinical_notes"),
    (FileMerge, "file_merges"),  # the refs of the files merged in, what would undo it
    (HouseholdDocument, "documents"),
)
# The household's own free text, emptied.
FREE_TEXT_FIELDS = ("social_note", "sensitive_details")


def _fresh_refs(model, count):
    """`count` new anonymous refs, used by no row of `model`."""
    while True:
        refs = [REF_PREFIX + secrets.token_hex(6).upper() for _ in range(count)]
        if len(set(refs)) == count and not model.objects.filter(ref__in=refs).exists():
            return refs


def _busy(household_ids, today):
    """Households of these with a stay present on `today` or to come, or still followed by
    orientation (a request in progress, a place on a waiting list, an open proposal)."""
    return set(
        Stay.objects.filter(household__in=household_ids)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gt=today))
        .values_list("household_id", flat=True)
    ) | followed(household_ids)


class _Run:
    def __init__(self, today, dry_run):
        self.today = today
        self.outcome = Outcome(dry_run=dry_run)
        self.done = set()  # households anonymised in this run (or that would be)
        self.seen_persons = set()
        self.anonymised_persons = set()

    def batch(self, ids):
        outcome = self.outcome
        households = list(Household.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        busy = _busy(ids, self.today)
        chosen = [h for h in households if h.anonymised_on is None and h.pk not in busy]
        outcome.skipped += [str(h.uuid) for h in households if h not in chosen]
        if not chosen:
            return
        self.done.update(h.pk for h in chosen)
        outcome.households += [str(h.uuid) for h in chosen]
        persons = self._persons_done_with(chosen)
        uuids = self._object_uuids(chosen, persons)
        # The files merged into these go with them: their history, their access log.
        merged = {u for h in chosen for u in merged_uuids(h)}
        uuids |= merged
        household_uuids = [h.uuid for h in chosen] + sorted(merged)
        self._delete_logs(uuids, household_uuids)
        for model, label in DELETED_RECORDS:
            rows = model.objects.filter(household__in=chosen)
            if outcome.dry_run:
                outcome.deleted[label] += rows.count()
            else:
                outcome.deleted[label] += rows.delete()[1].get(model._meta.label, 0)
        outcome.deleted["orientation_free_text"] += clear_free_text(chosen, dry_run=outcome.dry_run)
        outcome.deleted["support_free_text"] += clear_support_free_text(
            chosen, dry_run=outcome.dry_run
        )
        outcome.deleted["outcomes_identifying"] += clear_outcomes(chosen, dry_run=outcome.dry_run)
        outcome.deleted["tenancy_free_text"] += clear_tenancy_free_text(
            chosen, dry_run=outcome.dry_run
        )
        self._delete(HousingDocument.objects.filter(stay__household__in=chosen), "stay_documents")
        self._delete(ContactDetails.objects.filter(person__in=persons), "contact_details")
        self._anonymise_persons(persons)
        self._anonymise_households(chosen)

    def _delete(self, rows, label):
        """Delete `rows` (count them in a dry run); a document's file goes with its row
        once the transaction commits (`core.documents`)."""
        if self.outcome.dry_run:
            self.outcome.deleted[label] += rows.count()
        else:
            self.outcome.deleted[label] += rows.delete()[1].get(rows.model._meta.label, 0)

    def _persons_done_with(self, households):
        """Members of `households` all of whose households are now anonymised."""
        person_ids = set(
            Membership.objects.filter(household__in=households).values_list("person_id", flat=True)
        )
        self.seen_persons |= person_ids
        pending = set()
        for person_id, household_id, anonymised_on in Membership.objects.filter(
            person_id__in=person_ids
        ).values_list("person_id", "household_id", "household__anonymised_on"):
            if anonymised_on is None and household_id not in self.done:
                pending.add(person_id)
        ready = person_ids - pending - self.anonymised_persons
        self.anonymised_persons |= ready
        return list(Person.objects.filter(pk__in=ready).order_by("pk"))

    def _object_uuids(self, households, persons):
        """The uuids of the rows whose history and access log go: households, what belongs
        to them (the records every app registers as following them, `traced_uuids`),
        anonymised persons and their legal statuses."""
        uuids = {h.uuid for h in households}
        uuids |= traced_uuids(households, shared=False)
        uuids |= set(
            Membership.objects.filter(household__in=households).values_list("uuid", flat=True)
        )
        uuids |= set(
            ResourceRecord.objects.filter(household__in=households).values_list("uuid", flat=True)
        )
        uuids |= set(
            EvictionProcedure.objects.filter(stay__household__in=households).values_list(
                "uuid", flat=True
            )
        )
        for model, _label in DELETED_RECORDS:
            uuids |= set(
                model.objects.filter(household__in=households).values_list("uuid", flat=True)
            )
        uuids |= {p.uuid for p in persons}
        for person in persons:
            uuids |= set(person.legal_status_records.values_list("uuid", flat=True))
            uuids |= set(person.contact_details.values_list("uuid", flat=True))
        return uuids

    def _delete_logs(self, uuids, household_uuids):
        outcome = self.outcome
        uuids = list(uuids)
        logs = AccessLog.objects.filter(object_uuid__in=uuids)
        history = ChangeRecord.objects.filter(
            Q(object_uuid__in=uuids) | Q(household_uuid__in=household_uuids)
        )
        if outcome.dry_run:
            outcome.deleted["access_log"] += logs.count()
            outcome.deleted["change_history"] += history.count()
            return
        outcome.deleted["access_log"] += logs.delete()[0]
        outcome.deleted["change_history"] += history.delete()[0]

    def _windows(self, persons):
        """person pk → (first day, last day) of the dates the report may count them at."""
        memberships = Membership.objects.filter(person__in=persons).values_list(
            "person_id", "household_id"
        )
        households_of = {}
        for person_id, household_id in memberships:
            households_of.setdefault(person_id, set()).add(household_id)
        spans = {}
        for household_id, entered, exited in Stay.objects.filter(
            household__in={h for hs in households_of.values() for h in hs}
        ).values_list("household_id", "entered_on", "exited_on"):
            first, last = entered - ONE_DAY, exited or self.today
            low, high = spans.get(household_id, (first, last))
            spans[household_id] = (min(low, first), max(high, last))
        windows = {}
        for person_id, household_ids in households_of.items():
            known = [spans[h] for h in household_ids if h in spans]
            if known:
                windows[person_id] = (min(s[0] for s in known), max(s[1] for s in known))
        return windows

    def _anonymise_persons(self, persons):
        outcome = self.outcome
        outcome.persons += len(persons)
        windows = self._windows(persons)
        refs = _fresh_refs(Person, len(persons)) if persons else []
        for person, ref in zip(persons, refs, strict=True):
            first, last = windows.get(person.pk, (None, None))
            person.birth_date, precision = generalised_birth_date(person.birth_date, first, last)
            outcome.birth_dates[precision] += 1
            person.first_name, person.last_name, person.ref = "", ANONYMOUS_NAME, ref
            person.version += 1  # a form opened before is refused as a stale edit
        if not outcome.dry_run and persons:
            Person.objects.bulk_update(
                persons, ["first_name", "last_name", "ref", "birth_date", "version"]
            )

    def _anonymise_households(self, households):
        if self.outcome.dry_run:
            return
        fields = list(FREE_TEXT_FIELDS)
        for household, ref in zip(households, _fresh_refs(Household, len(households)), strict=True):
            household.ref = ref
            household.anonymised_on = self.today
            household.version += 1  # a form opened before is refused as a stale edit
            for name in fields:
                setattr(household, name, "")
        Household.objects.bulk_update(households, ["ref", "anonymised_on", "version", *fields])
        stays = list(Stay.objects.filter(household__in=households).order_by("pk"))
        for stay, ref in zip(stays, _fresh_refs(Stay, len(stays)), strict=True):
            stay.ref = ref
            stay.version += 1
        Stay.objects.bulk_update(stays, ["ref", "version"])

    def finish(self):
        self.outcome.persons_kept = len(self.seen_persons - self.anonymised_persons)
        return self.outcome


def anonymise(households, today, *, dry_run=False, batch_size=BATCH_SIZE, progress=None):
    """Anonymise `households` (a queryset or Household objects), one transaction per batch.

    A household with a stay present on `today` or to come, or already anonymised, is
    skipped (listed in `skipped`). `progress(batch number, batches, outcome)` is called after
    each batch. A dry run reads everything, changes nothing and returns the same counts.
    """
    if hasattr(households, "values_list"):
        ids = list(households.order_by("pk").values_list("pk", flat=True))
    else:
        ids = [h.pk for h in households]
    ids = list(dict.fromkeys(ids))
    batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    run = _Run(today, dry_run)
    for number, batch in enumerate(batches, 1):
        with transaction.atomic():
            run.batch(batch)
        if progress is not None:
            progress(number, len(batches), run.outcome)
    return run.finish()


def anonymise_expired(today=None, retention_days=None, *, dry_run=False, progress=None):
    """Anonymise every candidate of `today` (default: today)."""
    today = today or timezone.localdate()
    return anonymise(candidates(today, retention_days), today, dry_run=dry_run, progress=progress)


def task_message(outcome, limit):
    """One French line saying what a run did (or would do): counts only, never a name."""
    count, persons = len(outcome.households), outcome.persons
    households = plural(count, "ménage sorti,ménages sortis")
    persons = plural(persons, "personne")
    if outcome.dry_run:
        verb = agreement(count, "serait anonymisé,seraient anonymisés")
        tail = " (simulation)"
    else:
        verb, tail = agreement(count, "anonymisé"), ""
    return f"{households} avant le {limit:%d/%m/%Y} {verb}, {persons}{tail}."


def anonymise_task(now, *, dry_run=False):
    """Daily task (`seuil daily`): anonymise the households past the retention period."""
    today = timezone.localtime(now).date()
    outcome = anonymise_expired(today, dry_run=dry_run)
    return task_message(outcome, retention_limit(today))
