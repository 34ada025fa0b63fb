"""Change history of a household's file: who changed what, the values before and after.

Every service that writes a household, a person, a membership, a legal-status record, a
resource record or a stay takes a `snapshot()` before the write and calls
`record_change()` after it, inside its transaction; the importer (and the demo) collect
theirs in a `BulkRecorder`, written in one go. Each `ChangeRecord` carries the uuid of the
household the object belongs to, so that a household's whole history is one indexed
query (`ChangeRecord.objects.of_household(uuid)`).

Values are stored as JSON: dates in ISO format, choices as their codes, a foreign key as
the related object's `ref` (or uuid). Encrypted fields (`field.encrypted`, see
`seuil.core.crypto`) never reach the history: only markers saying that they changed.
The history is not written to the application logs, and it is not purged with the access
log: it is kept as long as the household (anonymisation removes it with the household).
"""

import datetime
import decimal
import functools
import hashlib
import hmac
import itertools
import secrets
import uuid

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router
from django.utils import formats, timezone

from .copy_insert import copy_rows
from .enums import Role
from .models import ChangeRecord

CREATE = ChangeRecord.Action.CREATE
CHANGE = ChangeRecord.Action.CHANGE
DELETE = ChangeRecord.Action.DELETE

# Bookkeeping, not facts of the file: the row's identity, its owner, its counters; an
# account's password hash and last login (secret, and no one's change); and the columns
# derived from other fields (a person's `search_name`, its folded names; a household's
# list state, what its list's filters read).
NOT_TRACKED = frozenset(
    {
        "id",
        "uuid",
        "organisation",
        "version",
        "created_at",
        "updated_at",
        "password",
        "last_login",
        "search_name",
        "list_on",
        "list_until",
        "list_presence",
        "list_programme",
        "list_head_status",
        "list_members",
    }
)

# What the history shows for an encrypted field, instead of its text.
HIDDEN_BEFORE = "(masqué)"
HIDDEN_AFTER = "(modifié)"
HIDDEN_NEW = "(renseigné)"

# Encrypted fields appear in a snapshot as a keyed fingerprint, so that two snapshots can
# tell whether the text changed; the key lives in this process only, so a fingerprint
# that escaped into storage would tell nothing.
_FINGERPRINT_KEY = secrets.token_bytes(32)

# Labels of the foreign keys whose model leaves Django's default verbose name.
DEFAULT_FIELD_LABELS = {
    "household": "ménage",
    "person": "personne",
    "unit": "logement",
    "programme": "dispositif",
}

EMPTY_VALUES = (None, "", [], {})


def is_encrypted(field):
    """Does `field` hold encrypted text (whose value the history must never keep)?"""
    return bool(getattr(field, "encrypted", False))


@functools.cache
def tracked_fields(model):
    """The concrete fields of `model` that the history follows."""
    return tuple(f for f in model._meta.concrete_fields if f.name not in NOT_TRACKED)


def _fingerprint(text):
    if text in EMPTY_VALUES:
        return None
    digest = hmac.new(_FINGERPRINT_KEY, str(text).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def _reference(related):
    """How a foreign key is remembered: the related object's ref, else its uuid or pk."""
    if related is None:
        return None
    for attribute in ("ref", "uuid", "pk"):
        value = getattr(related, attribute, None)
        if value is not None:
            return str(value) if isinstance(value, uuid.UUID) else value
    return None


def json_value(field, value):
    """`value` (a Python value of `field`, foreign keys resolved) in JSON-safe form."""
    if is_encrypted(field):
        return _fingerprint(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, decimal.Decimal):
        places = getattr(field, "decimal_places", None)
        if places is not None:
            value = value.quantize(decimal.Decimal(1).scaleb(-places))
        return str(value)
    if isinstance(field, models.DecimalField) and isinstance(value, int | float):
        return json_value(field, decimal.Decimal(str(value)))
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(None, v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(None, v) for k, v in value.items()}
    return value


def snapshot(obj):
    """The tracked field values of `obj` as a JSON-safe dict (keyed by field name).

    Dates are ISO strings, choices their codes, foreign keys the related object's ref (or
    uuid); `id`, `uuid`, `organisation`, `version`, `created_at` and `updated_at` are left
    out. An encrypted field holds a fingerprint (None when empty), never its text: keep a
    snapshot in memory to diff it, do not store it.
    """
    values = {}
    for field in tracked_fields(type(obj)):
        if field.is_relation:
            value = _reference(getattr(obj, field.name))
        else:
            value = field.value_from_object(obj)
        values[field.name] = json_value(field, value)
    return values


@functools.cache
def _plan(model):
    """(name, attname, is relation, is encrypted, field) of the tracked fields, once."""
    return tuple(
        (f.name, f.attname, f.is_relation, is_encrypted(f), f) for f in tracked_fields(model)
    )


def _plain(value):
    """JSON-safe already (text, number, boolean, None)?"""
    return value is None or type(value) in (str, int, bool)


def snapshot_values(model, values, related=None):
    """A snapshot built from raw column values (by attname, as `QuerySet.values()` gives
    them) instead of an instance: the importer's way, without a query per row.

    `related` maps a foreign key's attname to {pk: ref} of the related rows; a missing map
    keeps the pk. Fields absent from `values` are left out of the snapshot.
    """
    related = related or {}
    result = {}
    for name, attname, is_relation, encrypted, field in _plan(model):
        if attname not in values:
            continue
        value = values[attname]
        if is_relation and value is not None:
            value = related.get(attname, {}).get(value, value)
        result[name] = value if _plain(value) and not encrypted else json_value(field, value)
    return result


def _masked(field_before, field_after):
    before = HIDDEN_BEFORE if field_before is not None else None
    if field_after is None:
        after = None
    else:
        after = HIDDEN_AFTER if field_before is not None else HIDDEN_NEW
    return [before, after]


def diff(model, before, after):
    """{field name: [before, after]} for the fields that differ between two snapshots.

    `before` None (a creation) or `after` None (a deletion) keeps the non-empty values
    only. Encrypted fields become markers ("(masqué)" → "(modifié)"), never text.
    """
    changes = {}
    for name, _, _, encrypted, _ in _plan(model):
        if before is None:
            if after is None or name not in after or after[name] in EMPTY_VALUES:
                continue
            old, new = None, after[name]
        elif after is None:
            if name not in before or before[name] in EMPTY_VALUES:
                continue
            old, new = before[name], None
        else:
            if name not in before and name not in after:
                continue
            old, new = before.get(name), after.get(name)
            if old == new:
                continue
        changes[name] = _masked(old, new) if encrypted else [old, new]
    return changes


def _household_uuid(household):
    if household is None or isinstance(household, uuid.UUID):
        return household
    if isinstance(household, str):
        return uuid.UUID(household)
    return household.uuid


def _actor(user, organisation=None):
    """(user, role, organisation id) of a write; `user` None is an import or a command,
    done on behalf of `organisation` (an Organisation, its pk, or None)."""
    acting = user if user is not None and user.is_authenticated else None
    if acting is None:
        return None, "", getattr(organisation, "pk", organisation)
    return acting, acting.role or "", acting.organisation_id


def new_record(
    user,
    model,
    object_uuid,
    before,
    after,
    *,
    household,
    action=None,
    organisation=None,
    at=None,
    reason="",
):
    """An unsaved ChangeRecord of a write from two snapshots, or None when a change
    changes nothing. `action` defaults to a creation when `before` is None, a change
    otherwise; a deletion keeps the values of `before`. `reason`: why (a correction, a
    deletion, a merge), as the user gave it.
    """
    if action is None:
        action = CREATE if before is None else CHANGE
    changes = diff(model, None if action == CREATE else before, None if action == DELETE else after)
    if action == CHANGE and not changes and not reason:
        return None
    acting, role, organisation_id = _actor(user, organisation)
    return ChangeRecord(
        at=at or timezone.now(),
        user=acting,
        role=role,
        organisation_id=organisation_id,
        action=action,
        object_type=model._meta.model_name,
        object_uuid=object_uuid,
        household_uuid=_household_uuid(household),
        changes=changes,
        reason=reason,
    )


def record_change(user, obj, before, *, household, action=None, reason=""):
    """Write the ChangeRecord of a write on `obj` (call in the write's transaction).

    `before` is `snapshot(obj)` taken before the write (None for a creation); for a
    deletion (`action=DELETE`), call it before deleting, with `before` the snapshot.
    `household` is the household (or its uuid) whose file `obj` belongs to. Nothing is
    written for a change that changes no tracked field (and gives no `reason`). Returns the
    record or None.
    """
    after = None if action == DELETE else snapshot(obj)
    record = new_record(
        user, type(obj), obj.uuid, before, after, household=household, action=action, reason=reason
    )
    if record is not None:
        record.save()
    return record


def record_fact(user, obj, changes, *, household):
    """Write a ChangeRecord of a change that is not a field of `obj` (an account's second
    factor removed, say): `changes` maps a name to [before, after], already in French."""
    acting, role, organisation_id = _actor(user)
    return ChangeRecord.objects.create(
        user=acting,
        role=role,
        organisation_id=organisation_id,
        action=CHANGE,
        object_type=obj._meta.model_name,
        object_uuid=obj.uuid,
        household_uuid=_household_uuid(household),
        changes=changes,
    )


def _values_changes(model, values, related, side):
    """Changes of a creation (side 1) or a deletion (side 0) from raw column values."""
    changes = {}
    for name, attname, is_relation, encrypted, field in _plan(model):
        value = values.get(attname)
        if value is None or value == "" or value == []:
            continue
        if encrypted:
            changes[name] = [HIDDEN_BEFORE, None] if side == 0 else [None, HIDDEN_NEW]
            continue
        if is_relation:
            value = related.get(attname, {}).get(value, value)
        if not _plain(value):
            value = json_value(field, value)
        changes[name] = [value, None] if side == 0 else [None, value]
    return changes


class BulkRecorder:
    """Collects the ChangeRecords of a bulk write (an import) and inserts them at once.

    Rows are described by raw column values (by attname, as `QuerySet.values()` gives
    them); `related` maps a foreign key's attname to {pk: ref} so that the history names
    related rows by their ref. `user` None is an import or a command, on behalf of
    `organisation`. Call `write()` inside the transaction of the bulk write.
    """

    def __init__(self, user=None, *, organisation=None, at=None):
        acting, self.role, self.organisation_id = _actor(user, organisation)
        self.user_id = acting.pk if acting is not None else None
        self.at = at or timezone.now()
        self.rows = []

    def _add(self, model, action, object_uuid, household, changes):
        self.rows.append(
            (action, model._meta.model_name, object_uuid, _household_uuid(household), changes)
        )

    def add(self, obj, before=None, *, household, action=None):
        """As `record_change`, for an instance, but written with the others by `write()`."""
        after = None if action == DELETE else snapshot(obj)
        action = action or (CREATE if before is None else CHANGE)
        model = type(obj)
        changes = diff(
            model, None if action == CREATE else before, None if action == DELETE else after
        )
        if changes or action != CHANGE:
            self._add(model, action, obj.uuid, household, changes)

    def created(self, model, object_uuid, values, *, household, related=None):
        changes = _values_changes(model, values, related or {}, 1)
        self._add(model, CREATE, object_uuid, household, changes)

    def deleted(self, model, object_uuid, values, *, household, related=None):
        changes = _values_changes(model, values, related or {}, 0)
        self._add(model, DELETE, object_uuid, household, changes)

    def changed(self, model, object_uuid, before, after, *, household, related=None):
        """`before` and `after`: the values of the compared columns (by attname)."""
        changes = diff(
            model,
            snapshot_values(model, before, related),
            snapshot_values(model, after, related),
        )
        if changes:
            self._add(model, CHANGE, object_uuid, household, changes)

    def write(self, batch_size=1000):
        """Insert the collected records and return how many: by COPY on PostgreSQL, by
        one prepared INSERT run for each row (`executemany`) elsewhere. The ORM's
        `bulk_create` doubled an import's time, hence the plain SQL."""
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        connection = connections[router.db_for_write(ChangeRecord)]
        meta, quote = ChangeRecord._meta, connection.ops.quote_name
        column_names = [meta.get_field(name).column for name in BULK_COLUMNS]
        columns = ", ".join(quote(column) for column in column_names)
        table = quote(meta.db_table)
        at = meta.get_field("at").get_db_prep_save(self.at, connection)
        # As UUIDField.get_db_prep_value does: a uuid type, or 32 hexadecimal digits.
        native = connection.features.has_native_uuid_field

        def prepared(value):
            return value if value is None or native else value.hex

        head = (at, self.user_id, self.role, self.organisation_id)
        values = (
            (
                *head,
                str(action),
                object_type,
                prepared(object_uuid),
                prepared(household_uuid),
                connection.ops.adapt_json_value(changes, None),
                "",
            )
            for action, object_type, object_uuid, household_uuid, changes in rows
        )
        # Table and column names come from the model; the values go as parameters.
        if connection.vendor == "postgresql":
            copy_rows(connection, meta.db_table, column_names, values)
            return len(rows)
        with connection.cursor() as cursor:
            sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
                table, columns, ", ".join(["%s"] * len(BULK_COLUMNS))
            )
            batch = list(itertools.islice(values, batch_size))
            while batch:
                cursor.executemany(sql, batch)
                batch = list(itertools.islice(values, batch_size))
        return len(rows)


BULK_COLUMNS = (
    "at",
    "user",
    "role",
    "organisation",
    "action",
    "object_type",
    "object_uuid",
    "household_uuid",
    "changes",
    "reason",
)


# ---- reading the history back ------------------------------------------------------


def field_label(model, name):
    """The French label of a field (its verbose name)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field removed since the change was recorded
        return name.replace("_", " ")
    label = str(field.verbose_name)
    if label == name.replace("_", " "):
        label = DEFAULT_FIELD_LABELS.get(name, label)
    return label


def display_value(field, value, list_labels=None):
    """A stored JSON value as a French reader expects it: choice labels, dd/mm/yyyy…"""
    if value in EMPTY_VALUES:
        return "—"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, list):
        labels = dict(list_labels or ())
        return ", ".join(str(labels.get(v, v)) for v in value)
    if field is not None and is_encrypted(field):
        return str(value)
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if value in choices:
        return str(choices[value])
    if isinstance(field, models.DateTimeField):
        moment = datetime.datetime.fromisoformat(value)
        return formats.date_format(timezone.localtime(moment), "d/m/Y H:i")
    if isinstance(field, models.DateField):
        return formats.date_format(datetime.date.fromisoformat(value), "d/m/Y")
    return str(value)


def field_changes(record, model, list_labels=None):
    """[(label, before, after)] of a record, in French, in the model's field order.

    `list_labels` maps a field name to the choices of the codes its list holds (the
    resource types of a resource record, say).
    """
    list_labels = list_labels or {}
    order = {f.name: i for i, f in enumerate(model._meta.concrete_fields)}
    rows = []
    for name in sorted(record.changes, key=lambda n: order.get(n, len(order))):
        before, after = record.changes[name]
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        labels = list_labels.get(name)
        rows.append(
            (
                field_label(model, name),
                display_value(field, before, labels),
                display_value(field, after, labels),
            )
        )
    return rows


def role_label(code):
    """The French label of a role code (as the record kept it), or an empty string."""
    try:
        return Role(code).label
    except ValueError:
        return code or ""
