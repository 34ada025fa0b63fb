"""Import of a `seuil-exchange/1` file: validated whole, written whole, idempotent on refs.

`import_exchange(data)` is the action (tests, demo, CLI); `import_exchange_file(path)` reads
a file first. Writing goes by kind in dependency order, each a "sync" of the file's rows
against the existing ones (keyed by ref, or by natural key for dated records): new rows
are bulk-created, changed rows bulk-updated, unchanged rows left untouched (so importing
the same file twice writes nothing), and the dated records of the objects the file
contains that the file no longer lists are deleted.
"""

import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from seuil.core import collector
from seuil.core import history as change_history
from seuil.core.copy_insert import CopyInsertQuerySet, refresh_statistics
from seuil.core.enums import OrganisationKind
from seuil.core.jsondoc import line
from seuil.core.models import AccessLog, Organisation
from seuil.households import list_state
from seuil.households.models import (
    Household,
    LegalStatusRecord,
    Membership,
    Person,
    ResourceRecord,
)
from seuil.housing.models import (
    EvictionProcedure,
    HousingUnit,
    Landlord,
    Programme,
    Sector,
    Stay,
)
from seuil.housing.services import evictions_written

from . import outcomes, support, tenancy
from . import snapshot as snap_fields
from .batches import BATCH_SIZE, batches
from .duplicates import duplicate_warnings
from .errors import ExchangeError, ExchangeFileError, ExchangeValidationError, plural
from .schema import parse_document
from .snapshot import Snapshot, Stored
from .validate import check_final_state

__all__ = [
    "ExchangeError",
    "ExchangeFileError",
    "ExchangeValidationError",
    "ImportSummary",
    "import_exchange",
    "import_exchange_file",
    "read_exchange_file",
]

UPDATE_BATCH_SIZE = 500
# A kind that gets this many new rows has its table's statistics refreshed: what the
# import reads next (the households of these persons, the list states) then uses indexes.
STATISTICS_AFTER = 10_000

KIND_LABELS = {
    "organisation": "organisation",
    "programmes": "dispositifs",
    "sectors": "secteurs",
    "landlords": "bailleurs",
    "housing_units": "logements",
    "households": "ménages",
    "persons": "personnes",
    "memberships": "appartenances aux ménages",
    "legal_status": "statuts administratifs",
    "resources": "ressources",
    "stays": "séjours",
    "eviction_procedures": "procédures d'expulsion",
    **tenancy.KIND_LABELS,
    **support.KIND_LABELS,
    **outcomes.KIND_LABELS,
}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class ImportSummary:
    organisation: str = ""
    counts: dict = field(default_factory=lambda: {kind: Counts() for kind in KIND_LABELS})
    # (path, message): what the import lets through but asks to check (likely duplicates).
    warnings: list = field(default_factory=list)

    @property
    def changed(self):
        return any(c.created or c.updated or c.deleted for c in self.counts.values())

    def lines(self):
        lines = [f"Import réussi pour l'organisation « {self.organisation} » :"]
        for kind, label in KIND_LABELS.items():
            c = self.counts[kind]
            parts = [
                f"{c.created} créé(s)",
                f"{c.updated} mis à jour",
                f"{c.unchanged} inchangé(s)",
            ]
            if c.deleted:
                parts.append(f"{c.deleted} supprimé(s)")
            lines.append(f"  {label} : {', '.join(parts)}")
        if not self.changed:
            lines.append("Aucun changement : la base était déjà à jour.")
        if self.warnings:
            lines.append(f"À vérifier ({plural(len(self.warnings), 'avertissement')}) :")
            lines.extend(f"  {line(path, message)}" for path, message in self.warnings)
        return lines


# ---------------------------------------------------------------- reading a file


def _reject_constant(name):
    raise ValueError(name)


SHARED_TEXT_LENGTH = 32


def _shared_texts():
    """An `object_hook` that keeps one copy of each short text value (dates, codes, first
    names repeat in every row), in a row or in a list of a row (resource types): a large
    file then takes about a quarter less memory."""
    texts = {}

    def shared(value):
        if type(value) is str and len(value) <= SHARED_TEXT_LENGTH:
            return texts.setdefault(value, value)
        return value

    def hook(row):
        for key, value in row.items():
            if type(value) is list:
                value[:] = [shared(item) for item in value]
            else:
                row[key] = shared(value)
        return row

    return hook


def read_exchange_file(path):
    """The decoded JSON of `path` ("-" = standard input), or ExchangeFileError in French."""
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except FileNotFoundError:
        raise ExchangeFileError(f"le fichier « {path} » n'existe pas.") from None
    except IsADirectoryError:
        raise ExchangeFileError(f"« {path} » est un dossier, pas un fichier.") from None
    except PermissionError:
        raise ExchangeFileError(f"le fichier « {path} » ne peut être lu (droits).") from None
    except OSError as exc:
        raise ExchangeFileError(
            f"le fichier « {path} » ne peut être lu ({exc.strerror})."
        ) from None
    try:
        text = raw.decode("utf-8-sig")
        del raw  # a large file is not held twice while it is decoded
    except UnicodeDecodeError:
        raise ExchangeFileError(
            f"le fichier « {path} » n'est pas un texte UTF-8 (fichier binaire, ou tableur "
            "non converti en JSON ?)."
        ) from None
    if not text.strip():
        raise ExchangeFileError(f"le fichier « {path} » est vide.")
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_hook=_shared_texts(),
        )
    except json.JSONDecodeError as exc:
        raise ExchangeFileError(
            f"le fichier « {path} » n'est pas du JSON valide (ligne {exc.lineno}, "
            f"colonne {exc.colno})."
        ) from None
    except ValueError as exc:
        raise ExchangeFileError(
            f"le fichier « {path} » contient la valeur « {exc} », qui n'est pas un nombre JSON."
        ) from None
    except RecursionError:
        raise ExchangeFileError(f"le fichier « {path} » est imbriqué trop profondément.") from None


# A large file makes millions of objects (its rows, then the values written): the cyclic
# collector would walk them all again and again, for over a quarter of its processor time.
@collector.paused()
def import_exchange_file(path, *, progress=None, rename_organisation=False):
    try:
        # No name keeps the decoded file: once checked, only its clean rows stay in memory.
        return import_exchange(
            read_exchange_file(path),
            progress=progress,
            rename_organisation=rename_organisation,
            consume=True,
        )
    except DatabaseError as exc:
        raise ExchangeError(
            [f"Erreur de la base de données : {type(exc).__name__} ({exc})."],
            "Import refusé : rien n'a été enregistré.",
        ) from None


# ---------------------------------------------------------------- the action


RENAME_HINT = "pour la renommer, relancer l'import avec l'option --rename-organisation"


@collector.paused()
def import_exchange(
    data,
    *,
    progress=None,
    rename_organisation=False,
    rename_hint=RENAME_HINT,
    by=None,
    dry_run=False,
    consume=False,
):
    """Import a decoded seuil-exchange/1 document; return an ImportSummary.

    Raises ExchangeValidationError (every error with its path) and writes nothing when the
    file is invalid in itself or against the organisation's data already in the database.
    An existing organisation never changes kind, and changes name only with
    `rename_organisation` (`rename_hint` says how, in the error). `by`: the user who
    imports (the change history names them; None for a command). `dry_run`: everything
    is done, counted and then rolled back, so that the summary says what an import would
    change and nothing is written. `consume`: the caller has no further use of `data`,
    whose rows are then dropped as they are read (a large file is not held twice).
    """
    say = progress or (lambda message: None)
    say("Vérification de la structure…")
    document, errors = parse_document(data, consume=consume)
    del data  # the clean rows are what the import needs (the caller may still hold it)
    if document is None or document.organisation is None or document.organisation["ref"] is None:
        raise ExchangeValidationError(errors)
    with transaction.atomic():
        organisation = Organisation.objects.filter(ref=document.organisation["ref"]).first()
        say("Lecture des données existantes…")
        snapshot = Snapshot(organisation)
        say("Vérification des références et des règles…")
        errors += check_organisation(
            document.organisation, organisation, rename_organisation, rename_hint
        )
        errors += check_final_state(document, snapshot)
        if errors:
            raise ExchangeValidationError(errors)
        say("Recherche des doublons probables…")
        warnings = duplicate_warnings(document, snapshot.organisation)
        summary = _Writer(document, snapshot, say, by).write()
        summary.warnings = warnings
        if summary.changed:
            AccessLog.objects.create(
                action=AccessLog.Action.CHANGE,
                user=by,
                role=getattr(by, "role", "") or "",
                organisation=snapshot.organisation,
                object_type="organisation",
                object_uuid=snapshot.organisation.uuid,
            )
        if dry_run:
            transaction.set_rollback(True)
    return summary


def check_organisation(row, organisation, rename, rename_hint=RENAME_HINT):
    """The errors, as (path, message), of a file that would change an existing
    organisation's kind, or its name without `rename` (`rename_hint`: how to)."""
    if organisation is None:
        return []
    errors = []
    ref = organisation.ref
    if row["kind"] and row["kind"] != organisation.kind:
        errors.append(
            (
                "organisation.kind",
                f"l'organisation « {ref} » est enregistrée comme « {organisation.kind} » "
                f"({organisation.get_kind_display()}) : un import ne change pas le type d'une "
                f"organisation existante (« {row['kind']} » refusé)",
            )
        )
    if not rename and row["name"] and row["name"] != organisation.name:
        errors.append(
            (
                "organisation.name",
                f"l'organisation « {ref} » s'appelle « {organisation.name} », pas "
                f"« {row['name']} » : {rename_hint}",
            )
        )
    return errors


def _inverse(refs):
    """{pk: ref} from {ref: pk}."""
    return {pk: ref for ref, pk in refs.items()}


def _group(key):
    """What a deletion scope names of a key: its ref, or the parent's id that a dated
    record's key starts with."""
    return key[0] if isinstance(key, tuple) else key


@dataclass
class _History:
    """How the change history of a kind is written: `household(key, values, uuid)` gives
    the uuid of the household whose file a row belongs to; `related` maps a foreign key's
    attname to {pk: ref}, so that the history names related rows by their ref."""

    household: Callable
    related: dict = field(default_factory=dict)


@dataclass
class _Changes:
    """What a sync writes: the keys `created`, and the (key, existing row) `updated` and
    `gone` (deleted). Only keys, and the existing rows of what changes: the model
    instances are built a batch at a time, when written."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    gone: list = field(default_factory=list)

    @classmethod
    def between(cls, existing, desired, fields, delete_scope):
        """The changes from `existing` (a dict by key, or a `Stored`, streamed) to
        `desired`: keys to create, rows whose `fields` differ, and rows of the groups of
        `delete_scope` (refs, or parents' ids) that `desired` no longer lists."""
        changes = cls()
        rows = existing.stream() if isinstance(existing, Stored) else existing.items()
        missing, updated = set(desired), {}
        for key, row in rows:
            values = desired.get(key)
            if values is None:
                if delete_scope is not None and _group(key) in delete_scope:
                    changes.gone.append((key, row))
                continue
            missing.discard(key)
            if any(row[f] != values[f] for f in fields):
                updated[key] = row
        # In the file's order: only the rows that change are kept until written.
        for key in desired:
            if key in missing:
                changes.created.append(key)
            elif key in updated:
                changes.updated.append((key, updated[key]))
        return changes


class _Compact(Mapping):
    """A sync's desired rows held as tuples in the order of `names` (a dict by row takes
    about three times the memory: a large import lists hundreds of thousands of persons,
    memberships and dated records); read as a mapping key → {name: value}, like a dict of
    dicts. `add(key, *values)` keeps the first values of a key."""

    def __init__(self, *names):
        self.names = names
        self._rows = {}

    def add(self, key, *values):
        self._rows.setdefault(key, values)

    def __getitem__(self, key):
        return dict(zip(self.names, self._rows[key], strict=True))

    def __iter__(self):
        return iter(self._rows)

    def __len__(self):
        return len(self._rows)

    def __contains__(self, key):
        return key in self._rows


def _create(model, objects):
    """Insert new `objects` (their pks are read back from the database when needed): by
    COPY where the model's queryset can (`seuil.core.copy_insert`)."""
    if isinstance(model.objects.none(), CopyInsertQuerySet):
        model.objects.bulk_create(objects, by_copy=True)
    else:
        model.objects.bulk_create(objects)


def _next_versions(model, objects):
    """Optimistic locking: each object's version is one more than in the database, so
    that a form opened before the import is then refused."""
    old = dict(model.objects.filter(pk__in=[o.pk for o in objects]).values_list("pk", "version"))
    for obj in objects:
        obj.version = old[obj.pk] + 1


class _Writer:
    """Writes a validated document over its snapshot, kind by kind."""

    def __init__(self, document, snapshot, say, by=None):
        self.doc = document
        self.snap = snapshot
        self.say = say
        self.by = by
        self.summary = ImportSummary(organisation=document.organisation["ref"])
        self.now = timezone.now()

    def sync(
        self,
        kind,
        model,
        existing,
        desired,
        fields,
        *,
        delete_scope=None,
        count=True,
        history=None,
    ):
        """Create, update (only what changed) and, within `delete_scope`, delete rows.

        `desired` maps a key (ref or natural key) to field values; `existing` is the
        rows already there, a dict by key (a kind the checks read whole) or a `Stored`
        (streamed: compared as they come, only those that change are kept).
        `delete_scope`: the groups (refs, or parents' ids for dated records) whose
        existing rows absent from `desired` go.
        With `history` (a `_History`), every row created, changed or deleted gets its
        ChangeRecord, written in bulk. Rows are written a batch at a time, each batch
        with its history, so that a large import never holds all its model instances.
        Returns the keys created and the keys updated.
        """
        changes = _Changes.between(existing, desired, fields, delete_scope)
        recorder = None
        if history is not None:
            recorder = change_history.BulkRecorder(self.by, organisation=self.org, at=self.now)
        # Each row's values read once a batch (`_Compact` builds them at each reading).
        for keys in batches(changes.created, BATCH_SIZE):
            batch = [desired[key] for key in keys]
            objects = [model(**values) for values in batch]
            _create(model, objects)
            if recorder is not None:
                for key, values, obj in zip(keys, batch, objects, strict=True):
                    recorder.created(
                        model,
                        obj.uuid,
                        values,
                        household=history.household(key, values, obj.uuid),
                        related=history.related,
                    )
                recorder.write()
        if len(changes.created) >= STATISTICS_AFTER:
            refresh_statistics(model, connection)
        for rows in batches(changes.updated, UPDATE_BATCH_SIZE):
            batch = [desired[key] for key, _ in rows]
            objects = [
                model(pk=row["pk"], **values) for (_, row), values in zip(rows, batch, strict=True)
            ]
            self.update(model, objects, fields)
            if recorder is not None:
                for (key, row), values in zip(rows, batch, strict=True):
                    recorder.changed(
                        model,
                        row["uuid"],
                        {f: row[f] for f in fields},
                        {f: values[f] for f in fields},
                        household=history.household(key, values, row["uuid"]),
                        related=history.related,
                    )
                recorder.write()
        for rows in batches(changes.gone, BATCH_SIZE):
            model.objects.filter(pk__in=[row["pk"] for _, row in rows]).delete()
        if recorder is not None and changes.gone:
            for key, row in changes.gone:
                recorder.deleted(
                    model,
                    row["uuid"],
                    row,
                    household=history.household(key, row, row["uuid"]),
                    related=history.related,
                )
                if len(recorder.rows) >= BATCH_SIZE:
                    recorder.write()
            recorder.write()
        if count:
            self.count(kind, changes, len(desired))
        if changes.created or changes.updated or changes.gone:
            self.say(f"{KIND_LABELS[kind].capitalize()} : écrits.")
        return set(changes.created), {key for key, _ in changes.updated}

    def update(self, model, objects, fields):
        """Bulk-update `fields` of `objects`, with `updated_at` and `version` when the
        model has them."""
        columns = {f.name for f in model._meta.concrete_fields}
        update_fields = list(fields)
        if "updated_at" in columns:
            update_fields.append("updated_at")
            for obj in objects:
                obj.updated_at = self.now
        versioned = "version" in columns
        if versioned:
            update_fields.append("version")
        for batch in batches(objects, UPDATE_BATCH_SIZE):
            if versioned:
                _next_versions(model, batch)
            model.objects.bulk_update(batch, update_fields)

    def count(self, kind, changes, desired_count):
        counts = self.summary.counts[kind]
        counts.created += len(changes.created)
        counts.updated += len(changes.updated)
        counts.unchanged += desired_count - len(changes.created) - len(changes.updated)
        counts.deleted += len(changes.gone)

    def pks(self, model):
        """ref → pk of the organisation's rows of `model` (after writing them)."""
        return dict(model.objects.filter(organisation=self.org).values_list("ref", "pk"))

    def write(self):
        self.write_organisation()
        self.write_reference_data()
        self.write_units()
        # The households' list state (what the list's filters read) follows their
        # memberships, legal statuses and stays: computed once, when all are written.
        with list_state.deferred():
            self.write_households()
            self.write_stays()
        tenancy.write(self)
        # Once the stays, their eviction procedures and their sub-leases are written: the
        # apps above housing follow the procedures (tenancy's prevention cases).
        evictions_written(Stay.objects.filter(organisation=self.org).values("pk"))
        support.write(self, _History)
        outcomes.write(self)
        return self.summary

    def write_organisation(self):
        row = self.doc.organisation
        org = self.snap.organisation
        values = {
            "name": row["name"],
            # The kind is required: left out, it stays as it is (operator for a new one).
            "kind": row["kind"] or (org.kind if org else OrganisationKind.OPERATOR),
            "department": row["department"],
        }
        counts = self.summary.counts["organisation"]
        if org is None:
            org = Organisation.objects.create(ref=row["ref"], **values)
            self.snap.organisation = org
            counts.created += 1
        elif any(getattr(org, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(org, name, value)
            org.save(update_fields=list(values))
            counts.updated += 1
        else:
            counts.unchanged += 1
        self.org = org

    def _by_ref(self, kind, make):
        return {
            row["ref"]: {"organisation_id": self.org.pk, "ref": row["ref"], **make(row)}
            for _, row in self.doc.rows(kind)
        }

    def write_reference_data(self):
        self.sync(
            "programmes",
            Programme,
            self.snap.programmes,
            self._by_ref(
                "programmes",
                lambda r: {
                    "name": r["name"],
                    "kind": r["kind"],
                    "max_support_months": support.programme_cap(
                        r, self.snap.programmes.get(r["ref"])
                    ),
                },
            ),
            snap_fields.PROGRAMME_FIELDS,
        )
        self.sync(
            "sectors",
            Sector,
            self.snap.sectors,
            self._by_ref("sectors", lambda r: {"name": r["name"], "communes": r["communes"]}),
            snap_fields.SECTOR_FIELDS,
        )
        self.sync(
            "landlords",
            Landlord,
            self.snap.landlords,
            self._by_ref("landlords", lambda r: {"name": r["name"], "kind": r["kind"]}),
            snap_fields.LANDLORD_FIELDS,
        )
        self.programmes = self.pks(Programme)
        self.sectors = self.pks(Sector)
        self.landlords = self.pks(Landlord)

    def write_units(self):
        def values(row):
            return {
                "organisation_id": self.org.pk,
                "ref": row["ref"],
                "programme_id": self.programmes.get(row["programme"]),
                "typology": row["typology"],
                "address": row["address"],
                "commune": row["commune"],
                "sector_id": self.sectors.get(row["sector"]),
                "landlord_id": self.landlords.get(row["landlord"]),
                "rent": row["rent"],
                "charges": row["charges"],
                "surface_m2": row["surface_m2"],
                "accessible": row["accessible"],
                "captured_on": row["captured_on"],
                "returned_on": row["returned_on"],
                "parent_id": None,
            }

        existing = self.snap.units
        rows = [row for _, row in self.doc.rows("housing_units")]
        # Parents may be new units too: first create the missing units without parent,
        # then sync every field, parent included, now that every ref has a pk.
        new = {row["ref"]: values(row) for row in rows if row["ref"] not in existing}
        for batch in batches(list(new.values()), BATCH_SIZE):
            _create(HousingUnit, [HousingUnit(**v) for v in batch])
        self.units = self.pks(HousingUnit)
        current = dict(existing)
        current.update({ref: {"pk": self.units[ref], **v} for ref, v in new.items()})
        desired = {}
        for row in rows:
            desired[row["ref"]] = {**values(row), "parent_id": self.units.get(row["parent"])}
        _, updated = self.sync(
            "housing_units",
            HousingUnit,
            current,
            desired,
            [*snap_fields.UNIT_FIELDS, "parent_id"],
            count=False,
        )
        counts = self.summary.counts["housing_units"]
        counts.created += len(new)
        counts.updated += len(updated - new.keys())
        counts.unchanged += len(desired) - len(new) - len(updated - new.keys())

    def write_households(self):
        households = self._by_ref("households", lambda r: {"prior_situation": r["prior_situation"]})
        self.sync(
            "households",
            Household,
            snap_fields.households(self.org.pk),
            households,
            snap_fields.HOUSEHOLD_FIELDS,
            history=_History(lambda key, values, uuid: uuid),
        )
        self.households, self.household_uuids = {}, {}
        rows = Household.objects.filter(organisation=self.org).values_list("ref", "pk", "uuid")
        for ref, pk, uuid in rows:
            self.households[ref] = pk
            self.household_uuids[pk] = uuid
        members = [
            (household["ref"], member)
            for _, household in self.doc.rows("households")
            for member in household["members"] or []
        ]
        self.write_persons(members)
        # Members, resources, legal status: the file is the truth for the households and
        # persons it lists with that list; a list left out leaves the records alone.
        self.write_memberships(members)
        self.write_legal_status(members)
        self.write_resources()

    def write_persons(self, members):
        """The persons of the file's households; `home` gives each the household it is
        listed in first (the household of its change history)."""
        persons = _Compact("organisation_id", "ref", "first_name", "last_name", "sex", "birth_date")
        home = {}
        for household_ref, m in members:
            ref = m["ref"]
            persons.add(
                ref, self.org.pk, ref, m["first_name"], m["last_name"], m["sex"], m["birth_date"]
            )
            home.setdefault(ref, self.households[household_ref])
        self.sync(
            "persons",
            Person,
            snap_fields.persons(self.org.pk),
            persons,
            snap_fields.PERSON_FIELDS,
            history=_History(lambda ref, values, uuid: self.household_uuids[home[ref]]),
        )
        self.persons = self.pks(Person)
        self.household_of_person = {
            self.persons[ref]: self.household_uuids[household_id]
            for ref, household_id in home.items()
        }

    def write_memberships(self, members):
        with_members = {
            self.households[h["ref"]]
            for _, h in self.doc.rows("households")
            if h["members"] is not None
        }
        memberships = _Compact(
            "household_id", "person_id", "role", "joined_on", "joined_reason", "left_on"
        )
        for h, m in members:
            household_id, person_id = self.households[h], self.persons[m["ref"]]
            memberships.add(
                (household_id, person_id),
                household_id,
                person_id,
                m["role"],
                m["joined_on"],
                m["joined_reason"],
                m["left_on"],
            )
        self.sync(
            "memberships",
            Membership,
            snap_fields.memberships(self.org.pk),
            memberships,
            snap_fields.MEMBERSHIP_FIELDS,
            delete_scope=with_members,
            history=_History(
                lambda key, values, uuid: self.household_uuids[key[0]],
                {"household_id": _inverse(self.households), "person_id": _inverse(self.persons)},
            ),
        )

    def write_legal_status(self, members):
        given = {m["ref"]: m["legal_status"] for _, m in members if m["legal_status"] is not None}
        with_status = {self.persons[ref] for ref in given}
        legal_status = _Compact("person_id", "since", "status")
        for ref, records in given.items():
            person_id = self.persons[ref]
            for record in records:
                since = record["since"]
                legal_status.add((person_id, since), person_id, since, record["status"])
        self.sync(
            "legal_status",
            LegalStatusRecord,
            snap_fields.legal_status(self.org.pk),
            legal_status,
            snap_fields.LEGAL_STATUS_FIELDS,
            delete_scope=with_status,
            history=_History(
                lambda key, values, uuid: self.household_of_person.get(key[0]),
                {"person_id": _inverse(self.persons)},
            ),
        )

    def write_resources(self):
        resources, with_resources = _Compact("household_id", "on", "types"), set()
        for _, household in self.doc.rows("households"):
            if household["resources"] is None:
                continue
            household_id = self.households[household["ref"]]
            with_resources.add(household_id)
            for record in household["resources"]:
                on = record["on"]
                resources.add((household_id, on), household_id, on, record["types"])
        self.sync(
            "resources",
            ResourceRecord,
            snap_fields.resources(self.org.pk),
            resources,
            snap_fields.RESOURCE_FIELDS,
            delete_scope=with_resources,
            history=_History(
                lambda key, values, uuid: self.household_uuids[key[0]],
                {"household_id": _inverse(self.households)},
            ),
        )

    def write_stays(self):
        def values(row):
            return {
                "household_id": self.households[row["household"]],
                "unit_id": self.units[row["unit"]],
                "programme_id": self.programmes.get(row["programme"]),
                "entered_on": row["entered_on"],
                "exited_on": row["exited_on"],
                "exit_destination": row["exit_destination"],
                "lease_transferred": row["lease_transferred"],
                "support_intensity": row["support_intensity"] or "standard",
            }

        self.sync(
            "stays",
            Stay,
            snap_fields.stays(self.org.pk),
            self._by_ref("stays", values),
            snap_fields.STAY_FIELDS,
            history=_History(
                lambda key, row, uuid: self.household_uuids[row["household_id"]],
                {
                    "household_id": _inverse(self.households),
                    "unit_id": _inverse(self.units),
                    "programme_id": _inverse(self.programmes),
                },
            ),
        )
        stays = self.pks(Stay)
        evictions = {}
        for _, row in self.doc.rows("eviction_procedures"):
            stay_id = stays[row["stay"]]
            evictions[(stay_id, row["started_on"])] = {
                "stay_id": stay_id,
                "started_on": row["started_on"],
                "ended_on": row["ended_on"],
            }
        # Listed (even empty), the procedures replace those of the file's stays; left
        # out, they are left alone.
        in_file = set()
        if "eviction_procedures" in self.doc.given:
            in_file = {stays[row["ref"]] for _, row in self.doc.rows("stays")}
            in_file |= {key[0] for key in evictions}
        self.sync(
            "eviction_procedures",
            EvictionProcedure,
            snap_fields.evictions(self.org.pk),
            evictions,
            snap_fields.EVICTION_FIELDS,
            delete_scope=in_file,
        )
