"""Concurrency: optimistic locking, and reads that see one state of the database.

Optimistic locking refuses an edit made on a version of a record that has changed since.

A versioned model has an integer `version` (1 when created). Every service that changes
such a record first calls `claim_version(obj, expected_version)`: one compare-and-swap
`UPDATE … SET version = version + 1 WHERE pk = … AND version = …` inside the service's
transaction. No row updated means someone else saved the record meanwhile: `StaleEdit`.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F

STALE_EDIT_MESSAGE = (
    "Ce dossier a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert : "
    "rechargez la page ; vos saisies sont affichées ci-dessous pour que rien ne soit perdu."
)


class StaleEdit(ValidationError):
    """The record changed since the form (or API client) read it (HTTP 409 in the API)."""

    def __init__(self, message=STALE_EDIT_MESSAGE):
        super().__init__(message, code="stale")


def claim_version(obj, expected_version=None):
    """Bump `obj`'s version in the database, if it still is `expected_version`.

    `expected_version=None` skips the check (callers that did not read a version, such as
    the importer or scripts) but still bumps it. Sets `obj.version` to the new value, so
    that a following `obj.save()` keeps it. Call inside the service's transaction.
    """
    rows = type(obj)._base_manager.filter(pk=obj.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1):
        raise StaleEdit()
    obj.version = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).get()
    return obj.version


@contextmanager
def one_snapshot(*, read_only=False):
    """A transaction whose queries all see the database as of its first one: on
    PostgreSQL a REPEATABLE READ transaction (READ ONLY when asked); SQLite serialises
    anyway. Inside a transaction opened already (as in a test), that transaction's."""
    repeatable_read = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if repeatable_read:
            level = "REPEATABLE READ, READ ONLY" if read_only else "REPEATABLE READ"
            with connection.cursor() as cursor:
                cursor.execute(f"SET TRANSACTION ISOLATION LEVEL {level}")
        yield
