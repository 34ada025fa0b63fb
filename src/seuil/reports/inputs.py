"""The version of what an organisation's activity reports read, moved by every write to it.

A stored report keeps the version it was computed from (`version_of`, read in the same
snapshot as its facts); it is shown again while that version has not moved: one indexed
lookup, whatever the size of the data.

The version of an organisation is the pair of two versions of inputs (`core.derived`: random
tokens drawn again by the writes): the organisation's, by a write to a row its report
reads, and `ALL`'s, by a write whose organisations are not known (it makes every stored
report stale).
Every write to a table the report reads (`READ_BY`) moves one of them, in its transaction,
through one place: a wrapper of the database connection that sees every INSERT, UPDATE,
DELETE and COPY statement (`_watch`; `core.copy_insert.copy_rows` sends its COPY through
the wrappers):

- a row saved or deleted one by one (`Model.save`, `Model.delete` and the deletions it
  cascades to) is resolved before the statement (`pre_save`, `pre_delete`) to the
  organisations whose report reads it, before and after the write (`organisations_of`):
  theirs move;
- an UPDATE that sets only columns no report reads (`NOT_READ`) moves nothing;
- any other write to those tables — `QuerySet.update`, `bulk_create`, `bulk_update`, the
  updates of a deletion that sets foreign keys to null, raw SQL, COPY, TRUNCATE — moves `*`:
  conservative, never wrong.

A transaction moves each token once (the first write moves it and keeps its row locked
until the transaction ends; a savepoint rolled back forgets it, as the database does),
once again after the transaction itself read the version.
Outside a transaction (autocommit), the token moves right after the statement.
"""

import functools
import importlib
import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection as default_connection
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_delete, pre_migrate, pre_save

from seuil.core import derived

ALL = "rapports : toutes les organisations"

# The rows an activity report of an organisation reads (`facts.load_facts` and the
# orientation, tenancy, support and outcome facts), by model: the paths from a row to the
# organisations whose report reads it ("pk": the organisation itself).
READ_BY = {
    "core.Organisation": ("pk",),
    "housing.Programme": ("organisation",),
    "housing.Sector": ("organisation",),
    # A dwelling split into rooms is not let: a room changes its parent's figures.
    "housing.HousingUnit": ("organisation", "parent__organisation"),
    # A referral reads the date its stay began.
    "housing.Stay": ("organisation", "referral__siao", "referral__programme__organisation"),
    "housing.EvictionProcedure": ("stay__organisation",),
    # A household is read by the organisations of its stays, its requests by its own.
    "households.Household": ("organisation", "stays__organisation"),
    "households.Membership": ("household__organisation", "household__stays__organisation"),
    "households.Person": (
        "organisation",
        "memberships__household__organisation",
        "memberships__household__stays__organisation",
    ),
    "households.LegalStatusRecord": (
        "person__memberships__household__organisation",
        "person__memberships__household__stays__organisation",
    ),
    "households.ResourceRecord": ("household__organisation", "household__stays__organisation"),
    "orientation.Request": ("siao", "household__organisation"),
    "orientation.CommissionMeeting": (
        "siao",
        "decisions__request__household__organisation",
        "decisions__programme__organisation",
    ),
    "orientation.ReferralDecision": (
        "meeting__siao",
        "request__household__organisation",
        "programme__organisation",
    ),
    "orientation.Referral": ("siao", "programme__organisation"),
    "orientation.Vacancy": ("unit__organisation",),
    "tenancy.SubLease": ("stay__organisation",),
    "tenancy.RentCall": ("sub_lease__stay__organisation",),
    "tenancy.Payment": ("sub_lease__stay__organisation",),
    "tenancy.ChargesRegularisation": ("sub_lease__stay__organisation",),
    "tenancy.RepaymentPlan": ("sub_lease__stay__organisation",),
    "tenancy.Instalment": ("plan__sub_lease__stay__organisation",),
    "tenancy.Inspection": ("unit__organisation",),
    "support.SupportContract": ("stay__organisation",),
    "support.Amendment": ("contract__stay__organisation",),
    "support.Contact": ("organisation",),
    "support.Objective": ("organisation",),
    "outcomes.FollowUp": ("stay__organisation",),
}

# Columns no report reads: of every table, the version of optimistic locking
# (`core.concurrency`, claimed before the record is saved) and the time of the last change;
# of some, what is derived for the lists (the name of a constant of the model's module).
# An UPDATE of them alone moves nothing.
NOT_READ_ANYWHERE = ("version", "updated_at")
NOT_READ = {"households.Household": "DERIVED_FIELDS"}

# A statement that writes to a table (a COPY from the client included); TRUNCATE, any other
# COPY but to the client and a WITH that writes: to tables not told apart here.
WRITE = re.compile(
    r"\s*(?:(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM"
    r'|COPY(?!.*\bTO\s+STDOUT\b))\s+"?(\w+)"?(\.)?'
    r"|(TRUNCATE\b|COPY\b(?!.*\bTO\s+STDOUT\b))|(WITH\b.*\b(?:INSERT|UPDATE|DELETE)\b))",
    re.IGNORECASE | re.DOTALL,
)


UPDATE_SET = re.compile(r'\s*UPDATE\s+"\w+"\s+SET\s', re.IGNORECASE)
ASSIGNMENT = re.compile(r'\s*"(\w+)"\s*=')


def assigned_columns(sql):
    """The columns an UPDATE statement sets, or None when it cannot be told: its SET
    clause split at its commas outside parentheses and quotes, up to its WHERE."""
    match = UPDATE_SET.match(sql)
    if match is None:
        return None
    parts, depth, quote, start, index = [], 0, None, match.end(), match.end()
    while index < len(sql):
        char = sql[index]
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char == ",":
            parts.append(sql[start:index])
            start = index + 1
        elif depth == 0 and sql[index : index + 7].upper() in (" WHERE ", "\nWHERE "):
            break
        index += 1
    parts.append(sql[start:index])
    columns = set()
    for part in parts:
        assignment = ASSIGNMENT.match(part)
        if assignment is None:
            return None
        columns.add(assignment.group(1))
    return columns


def key(organisation_id):
    """The name of the inputs of an organisation's reports (`core.derived`)."""
    return f"rapports de l'organisation {organisation_id}"


def version_of(organisation_id):
    """The version of what the reports of an organisation read, as text."""
    # Read in the transaction that moved it: the next write moves it again.
    for moved in _moved_in_transaction(default_connection):
        moved.names.clear()
    versions = derived.versions([ALL, key(organisation_id)])
    return f"{versions.get(ALL, '')}.{versions.get(key(organisation_id), '')}"


# ---------------------------------------------------------------- which organisations


@functools.cache
def _tables():
    return frozenset(apps.get_model(label)._meta.db_table for label in READ_BY)


@functools.cache
def _not_read():
    """{table: columns no report reads}."""
    found = {}
    for label in READ_BY:
        model = apps.get_model(label)
        fields = [f for f in NOT_READ_ANYWHERE if _has_field(model, f)]
        if label in NOT_READ:
            fields += getattr(importlib.import_module(model.__module__), NOT_READ[label])
        found[model._meta.db_table] = {model._meta.get_field(f).column for f in fields}
    return found


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _reads_nothing(table, sql):
    """Does this statement only set columns of `table` that no report reads?"""
    columns = _not_read().get(table)
    if not columns:
        return False
    assigned = assigned_columns(sql)
    return assigned is not None and assigned <= columns


def organisations_of(model, pk, instance=None):
    """The ids of the organisations whose report reads the row `pk` of `model` as it is in
    the database (none when `pk` is None) and, with `instance`, as it is about to be saved
    (one query at most)."""
    paths = READ_BY[model._meta.label]
    found, queries = set(), []
    if pk is not None:
        rows = model._base_manager.filter(pk=pk).order_by()
        queries += [rows.values_list(path) for path in paths]
    if instance is not None:
        for path in paths:
            first, _, rest = path.partition("__")
            if first == "pk":
                found.add(instance.pk)
                continue
            field = model._meta.get_field(first)
            if not field.concrete:  # a reverse relation: what the database holds
                continue
            value = getattr(instance, field.attname)
            if not rest:
                found.add(value)
            elif value is not None:
                related = field.related_model._base_manager.filter(pk=value).order_by()
                queries.append(related.values_list(rest))
    if queries:
        found.update(row[0] for row in queries[0].union(*queries[1:]))
    found.discard(None)
    return found


def _pending(connection):
    if not hasattr(connection, "report_inputs_pending"):
        connection.report_inputs_pending = {}
    return connection.report_inputs_pending


def _before_save(sender, instance, using=None, **kwargs):
    _expect(sender, using, organisations_of(sender, instance.pk, instance))


def _before_delete(sender, instance, using=None, **kwargs):
    _expect(sender, using, organisations_of(sender, instance.pk))


def _expect(model, using, organisations):
    """The next write to `model`'s table is to rows those organisations' reports read."""
    from django.db import connections

    pending = _pending(connections[using or "default"])
    pending.setdefault(model._meta.db_table, set()).update(organisations)


# ---------------------------------------------------------------- moving the versions


class _Moved:
    """Registered with the transaction (`on_commit`): the tokens it moved. Django drops it
    when the transaction, or the savepoint it was registered in, ends or is rolled back."""

    def __init__(self):
        self.names = set()

    def __call__(self):
        pass


def _moved_in_transaction(connection):
    return [func for _, func, _ in connection.run_on_commit if isinstance(func, _Moved)]


def move(names, connection=default_connection):
    """Draw the tokens `names` again (in the current transaction, once per transaction)."""
    names = set(names)
    atomic = connection.in_atomic_block
    if atomic:
        done = set().union(*(moved.names for moved in _moved_in_transaction(connection)))
        if ALL in done:  # every stored report is stale already
            return
        names -= done
    if not names:
        return
    derived.move(names, connection)
    if atomic:
        savepoints = set(connection.savepoint_ids)
        here = [
            func
            for sids, func, _ in connection.run_on_commit
            if isinstance(func, _Moved) and sids == savepoints
        ]
        if here:
            here[0].names.update(names)
        else:
            moved = _Moved()
            moved.names.update(names)
            connection.on_commit(moved)


# While migrations run, no statement is watched (the tokens' table may not exist yet);
# once they are done, every stored report is stale if any migration was applied.
_migrating = False


def _watch(execute, sql, params, many, context):
    """Every statement of a connection: one that writes to a table the report reads moves
    the version of the organisations of the rows (or `ALL`)."""
    match = WRITE.match(sql) if not _migrating else None
    if match is None:
        return execute(sql, params, many, context)
    table = match.group(1) if not match.group(2) else None  # (a schema: not told apart)
    tables = _tables()
    if table is not None and table not in tables:
        return execute(sql, params, many, context)
    connection = context["connection"]
    organisations = _pending(connection).pop(table, None) if table else None
    if table is not None and _reads_nothing(table, sql):
        return execute(sql, params, many, context)
    result = execute(sql, params, many, context)
    if organisations is None:
        move({ALL}, connection)
    else:
        move({key(pk) for pk in organisations}, connection)
    return result


def _on_connection(sender, connection, **kwargs):
    # First: `connection.execute_wrapper()` removes the last wrapper when it ends, the one
    # it added even when the connection was opened meanwhile.
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def _migration_started(**kwargs):
    global _migrating
    _migrating = True


def _migration_done(plan=None, **kwargs):
    global _migrating
    if _migrating and plan:
        _migrating = False
        if derived.stored_here():
            move({ALL})
    _migrating = False


def watch():
    """Connect the signals (`ReportsConfig.ready`)."""
    for label in READ_BY:
        model = apps.get_model(label)
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"report_inputs_save_{label}")
        pre_delete.connect(
            _before_delete, sender=model, dispatch_uid=f"report_inputs_delete_{label}"
        )
    connection_created.connect(_on_connection, dispatch_uid="report_inputs_watch")
    pre_migrate.connect(_migration_started, dispatch_uid="report_inputs_migrating")
    post_migrate.connect(_migration_done, dispatch_uid="report_inputs_migrated")
    if default_connection.connection is not None:  # connected before the apps were ready
        _on_connection(None, default_connection)
