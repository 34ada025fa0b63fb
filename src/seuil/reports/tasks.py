"""Background work of the activity report: `compute_report_task`, a django-tasks task
(database backend, run by `seuil db_worker`) for the reports too large to compute while the
page waits (`stored.obtain`)."""

from django_tasks import TaskResultStatus, task

from . import stored as stored_reports
from .models import PENDING, StoredReport


@task()
def compute_report_task(stored_id):
    # RUNNING: a computation whose worker stopped, queued again (`core.workers`).
    stored = (
        StoredReport.objects.select_related("organisation")
        .filter(pk=stored_id, status__in=PENDING)
        .first()
    )
    if stored is not None:
        stored_reports.compute_in_background(stored)


def after_task(sender, task_result, **kwargs):
    """`task_finished`: a computation whose task failed outside its own error handling (its
    worker stopped, `core.workers`) is failed, instead of pending for good."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != compute_report_task.module_path:
        return
    stored = StoredReport.objects.filter(pk=task_result.args[0], status__in=PENDING).first()
    if stored is not None:
        stored_reports.fail(
            stored, "le calcul a été interrompu : le processus d'arrière-plan s'est arrêté"
        )
