"""The background workers (`seuil db_worker`, django-tasks' database backend): a heartbeat,
and the work of a worker that stopped beating taken back.

Each worker writes its `WorkerHeartbeat` every `HEARTBEAT_SECONDS` (10 s) from a thread of its own
(so a long task does not silence it). A worker whose last beat is older than
`DEAD_AFTER_SECONDS` (60 s) is dead (killed, its machine restarted, cut from the database): the
tasks it left RUNNING are taken back by any live worker, on its next beat: put back in the
queue once (`ATTEMPTS` runs in all), then marked failed, with `task_finished` sent so that
the app whose record waits for the task (a matching run, an import) marks it failed too. The
pages showing a task's progress say it was interrupted when no worker is alive, not after a
fixed time.

On SQLite, a worker inside a long write (an import) cannot write its beat until the write
commits: SQLite serves small instances, whose imports take seconds.
"""

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A worker is dead a minute after its last beat (SEUIL_WORKER_DEAD_AFTER_SECONDS); it beats
# six times in that minute.
DEAD_AFTER_SECONDS = settings.SEUIL_WORKER_DEAD_AFTER_SECONDS
HEARTBEAT_SECONDS = max(1, DEAD_AFTER_SECONDS // 6)
ATTEMPTS = 2  # a task whose worker died twice under it is not tried a third time


class WorkerLost(Exception):
    """The worker running a task stopped beating: the task was interrupted."""


def _since(seconds, now=None):
    return (now or timezone.now()) - datetime.timedelta(seconds=seconds)


def beat(worker_id, *, started_at, now=None):
    """Write the worker's heartbeat (and create it the first time)."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": now},
        create_defaults={
            "beat_at": now,
            "started_at": started_at,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def live_workers(now=None):
    """The heartbeats of the workers alive now."""
    return WorkerHeartbeat.objects.filter(beat_at__gte=_since(DEAD_AFTER_SECONDS, now))


def any_worker_alive(now=None):
    return live_workers(now).exists()


def progress_warnings(*, queued, running, since, now=None):
    """What a page waiting for background work says: `stalled` when it was running and no
    worker is alive any more (a worker restarted takes it back or fails it); and
    `waiting_for_worker` when it is queued and no worker is alive, or none took it
    within a minute."""
    if not (queued or running):
        return {"stalled": False, "waiting_for_worker": False}
    alive = any_worker_alive(now)
    waited = ((now or timezone.now()) - since).total_seconds()
    return {
        "stalled": running and not alive,
        "waiting_for_worker": queued and (not alive or waited > 60),
    }


def reclaim_abandoned(now=None):
    """Take back the tasks left RUNNING by dead workers: queued again while they have
    attempts left, failed after. Returns (requeued, failed) counts."""
    from django_tasks import TaskResultStatus
    from django_tasks.signals import task_finished
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    now = now or timezone.now()
    alive = set(live_workers(now).values_list("worker_id", flat=True))
    failed = []
    requeued = 0
    with exclusive_transaction():
        running = DBTaskResult.objects.select_for_update().filter(
            status=TaskResultStatus.RUNNING, started_at__lt=_since(DEAD_AFTER_SECONDS, now)
        )
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            if len(result.worker_ids) < ATTEMPTS:
                result.status, result.started_at = TaskResultStatus.READY, None
                result.save(update_fields=["status", "started_at"])
                requeued += 1
            else:
                result.set_failed(WorkerLost("le processus d'arrière-plan s'est arrêté"))
                failed.append(result)
    for result in failed:  # after the commit: the apps mark their own records failed
        logger.warning("task %s failed: its worker stopped", result.id)
        task_finished.send(sender=type(result.task.get_backend()), task_result=result.task_result)
    if requeued:
        logger.warning("%d task(s) of stopped workers queued again", requeued)
    return requeued, len(failed)


def forget_dead_workers(now=None):
    """The heartbeats of workers dead for a day go."""
    WorkerHeartbeat.objects.filter(beat_at__lt=_since(86400, now)).delete()


class Heartbeat(threading.Thread):
    """The thread of a worker that beats, and takes back the work of dead workers."""

    def __init__(self, worker_id):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat_once(self):
        try:
            beat(self.worker_id, started_at=self.started_at)
            reclaim_abandoned()
            forget_dead_workers()
        except DatabaseError:
            # The database restarting, or SQLite busy with the worker's own write: next time.
            logger.warning("heartbeat of worker %s not written", self.worker_id, exc_info=True)
            connection.close()

    def run(self):
        try:
            while not self.stopping.is_set():
                self.beat_once()
                self.stopping.wait(HEARTBEAT_SECONDS)
        finally:
            connection.close()

    def stop(self):
        """A worker stopping cleanly says so: its heartbeat goes."""
        self.stopping.set()
        if self.ident is not None:  # started
            self.join(timeout=HEARTBEAT_SECONDS)
        try:
            with transaction.atomic():
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.warning("heartbeat of worker %s not removed", self.worker_id)
