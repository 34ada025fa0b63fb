"""Background and daily work of the activity report: `compute_report_task`, a django-tasks
task (database backend, run by `seuil db_worker`) for the reports too large to compute while
the page waits (`stored.obtain`); `purge_reports_task`, a daily task (registered in
`ReportsConfig.ready`, run by `seuil daily`)."""

from django_tasks import TaskResultStatus, task

from seuil.core.wording import agreement, plural

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


def purge_reports_task(now, *, dry_run=False):
    """The stored reports computed (or asked for) more than `stored.KEPT_DAYS` ago go: the
    next view computes them again."""
    count = stored_reports.purge(now, dry_run=dry_run)
    noun = plural(count, "rapport d'activité gardé ancien,rapports d'activité gardés anciens")
    verb = agreement(count, "serait effacé,seraient effacés" if dry_run else "effacé,effacés")
    return f"{noun} {verb}" + (" (simulation)." if dry_run else ".")
