"""The parts of pages the notifications app fills (`core.slots`)."""

from .services import unread_count


def unread_notifications(request):
    """The header's counter of unread notifications (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return {"unread_notifications": unread_count(user)}
