"""Files prepared in the background for the person who asked for them, then downloaded.

A download too large to make while the page waits (the day's waiting lists of a SIAO,
10,000 rows) is a `PreparedDownload`: `prepare` queues it and the person's browser goes to
its page (`prepared_download`), which shows the progress while `seuil db_worker` makes it
(`prepare_download_task`), then a link to the file (`prepared_download_file`). A server
process is not held for seconds by one download while others wait.

An app registers what it prepares (`register_download_kind`, in its `AppConfig.ready`): a
name, what the page calls it, the page to go back to, the policy action the requester needs
(checked again on each view: a role that lost it reaches the download no more) and
`write(download, progress)`, which yields the file's bytes in pieces and calls
`progress(done, total)` now and then.

A prepared file is its requester's alone (nobody else, whatever their role, reaches its
page: 404), kept `KEPT_HOURS` and deleted by `seuil daily`. It is stored in the database as
parts of at most `PART_BYTES`, each encrypted (`core.crypto.current_fernet`): memory holds
one part whatever the file's size, and the database holds nothing of it in clear (nor do the
temporary files an XLSX is written through: `core.xlsx`). The access log of what
the file holds (each household listed) is written by the kind's `write`, for the requester,
as it is for a download made while the page waits.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from .crypto import current_fernet
from .documents import decrypted
from .enums import PENDING_DOWNLOADS as PENDING
from .enums import DownloadStatus
from .policy import Action, allows

PART_BYTES = 1024 * 1024  # clear bytes of the file in one stored part
KEPT_HOURS = 24  # a prepared file is deleted this long after it was asked for


@dataclass(frozen=True)
class DownloadKind:
    name: str
    label: str  # what the page calls the file ("Listes d'attente du jour")
    back: str  # the URL name of the page the download was asked from
    back_label: str  # that page's title
    action: Action
    write: Callable  # (download, progress) -> iterable of bytes


_KINDS = {}


def register_download_kind(name, *, label, back, back_label, action, write):
    _KINDS[name] = DownloadKind(name, label, back, back_label, action, write)


def kind_of(download):
    return _KINDS[download.kind]


def kinds_allowed(user):
    """The names of the kinds whose action `user`'s role has now."""
    return [name for name, kind in _KINDS.items() if allows(user, kind.action)]


def prepare(user, kind, *, filename, content_type, options=None):
    """Queue the preparation of a file of `kind` for `user`; returns its `PreparedDownload`.
    The same file asked for again while it is being prepared is not prepared twice."""
    from .models import PreparedDownload

    options = options or {}
    with transaction.atomic():
        pending = (
            PreparedDownload.objects.select_for_update()
            .filter(requested_by=user, kind=kind, options=options, status__in=PENDING)
            .first()
        )
        if pending is not None:
            return pending
        download = PreparedDownload.objects.create(
            organisation_id=user.organisation_id,
            requested_by=user,
            kind=kind,
            options=options,
            filename=filename,
            content_type=content_type,
            status=DownloadStatus.QUEUED,
        )
        transaction.on_commit(lambda: prepare_download_task.enqueue(download.pk))
    return download


@task()
def prepare_download_task(download_id):
    # RUNNING: a preparation whose worker stopped, queued again (`core.workers`).
    from .models import PreparedDownload

    download = (
        PreparedDownload.objects.select_related("requested_by")
        .filter(pk=download_id, status__in=PENDING)
        .first()
    )
    if download is not None:
        make(download)


def make(download):
    """What `prepare_download_task` does: write the file's parts, or say it failed."""
    from .models import PreparedDownload

    record = PreparedDownload.objects.filter(pk=download.pk)
    record.update(status=DownloadStatus.RUNNING, progress=0)
    download.parts.all().delete()  # a preparation taken back from a stopped worker
    shown = {"percent": 0, "rows": 0}

    def progress(done, total):
        shown["rows"] = done
        percent = min(99, done * 100 // total) if total else 0
        if percent != shown["percent"]:
            shown["percent"] = percent
            record.update(progress=percent, rows=done)

    fernet, pending, number, size = current_fernet(), bytearray(), 0, 0
    try:
        for piece in kind_of(download).write(download, progress):
            pending += piece
            size += len(piece)
            while len(pending) >= PART_BYTES:
                _store_part(download, number, fernet.encrypt(bytes(pending[:PART_BYTES])))
                del pending[:PART_BYTES]
                number += 1
        if pending or number == 0:
            _store_part(download, number, fernet.encrypt(bytes(pending)))
    except Exception as error:
        download.parts.all().delete()
        fail(download, f"erreur inattendue ({type(error).__name__})")
        raise
    record.filter(status=DownloadStatus.RUNNING).update(
        status=DownloadStatus.DONE,
        progress=100,
        rows=shown["rows"],
        size=size,
        finished_at=timezone.now(),
    )


def _store_part(download, number, token):
    download.parts.create(number=number, data=token)


def fail(download, reason):
    from .models import PreparedDownload

    PreparedDownload.objects.filter(pk=download.pk, status__in=PENDING).update(
        status=DownloadStatus.FAILED, error=reason[:500], finished_at=timezone.now()
    )


def after_task(sender, task_result, **kwargs):
    """`task_finished`: a preparation whose task failed outside its own error handling (its
    worker stopped twice, `core.workers`) is failed, instead of pending for good."""
    from .models import PreparedDownload

    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != prepare_download_task.module_path:
        return
    download = PreparedDownload.objects.filter(pk=task_result.args[0], status__in=PENDING).first()
    if download is not None:
        fail(download, "préparation interrompue : le processus d'arrière-plan s'est arrêté")


def pieces(download):
    """The file's bytes, a part at a time (one part in memory)."""
    numbers = download.parts.order_by("number").values_list("pk", flat=True)
    for pk in list(numbers):
        yield decrypted(bytes(download.parts.filter(pk=pk).values_list("data", flat=True).get()))


def purge_downloads_task(now, *, dry_run=False):
    """The prepared files asked for more than `KEPT_HOURS` ago go (their parts with them)."""
    from .models import PreparedDownload
    from .wording import agreement, plural

    old = PreparedDownload.objects.filter(
        requested_at__lt=now - datetime.timedelta(hours=KEPT_HOURS)
    )
    count = old.count()
    if not dry_run:
        old.delete()
    noun = plural(count, "fichier préparé ancien,fichiers préparés anciens")
    verb = agreement(count, "serait effacé,seraient effacés" if dry_run else "effacé,effacés")
    return f"{noun} {verb}" + (" (simulation)." if dry_run else ".")
