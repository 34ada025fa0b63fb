"""Choices of the notifications app, with French labels."""

from django.db import models


class Delivery(models.TextChoices):
    """How a user receives a kind of notification by e-mail (always in Seuil too)."""

    IMMEDIATE = "immediate", "Un courriel tout de suite"
    DIGEST = "digest", "Dans le résumé quotidien"
    NONE = "none", "Pas de courriel (seulement dans Seuil)"
