"""Background and daily work of the spreadsheet import.

`check_workbook_task` and `import_workbook_task` are django-tasks tasks (database backend,
run by `seuil db_worker`) for the workbooks too large to be checked or imported while the
page waits; `purge_imports_task` is a daily task (registered in `ExchangeConfig.ready`,
run by `seuil daily`)."""

from django.contrib.auth import get_user_model
from django_tasks import TaskResultStatus, task

from seuil.core.wording import agreement, plural

from . import services
from .models import ImportStatus, SpreadsheetImport


def _record_and_user(record_uuid, user_id, statuses):
    """The record still waiting for this task, and the user who asked for it (a record
    whose user was deactivated meanwhile is refused: nothing is done in their name)."""
    record = SpreadsheetImport.objects.filter(uuid=record_uuid, status__in=statuses).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if record is not None and user is None:
        services.refuse(record, "le compte qui a déposé ou lancé l'import est désactivé")
        return None, None
    return record, user


@task()
def check_workbook_task(record_uuid, user_id):
    record, user = _record_and_user(record_uuid, user_id, [ImportStatus.CHECKING])
    if record is not None:
        services.check_in_background(record, user)


@task()
def import_workbook_task(record_uuid, user_id):
    # RUNNING: an import whose worker stopped, queued again (`core.workers`); the import
    # is one transaction, so nothing of the first attempt stays.
    statuses = [ImportStatus.QUEUED, ImportStatus.RUNNING]
    record, user = _record_and_user(record_uuid, user_id, statuses)
    if record is not None:
        services.execute_import(record, user)


def after_task(sender, task_result, **kwargs):
    """`task_finished`: a check or an import whose task failed outside its own error
    handling (its worker stopped, `core.workers`) is failed, instead of pending for good."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    paths = (check_workbook_task.module_path, import_workbook_task.module_path)
    if task_result.task.module_path not in paths:
        return
    record = SpreadsheetImport.objects.filter(
        uuid=task_result.args[0],
        status__in=(ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING),
    ).first()
    if record is not None:
        services.refuse(
            record,
            "le traitement a été interrompu : le processus d'arrière-plan "
            "s'est arrêté ; déposez le classeur à nouveau",
        )


def purge_imports_task(now, *, dry_run=False):
    """Workbooks checked but not imported within a day are forgotten; the records of
    imports are deleted after a year."""
    count = services.purge_imports(now, dry_run=dry_run)
    noun = plural(count, "import de classeur ancien,imports de classeurs anciens")
    verb = agreement(count, "serait purgé,seraient purgés" if dry_run else "purgé,purgés")
    return f"{noun} {verb}" + (" (simulation)." if dry_run else ".")
