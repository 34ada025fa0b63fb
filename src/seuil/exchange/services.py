"""The spreadsheet import of the interface: check a workbook (and preview what importing it
would change), import it, export the organisation's workbook.

Everything goes through the code of `seuil import` and `seuil export`: the workbook is read
into a `seuil-exchange/1` document (`workbook.read_workbook`), then `import_exchange` checks
it and writes it whole (atomic, idempotent on references); the preview is the same import,
rolled back (`dry_run`). Its (path, message) errors are placed back on their sheet, row and
column. A large workbook is imported in the background (django-tasks, `seuil db_worker`).
"""

import base64
import datetime
import json
import logging
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from seuil.core.concurrency import one_snapshot
from seuil.core.models import AccessLog

from . import workbook
from .errors import ExchangeValidationError
from .exporter import dumps, organisation_document
from .importer import KIND_LABELS, import_exchange
from .models import RETENTION_DAYS, ImportStatus, SpreadsheetImport
from .sheets import SHEETS

logger = logging.getLogger(__name__)

RENAME_HINT = (
    "un import depuis l'interface ne la renomme pas (remettez son nom actuel dans la "
    "feuille « Organisation »)"
)
NESTED_LISTS = tuple({sheet.list_name for sheet in SHEETS if sheet.parent is not None})


class UploadRefused(ValueError):
    """An upload that is no workbook Seuil can read; the message is in French."""


def workbook_rows(document):
    """How many rows the document's lists hold, nested lists included (the size of an
    import, shown while it runs)."""

    def count(rows):
        total = 0
        for row in rows or []:
            total += 1
            if isinstance(row, dict):
                total += sum(count(row.get(name)) for name in NESTED_LISTS)
        return total

    return sum(count(value) for value in document.values() if isinstance(value, list))


def _counts(summary):
    return {
        kind: {"label": KIND_LABELS[kind], **vars(counts)}
        for kind, counts in summary.counts.items()
    }


def _problems(items):
    return json.dumps([problem.as_dict() for problem in items], ensure_ascii=False)


def _located(reading, items):
    found = (reading.locate(path, message) for path, message in items)
    return sorted(problem for problem in found if problem is not None)


def _failure(error, what="erreur de la base de données"):
    """The problem of an import that failed on something else than the file's rules
    (logged by its type only: its message may quote the file's data)."""
    logger.error("spreadsheet import failed (%s)", type(error).__name__)
    message = f"{what} ({type(error).__name__}) : rien n'a été enregistré."
    return workbook.Problem((0,), "", None, "", "", message)


def runs_in_background(size):
    """Is a workbook of `size` bytes checked and imported in the background?"""
    return size > settings.SEUIL_IMPORT_INLINE_MAX_BYTES


def upload_workbook(upload, user):
    """Take the workbook `user` uploads for their organisation: refused at once when it is
    no XLSX workbook (UploadRefused); else checked and previewed, at once when small, in
    the background when large. Returns the SpreadsheetImport. Nothing of the
    organisation's data is written."""
    data = upload.read(workbook.MAX_BYTES + 1)
    try:
        workbook.check_file(data)
    except workbook.WorkbookError as error:
        raise UploadRefused(f"Fichier refusé : {error}") from None
    record = SpreadsheetImport(
        organisation=user.organisation,
        created_by=user,
        filename=(upload.name or "classeur.xlsx")[:255],
        size=len(data),
        status=ImportStatus.CHECKING,
    )
    if not runs_in_background(len(data)):
        return check_workbook(record, data, user)
    from .tasks import check_workbook_task

    record.workbook = base64.b64encode(data).decode("ascii")
    with transaction.atomic():
        record.save()
        transaction.on_commit(lambda: check_workbook_task.enqueue(str(record.uuid), user.pk))
    return record


def preview(reading, user=None):
    """The problems of a workbook read (its cells', then the importer's: all of them at
    once), and, when there are none, the summary of its import, rolled back."""
    problems = list(reading.problems)
    try:
        summary = import_exchange(reading.document, by=user, dry_run=True, rename_hint=RENAME_HINT)
    except ExchangeValidationError as error:
        problems += _located(reading, error.items)
    except DatabaseError as error:
        problems.append(_failure(error))
    return sorted(problems), (None if problems else summary)


def check_workbook(record, data, user):
    """Read the workbook and preview its import (the import of `seuil import`, rolled
    back); keep the document to import, or the problems to correct."""
    try:
        reading = workbook.read_workbook(data, record.organisation)
    except workbook.WorkbookError as error:
        problems = [workbook.Problem((0,), "", None, "", "", f"Fichier refusé : {error}")]
    else:
        problems, summary = preview(reading, user)
        if summary is not None:
            record.counts = _counts(summary)
            record.changed = summary.changed
    record.workbook = ""
    if problems:
        record.status = ImportStatus.INVALID
        record.problems = _problems(problems)
    else:
        record.status = ImportStatus.READY
        record.document = dumps(reading.document)
        record.rows = workbook_rows(reading.document)
        record.places = reading.saved()
    record.save()
    return record


def check_in_background(record, user):
    """The background check of a large workbook (task `check_workbook_task`)."""
    data = base64.b64decode(record.workbook)
    try:
        return check_workbook(record, data, user)
    except Exception as error:  # noqa: BLE001 — the record says it failed; nothing is written
        record.status = ImportStatus.INVALID
        record.workbook = ""
        record.problems = _problems([_failure(error, "erreur inattendue")])
        record.save(update_fields=["status", "workbook", "problems"])
        return record


def start_import(record, user):
    """Import a checked workbook: at once when small, in the background when large.
    Returns the record (done or failed, or queued)."""
    with transaction.atomic():
        record = SpreadsheetImport.objects.select_for_update().get(pk=record.pk)
        if record.status != ImportStatus.READY:
            return record
        record.status = ImportStatus.QUEUED
        record.started_at = timezone.now()
        record.save(update_fields=["status", "started_at"])
        if runs_in_background(record.size):
            from .tasks import import_workbook_task

            transaction.on_commit(lambda: import_workbook_task.enqueue(str(record.uuid), user.pk))
            return record
    return execute_import(record, user)


def execute_import(record, user):
    """Import the record's document (the code of `seuil import`), then keep its result."""
    SpreadsheetImport.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING)
    document = json.loads(record.document, parse_float=Decimal)
    try:
        summary = import_exchange(document, by=user, rename_hint=RENAME_HINT, consume=True)
    except ExchangeValidationError as error:
        # The organisation's data changed since the check: the errors, placed on their cells.
        record.status = ImportStatus.FAILED
        record.problems = _problems(_located(workbook.Reading.restore(record.places), error.items))
    except DatabaseError as error:
        record.status = ImportStatus.FAILED
        record.problems = _problems([_failure(error)])
    except Exception as error:  # noqa: BLE001 — the record says it failed; nothing is written
        record.status = ImportStatus.FAILED
        record.problems = _problems([_failure(error, "erreur inattendue")])
    else:
        record.status = ImportStatus.DONE
        record.counts = _counts(summary)
        record.changed = summary.changed
    record.document = ""  # imported or not, the personal data goes
    record.finished_at = timezone.now()
    record.save(
        update_fields=["status", "problems", "counts", "changed", "document", "finished_at"]
    )
    return record


def export_workbook(user, progress=None):
    """The organisation's workbook (what `seuil export` exports for it), recorded in the
    access log as the export it is; its sheets read in one snapshot of the database, the
    lists a batch at a time (`progress`: see `workbook.write_workbook`)."""
    organisation = user.organisation
    with one_snapshot():
        AccessLog.objects.create(
            action=AccessLog.Action.EXPORT,
            user=user,
            role=user.role,
            organisation=organisation,
            object_type="organisation",
            object_uuid=organisation.uuid,
        )
        return workbook.write_workbook(organisation_document(organisation), progress)


def refuse(record, reason):
    """A record waiting in the background that will not be done: failed, with the reason,
    its data forgotten."""
    record.status = ImportStatus.FAILED
    record.problems = _problems([workbook.Problem((0,), "", None, "", "", f"{reason}.")])
    record.workbook = record.document = ""
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "problems", "workbook", "document", "finished_at"])


def purge_imports(now, *, dry_run=False):
    """Forget the workbooks checked but never imported (after a day), and the records of
    imports older than `RETENTION_DAYS`; return how many records were touched."""
    day = datetime.timedelta(days=1)
    stale = SpreadsheetImport.objects.filter(created_at__lt=now - day, status=ImportStatus.READY)
    old = SpreadsheetImport.objects.filter(created_at__lt=now - RETENTION_DAYS * day).exclude(
        status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)
    )
    count = stale.count() + old.count()
    if not dry_run:
        with transaction.atomic():
            old.delete()
            stale.update(document="", places={}, status=ImportStatus.EXPIRED)
    return count
