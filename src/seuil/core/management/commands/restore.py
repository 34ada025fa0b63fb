"""`seuil restore FICHIER`: reload a backup into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from seuil.core.backup import DOCUMENTS, BackupError, restore
from seuil.core.wording import plural


class Command(BaseCommand):
    help = (
        "Restaurer une sauvegarde de « seuil backup » dans une base vide "
        "(en une seule transaction : tout ou rien)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier de sauvegarde (.json ou .json.gz).")

    def handle(self, *args, file, **options):
        try:
            counts = restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        files = counts.pop(DOCUMENTS, 0)
        self.stdout.write(
            f"Sauvegarde restaurée : {sum(counts.values())} lignes, "
            f"{plural(files, 'document joint,documents joints')}."
        )
