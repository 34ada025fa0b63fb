"""Invitations: how an administrator brings a new person into Seuil.

The administrator creates the account (name, e-mail, role), inactive and without a
password, and Seuil e-mails a link. The link carries the invitation's uuid signed with the
site's key (`django.core.signing`, see `seuil.accounts.invitations`); it works once, until
`expires_at`, unless the invitation was revoked or replaced by a new one (resent).
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

# How long an invitation's link opens the account.
INVITATION_VALIDITY = datetime.timedelta(days=7)


class InvitationQuerySet(models.QuerySet):
    def pending(self, moment=None):
        """Invitations whose link still works: neither used, revoked nor expired."""
        return self.filter(
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=moment or timezone.now(),
        )


class Invitation(models.Model):
    """A one-time link sent to a new account's e-mail address, to set its password."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="envoyée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now, editable=False)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("acceptée le", null=True, blank=True)
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)
    emailed_at = models.DateTimeField("courriel parti le", null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField("essais d'envoi", default=0)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Invitation du {self.created_at:%d/%m/%Y}"

    def usable_at(self, moment):
        return self.used_at is None and self.revoked_at is None and moment < self.expires_at

    @property
    def is_pending(self):
        return self.usable_at(timezone.now())
