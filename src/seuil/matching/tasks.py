"""Background and daily work of matching.

`run_matching` is a django-tasks task (database backend, run by `seuil db_worker`);
`purge_runs_task` is a daily task (registered in `MatchingConfig.ready`, run by `seuil daily`)."""

from django_tasks import task

from seuil.core.wording import agreement, plural

from . import services
from .models import RUN_RETENTION_DAYS, MatchingRun


@task()
def run_matching(run_uuid):
    run = MatchingRun.objects.filter(uuid=run_uuid).first()
    if run is not None and run.is_pending:
        services.execute_run(run)


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
