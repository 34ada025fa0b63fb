"""`seuil report activity --organisation REF [--programme REF]... --start --end --format json`."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from seuil.reports.facts import ReportScopeError, activity_report

FORMATS = ("json", "html", "xlsx", "docx", "pdf")
AVAILABLE_FORMATS = ("json",)


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
            "--output", default=None, help="fichier à écrire (par défaut : la sortie standard)"
        )

    def handle(self, *args, **options):
        start = parse_day(options["start"], "début")
        end = parse_day(options["end"], "fin")
        if start > end:
            raise CommandError(
                f"La date de début ({start:%d/%m/%Y}) est postérieure à la date de fin "
                f"({end:%d/%m/%Y})."
            )
        if options["format"] not in AVAILABLE_FORMATS:
            raise CommandError(
                f"Format « {options['format']} » : format pas encore disponible "
                "(seul « json » l'est pour l'instant)."
            )
        try:
            report = activity_report(options["organisation"], options["programme"], start, end)
        except ReportScopeError as exc:
            raise CommandError(str(exc)) from None
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8") as output:
                    output.write(text)
            except OSError as exc:
                raise CommandError(
                    f"Impossible d'écrire « {options['output']} » : {exc.strerror}."
                ) from None
            self.stderr.write(f"Rapport écrit dans « {options['output']} ».", style_func=str)
        else:
            self.stdout.write(text, ending="")
