"""A run whose background worker was killed does not stay « en cours » for good: a live
worker takes its task back (queued again once, then failed), and the run says so."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from seuil.core.models import WorkerHeartbeat
from seuil.core.workers import ATTEMPTS, DEAD_AFTER_SECONDS, Heartbeat, beat, reclaim_abandoned
from seuil.matching import services
from seuil.matching.enums import RunStatus
from seuil.matching.models import MatchingRun
from tests.matching.scenario import admit, scene, vacant
from tests.notifications.conftest import run_worker

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.fixture
def queued_run(db, settings, django_capture_on_commit_callbacks):
    somme = scene()
    admit(somme, "Awa", bearable_rent=500)
    vacant(somme, "L-T1", typology="T1", rent=320, charges=40)
    settings.SEUIL_MATCHING_INLINE_MAX = 0  # every run in the background
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(somme.programme, acting_user=somme.coordinator)
    run.somme = somme
    return run


def _claimed_by_a_worker_killed(run, worker_id, minutes_ago=5):
    """The worker claimed the run's task, started the run, then was killed (kill -9): its
    last heartbeat is as old as the claim."""
    then = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    beat(worker_id, started_at=then, now=then)
    task = DBTaskResult.objects.get(task_path__endswith="run_matching")
    task.claim(worker_id)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=then)
    MatchingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, step="eligibility")
    return task


def test_a_task_of_a_killed_worker_is_queued_again_then_run(queued_run):
    task = _claimed_by_a_worker_killed(queued_run, "killed-1")
    assert reclaim_abandoned() == (1, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    # A restarted worker runs it to the end (--batch: what is queued, then stop).
    run_worker()
    queued_run.refresh_from_db()
    assert queued_run.status == RunStatus.DONE and queued_run.progress == 100


def test_a_task_whose_workers_died_twice_fails_and_its_run_says_why(queued_run, client):
    task = _claimed_by_a_worker_killed(queued_run, "killed-1")
    assert reclaim_abandoned() == (1, 0)
    task.refresh_from_db()
    task.claim("killed-2")
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert len(task.worker_ids) == ATTEMPTS
    assert reclaim_abandoned() == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "seuil.core.workers.WorkerLost"
    queued_run.refresh_from_db()
    assert queued_run.status == RunStatus.FAILED
    client.force_login(queued_run.somme.coordinator)
    page = client.get(reverse("matching:run_detail", args=[queued_run.uuid])).content.decode()
    assert "Le calcul a été interrompu" in page


def test_the_task_of_a_live_worker_is_left_alone(queued_run):
    task = _claimed_by_a_worker_killed(queued_run, "alive-1", minutes_ago=10)
    Heartbeat("alive-1").beat_once()  # still beating, busy with a long run
    assert reclaim_abandoned() == (0, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_worker_is_dead_a_minute_after_its_last_beat(queued_run):
    from seuil.core.workers import any_worker_alive

    now = timezone.now()
    beat("w", started_at=now, now=now)
    assert any_worker_alive(now + datetime.timedelta(seconds=DEAD_AFTER_SECONDS - 1))
    assert not any_worker_alive(now + datetime.timedelta(seconds=DEAD_AFTER_SECONDS + 1))


def test_a_worker_stopping_cleanly_removes_its_heartbeat(queued_run):
    run_worker()
    assert not WorkerHeartbeat.objects.exists()
    queued_run.refresh_from_db()
    assert queued_run.status == RunStatus.DONE
