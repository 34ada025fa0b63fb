"""What the orientation models share: the scoping of a household's orientation records,
the abstract transition log, and field helpers."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from seuil.core.scoping import HouseholdPartQuerySet

USER = settings.AUTH_USER_MODEL


def user_field(verbose_name, related_name="+"):
    return models.ForeignKey(
        USER,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


def version_field():
    return models.PositiveIntegerField(
        "version", default=1, editable=False, help_text="Augmente à chaque modification."
    )


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=9, decimal_places=2, null=True, blank=True, **kwargs
    )


class OrientationQuerySet(HouseholdPartQuerySet):
    """Records of a household's orientation, seen by every organisation they involve.

    Scope ``own`` covers the records whose `organisation_path` or one of the
    `organisation_paths` is the user's organisation (the SIAO addressed, the organisation
    holding the household's file, the operator of the programme or of the unit); scope
    ``linked`` adds those of the households linked to it (`core.scoping`). Nothing is shared
    beyond, unless a subclass says so.
    """

    organisation_paths = ()

    def own_q(self, organisation_id):
        q = super().own_q(organisation_id)
        for path in self.organisation_paths:
            q |= Q(**{path: organisation_id})
        return q

    def shared_with(self, user, scope, action):
        return self.none()


class Transition(models.Model):
    """One change of status: from, to, on which day, recorded when and by whom, why."""

    from_status = models.CharField("statut précédent", max_length=20, blank=True)
    to_status = models.CharField("nouveau statut", max_length=20)
    on = models.DateField("le")
    at = models.DateTimeField("enregistré le", auto_now_add=True)
    by = user_field("par")
    reason = models.CharField("motif", max_length=30, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        abstract = True
        ordering = ["on", "at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status} ({self.on:%d/%m/%Y})"
