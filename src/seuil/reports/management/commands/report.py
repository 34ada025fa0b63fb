"""`seuil report activity --organisation REF [--programme REF]... --start --end --format FMT`.

`json` and `html` go to the standard output unless `--output` is given; `xlsx`, `docx` and
`pdf` are binary and need `--output`.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from seuil.core.private_files import open_private
from seuil.reports.facts import ReportScopeError, activity_report
from seuil.reports.render import render

FORMATS = ("json", "html", "xlsx", "docx", "pdf")
BINARY_FORMATS = ("xlsx", "docx", "pdf")


def parse_day(value, label):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(
            f"Date de {label} invalide : « {value} » (format attendu : AAAA-MM-JJ)."
        ) from None


class Command(BaseCommand):
    help = (
        "Produit le rapport d'activité d'une organisation sur une période "
        "(seuil-activity-report/1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["activity"], help="type de rapport : activity")
        parser.add_argument("--organisation", required=True, help="référence de l'organisation")
        parser.add_argument(
            "--programme",
            action="append",
            default=[],
            help="référence d'un dispositif (répétable ; par défaut : toute l'organisation)",
        )
        parser.add_argument("--start", required=True, help="début de la période (AAAA-MM-JJ)")
        parser.add_argument("--end", required=True, help="fin de la période, incluse (AAAA-MM-JJ)")
        parser.add_argument("--format", choices=FORMATS, default="json", help="format du rapport")
        parser.add_argument(
            "--output",
            default=None,
            help="fichier à écrire (par défaut : la sortie standard ; obligatoire pour xlsx, "
            "docx et pdf)",
        )

    def handle(self, *args, **options):
        start = parse_day(options["start"], "début")
        end = parse_day(options["end"], "fin")
        if start > end:
            raise CommandError(
                f"La date de début ({start:%d/%m/%Y}) est postérieure à la date de fin "
                f"({end:%d/%m/%Y})."
            )
        fmt = options["format"]
        if fmt in BINARY_FORMATS and not options["output"]:
            raise CommandError(
                f"Le format « {fmt} » produit un fichier : indiquez où l'écrire avec "
                f"--output (par exemple --output rapport.{fmt})."
            )
        try:
            report = activity_report(options["organisation"], options["programme"], start, end)
        except ReportScopeError as exc:
            raise CommandError(str(exc)) from None
        if fmt == "json":
            content = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        else:
            content, _, _ = render(report, fmt)
        if options["output"]:
            try:
                with open_private(options["output"], "wb") as output:
                    output.write(content)
            except OSError as exc:
                raise CommandError(
                    f"Impossible d'écrire « {options['output']} » : {exc.strerror}."
                ) from None
            self.stderr.write(f"Rapport écrit dans « {options['output']} ».", style_func=str)
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
