"""Full logical backup of a Seuil database, and its restore into an empty database.

The backup is Django's JSON serialisation (`dumpdata`) of every model of the Seuil apps, of
`auth` (groups) and of the two-factor devices (`otp_totp`, `otp_static`: without them every
user would have to enrol again, and whoever knows a password could enrol first): primary
keys are kept, so every reference between rows survives; permissions and content types are
referred to by natural key, since each database creates its own when migrated. Sessions are
left out (signing in again is enough). A file whose name ends in `.gz` is gzip-compressed.
The restore (`loaddata`) runs in one transaction and refuses a database that already holds
data.
"""

import datetime
import gzip
import os

from django.apps import apps
from django.core import management, serializers
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from .private_files import create_private

BACKUP_SUFFIXES = (".json", ".json.gz")
# Created by `migrate` in every database: referred to by natural key, never copied.
REBUILT_BY_MIGRATE = ("auth.Permission", "contenttypes.ContentType")


class BackupError(Exception):
    """A backup or restore that cannot be done (French message for the user)."""


BACKED_UP_APPS = ("auth", "otp_totp", "otp_static")


def backed_up_models():
    """Every model whose rows a backup holds: the Seuil apps', groups and 2FA devices."""
    models = []
    for config in apps.get_app_configs():
        if config.name.startswith("seuil.") or config.label in BACKED_UP_APPS:
            models += [
                m
                for m in config.get_models()
                if m._meta.label not in REBUILT_BY_MIGRATE and not m._meta.proxy
            ]
    return models


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, without its rounding of times to the millisecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _in_dependency_order(models):
    by_app = {}
    for model in models:
        by_app.setdefault(model._meta.app_config, []).append(model)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def _rows(models):
    for model in models:
        yield from model._base_manager.order_by("pk").iterator(chunk_size=2000)


def _check_name(path):
    if not path.endswith(BACKUP_SUFFIXES):
        raise BackupError(
            f"Le fichier de sauvegarde doit se terminer par .json ou .json.gz (reçu : {path})."
        )


def backup(output):
    """Write the backup to the file `output` (gzip when it ends in `.gz`); return counts.

    The file appears complete or not at all (written aside, then renamed)."""
    _check_name(output)
    partial = create_private(f"{output}.partiel")
    opener = gzip.open if output.endswith(".gz") else open
    try:
        with transaction.atomic(), opener(partial, "wt", encoding="utf-8") as stream:
            # One transaction: on PostgreSQL, one consistent snapshot of every table.
            serializers.serialize(
                "json",
                _rows(_in_dependency_order(backed_up_models())),
                stream=stream,
                use_natural_foreign_keys=True,
                cls=ExactJSONEncoder,
            )
            counts = row_counts()
        os.replace(partial, output)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return counts


def row_counts():
    """label → number of rows, for the backed-up models."""
    return {m._meta.label: m._base_manager.count() for m in backed_up_models()}


def restore(path):
    """Load the backup `path` into this database, which must hold no data; return counts."""
    _check_name(path)
    if not os.path.isfile(path):
        raise BackupError(f"Le fichier de sauvegarde {path} n'existe pas.")
    non_empty = [label for label, n in row_counts().items() if n]
    if non_empty:
        raise BackupError(
            "La base de données contient déjà des données ("
            + ", ".join(non_empty)
            + ") : la restauration ne se fait que dans une base vide, créée par "
            "« seuil migrate ». Rien n'a été modifié."
        )
    try:
        with transaction.atomic():
            management.call_command("loaddata", path, verbosity=0)
    except DeserializationError as error:
        raise BackupError(
            f"La sauvegarde {path} n'a pas pu être relue ; rien n'a été restauré. {error}"
        ) from None
    return row_counts()
