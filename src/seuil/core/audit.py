"""Access log: every read and write of a person's or household's file.

`record_access` writes one row; `record_reads` the rows of a page, a list, an export or an
API page that shows several files: one row per file shown, written together
(`record_selected`: of the records a query names, written by the database itself;
`record_uuids`: of records known by their uuids alone, read or created in bulk).
`audited_save` and `audited_change` are the one way a service writes a record of a
household's file: the record is validated and saved, its change-history record
(`history.record_change`) and its access-log row are written, all in one transaction.
"""

from contextlib import contextmanager

from django.db import connections, transaction
from django.utils import timezone

from .history import DELETE, record_change, snapshot
from .models import AccessLog


def _who(user):
    """(user id, role, organisation id) of the rows written for `user` (None: a command)."""
    return (
        user.pk if user is not None and user.is_authenticated else None,
        getattr(user, "role", "") or "",
        getattr(user, "organisation_id", None),
    )


def _row(who, action, object_type, uuid):
    user_id, role, organisation_id = who
    return AccessLog(
        user_id=user_id,
        role=role,
        organisation_id=organisation_id,
        action=action,
        object_type=object_type,
        object_uuid=uuid,
    )


def _write_rows(user, action, keys):
    """Insert one row per (object type, uuid) of `keys` (a key given twice, once), together:
    one COPY on PostgreSQL (`core.copy_insert`), one statement or a few elsewhere."""
    who = _who(user)
    AccessLog.objects.bulk_create(
        [_row(who, action, *key) for key in dict.fromkeys(keys)], by_copy=True
    )


def record_access(user, action, obj):
    """Write one access-log row (call inside the transaction of the read or write)."""
    _row(_who(user), action, obj._meta.model_name, obj.uuid).save()


def record_reads(user, objects, *, action=AccessLog.Action.VIEW):
    """Write the access-log rows of a page, a list or an export that shows several files:
    one row per object shown (an object shown twice, once), inserted together
    (`_write_rows`) in one transaction with the read.
    Returns the objects as a list (a queryset is evaluated inside that transaction)."""
    if isinstance(objects, list) and not objects:
        return objects  # nothing shown: no transaction
    with transaction.atomic():
        objects = list(objects)
        _write_rows(user, action, ((obj._meta.model_name, obj.uuid) for obj in objects))
    return objects


def record_uuids(user, model, uuids, *, action=AccessLog.Action.VIEW):
    """The access-log rows of records of `model` known by their uuids alone (a bank
    statement's payments), written by the database (`record_selected`): one statement, or
    one per batch of the parameters a statement takes (SQLite)."""
    uuids = list(dict.fromkeys(uuids))
    records = model._base_manager.all()
    size = connections[records.db].ops.bulk_batch_size(["uuid"], uuids) or 1
    for start in range(0, len(uuids), size):
        record_selected(user, records.filter(uuid__in=uuids[start : start + size]), action=action)


def record_selected(user, records, *, action=AccessLog.Action.VIEW):
    """The access-log rows of the records of the queryset `records` (one each), written by
    the database in one statement, `INSERT … SELECT`: no record is read into Python. For
    the long lists a query names (an export's households, a matching run's referrals)."""
    connection = connections[records.db]
    meta = AccessLog._meta
    user_id, role, organisation_id = _who(user)
    constants = {
        "at": timezone.now(),
        "user": user_id,
        "role": role,
        "organisation": organisation_id,
        "action": action,
        "object_type": records.model._meta.model_name,
    }
    fields = {name: meta.get_field(name) for name in (*constants, "object_uuid")}
    values = [fields[name].get_db_prep_save(v, connection) for name, v in constants.items()]
    uuids = records.order_by().values_list("uuid")
    select, params = uuids.query.get_compiler(connection=connection).as_sql()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields.values())
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the models, values as parameters.
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608  # nosec B608
            f"SELECT {placeholders}, selected.{quote('uuid')} FROM ({select}) selected",
            [*values, *params],
        )


def audited_save(obj, before, *, by, household, access=True, validate=True, reason=""):
    """Save `obj` with its change-history record and its access-log row, in one transaction.

    `before` is `history.snapshot(obj)` taken before the change, None for a creation (the
    access-log row then says `create`, else `change`). `by` is the user who acts (None: a
    command or a task); `household` the household (or its uuid) whose file `obj` belongs
    to. `access=False` writes no access-log row; `validate=False` skips `full_clean` (the
    database constraints still hold); `reason` is kept with the change (a correction's).
    Returns `obj`.
    """
    with transaction.atomic(savepoint=False):
        if validate:
            obj.full_clean(validate_unique=True, validate_constraints=True)
        obj.save()
        if access:
            action = AccessLog.Action.CREATE if before is None else AccessLog.Action.CHANGE
            record_access(by, action, obj)
        record_change(by, obj, before, household=household, reason=reason)
    return obj


def audited_delete(obj, *, by, household, reason=""):
    """Delete `obj` with its change-history record (the values it had, and `reason`) and
    its access-log row, in one transaction."""
    with transaction.atomic(savepoint=False):
        before = snapshot(obj)
        record_access(by, AccessLog.Action.CHANGE, obj)
        record_change(by, obj, before, household=household, action=DELETE, reason=reason)
        obj.delete()


@contextmanager
def audited_change(obj, *, by, household, access=True, validate=True, reason=""):
    """Change `obj` inside the `with` block; on leaving it, `obj` is saved as
    `audited_save` does, its history recording the fields before the block and after::

        with audited_change(proposal, by=user, household=household):
            proposal.stay = stay

    Nothing is saved when the block raises.
    """
    before = snapshot(obj)
    with transaction.atomic(savepoint=False):
        yield obj
        audited_save(
            obj,
            before,
            by=by,
            household=household,
            access=access,
            validate=validate,
            reason=reason,
        )
