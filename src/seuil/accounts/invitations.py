"""The invitation's link and its e-mail.

The link is `/invitation/<token>/`, the token the invitation's uuid signed with the site's
key (`django.core.signing`, a salt of its own): it cannot be guessed nor made up from a
uuid. It opens the account once, until the invitation's `expires_at`, unless the
invitation was revoked or replaced (resent); `usable_invitation` says which.

The e-mail leaves from the background worker (`seuil db_worker`) once the transaction
that invited commits, tried again as every e-mail of Seuil (`core.mail`). It carries the
invitee's first name, the first name and initial of whoever invited, the organisation's
name, the link and its last day: nothing about the people Seuil follows.
"""

import functools
import logging
import smtplib
import uuid as uuid_module

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from seuil.core.mail import absolute, next_attempt, seuil_email, short_name

from .models import Invitation

logger = logging.getLogger(__name__)

SALT = "seuil.accounts.invitation"


def token_of(invitation):
    """The token of the invitation's link (the same each time it is asked)."""
    return signing.Signer(salt=SALT).sign(invitation.uuid.hex)


def link_of(invitation):
    """The full address of the invitation's link."""
    return absolute(reverse("invitation_accept", kwargs={"token": token_of(invitation)}))


class InvitationUnusable(Exception):
    """The link does not open an account: `reason` is unknown, used, revoked or expired."""

    def __init__(self, reason, invitation=None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def invitation_of(token, *, lock=False):
    """The invitation a token was signed for, whatever its state; None for a token that was
    not signed by this site."""
    if not isinstance(token, str) or len(token) > 200:
        return None
    try:
        value = signing.Signer(salt=SALT).unsign(token)
        invitation_uuid = uuid_module.UUID(hex=value)
    except (signing.BadSignature, ValueError):
        return None
    invitations = Invitation.objects.select_related("user", "user__organisation")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    return invitations.filter(uuid=invitation_uuid).first()


def usable_invitation(token, *, moment=None, lock=False):
    """The invitation of `token` if its link still opens the account, else
    `InvitationUnusable` with the reason."""
    invitation = invitation_of(token, lock=lock)
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.used_at is not None:
        raise InvitationUnusable("used", invitation)
    if invitation.revoked_at is not None:
        raise InvitationUnusable("revoked", invitation)
    if not invitation.usable_at(moment or timezone.now()):
        raise InvitationUnusable("expired", invitation)
    return invitation


def invitation_message(invitation):
    """The e-mail of an invitation."""
    user = invitation.user
    body = render_to_string(
        "accounts/email_invitation.txt",
        {
            "first_name": user.first_name.strip(),
            "sender": short_name(invitation.sent_by),
            "organisation": user.organisation.name if user.organisation else "",
            "role": user.get_role_display(),
            "username": user.username,
            "link": link_of(invitation),
            "expires_at": invitation.expires_at,
        },
    )
    return seuil_email(user.email, "votre invitation", body)


def enqueue(invitation):
    """Send the invitation's e-mail once the current transaction commits."""
    transaction.on_commit(functools.partial(send_invitation_email.enqueue, str(invitation.uuid)))


@task()
def send_invitation_email(invitation_uuid):
    """Send an invitation's e-mail (once; again later if the send fails). Nothing is sent
    for an invitation already used, revoked, expired or e-mailed."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.pending()
            .select_for_update(of=("self",))
            .select_related("user", "user__organisation", "sent_by")
            .filter(uuid=invitation_uuid, emailed_at__isnull=True)
            .first()
        )
        if invitation is None:
            return "Rien à envoyer."
        try:
            invitation_message(invitation).send()
        except (OSError, smtplib.SMTPException) as error:
            attempts = invitation.email_attempts + 1
            Invitation.objects.filter(pk=invitation.pk).update(
                email_attempts=F("email_attempts") + 1
            )
            run_after = next_attempt(attempts)
            if run_after is None:
                # The error's type only: its message could quote an address.
                logger.error("invitation e-mail given up after %s attempts", attempts)
                return (
                    f"Échec de l'envoi ({type(error).__name__}) : abandon après {attempts} essais."
                )
            transaction.on_commit(
                functools.partial(
                    send_invitation_email.using(run_after=run_after).enqueue, invitation_uuid
                )
            )
            return f"Échec de l'envoi ({type(error).__name__}) : nouvel essai à {run_after:%H:%M}."
        Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
        return "Courriel envoyé."
