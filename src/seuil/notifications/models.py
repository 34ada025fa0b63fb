"""Notifications (one row per user told) and each user's choice of e-mails per kind."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from seuil.core.mail import MAX_ATTEMPTS

from .enums import Delivery


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user, action=None):
        """A user sees their own notifications, and nobody else's."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def email_due(self):
        """Not e-mailed yet, and not given up on."""
        return self.filter(emailed_at__isnull=True, email_attempts__lt=MAX_ATTEMPTS).exclude(
            recipient__email=""
        )


class Notification(models.Model):
    """Something that happened or is due, told to one user: read or unread, with a link to
    the object it is about. Its message names references (a proposal, a unit), never a
    person."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("type", max_length=50)
    message = models.CharField("message", max_length=300)
    url = models.CharField("lien", max_length=300, blank=True)
    object_type = models.CharField("objet", max_length=50, blank=True)
    object_uuid = models.UUIDField("identifiant de l'objet", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("le", default=timezone.now)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    delivery = models.CharField("envoi par courriel", max_length=20, choices=Delivery.choices)
    emailed_at = models.DateTimeField("envoyée par courriel le", null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField("essais d'envoi", default=0)
    email_error = models.CharField("dernière erreur d'envoi", max_length=100, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["kind", "object_uuid"], name="notification_about"),
        ]

    def __str__(self):
        return f"{self.kind} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def is_read(self):
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a user wants to receive one kind of notification by e-mail; without a row, the
    kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField("type", max_length=50)
    delivery = models.CharField("envoi par courriel", max_length=20, choices=Delivery.choices)

    class Meta:
        verbose_name = "préférence de notification"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self):
        return f"{self.kind} : {self.get_delivery_display()}"
