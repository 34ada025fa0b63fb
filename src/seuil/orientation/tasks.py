"""Daily tasks of orientation (registered in `OrientationConfig.ready`, run by `seuil daily`):
`task(now, *, dry_run=False) -> str`, one French line saying what was done."""

from django.utils import timezone

from .services.proposals import expire_proposals, proposal_delay_days
from .services.vacancies import sync_vacancies


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
