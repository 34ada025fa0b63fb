"""`seuil daily [--dry-run]`: the daily tasks (purge of the access log, …), in order."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from seuil.core.daily import daily_tasks
from seuil.core.wording import plural


class Command(BaseCommand):
    help = (
        "Lancer les tâches quotidiennes (suppression des traces d'accès de plus de 12 mois, "
        "…) ; à planifier une fois par jour (cron ou minuterie systemd)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Simulation : dire ce que chaque tâche ferait, sans rien modifier.",
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        failed = []
        for task in daily_tasks():
            try:
                self.stdout.write(task(now, dry_run=dry_run))
            except Exception as error:  # one failing task must not stop the others
                failed.append(task.__name__)
                # The error's type only: its message could quote personal data.
                self.stderr.write(f"Tâche « {task.__name__} » en échec ({type(error).__name__}).")
        if failed:
            raise CommandError(
                f"{plural(len(failed), 'tâche quotidienne,tâches quotidiennes')} en échec : "
                f"{', '.join(failed)}."
            )
