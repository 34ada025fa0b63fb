"""`seuil match --instance FICHIER --output FICHIER [--method optimal|greedy|serial]`.

Solves a seuil-matching-instance/1 file and writes the seuil-matching-result/1 document
(see docs/appariement.md). No database access.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from seuil.core.private_files import open_private
from seuil.core.wording import plural
from seuil.matching.engine import METHODS, solve
from seuil.matching.instance import InstanceError, load_instance

METHOD_LABELS = {
    "optimal": "optimal",
    "greedy": "glouton (logements les plus rares d'abord)",
    "serial": "sériel (ménages par priorité)",
}


class Command(BaseCommand):
    help = (
        "Apparie des ménages et des logements (instance seuil-matching-instance/1) et écrit "
        "le plan (seuil-matching-result/1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--instance", required=True, help="fichier d'instance JSON à lire")
        parser.add_argument("--output", required=True, help="fichier de résultat JSON à écrire")
        parser.add_argument(
            "--method",
            choices=METHODS,
            default="optimal",
            help="optimal (par défaut), greedy ou serial",
        )

    def handle(self, *args, **options):
        try:
            instance = load_instance(options["instance"])
        except InstanceError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(exc.summary) from None
        result = solve(instance, options["method"])
        try:
            with open_private(options["output"], "w", encoding="utf-8") as stream:
                json.dump(result, stream, ensure_ascii=False, indent=1)
                stream.write("\n")
        except OSError as exc:
            raise CommandError(
                f"Impossible d'écrire le résultat dans « {options['output']} » : {exc.strerror}."
            ) from None
        placed = len(result["assignments"])
        households = placed + len(result["unassigned_households"])
        self.stdout.write(
            f"Plan {METHOD_LABELS[options['method']]} : "
            f"{plural(placed, 'ménage placé,ménages placés')} sur {households}, score total "
            f"{result['objective']}, "
            f"{plural(result['eligible_pairs'], 'paire éligible,paires éligibles')}."
        )
        if "gap" in result and result["gap"] > 0:
            self.stdout.write(
                f"Écart à la borne : {result['gap'] * 100:.3f} % (borne {result['bound']})."
            )
        constraints = result.get("constraints", {})
        share = constraints.get("min_priority_share")
        if share is not None and not share["satisfied"]:
            self.stdout.write(
                f"Part minimale de ménages prioritaires non atteinte par ce plan : "
                f"{share['band_placements']} sur {share['placements']} placements."
            )
        for code, quota in constraints.get("territory_quotas", {}).items():
            if not quota["satisfied"]:
                self.stdout.write(
                    f"Quota du territoire {code} dépassé par ce plan : "
                    f"{quota['placements']} placements pour {quota['max']} au plus."
                )
        self.stdout.write(f"Résultat écrit dans {options['output']}")
