"""Notifications in the demo: the orientation and matching steps the demo goes through (by
the services) told people as they would have, written without e-mail (the demo writes the
past). Each user keeps their newest notifications unread, the others are read; a few users
chose how some kinds reach them by e-mail."""

from django.utils import timezone

from seuil.core.models import User
from seuil.notifications.enums import Delivery
from seuil.notifications.models import Notification
from seuil.notifications.services import set_preferences

UNREAD_PER_USER = 3
PREFERENCES = [
    # username, kind, delivery
    ("coordinatrice-siao", "request_received", Delivery.IMMEDIATE),
    ("evaluateur-siao", "commission_agenda", Delivery.NONE),
    ("travailleur-social", "commission_decision", Delivery.DIGEST),
]


def write_notifications_demo():
    now = timezone.now()
    told = User.objects.filter(pk__in=Notification.objects.values("recipient_id"))
    for user in told:
        newest = user.notifications.order_by("-created_at", "-id")[:UNREAD_PER_USER]
        user.notifications.exclude(pk__in=list(newest.values_list("pk", flat=True))).update(
            read_at=now
        )
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[p[0] for p in PREFERENCES])
    }
    for username, kind, delivery in PREFERENCES:
        if username in users:
            set_preferences(users[username], {kind: delivery})
