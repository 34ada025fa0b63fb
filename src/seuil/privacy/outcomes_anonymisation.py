"""Outcomes' part of the anonymisation of households (`privacy/anonymisation.py`).

What outcomes holds that could single a household out goes: the exit checklist's handover
note (free text) and social-housing application number (an outside file number), and the
household's one-time follow-up links. The follow-ups' answers and the checklist's dates
stay: they are dated facts the outcomes figures of past periods are counted from.
"""

from seuil.outcomes.models import ExitChecklist, FollowUpLink


def clear_outcomes(households, *, dry_run=False):
    """Blank what identifies in outcomes' records of `households`; return the rows concerned."""
    checklists = ExitChecklist.objects.filter(stay__household__in=households)
    links = FollowUpLink.objects.filter(stay__household__in=households)
    count = checklists.count() + links.count()
    if not dry_run:
        checklists.update(handover_note="", social_housing_number="")
        links.delete()
    return count
