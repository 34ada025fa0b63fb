"""What every e-mail of Seuil shares: its links, its headers, and when a failed send is tried
again.

The e-mails leave from the background worker (`seuil db_worker`, django-tasks) once the
transaction that asked for them commits; a failed send (SMTP server down, refused) is tried
again after 1, 5, 30 then 120 minutes, then given up (`MAX_ATTEMPTS` in all). SMTP comes
from the environment (`EMAIL_HOST`…; none: printed on the worker's console, the demo).
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

RETRY_MINUTES = (1, 5, 30, 120)  # wait before the 2nd, 3rd, 4th and 5th attempts
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1


def absolute(path):
    """The address of a page of this instance (`SEUIL_BASE_URL` + path)."""
    return settings.SEUIL_BASE_URL.rstrip("/") + path


def short_name(user):
    """ "Nadia B.": a first name and the initial of the last name, nothing more."""
    if user is None:
        return ""
    first, last = user.first_name.strip(), user.last_name.strip()
    if not first:
        return ""
    return f"{first} {last[0].upper()}." if last else first


def next_attempt(attempts, now=None):
    """When to try again after `attempts` failed sends, or None once Seuil gives up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return (now or timezone.now()) + datetime.timedelta(minutes=RETRY_MINUTES[attempts - 1])


def seuil_email(to, subject, body):
    """An e-mail of Seuil, in French, marked as sent by a machine."""
    return EmailMessage(
        subject=f"Seuil : {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": "fr"},
    )
