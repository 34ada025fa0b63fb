"""Who may match households to homes, and who maintains the employment data."""

from seuil.core.policy import Action, allows


def can_run_matching(user):
    """Lancer un appariement sur les listes d'attente qu'on gère, en voir les plans et faire
    des paires retenues des propositions de logement."""
    return allows(user, Action.RUN_MATCHING)


def can_set_employment_scores(user):
    """Tenir les perspectives d'emploi par territoire (plateforme nationale)."""
    return allows(user, Action.SET_EMPLOYMENT_SCORES)
