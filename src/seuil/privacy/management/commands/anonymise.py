"""`seuil anonymise [--dry-run] [--today AAAA-MM-JJ] [--retention-days N]`."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from seuil.privacy import anonymisation

PRECISIONS = {"year": "année seule", "month": "mois et année", "day": "date exacte"}
DELETED = {
    "change_history": "lignes d'historique",
    "access_log": "traces d'accès",
    "consents": "consentements",
    "clinical_referrals": "adressages à un·e psychologue",
    "clinical_notes": "notes cliniques",
    "file_merges": "fusions de dossiers",
    "orientation_free_text": "textes libres de l'orientation vidés",
    "support_free_text": "textes libres de l'accompagnement vidés",
    "tenancy_free_text": "textes libres de la gestion locative vidés (et assurances supprimées)",
}


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Date invalide : « {text} » (format attendu AAAA-MM-JJ).") from None


def summary(outcome):
    """The French lines that describe an outcome (counts only, never a name)."""
    verb = "seraient anonymisés" if outcome.dry_run else "anonymisés"
    lines = [
        f"Ménages {verb} : {len(outcome.households)}.",
        f"Personnes {'qui seraient anonymisées' if outcome.dry_run else 'anonymisées'} : "
        f"{outcome.persons} ; conservées car membres d'un autre ménage encore suivi : "
        f"{outcome.persons_kept}.",
    ]
    if outcome.birth_dates:
        kept = ", ".join(
            f"{PRECISIONS.get(p, 'inconnue')} : {n}" for p, n in sorted(outcome.birth_dates.items())
        )
        lines.append(f"Dates de naissance conservées ({kept}).")
    deleted = ", ".join(
        f"{outcome.deleted.get(kind, 0)} {label}"
        for kind, label in DELETED.items()
        if kind in outcome.deleted or kind in ("change_history", "access_log")
    )
    lines.append(f"{'Seraient supprimés' if outcome.dry_run else 'Supprimés'} : {deleted}.")
    if outcome.skipped:
        lines.append(
            f"Ménages écartés (séjour en cours ou à venir, suivi d'orientation en cours, ou déjà "
            "anonymisés) : "
            f"{len(outcome.skipped)}."
        )
    if outcome.dry_run:
        lines.append("Simulation : rien n'a été modifié.")
    return lines


class Command(BaseCommand):
    help = (
        "Anonymiser les ménages dont la dernière sortie est plus ancienne que la durée de "
        "conservation (SEUIL_RETENTION_DAYS, deux ans par défaut), historique et journal des "
        "accès compris ; les rapports d'activité des périodes passées restent identiques."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Simuler : compter et lister sans rien modifier (-v 2 liste les identifiants).",
        )
        parser.add_argument(
            "--today",
            type=_date,
            help="Date du jour à retenir (AAAA-MM-JJ) ; par défaut aujourd'hui.",
        )
        parser.add_argument(
            "--retention-days",
            type=int,
            help="Durée de conservation en jours ; par défaut SEUIL_RETENTION_DAYS.",
        )

    def handle(self, *args, dry_run=False, today=None, retention_days=None, **options):
        today = today or timezone.localdate()
        if retention_days is None:
            retention_days = settings.SEUIL_RETENTION_DAYS
        if retention_days < 0:
            raise CommandError("La durée de conservation ne peut être négative.")
        limit = anonymisation.retention_limit(today, retention_days)
        households = anonymisation.candidates(today, retention_days)
        count = households.count()
        self.stdout.write(
            f"{'Simulation – ' if dry_run else ''}Ménages sortis avant le "
            f"{limit:%d/%m/%Y} (conservation : {retention_days} jours) ou sans séjour ni "
            f"modification depuis : {count} à anonymiser."
        )

        def progress(number, batches, outcome):
            done = len(outcome.households) + len(outcome.skipped)
            width = 20
            filled = round(width * done / count) if count else width
            self.stdout.write(
                f"Lot {number}/{batches} [{'#' * filled}{'.' * (width - filled)}] "
                f"{done}/{count} ménages traités"
            )

        outcome = anonymisation.anonymise(households, today, dry_run=dry_run, progress=progress)
        for line in summary(outcome):
            self.stdout.write(line)
        if dry_run and options.get("verbosity", 1) >= 2:
            for uuid in outcome.households:
                self.stdout.write(uuid)
