"""New rows of a large bulk write (an import) sent by COPY on PostgreSQL.

`CopyInsertQuerySet.bulk_create(objs, by_copy=True)` writes the same rows as Django's
`bulk_create`, through the same overrides of the models' querysets (what they do before
and after the insert), but the rows go to the database by one COPY instead of INSERTs
whose every value the driver quotes in Python: several times less work per row. The
objects then get no pk: `by_copy` is for callers that read the new rows' pks back from the
database (or do not need them). Elsewhere than on PostgreSQL, or with any other option,
it is Django's `bulk_create`.
"""

import functools

from django.db import connections, models
from django.db.models.expressions import DatabaseDefault


class CopyInsertQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, by_copy=False, **kwargs):
        connection = connections[self.db]
        if not by_copy or args or kwargs or connection.vendor != "postgresql":
            return super().bulk_create(objs, *args, **kwargs)
        objs = list(objs)
        if objs and not _copy(self.model, objs, connection):
            return super().bulk_create(objs)
        return objs


def _copy(model, objs, connection):
    """Insert `objs` (new, without pk) as an insert would prepare their values: dates set
    on creation, defaults, encrypted text; a column every object leaves to the database's
    default is left out (the database fills it, as Django's insert does). False, and
    nothing written, when some objects leave a column to the database and others not."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    rows = [[f.pre_save(obj, add=True) for f in fields] for obj in objs]
    kept = []
    for i, field in enumerate(fields):
        default = [isinstance(row[i], DatabaseDefault) for row in rows]
        if not any(default):
            kept.append((i, field))
        elif not all(default):
            return False
    copy_rows(
        connection,
        meta.db_table,
        [f.column for _, f in kept],
        ([f.get_db_prep_save(row[i], connection) for i, f in kept] for row in rows),
    )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return True


def copy_rows(connection, table, columns, rows):
    """Send `rows` (sequences of prepared values) into the `columns` of `table` by one
    `COPY … FROM STDIN` of PostgreSQL, through the connection's execute wrappers like any
    statement: what watches the writes of a connection (the reports' inputs) sees this one
    too. Table and column names come from the caller's models; the values go as COPY data."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    with connection.cursor() as cursor:

        def send(sql, params, many, context):
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)

        executor = send
        for wrapper in reversed(connection.execute_wrappers):
            executor = functools.partial(wrapper, executor)
        executor(sql, None, False, {"connection": connection, "cursor": cursor})


def refresh_statistics(model, connection):
    """Have PostgreSQL's planner count the rows just written into `model`'s table (ANALYZE,
    which sees those of the current transaction too). A table filled in the same
    transaction has no statistics yet: a filter on one of its foreign keys by a list of
    values is then estimated to match the whole table, and read by a full scan, batch after
    batch. Nothing to do elsewhere than on PostgreSQL."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
