"""Background and daily work of matching.

`run_matching` is a django-tasks task (database backend, run by `seuil db_worker`);
`purge_runs_task` is a daily task (registered in `MatchingConfig.ready`, run by `seuil daily`)."""

from django.utils import timezone
from django_tasks import TaskResultStatus, task

from seuil.core.wording import agreement, plural

from . import services
from .enums import RunStatus
from .models import RUN_RETENTION_DAYS, MatchingRun

INTERRUPTED = (
    "Le calcul a été interrompu : le processus d'arrière-plan s'est arrêté pendant le "
    "calcul. Lancez un nouvel appariement."
)


@task()
def run_matching(run_uuid):
    run = MatchingRun.objects.filter(uuid=run_uuid).first()
    if run is not None and run.is_pending:
        services.execute_run(run)


def after_task(sender, task_result, **kwargs):
    """`task_finished`: a run whose task failed outside the run's own error handling (its
    worker stopped, `core.workers`) is failed too, instead of running for good."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    if task_result.task.module_path != run_matching.module_path:
        return
    MatchingRun.objects.filter(
        uuid=task_result.args[0], status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
    ).update(status=RunStatus.FAILED, error=INTERRUPTED, finished_at=timezone.now())


def purge_runs_task(now, *, dry_run=False):
    """Matching runs older than 90 days are deleted (the proposals they led to stay)."""
    count = services.purge_runs(now, dry_run=dry_run)
    if dry_run:
        verb = agreement(count, "serait supprimé,seraient supprimés")
    else:
        verb = agreement(count, "supprimé")
    return f"{plural(count, 'appariement')} de plus de {RUN_RETENTION_DAYS} jours {verb}" + (
        " (simulation)." if dry_run else "."
    )
