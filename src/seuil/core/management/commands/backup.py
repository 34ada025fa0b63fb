"""`seuil backup [--output FICHIER]`: a full logical backup of the database."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from seuil.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sauvegarder toute la base (JSON, compressé si le fichier se termine par .gz) ; "
        "« seuil restore » la recharge dans une base vide."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Fichier à écrire (.json ou .json.gz) ; par défaut "
            "seuil-sauvegarde-AAAAMMJJ-HHMMSS.json.gz dans le dossier courant.",
        )

    def handle(self, *args, output=None, **options):
        output = output or timezone.localtime().strftime("seuil-sauvegarde-%Y%m%d-%H%M%S.json.gz")
        try:
            counts = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Sauvegarde écrite dans {output} : {sum(counts.values())} lignes.")
