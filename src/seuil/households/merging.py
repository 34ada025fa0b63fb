"""Merging two files of one organisation (two households, or two persons), and undoing it.

A duplicate file is *absorbed* into the one that is *kept*: every row of every app that
points at the absorbed household (or person) by a foreign key now points at the kept one,
found by introspection (`relations`), so that an app added later is covered without a
line here. What cannot be moved is refused before anything is written, with the reason in
French (`plan_household_merge`, `plan_person_merge`):

- a database rule the move would break (two resource records on the same day, two
  requests in progress at the same SIAO…), checked row by row by the model's own
  constraints; a row identical to one the kept file already has is dropped instead;
- the rules other apps register with `register_merge_check` (two stays overlapping in
  time, two requests in progress…);
- two files of different organisations, an anonymised file, a file merged with itself.

Empty fields of the kept file are filled from the absorbed one (both social notes are
kept, one after the other). The absorbed file is then deleted; what it was, what moved
and what was dropped are kept, encrypted, on the `FileMerge` record, which an
« Annuler la fusion » uses for `UNDO_DAYS` days to restore both files as they were
(`undo_merge`); after that a daily task forgets them (`purge_merge_undo_task`). The history of
both files stays readable from the kept one (`merged_uuids`), the merge and its undo are
in it, and the links to other organisations are refreshed after each.
"""

import datetime
import decimal
import json
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from seuil.core.audit import record_access
from seuil.core.history import DELETE, new_record, record_change, snapshot
from seuil.core.models import AccessLog, ChangeRecord
from seuil.core.wording import plural

from .enums import MemberRole
from .links import refresh_links
from .models import (
    ClinicalNote,
    FileMerge,
    Household,
    HouseholdLink,
    Membership,
    Person,
    refresh_derived,
)

UNDO_DAYS = 30

# Rows rebuilt from others rather than moved: the links (`links.refresh_links`); and the
# households' head_name and list state (`refresh_derived`: the rows move through the base
# manager).
DERIVED = frozenset({(HouseholdLink, "household")})
# Rows moved without a line in the history nor a count on the comparison page: that
# clinical notes exist is for the psychologists alone (`traceability`).
UNSPOKEN = frozenset({ClinicalNote})

# check(kept, absorbed) -> iterable of French reasons to refuse, registered by the apps
# (in their `AppConfig.ready()`): one list for households, one for persons.
_CHECKS = {Household: [], Person: []}


def register_merge_check(check, *, model=Household):
    """Refuse a merge of two households (or, with `model=Person`, two persons) when
    `check(kept, absorbed)` gives reasons."""
    if check not in _CHECKS[model]:
        _CHECKS[model].append(check)
    return check


def relations(model):
    """Every foreign key of any model, in every app, that points at `model` (hidden
    reverse relations and many-to-many tables included), less the derived ones."""
    return [
        rel.field
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created
        and not rel.concrete
        and (rel.one_to_many or rel.one_to_one)
        and (rel.related_model, rel.field.name) not in DERIVED
    ]


# ---- the plan ------------------------------------------------------------------------


@dataclass
class Plan:
    """What a merge would do: the rows to move (by foreign key), those to drop, those to
    change, the fields of the kept file to fill, and why it is refused (if it is)."""

    kept: object
    absorbed: object
    moves: list = field(default_factory=list)  # (foreign key, [rows])
    drops: list = field(default_factory=list)  # rows identical to one of the kept file
    changes: list = field(default_factory=list)  # (row, attname, new value, French note)
    fills: dict = field(default_factory=dict)  # field name -> value for the kept file
    conflicts: list = field(default_factory=list)

    @property
    def allowed(self):
        return not self.conflicts


def _values(row, skip):
    return {
        f.attname: f.value_from_object(row)
        for f in row._meta.concrete_fields
        if not f.primary_key and f.name not in skip and not getattr(f, "auto_now", False)
        if not getattr(f, "auto_now_add", False)
    }


def _twin(row, fk, target):
    """A row of the kept file identical to `row` but for the key that moves (and its own
    identity), or None."""
    skip = {"uuid", "version", fk.name}
    mine = _values(row, skip)
    candidates = type(row)._base_manager.filter(**{fk.name: target}).exclude(pk=row.pk)
    return next((c for c in candidates if _values(c, skip) == mine), None)


def _refusal(row, error):
    label = str(type(row)._meta.verbose_name).capitalize()
    return f"{label} « {row} » : {' '.join(error.messages)}"


def _plan_moves(plan, model, *, keep_kept_on_clash=()):
    kept, absorbed = plan.kept, plan.absorbed
    for fk in relations(model):
        rows = list(fk.model._base_manager.filter(**{fk.name: absorbed}).order_by("pk"))
        moving = []
        for row in rows:
            setattr(row, fk.attname, kept.pk)
            try:
                row.validate_unique()
                row.validate_constraints()
            except ValidationError as error:
                setattr(row, fk.attname, absorbed.pk)
                if (fk.model, fk.name) in keep_kept_on_clash or _twin(row, fk, kept):
                    plan.drops.append(row)
                else:
                    plan.conflicts.append(_refusal(row, error))
                continue
            moving.append(row)
        plan.moves.append((fk, moving))


def _fill(plan, names):
    for name in names:
        if getattr(plan.kept, name) in (None, "") and getattr(plan.absorbed, name) not in (
            None,
            "",
        ):
            plan.fills[name] = getattr(plan.absorbed, name)


def plan_household_merge(kept, absorbed):
    """What merging household `absorbed` into `kept` would do (nothing is written)."""
    plan = Plan(kept, absorbed)
    if kept.pk == absorbed.pk:
        plan.conflicts.append("Un dossier ne peut pas être fusionné avec lui-même.")
        return plan
    if kept.organisation_id != absorbed.organisation_id:
        plan.conflicts.append(
            "Les deux dossiers doivent être détenus par la même organisation : transmettez "
            "d'abord l'un d'eux."
        )
        return plan
    for household in (kept, absorbed):
        if household.anonymised_on is not None:
            plan.conflicts.append(
                f"Le dossier {household.ref} est anonymisé : il ne peut plus être fusionné."
            )
    if plan.conflicts:
        return plan
    _plan_moves(plan, Household)
    for check in _CHECKS[Household]:
        plan.conflicts.extend(check(kept, absorbed))
    # One head: the absorbed file's head becomes another member of the kept household.
    if kept.head_on(None) is not None:
        for fk, rows in plan.moves:
            if fk.model is Membership:
                for membership in rows:
                    if membership.role == MemberRole.HEAD and membership.left_on is None:
                        plan.changes.append(
                            (
                                membership,
                                "role",
                                MemberRole.OTHER,
                                f"{membership.person.full_name} devient « "
                                f"{MemberRole.OTHER.label} » : le ménage garde sa personne "
                                "de référence (fusionnez ensuite les deux personnes si "
                                "c'est la même).",
                            )
                        )
    _fill(plan, ("prior_situation",))
    for name in ("social_note", "sensitive_details"):
        mine, theirs = getattr(kept, name), getattr(absorbed, name)
        if theirs and theirs != mine:
            plan.fills[name] = (
                f"{mine}\n\n— Repris du dossier {absorbed.ref} —\n{theirs}" if mine else theirs
            )
    return plan


def shared_households(kept, absorbed):
    """The households both persons are (or were) members of."""
    return Household.objects.filter(memberships__person=kept).filter(
        pk__in=Membership.objects.filter(person=absorbed).values("household")
    )


def plan_person_merge(kept, absorbed):
    """What merging person `absorbed` into `kept` would do (nothing is written). The
    absorbed person's membership of a household the kept one belongs to is dropped."""
    plan = Plan(kept, absorbed)
    if kept.pk == absorbed.pk:
        plan.conflicts.append("Une personne ne peut pas être fusionnée avec elle-même.")
        return plan
    if kept.organisation_id != absorbed.organisation_id:
        plan.conflicts.append("Les deux personnes doivent relever de la même organisation.")
        return plan
    if not shared_households(kept, absorbed).exists():
        plan.conflicts.append(
            "Les deux personnes ne sont pas membres d'un même ménage : fusionnez d'abord "
            "leurs ménages."
        )
    if Household.objects.filter(
        memberships__person__in=(kept, absorbed), anonymised_on__isnull=False
    ).exists():
        plan.conflicts.append("Une de ces personnes appartient à un dossier anonymisé.")
    if plan.conflicts:
        return plan
    _plan_moves(plan, Person, keep_kept_on_clash={(Membership, "person")})
    for check in _CHECKS[Person]:
        plan.conflicts.extend(check(kept, absorbed))
    _fill(plan, ("first_name", "last_name", "sex", "birth_date"))
    return plan


# ---- doing it ------------------------------------------------------------------------


def _serialised(rows):
    """The rows as plain values (restored exactly by `serializers.deserialize("python")`:
    datetimes to the microsecond, unlike Django's JSON serialiser)."""
    return serializers.serialize("python", rows)


def _json_default(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not serialisable")


def _write(plan, *, by, reason, household):
    """Carry out `plan` (refused with its conflicts): return the undo data."""
    if not plan.allowed:
        raise ValidationError(plan.conflicts)
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de la fusion."})
    kept, absorbed = plan.kept, plan.absorbed
    model = type(kept)
    data = {
        "absorbed": _serialised([absorbed]),
        "dropped": _serialised(plan.drops),
        "moved": [],
        "kept_before": {},
    }
    for row in plan.drops:
        whose = household if isinstance(kept, Person) else kept
        record_change(by, row, snapshot(row), household=whose, action=DELETE, reason=reason)
        row.delete()
    records = []
    for fk, rows in plan.moves:
        label = fk.model._meta.label
        for row in rows:
            data["moved"].append([label, row.pk, fk.attname, absorbed.pk])
            if getattr(row, "uuid", None) is not None and fk.model not in UNSPOKEN:
                records.append(
                    new_record(
                        by,
                        fk.model,
                        row.uuid,
                        {fk.name: absorbed.ref},
                        {fk.name: kept.ref},
                        household=kept if model is Household else household,
                        reason=reason,
                    )
                )
        fk.model._base_manager.filter(pk__in=[r.pk for r in rows]).update(**{fk.attname: kept.pk})
    for row, attname, value, _note in plan.changes:
        before = snapshot(row)
        data["moved"].append([row._meta.label, row.pk, attname, getattr(row, attname)])
        type(row)._base_manager.filter(pk=row.pk).update(**{attname: value})
        row.refresh_from_db()
        record_change(by, row, before, household=kept, reason=reason)
    ChangeRecord.objects.bulk_create([r for r in records if r is not None])
    if plan.fills:
        before = snapshot(kept)
        for name, value in plan.fills.items():
            data["kept_before"][name] = _plain(getattr(kept, name))
            setattr(kept, name, value)
        kept.save(update_fields=list(plan.fills))
        record_change(by, kept, before, household=household, reason=reason)
    return data


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _finish(by, merge, data, *, reason):
    merge.undo_data = json.dumps(data, default=_json_default)
    merge.save()
    record_access(by, AccessLog.Action.CREATE, merge)
    record_change(by, merge, None, household=merge.household, reason=reason)


def _lock(*objects):
    for obj in objects:
        type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()


def _merge(kept, absorbed, *, kind, household, plan_of, by, reason):
    """Merge `absorbed` into `kept` (two households, or two persons of `household`) as
    `plan_of(kept, absorbed)` plans it; the `FileMerge` that can undo it."""
    _lock(kept, absorbed)
    kept.refresh_from_db()
    absorbed.refresh_from_db()
    plan = plan_of(kept, absorbed)
    data = _write(plan, by=by, reason=reason, household=household)
    merge = FileMerge(
        organisation_id=kept.organisation_id,
        kind=kind,
        household=household,
        kept_uuid=kept.uuid,
        kept_ref=kept.ref,
        absorbed_uuid=absorbed.uuid,
        absorbed_ref=absorbed.ref,
        by=by,
        undo_until=timezone.now() + datetime.timedelta(days=UNDO_DAYS),
    )
    record_access(by, AccessLog.Action.CHANGE, kept)
    record_access(by, AccessLog.Action.CHANGE, absorbed)
    absorbed.delete()
    _finish(by, merge, data, reason=reason)
    refresh_links([household.pk])
    refresh_derived([household.pk])
    return merge


@transaction.atomic
def merge_households(kept, absorbed, *, by, reason):
    """Merge household `absorbed` into `kept` (see the module); return the `FileMerge`.
    Refused (ValidationError, in French) when the plan has conflicts."""
    return _merge(
        kept,
        absorbed,
        kind=FileMerge.Kind.HOUSEHOLD,
        household=kept,
        plan_of=plan_household_merge,
        by=by,
        reason=reason,
    )


@transaction.atomic
def merge_persons(kept, absorbed, *, household, by, reason):
    """Merge person `absorbed` into `kept`, two members of `household` (see the module);
    return the `FileMerge`. Refused (ValidationError, in French) on conflicts."""
    return _merge(
        kept,
        absorbed,
        kind=FileMerge.Kind.PERSON,
        household=household,
        plan_of=plan_person_merge,
        by=by,
        reason=reason,
    )


# ---- undoing it ----------------------------------------------------------------------


def undo_refusal(merge, now=None):
    """Why `merge` can no longer be undone (French), or None when it can."""
    now = now or timezone.now()
    if merge.undone_at is not None:
        return "Cette fusion a déjà été annulée."
    if now >= merge.undo_until or merge.undo_data is None:
        return (
            f"Une fusion ne s'annule que dans les {UNDO_DAYS} jours : ce délai est passé "
            f"depuis le {timezone.localtime(merge.undo_until):%d/%m/%Y}."
        )
    model = Household if merge.kind == FileMerge.Kind.HOUSEHOLD else Person
    if model.objects.filter(uuid=merge.absorbed_uuid).exists():
        return "Le dossier fusionné existe déjà."
    if model.objects.filter(organisation=merge.organisation_id, ref=merge.absorbed_ref).exists():
        return (
            f"La référence {merge.absorbed_ref} a été reprise par un autre dossier depuis la "
            "fusion : changez-la avant d'annuler."
        )
    if not model.objects.filter(uuid=merge.kept_uuid).exists():
        return (
            "Le dossier gardé a depuis été fusionné dans un autre : annulez d'abord cette "
            "autre fusion."
        )
    return None


@transaction.atomic
def undo_merge(merge, *, by, reason="", now=None):
    """Restore both files as they were before `merge` (within `UNDO_DAYS` days): the
    absorbed file comes back with its own identity, what moved goes back to it, what was
    dropped is recreated, the kept file's filled fields are emptied again. Rows added to
    the kept file since the merge stay with it. Refused (ValidationError) otherwise."""
    merge = FileMerge.objects.select_for_update().get(pk=merge.pk)
    refusal = undo_refusal(merge, now)
    if refusal:
        raise ValidationError(refusal)
    data = json.loads(merge.undo_data)
    model = Household if merge.kind == FileMerge.Kind.HOUSEHOLD else Person
    kept = model.objects.get(uuid=merge.kept_uuid)
    for restored in serializers.deserialize("python", data["absorbed"]):
        restored.save()
    absorbed = model.objects.get(uuid=merge.absorbed_uuid)
    for restored in serializers.deserialize("python", data["dropped"]):
        restored.save()
        record_change(by, restored.object, None, household=_household_uuid(merge, restored.object))
    try:
        with transaction.atomic():
            for label, pk, attname, value in reversed(data["moved"]):
                apps.get_model(label)._base_manager.filter(pk=pk).update(**{attname: value})
    except IntegrityError:
        raise ValidationError(
            "Le dossier gardé a changé depuis la fusion d'une façon qui empêche de rendre au "
            "dossier fusionné ce qui était à lui : corrigez-le d'abord."
        ) from None
    if data["kept_before"]:
        before = snapshot(kept)
        for name, value in data["kept_before"].items():
            setattr(kept, name, model._meta.get_field(name).to_python(value))
        kept.save(update_fields=list(data["kept_before"]))
        record_change(by, kept, before, household=merge.household, reason=reason)
    before = snapshot(merge)
    merge.undone_at = now or timezone.now()
    merge.undone_by = by
    merge.undo_data = None
    merge.save(update_fields=["undone_at", "undone_by", "undo_data"])
    record_access(by, AccessLog.Action.CHANGE, merge)
    record_change(by, merge, before, household=merge.household, reason=reason)
    if model is Household:
        # The restored file's own history says it came back.
        record_change(by, merge, before, household=absorbed, reason=reason)
        refresh_links([kept.pk, absorbed.pk])
        refresh_derived([kept.pk, absorbed.pk])
    else:
        refresh_links([merge.household_id])
        refresh_derived([merge.household_id])
    return merge


def _household_uuid(merge, obj):
    household_id = getattr(obj, "household_id", None)
    if household_id is not None:
        return Household.objects.filter(pk=household_id).values_list("uuid", flat=True).first()
    return merge.household.uuid


# ---- reading -------------------------------------------------------------------------


def merged_uuids(household):
    """The uuids of the households and persons merged into `household` (merges not
    undone): their history and access log are read with its own."""
    return list(
        FileMerge.objects.filter(household=household, undone_at__isnull=True).values_list(
            "absorbed_uuid", flat=True
        )
    )


def undoable_merges(household, now=None):
    """The merges of `household` that can still be undone, newest first."""
    now = now or timezone.now()
    return list(
        FileMerge.objects.filter(
            household=household,
            undone_at__isnull=True,
            undo_until__gt=now,
            undo_data__isnull=False,
        ).order_by("-merged_at")
    )


def purge_merge_undo_task(now, *, dry_run=False):
    """Daily task: forget what restores the merges older than `UNDO_DAYS` days."""
    expired = FileMerge.objects.filter(undo_until__lte=now, undo_data__isnull=False)
    count = expired.count()
    if not dry_run:
        expired.update(undo_data=None)
    verb = "seraient effacées" if dry_run else "effacées"
    return (
        f"Données d'annulation {verb} pour {plural(count, 'fusion')} de dossiers de plus "
        f"de {UNDO_DAYS} jours."
    )
