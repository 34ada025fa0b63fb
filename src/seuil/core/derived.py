"""Versions of inputs: a named set of records (a SIAO's waiting lists' inputs, the accounts
of closed years, what an organisation's activity reports read) has a version, a random
token drawn again by every write to those records, in the write's transaction. A result
computed from them and stored with the version it was computed from is still true while
that version has not moved. The versions are not kept in backups: a restored database
starts without them, and what was stored with one is computed again.

`move(names)` draws the tokens again (its row stays locked until the write's transaction
ends); `versions(names)` reads them. `store_unless_moved(name, compute, store)` reads the
version, computes, then stores only if the version did not move meanwhile (reading it
locked waits for a write being saved); otherwise it computes again. Without that, a result
computed from records read just before a change is saved would be stored after the change
had deleted the stored results it makes wrong, and stay wrong.
"""

import secrets

from django.db import connection as default_connection
from django.db import transaction

from .models import InputsVersion

ATTEMPTS = 3  # then stored all the same: the inputs change faster than it is computed


def move(names, connection=default_connection):
    """Draw again the versions of the inputs `names`, in one statement (call it in the
    transaction of the change). Raw SQL on `connection`: a wrapper of its statements may
    call it (`reports.inputs`)."""
    names = sorted(set(names))
    if not names:
        return
    table = connection.ops.quote_name(InputsVersion._meta.db_table)
    rows = ", ".join(["(%s, %s)"] * len(names))  # placeholders only: values are parameters
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, version) VALUES {rows} "  # noqa: S608  # nosec B608
            "ON CONFLICT (name) DO UPDATE SET version = excluded.version",
            [value for name in names for value in (name, secrets.token_hex(8))],
        )


def stored_here(connection=default_connection):
    """Is the versions' table in the database (not yet, while the first migrations run)?"""
    return InputsVersion._meta.db_table in connection.introspection.table_names()


def versions(names):
    """{name: version} of those inputs that have one (never moved: none)."""
    return dict(InputsVersion.objects.filter(name__in=names).values_list("name", "version"))


def store_unless_moved(name, compute, store):
    """`store(compute())`, in a transaction, unless the inputs `name` moved while it was
    computed (then computed again, `ATTEMPTS` times at most); returns what `store` does."""
    for attempt in range(1, ATTEMPTS + 1):
        seen = versions([name]).get(name, "")
        result = compute()
        with transaction.atomic():
            InputsVersion.objects.get_or_create(name=name)
            now = (
                InputsVersion.objects.select_for_update()
                .values_list("version", flat=True)
                .get(name=name)
            )
            if now == seen or attempt == ATTEMPTS:
                return store(result)
