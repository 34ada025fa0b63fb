"""`seuil import FICHIER`: import a seuil-exchange/1 file (see docs/echange.md)."""

from django.core.management.base import BaseCommand, CommandError

from seuil.exchange.importer import ExchangeError, import_exchange_file


class Command(BaseCommand):
    help = (
        "Importe un fichier d'échange seuil-exchange/1 (JSON) : tout ou rien, "
        "idempotent sur les références."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier JSON à importer (« - » : entrée standard)")
        parser.add_argument(
            "--rename-organisation",
            action="store_true",
            help="accepte que le fichier change le nom d'une organisation déjà en base "
            "(sans cette option, un nom différent est refusé)",
        )

    def handle(self, *args, **options):
        progress = self._progress if self.stderr.isatty() else None
        try:
            summary = import_exchange_file(
                options["file"],
                progress=progress,
                rename_organisation=options["rename_organisation"],
            )
        except ExchangeError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(exc.summary) from None
        for line in summary.lines():
            self.stdout.write(line)

    def _progress(self, message):
        self.stderr.write(message, style_func=str)  # progress, not an error: no red
        self.stderr.flush()
