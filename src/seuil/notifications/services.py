"""The one way every app says that something happened or is due: `notify(...)`; reading,
marking read, choosing one's e-mails; and « Mes tâches » (`tasks_of`)."""

import datetime
import functools
import threading
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .delivery import enqueue_immediate
from .enums import Delivery
from .models import Notification, NotificationPreference
from .registry import kind_of, kinds, task_providers

# Notifications are kept this long (read or not), then deleted by `seuil daily`.
RETENTION_DAYS = 180
RETENTION = datetime.timedelta(days=RETENTION_DAYS)

_quiet = threading.local()


@contextmanager
def without_email():
    """The notifications written inside are kept in Seuil only, sent by no e-mail, now or in
    a digest: for a command that writes the past (the demo), not for what happens today."""
    previous = getattr(_quiet, "on", False)
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = previous


def _recipients(recipients, organisation, roles, actor):
    users = {user.pk: user for user in recipients or () if user is not None}
    if organisation is not None:
        found = get_user_model().objects.filter(organisation=organisation)
        if roles is not None:
            found = found.filter(role__in=list(roles))
        users.update((user.pk, user) for user in found)
    if actor is not None:
        users.pop(actor.pk, None)  # nobody is told of what they did themselves
    return [user for user in users.values() if user.is_active]


def deliveries_of(users, kind):
    """{user id: Delivery} of `kind` for `users`: their choice, else the kind's default."""
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, kind=kind.code).values_list(
            "user_id", "delivery"
        )
    )
    return {user.pk: Delivery(chosen.get(user.pk, kind.default)) for user in users}


def notify(
    kind,
    about=None,
    *,
    message,
    recipients=(),
    organisation=None,
    roles=None,
    url=None,
    actor=None,
    once=False,
    exclude=(),
):
    """Tell users that something happened or is due: one notification each, unread, linked
    to `about` (an object with a `uuid`; its page is `url`).

    The users are `recipients`, and those of `organisation` whose role is in `roles` (all
    its users when `roles` is None); never `actor` (who did it), nor those in `exclude`,
    nor a deactivated account. With `once`, a user already told of this kind about this
    object is not told again (a daily reminder run twice); `once` may be a day: told again
    only if not told since that day (a reminder that comes back at each milestone).
    `message` names references, never a person: the e-mail does not even carry it.

    Those who chose an immediate e-mail for this kind get it once the transaction commits,
    from the background worker (`seuil db_worker`). Returns the notifications written."""
    kind = kind_of(kind)
    excluded = {user.pk for user in exclude if user is not None}
    users = [
        user
        for user in _recipients(recipients, organisation, roles, actor)
        if user.pk not in excluded
    ]
    object_type = about._meta.model_name if about is not None else ""
    object_uuid = about.uuid if about is not None else None
    if once and about is not None:
        already = Notification.objects.filter(
            kind=kind.code, object_uuid=object_uuid, recipient__in=users
        )
        if isinstance(once, datetime.date):
            already = already.filter(created_at__date__gte=once)
        told = set(already.values_list("recipient_id", flat=True))
        users = [user for user in users if user.pk not in told]
    if not users:
        return []
    if url is None:
        url = about.get_absolute_url() if hasattr(about, "get_absolute_url") else ""
    if getattr(_quiet, "on", False):
        deliveries = dict.fromkeys((user.pk for user in users), Delivery.NONE)
    else:
        deliveries = deliveries_of(users, kind)
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind.code,
            message=message[:300],
            url=url,
            object_type=object_type,
            object_uuid=object_uuid,
            actor=actor,
            created_at=now,
            delivery=deliveries[user.pk],
        )
        for user in sorted(users, key=lambda user: user.pk)
    )
    immediate = [
        str(notification.uuid)
        for notification in notifications
        if notification.delivery == Delivery.IMMEDIATE and notification.recipient.email
    ]
    if immediate:
        transaction.on_commit(functools.partial(enqueue_immediate, immediate))
    return notifications


# ---- the inbox -----------------------------------------------------------------------------


def unread_count(user):
    return Notification.objects.visible_to(user).unread().count()


def mark_read(user, notification_uuid):
    """Mark one of `user`'s notifications read; False when `user` has none of that id."""
    mine = Notification.objects.visible_to(user).filter(uuid=notification_uuid)
    if not mine.exists():
        return False
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return True


def mark_all_read(user):
    """Mark every unread notification of `user` read; returns how many."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())


def purge_notifications(now, *, dry_run=False):
    """Delete the notifications older than `RETENTION_DAYS` (read or not); returns how
    many were (or would be, with `dry_run`)."""
    old = Notification.objects.filter(created_at__lt=now - RETENTION)
    return old.count() if dry_run else old.delete()[0]


def purge_notifications_task(now, *, dry_run=False):
    """Daily task: notifications are kept `RETENTION_DAYS` days."""
    count = purge_notifications(now, dry_run=dry_run)
    notifications = "notification" if count <= 1 else "notifications"
    if dry_run:
        verb = "serait supprimée" if count <= 1 else "seraient supprimées"
        return f"{count} {notifications} de plus de {RETENTION_DAYS} jours {verb} (simulation)."
    verb = "supprimée" if count <= 1 else "supprimées"
    return f"{count} {notifications} de plus de {RETENTION_DAYS} jours {verb}."


# ---- preferences ---------------------------------------------------------------------------


def kinds_for(user):
    """The kinds that may concern `user` (the lines of their preferences page)."""
    return [kind for kind in kinds() if kind.concerns_user(user)]


def preferences_of(user):
    """{kind code: Delivery} for the kinds that concern `user`."""
    concerned = kinds_for(user)
    chosen = dict(user.notification_preferences.values_list("kind", "delivery"))
    return {kind.code: Delivery(chosen.get(kind.code, kind.default)) for kind in concerned}


@transaction.atomic
def set_preferences(user, choices):
    """Record how `user` wants each kind sent ({kind code: Delivery}); the notifications
    still waiting for the daily digest follow the new choice."""
    for code, delivery in choices.items():
        kind_of(code)
        NotificationPreference.objects.update_or_create(
            user=user, kind=code, defaults={"delivery": Delivery(delivery)}
        )
        waiting = Notification.objects.filter(
            recipient=user, kind=code, delivery=Delivery.DIGEST, emailed_at__isnull=True
        )
        if delivery == Delivery.NONE:
            waiting.update(delivery=Delivery.NONE)


# ---- « Mes tâches » ------------------------------------------------------------------------


def tasks_of(user, today):
    """What `user` has to do, as the registered providers say: (overdue, to do), each
    sorted by due day."""
    todos = [todo for provider in task_providers() for todo in provider(user, today)]
    todos.sort(key=lambda todo: (todo.due_on, todo.category, todo.title))
    overdue = [todo for todo in todos if todo.is_overdue(today)]
    to_do = [todo for todo in todos if not todo.is_overdue(today)]
    return overdue, to_do
