"""Daily tasks of orientation (registered in `OrientationConfig.ready`, run by `seuil daily`):
`task(now, *, dry_run=False) -> str`, one French line saying what was done."""

from django.utils import timezone

from .notices import (
    expiring_proposals,
    long_vacancies,
    remind_expiring_proposals,
    signal_long_vacancies,
)
from .services.proposals import expire_proposals, proposal_delay_days
from .services.vacancies import sync_vacancies
from .waiting import store_todays_lists


def _plural(count, singular, plural):
    return f"{count} {singular if count <= 1 else plural}"


def expire_proposals_task(now, *, dry_run=False):
    """Proposals left unanswered past their delay expire (the unit is free again)."""
    count = expire_proposals(timezone.localdate(now), dry_run=dry_run)
    done = _plural(count, "proposition de logement expirée", "propositions de logement expirées")
    delay = proposal_delay_days()
    line = f"{done} (sans réponse après {delay} jours)"
    return f"{line} (simulation)." if dry_run else f"{line}."


def sync_vacancies_task(now, *, dry_run=False):
    """Vacancies opened for units found vacant, closed for units returned or occupied."""
    opened, closed = sync_vacancies(timezone.localdate(now), dry_run=dry_run)
    line = (
        f"{_plural(opened, 'vacance ouverte', 'vacances ouvertes')}, "
        f"{_plural(closed, 'vacance fermée', 'vacances fermées')} d'après le parc"
    )
    return f"{line} (simulation)." if dry_run else f"{line}."


def remind_task(now, *, dry_run=False):
    """Reminders: the parties of a proposal near its last day of answer, and those who make
    proposals for a unit vacant too long, are told (once each)."""
    today = timezone.localdate(now)
    if dry_run:
        proposals = expiring_proposals(today).count()
        vacancies = long_vacancies(today).count()
    else:
        proposals = remind_expiring_proposals(today)
        vacancies = signal_long_vacancies(today)
    if dry_run:
        reminded = _plural(proposals, "proposition à rappeler", "propositions à rappeler")
        signalled = _plural(vacancies, "vacance longue à signaler", "vacances longues à signaler")
        return f"Rappels : {reminded}, {signalled} (simulation)."
    reminded = _plural(proposals, "proposition rappelée", "propositions rappelées")
    signalled = _plural(vacancies, "vacance longue signalée", "vacances longues signalées")
    return f"Rappels (une fois chacun) : {reminded} avant expiration, {signalled}."


def store_waiting_lists_task(now, *, dry_run=False):
    """Today's order of every waiting list is computed and stored (pages read it), the
    stored orders of more than `RANK_RETENTION_DAYS` days ago are deleted."""
    stored, deleted = store_todays_lists(timezone.localdate(now), dry_run=dry_run)
    computed = _plural(stored, "ordre du jour calculé", "ordres du jour calculés")
    old = _plural(deleted, "ancien ordre supprimé", "anciens ordres supprimés")
    line = f"Listes d'attente : {computed}, {old}"
    return f"{line} (simulation)." if dry_run else f"{line}."
