"""E-mails of the notifications: one at once (after the commit), or a daily digest.

Both leave from the background worker (`seuil db_worker`, django-tasks): `notify()` queues
`send_notification_email` once its transaction commits; `seuil daily` queues one
`send_digest` per user with notifications waiting for it. A failed send (SMTP server down,
refused) is tried again later, after 1, 5, 30 then 120 minutes; after `MAX_ATTEMPTS` the
notification stays in Seuil only, and the error's type is kept on it.

An e-mail carries no personal data beyond a first name and an initial: the recipient's first
name, the first name and initial of whoever acted, the kind of notification and a link. The
person logs in to see more.
"""

import datetime
import functools
import logging
import smtplib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from seuil.core.mail import absolute, next_attempt, seuil_email, short_name

from .enums import Delivery
from .models import Notification
from .registry import kind_of

logger = logging.getLogger(__name__)


def _message(user, subject, template, context):
    body = render_to_string(
        template,
        {
            "first_name": user.first_name.strip(),
            "inbox_link": absolute(reverse("notifications:inbox")),
            "preferences_link": absolute(reverse("notifications:preferences")),
            **context,
        },
    )
    return seuil_email(user.email, subject, body)


def _line(notification):
    return {
        "kind": kind_of(notification.kind),
        "actor": short_name(notification.actor),
        "link": absolute(notification.url or reverse("notifications:inbox")),
        "created_at": notification.created_at,
    }


def immediate_message(notification):
    """The e-mail of one notification."""
    line = _line(notification)
    return _message(
        notification.recipient, line["kind"].label, "notifications/email_immediate.txt", line
    )


def digest_message(user, notifications):
    """The daily digest of `notifications` (all of `user`)."""
    count = len(notifications)
    subject = f"votre résumé quotidien ({count} notification{'s' if count > 1 else ''})"
    lines = [_line(notification) for notification in notifications]
    return _message(user, subject, "notifications/email_digest.txt", {"lines": lines})


def _send(notifications, message, retry):
    """Send `message` about `notifications`; on failure, count the attempt and call
    `retry(run_after)` after the commit, until MAX_ATTEMPTS. Returns a French line."""
    ids = [notification.pk for notification in notifications]
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        attempts = 1 + max(notification.email_attempts for notification in notifications)
        Notification.objects.filter(pk__in=ids).update(
            email_attempts=F("email_attempts") + 1, email_error=type(error).__name__[:100]
        )
        run_after = next_attempt(attempts)
        if run_after is None:
            # The error's type only: its message could quote an address.
            logger.error("notification e-mail given up after %s attempts", attempts)
            return f"Échec de l'envoi ({type(error).__name__}) : abandon après {attempts} essais."
        transaction.on_commit(functools.partial(retry, run_after))
        return f"Échec de l'envoi ({type(error).__name__}) : nouvel essai à {run_after:%H:%M}."
    Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now(), email_error="")
    return "Courriel envoyé."


def enqueue_immediate(notification_uuids):
    for notification_uuid in notification_uuids:
        send_notification_email.enqueue(notification_uuid)


@task()
def send_notification_email(notification_uuid):
    """Send the e-mail of one notification (once; again later if the send fails)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "actor")
            .filter(uuid=notification_uuid, recipient__is_active=True)
            .email_due()
            .first()
        )
        if notification is None:
            return "Rien à envoyer."

        def retry(run_after):
            send_notification_email.using(run_after=run_after).enqueue(notification_uuid)

        return _send([notification], immediate_message(notification), retry)


def _digest_rows(user_id, until):
    return (
        Notification.objects.filter(
            recipient_id=user_id,
            recipient__is_active=True,
            delivery=Delivery.DIGEST,
            created_at__lte=until,
        )
        .email_due()
        .order_by("created_at", "pk")
    )


@task()
def send_digest(user_id, until):
    """Send `user`'s daily digest: their notifications created up to `until` (ISO) that wait
    for it; nothing when none waits (a digest queued twice is sent once)."""
    moment = datetime.datetime.fromisoformat(until)
    with transaction.atomic():
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        rows = list(
            _digest_rows(user_id, moment)
            .select_for_update(of=("self",))
            .select_related("actor", "recipient")
        )
        if user is None or not rows:
            return "Rien à envoyer."

        def retry(run_after):
            send_digest.using(run_after=run_after).enqueue(user_id, until)

        return _send(rows, digest_message(user, rows), retry)


def send_digests_task(now, *, dry_run=False):
    """Daily task: queue the digest of every user with notifications waiting for it."""
    waiting = (
        Notification.objects.filter(
            delivery=Delivery.DIGEST, created_at__lte=now, recipient__is_active=True
        )
        .email_due()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    user_ids = sorted(set(waiting))
    if not dry_run:
        for user_id in user_ids:
            transaction.on_commit(functools.partial(send_digest.enqueue, user_id, now.isoformat()))
    count = len(user_ids)
    digests = "résumé quotidien" if count <= 1 else "résumés quotidiens"
    if dry_run:
        verb = "serait mis" if count <= 1 else "seraient mis"
        return f"{count} {digests} de notifications {verb} en file d'envoi (simulation)."
    return f"{count} {digests} de notifications mis en file d'envoi (seuil db_worker)."
