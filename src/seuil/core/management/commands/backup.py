"""`seuil backup [--output FICHIER] [--no-documents]`: a full logical backup of the database
and of the attached documents."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from seuil.core.backup import DOCUMENTS, BackupError, backup
from seuil.core.wording import plural


class Command(BaseCommand):
    help = (
        "Sauvegarder toute la base et les documents joints, toujours chiffrés (JSON, "
        "compressé si le fichier se termine par .gz) ; « seuil restore » la recharge dans "
        "une base vide."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Fichier à écrire (.json ou .json.gz) ; par défaut "
            "seuil-sauvegarde-AAAAMMJJ-HHMMSS.json.gz dans le dossier courant.",
        )

        parser.add_argument(
            "--no-documents",
            action="store_true",
            help="Ne pas copier les documents joints (quand leur dossier, ou leur bucket S3, "
            "est sauvegardé à part).",
        )

    def handle(self, *args, output=None, no_documents=False, **options):
        output = output or timezone.localtime().strftime("seuil-sauvegarde-%Y%m%d-%H%M%S.json.gz")
        try:
            counts = backup(output, with_documents=not no_documents)
        except BackupError as error:
            raise CommandError(str(error)) from None
        files = counts.pop(DOCUMENTS, 0)
        self.stdout.write(
            f"Sauvegarde écrite dans {output} : {sum(counts.values())} lignes, "
            f"{plural(files, 'document joint,documents joints')}"
            + (" (documents non copiés)." if no_documents else ".")
        )
