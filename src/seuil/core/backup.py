"""Full logical backup of a Seuil database, and its restore into an empty database.

The backup is Django's JSON serialisation (the format of `dumpdata`: a list of
``{"model", "pk", "fields"}``) of every model of the Seuil apps, of `auth` (groups) and of
the two-factor devices (`otp_totp`, `otp_static`: without them every user would have to
enrol again, and whoever knows a password could enrol first): primary keys are kept, so
every reference between rows survives; permissions, content types and users are referred to
by natural key. Sessions are left out (signing in again is enough). A file whose name ends
in `.gz` is gzip-compressed.

- The backup reads every table in **one snapshot** (on PostgreSQL a REPEATABLE READ, READ
  ONLY transaction; SQLite serialises anyway) and streams the rows to the file, a chunk of
  rows at a time: its memory does not grow with the data.
- The attached documents (`core.documents`) follow the rows, still encrypted, as entries
  ``{"document": stored name, "token": encrypted content}`` (left out with
  ``documents=False``, for a storage saved apart).
- The restore reads the file as a stream and inserts the rows in batches (COPY on
  PostgreSQL, multi-row inserts on SQLite) inside **one transaction**: a restore that
  stops half-way leaves the database empty (and the documents it had written are
  deleted). It refuses a database that holds data. Backups written before the documents
  were added are read the same way.
"""

import base64
import datetime
import gzip
import itertools
import json
import os

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Field, JSONField
from django.utils.encoding import is_protected_type

from . import documents
from .concurrency import one_snapshot
from .copy_insert import copy_rows
from .private_files import create_private

BACKUP_SUFFIXES = (".json", ".json.gz")
# Created by `migrate` in every database: referred to by natural key, never copied.
REBUILT_BY_MIGRATE = ("auth.Permission", "contenttypes.ContentType")
DOCUMENTS = "documents"  # the key of the documents' count
CHUNK = 2000  # rows read, or inserted, at a time
# Rows holding JSON documents (a matching run's instance: megabytes) are read a few at a
# time, and a batch is inserted once its rows weigh this much in the file.
SMALL_CHUNK = 20
BATCH_BYTES = 16 * 1024 * 1024


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
                if m._meta.label not in REBUILT_BY_MIGRATE
                and kept_in_backups(m)
                and not m._meta.proxy
            ]
    return models


def kept_in_backups(model):
    """Whether a backup holds the rows of `model`: every model's but those of a model that
    says `kept_in_backups = False` (rows that only tell whether a stored result is still
    current: a restored database starts without them, and computes those results again)."""
    return getattr(model, "kept_in_backups", True)


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


def _serialised_m2m(model):
    return [
        f.name
        for f in model._meta.many_to_many
        if f.serialize and f.remote_field.through._meta.auto_created
    ]


class _PythonSerializer(PythonSerializer):
    """Django's serialisation of rows with many-to-many links (users, groups: few rows),
    the natural keys of the rows they refer to read once each."""

    def __init__(self, natural_keys):
        super().__init__()
        self.natural_keys = natural_keys

    def handle_fk_field(self, obj, field):
        value = getattr(obj, field.attname)
        if value is None or not hasattr(field.remote_field.model, "natural_key"):
            return super().handle_fk_field(obj, field)
        self._current[field.name] = self.natural_keys.get(field.remote_field.model, value)


class _NaturalKeys(dict):
    """(model, pk) → natural key, each read once."""

    def get(self, model, pk):
        if (model, pk) not in self:
            self[model, pk] = list(model._base_manager.get(pk=pk).natural_key())
        return self[model, pk]


def _plain(field):
    """How a value of `field` is written, as Django's serialiser writes it: numbers, dates
    and None as they are, the rest as `value_to_string` says (a plain string at once)."""
    if type(field).value_to_string is Field.value_to_string:
        return lambda value, holder: value if is_protected_type(value) else str(value)

    def convert(value, holder):
        if is_protected_type(value):
            return value
        setattr(holder, field.attname, value)
        return field.value_to_string(holder)

    return convert


class _Holder:
    """What `value_to_string` reads a value from."""


def _model_entries(model, natural_keys, counts):
    """The entries of `model`'s rows, as `dumpdata` writes them, read as tuples of values
    (no model instance)."""
    label, name = model._meta.label, str(model._meta)
    counts[label] = 0
    rows = model._base_manager.order_by("pk")
    heavy = any(isinstance(f, JSONField) for f in model._meta.concrete_fields)
    chunk = SMALL_CHUNK if heavy else CHUNK
    if _serialised_m2m(model):
        serializer = _PythonSerializer(natural_keys)
        batch = []
        for row in rows.prefetch_related(*_serialised_m2m(model)).iterator(chunk_size=chunk):
            batch.append(row)
            if len(batch) == chunk:
                yield from serializer.serialize(batch, use_natural_foreign_keys=True)
                counts[label] += len(batch)
                batch = []
        yield from serializer.serialize(batch, use_natural_foreign_keys=True)
        counts[label] += len(batch)
        return
    pk = model._meta.pk
    fields = [f for f in model._meta.local_fields if f.serialize]
    converters = [_plain(pk)]
    for field in fields:
        target = field.remote_field.model if field.remote_field else None
        if target is not None and hasattr(target, "natural_key"):
            converters.append(
                lambda value, holder, target=target: (
                    None if value is None else natural_keys.get(target, value)
                )
            )
        else:
            converters.append(_plain(field))
    names = [f.name for f in fields]
    holder = _Holder()
    values = rows.values_list(pk.attname, *(f.attname for f in fields))
    for row in values.iterator(chunk_size=chunk):
        out = [convert(value, holder) for convert, value in zip(converters, row, strict=True)]
        counts[label] += 1
        yield {"model": name, "pk": out[0], "fields": dict(zip(names, out[1:], strict=True))}


def _write(stream, models, counts, trailer):
    """The JSON list: every row, then the documents."""
    natural_keys = _NaturalKeys()
    encode = ExactJSONEncoder(ensure_ascii=False).encode
    stream.write("[")
    first = True
    entries = (e for model in models for e in _model_entries(model, natural_keys, counts))
    for entry in itertools.chain(entries, trailer):
        if not first:
            stream.write(", ")
        first = False
        stream.write(encode(entry))
    stream.write("]")


def _documents(counts):
    """The stored documents of every document model, still encrypted."""
    counts[DOCUMENTS] = 0
    for model in documents.document_models():
        names = model._base_manager.exclude(stored_name="").order_by("pk")
        for name in names.values_list("stored_name", flat=True).iterator(chunk_size=CHUNK):
            token = documents.read_stored(name)
            if token is not None:  # a file already gone is not a reason to stop
                counts[DOCUMENTS] += 1
                yield {"document": name, "token": token.decode("ascii")}


def _check_name(path):
    if not path.endswith(BACKUP_SUFFIXES):
        raise BackupError(
            f"Le fichier de sauvegarde doit se terminer par .json ou .json.gz (reçu : {path})."
        )


def _opener(path):
    return gzip.open if path.endswith(".gz") else open


def backup(output, *, with_documents=True):
    """Write the backup to the file `output` (gzip when it ends in `.gz`); return counts
    (label → rows, and ``"documents"``).

    The file appears complete or not at all (written aside, then renamed)."""
    _check_name(output)
    partial = create_private(f"{output}.partiel")
    counts = {}
    try:
        with (
            one_snapshot(read_only=True),
            _opener(output)(partial, "wt", encoding="utf-8") as stream,
        ):
            models = _in_dependency_order(backed_up_models())
            _write(stream, models, counts, _documents(counts) if with_documents else ())
        os.replace(partial, output)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return counts


def row_counts():
    """label → number of rows, for the backed-up models."""
    return {m._meta.label: m._base_manager.count() for m in backed_up_models()}


# ---- restore ---------------------------------------------------------------------------


def read_entries(stream, chunk=1 << 16):
    """The entries of the JSON list in `stream`, one at a time, without reading the whole
    file (the list's items are decoded as they come)."""
    for entry, _ in _sized_entries(stream, chunk):
        yield entry


def _sized_entries(stream, chunk=1 << 16):
    """(entry, characters it took in the file) for each entry of the list in `stream`."""
    decoder = json.JSONDecoder()
    buffer, position, at_end, started = "", 0, False, False
    while True:
        while position < len(buffer) and buffer[position] in " \t\r\n,[":
            if buffer[position] == "[":
                started = True
            position += 1
        if position < len(buffer) and buffer[position] == "]" and started:
            return
        try:
            if position >= len(buffer):
                raise ValueError
            entry, end = decoder.raw_decode(buffer, position)
        except ValueError:
            if at_end:
                if buffer[position:].strip():
                    raise BackupError("La sauvegarde est tronquée ou illisible.") from None
                raise BackupError(
                    "La sauvegarde est tronquée (la liste n'est pas fermée)."
                ) from None
            more = stream.read(max(chunk, len(buffer) - position))
            at_end = not more
            buffer = buffer[position:] + more
            position = 0
            continue
        if not started:
            raise BackupError("La sauvegarde n'est pas une liste JSON.")
        yield entry, end - position
        position = end


class _Loader:
    """Rows turned into model instances and inserted in batches; natural keys resolved once
    each (after the batches that may hold the rows they name)."""

    def __init__(self):
        self.batches = {}  # model → [instances]
        self.weights = {}  # model → characters of its batch's rows in the file
        self.m2m = {}  # auto-created through model → [through instances]
        self.keys = {}  # (model, natural key) → pk
        self.counts = {}
        self.fields = {}  # model → {name: field}

    def _fields(self, model):
        if model not in self.fields:
            self.fields[model] = {f.name: f for f in model._meta.get_fields()}
        return self.fields[model]

    def _pk_of(self, model, value):
        if not isinstance(value, list):
            return model._meta.pk.to_python(value)
        key = (model, tuple(value))
        if key not in self.keys:
            self.flush()  # the row named may wait in a batch
            try:
                self.keys[key] = model._default_manager.get_by_natural_key(*value).pk
            except model.DoesNotExist:
                raise BackupError(
                    f"La sauvegarde désigne une ligne absente ({model._meta.label} {value})."
                ) from None
        return self.keys[key]

    def add(self, entry, size=0):
        try:
            model = apps.get_model(entry["model"])
        except (LookupError, KeyError, TypeError):
            raise BackupError(f"La sauvegarde contient un modèle inconnu : {entry!r:.80}") from None
        fields = self._fields(model)
        data = {model._meta.pk.attname: model._meta.pk.to_python(entry["pk"])}
        relations = []
        for name, value in entry["fields"].items():
            field = fields.get(name)
            if field is None:
                raise BackupError(f"Champ inconnu dans la sauvegarde : {model._meta.label}.{name}")
            if field.many_to_many:
                target = field.remote_field.model
                relations.append((field, [self._pk_of(target, v) for v in value]))
            elif field.is_relation:
                target = field.remote_field.model
                if value is not None:
                    value = self._pk_of(target, value) if isinstance(value, list) else value
                    value = target._meta.get_field(field.remote_field.field_name).to_python(value)
                data[field.attname] = value
            else:
                data[field.attname] = field.to_python(value)
        instance = model(**data)
        self.batches.setdefault(model, []).append(instance)
        for field, targets in relations:
            if not targets:  # no link (a user in no group): no batch to insert
                continue
            through = field.remote_field.through
            source, target = field.m2m_column_name(), field.m2m_reverse_name()
            self.m2m.setdefault(through, []).extend(
                through(**{source: instance.pk, target: pk}) for pk in targets
            )
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + 1
        self.weights[model] = self.weights.get(model, 0) + size
        if len(self.batches[model]) >= CHUNK or self.weights[model] >= BATCH_BYTES:
            self._insert(model, self.batches.pop(model))
            self.weights.pop(model)

    def _insert(self, model, rows):
        # A raw insert (as `loaddata` saves): the values of the file as they are, dates
        # set on creation or on save included; no signal is sent.
        fields = model._meta.concrete_fields
        if rows[0].pk is None:  # the links of a many-to-many field: numbered by the database
            fields = [f for f in fields if f is not model._meta.pk]
        if connection.vendor == "postgresql":
            return self._copy(model, fields, rows)
        size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
        for start in range(0, len(rows), size):
            model._base_manager._insert(rows[start : start + size], fields=fields, raw=True)

    def _copy(self, model, fields, rows):
        """PostgreSQL: the batch sent by COPY (`copy_insert.copy_rows`, watched as an insert
        is), each value prepared as an insert would."""
        copy_rows(
            connection,
            model._meta.db_table,
            [f.column for f in fields],
            (
                [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
                for row in rows
            ),
        )

    def flush(self):
        for model, rows in list(self.batches.items()):
            self._insert(model, rows)
        self.batches.clear()
        self.weights.clear()
        for through, rows in list(self.m2m.items()):
            self._insert(through, rows)
        self.m2m.clear()


def restore(path):
    """Load the backup `path` into this database, which must hold no data; return counts
    (label → rows, and ``"documents"``)."""
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
    loader, written = _Loader(), []
    try:
        with (
            _opener(path)(path, "rt", encoding="utf-8") as stream,
            transaction.atomic(),
            connection.constraint_checks_disabled(),
        ):
            for entry, size in _sized_entries(stream):
                if isinstance(entry, dict) and "document" in entry:
                    documents.write_stored(entry["document"], base64_token(entry["token"]))
                    written.append(entry["document"])
                else:
                    loader.add(entry, size)
            loader.flush()
            models = [apps.get_model(label) for label in loader.counts]
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
    except (
        IntegrityError,
        DatabaseError,
        ValidationError,
        ValueError,
        KeyError,
        TypeError,
    ) as error:
        _forget(written)
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else error
        raise BackupError(
            f"La sauvegarde {path} n'a pas pu être relue ; rien n'a été restauré. {reason}"
        ) from None
    except BaseException:
        _forget(written)
        raise
    return {**loader.counts, DOCUMENTS: len(written)}


def base64_token(text):
    """The encrypted bytes of a document entry (a Fernet token is already URL-safe base64
    text: checked, not decoded)."""
    token = text.encode("ascii")
    base64.urlsafe_b64decode(token)
    return token


def _forget(names):
    for name in names:
        try:
            documents.storage().delete(name)
        except OSError:
            pass
