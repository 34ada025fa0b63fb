"""`seuil purge_access_log [--dry-run] [--months 12]`: delete the old access-log rows."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from seuil.privacy.retention import ACCESS_LOG_MONTHS, purge_access_log, purge_access_log_message


class Command(BaseCommand):
    help = (
        "Supprimer les traces d'accès aux dossiers de plus de 12 mois (l'historique des "
        "modifications est conservé)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Simulation : compter les traces à supprimer sans rien supprimer.",
        )
        parser.add_argument(
            "--months",
            type=int,
            default=ACCESS_LOG_MONTHS,
            help=f"Durée de conservation en mois (par défaut {ACCESS_LOG_MONTHS}).",
        )

    def handle(self, *args, dry_run=False, months=ACCESS_LOG_MONTHS, **options):
        if months < 1:
            raise CommandError("La durée de conservation doit être d'au moins 1 mois.")
        count = purge_access_log(timezone.now(), months, dry_run=dry_run)
        self.stdout.write(purge_access_log_message(count, months, dry_run))
