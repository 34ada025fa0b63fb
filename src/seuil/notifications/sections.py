"""The parts of pages the notifications app fills (`core.slots`)."""

from django.utils import timezone

from .services import tasks_of, unread_count


def unread_notifications(request):
    """The header's counter of unread notifications (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return {"unread_notifications": unread_count(user)}


HOME_TASKS_SHOWN = 5


def home_tasks(request, day=None):
    """The home page's « Mes tâches »: how many are overdue and due, the first ones (the
    overdue first); nothing when the user has none."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    day = day or timezone.localdate()
    overdue, to_do = tasks_of(user, day)
    if not overdue and not to_do:
        return None
    return {
        "tasks_overdue": len(overdue),
        "tasks_to_do": len(to_do),
        "tasks_first": (overdue + to_do)[:HOME_TASKS_SHOWN],
        "tasks_day": day,
    }
