"""`seuil export --organisation REF [--output FICHIER]`: export a seuil-exchange/1 file."""

from django.core.management.base import BaseCommand, CommandError

from seuil.exchange.exporter import ExchangeError, export_organisation_file


class Command(BaseCommand):
    help = "Exporte toutes les données d'une organisation au format seuil-exchange/1 (JSON)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation", required=True, help="référence de l'organisation à exporter"
        )
        parser.add_argument(
            "--output", help="fichier à écrire (par défaut : la sortie standard)", default=None
        )

    def handle(self, *args, **options):
        self.stdout.ending = ""  # the document is written piece by piece
        try:
            export_organisation_file(
                options["organisation"],
                options["output"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
        except ExchangeError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(exc.summary) from None
        if options["output"]:
            self.stderr.write(f"Export écrit dans « {options['output']} ».", style_func=str)
