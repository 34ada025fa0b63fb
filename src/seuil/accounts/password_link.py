"""A one-time link to set one's password, sent by e-mail to a new account.

The link carries Django's password-reset token (`default_token_generator`): it opens the
page « Choisir mon mot de passe » once (the token no longer holds once the password is set)
and for `PASSWORD_RESET_TIMEOUT` seconds (three days by default). The e-mail leaves after
the transaction that created the account commits, from the background worker (`seuil
db_worker`, django-tasks), tried again after 1, 5, 30 then 120 minutes if the SMTP server
refuses it; without an SMTP server (the demo) it is printed on the worker's console. It
holds the recipient's first name, their sign-in name and the link, nothing else.
"""

import datetime
import functools
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

logger = logging.getLogger(__name__)

RETRY_MINUTES = (1, 5, 30, 120)  # wait before the 2nd, 3rd, 4th and 5th attempts


def link_of(user):
    """The address of the user's one-time link (valid from now)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_set", kwargs={"uidb64": uid, "token": token})
    return settings.SEUIL_BASE_URL.rstrip("/") + path


def send_after_commit(user, *, organisation_name):
    """Queue the e-mail of `user`'s link once the current transaction commits."""
    transaction.on_commit(functools.partial(send_password_link.enqueue, user.pk, organisation_name))


def message_of(user, organisation_name):
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    body = render_to_string(
        "accounts/email_password_link.txt",
        {
            "first_name": user.first_name.strip(),
            "username": user.username,
            "organisation": organisation_name,
            "link": link_of(user),
            "days": days,
        },
    )
    return EmailMessage(
        subject="Seuil : votre compte est ouvert, choisissez votre mot de passe",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": "fr"},
    )


@task()
def send_password_link(user_id, organisation_name, attempt=1):
    """Send the one-time link of an account that has no password yet."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.has_usable_password():
        return "Rien à envoyer."
    try:
        message_of(user, organisation_name).send()
    except (OSError, smtplib.SMTPException) as error:
        if attempt > len(RETRY_MINUTES):
            # The error's type only: its message could quote an address.
            logger.error("password link e-mail given up after %s attempts", attempt)
            return f"Échec de l'envoi ({type(error).__name__}) : abandon après {attempt} essais."
        run_after = timezone.now() + datetime.timedelta(minutes=RETRY_MINUTES[attempt - 1])
        send_password_link.using(run_after=run_after).enqueue(
            user_id, organisation_name, attempt + 1
        )
        return f"Échec de l'envoi ({type(error).__name__}) : nouvel essai à {run_after:%H:%M}."
    return "Courriel envoyé."
