"""What outcomes adds to the pages of the apps below (registered in `OutcomesConfig.ready`):

- the « Suivis » item of the main navigation;
- the « Après la sortie » section of the household file (slot ``household_sections``): the
  stays of the organisation, with their exit checklist, follow-ups and the links to record
  one;
- on the exit form (slot ``stay_exit``), what the stay's exit checklist still lacks: the
  exit can be recorded all the same.
"""

from django.utils import timezone

from seuil.core.policy import Action, allows
from seuil.housing.models import Stay

from . import rules
from .models import ExitChecklist


def navigation(request):
    return {} if allows(request.user, Action.VIEW_FOLLOW_UPS) else None


def mobility_navigation(request):
    return {} if allows(request.user, Action.VIEW_MOBILITY) else None


def next_milestone(stay, day):
    """The first milestone whose window has not closed on `day` (None after 24 months)."""
    for window in rules.MILESTONES:
        if day <= window.closes_on(stay.exited_on):
            return window
    return None


def household_outcomes(request, household):
    """The household's stays in the user's organisation, with what the page shows of
    them; None when the user may neither follow up nor prepare an exit."""
    user = request.user
    follows = allows(user, Action.VIEW_FOLLOW_UPS)
    prepares = allows(user, Action.PREPARE_EXIT)
    if not (follows or prepares):
        return None
    action = Action.VIEW_FOLLOW_UPS if follows else Action.PREPARE_EXIT
    stays = list(
        Stay.objects.of_household(household, user, action)
        .filter(organisation=user.organisation_id)
        .select_related("unit", "exit_checklist")
        .prefetch_related("follow_ups")
        .order_by("-entered_on", "-pk")
    )
    if not stays:
        return None
    today = timezone.localdate()
    rows = []
    for stay in stays:
        try:
            checklist = stay.exit_checklist
        except ExitChecklist.DoesNotExist:
            checklist = None
        ended = stay.exited_on is not None and stay.exited_on <= today
        to_housing = ended and rules.ended_to_housing(stay.exit_destination, stay.lease_transferred)
        upcoming = next_milestone(stay, today) if to_housing else None
        rows.append(
            {
                "stay": stay,
                "ended": ended,
                "to_housing": to_housing,
                "checklist": checklist,
                "missing": checklist.missing() if checklist else None,
                "follow_ups": list(stay.follow_ups.all()) if follows else [],
                "next": upcoming,
                "next_on": upcoming.due_on(stay.exited_on) if upcoming else None,
            }
        )
    return {
        "outcome_rows": rows,
        "can_follow_up": follows,
        "can_record": allows(user, Action.RECORD_FOLLOW_UP),
        "can_prepare": prepares,
    }


def exit_checklist_notice(request, stay):
    """What the stay's exit checklist lacks, on the exit form; None for a user who does
    not prepare exits."""
    if not allows(request.user, Action.PREPARE_EXIT):
        return None
    checklist = ExitChecklist.objects.filter(stay=stay).first()
    return {
        "checklist": checklist,
        "missing": checklist.missing() if checklist else None,
    }


# ---- traceability --------------------------------------------------------------------------


def describe_follow_up(follow_up):
    return f"Suivi après la sortie du {follow_up.on:%d/%m/%Y}"


def describe_checklist(checklist):
    return "Préparation de la sortie"


def describe_link(link):
    return f"Lien de suivi envoyé au ménage le {link.created_at:%d/%m/%Y}"


def describe_mobility_file(file):
    return f"Parcours de mobilité nationale {file.ref}"


def describe_meeting(meeting):
    return f"Rencontre à trois du {meeting.planned_on:%d/%m/%Y}"
