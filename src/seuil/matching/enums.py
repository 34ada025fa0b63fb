"""French labels of the matching's statuses, rules, score components and fairness groups."""

from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "En attente de calcul"
    RUNNING = "running", "Calcul en cours"
    DONE = "done", "Terminé"
    FAILED = "failed", "Échec"


METHOD_LABELS = {
    "optimal": "Plan optimal",
    "greedy": "Glouton (logements les plus rares d'abord)",
    "serial": "Sériel (ménages par ordre de priorité)",
}

STEP_LABELS = {
    "instance": "Lecture des listes d'attente et des vacances",
    "eligibility": "Recherche des paires ménage–logement possibles",
    "optimal": "Calcul du plan optimal",
    "greedy": "Calcul du plan glouton",
    "serial": "Calcul du plan sériel",
    "done": "Terminé",
}

RULE_LABELS = {
    "occupancy": "Taille du logement",
    "rent": "Loyer au-delà du loyer supportable",
    "accessible": "Logement non accessible",
    "shared": "Colocation non acceptée",
    "wishes": "Hors des territoires souhaités",
    "refused": "Logement déjà refusé",
}

# Why a household of the instance has no home in a plan.
UNASSIGNED_LABELS = {
    "occupancy": "Aucun logement vacant de la taille du ménage",
    "rent": "Aucun logement de sa taille dans son loyer supportable",
    "accessible": "Aucun logement accessible qui lui convienne",
    "shared": "Seuls des logements en colocation lui conviendraient, qu'il n'accepte pas",
    "wishes": "Aucun logement possible dans les territoires qu'il a choisis",
    "refused": "Il a déjà refusé les seuls logements possibles",
    "no_unit": "Aucun logement vacant",
    "competition": "Ses logements possibles vont à des ménages au score plus élevé",
}

COMPONENT_LABELS = {
    "wish": "Souhait de territoire",
    "employment": "Perspectives d'emploi",
    "priority": "Priorité",
    "waiting": "Ancienneté de la demande",
    "size_fit": "Taille adaptée",
}

FAIRNESS_GROUPS = {
    "by_size": ("Par taille du ménage", {"6+": "6 personnes et plus"}, "personne"),
    "by_adults": ("Par nombre d'adultes", {"3+": "3 adultes et plus"}, "adulte"),
    "by_head_sex": (
        "Par sexe de la personne de référence",
        {"F": "Femme", "M": "Homme", "X": "Autre", "unknown": "Non renseigné"},
        "",
    ),
    "by_priority_band": (
        "Par niveau de priorité",
        {
            "none": "Aucun point",
            "low": "Priorité basse",
            "medium": "Priorité moyenne",
            "high": "Priorité haute",
        },
        "",
    ),
}

# Households or units the instance leaves out, and why.
LEFT_OUT_LABELS = {
    "no_assessment": "Pas d'évaluation sociale",
    "no_rent": "Loyer supportable inconnu (ni loyer saisi ni ressources)",
    "no_members": "Aucun membre présent dans le ménage",
    "open_proposal": "Une proposition est déjà en cours",
    "unit_no_rent": "Loyer du logement inconnu",
    "unit_no_territory": "Département du logement inconnu (ni commune ni département)",
    "unit_no_typology": "Typologie du logement inconnue",
}
