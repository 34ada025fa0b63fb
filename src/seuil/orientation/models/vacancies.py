"""Vacancies: a unit offered for a new household, from its opening to its closing."""

import uuid

from django.db import models
from django.db.models import Q

from seuil.core.policy import Action, Scope
from seuil.core.scoping import ScopedQuerySet
from seuil.housing.models import HousingUnit

from ..enums import VacancyClosing, VacancyOpening
from .common import user_field, version_field
from .waiting_lists import Referral


class VacancyQuerySet(ScopedQuerySet):
    """Vacancies are about units, not persons: the unit's operator sees them, so do the
    SIAOs that refer households to the unit's programme, and (scope ``referred``) the
    landlord of the unit."""

    organisation_path = "unit__organisation"
    view_action = Action.VIEW_UNITS

    def own_q(self, organisation_id):
        referred_to = Referral.objects.filter(siao_id=organisation_id).values("programme_id")
        return super().own_q(organisation_id) | Q(unit__programme_id__in=referred_to)

    def shared_with(self, user, scope, action):
        if scope == Scope.REFERRED:
            return self.filter(unit__landlord__account_id=user.organisation_id)
        return self.none()

    def open_on(self, day):
        return self.filter(opened_on__lte=day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )


class Vacancy(models.Model):
    """A unit offered for a new household from `opened_on` until `closed_on` (excluded):
    opened at the exit of the previous household, by a declaration of the landlord or the
    operator, or for a unit found vacant; closed by an entry or when the unit is returned."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    REF_PREFIX = "V"  # core.refs
    ref = models.CharField("référence", max_length=20, unique=True)
    unit = models.ForeignKey(
        HousingUnit, verbose_name="logement", on_delete=models.PROTECT, related_name="vacancies"
    )
    opened_on = models.DateField("vacant à partir du")
    opening_reason = models.CharField(
        "origine de la vacance", max_length=20, choices=VacancyOpening.choices
    )
    opened_by = user_field("ouverte par")
    closed_on = models.DateField("fermée le", null=True, blank=True)
    closing_reason = models.CharField(
        "motif de fermeture", max_length=20, choices=VacancyClosing.choices, blank=True
    )
    closed_by = user_field("fermée par")
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = "vacance de logement"
        verbose_name_plural = "vacances de logement"
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="vacancy_closed_not_before_opened",
                violation_error_message="Une vacance ne peut être fermée avant d'être ouverte.",
            ),
            models.CheckConstraint(
                condition=(Q(closed_on__isnull=True) & Q(closing_reason=""))
                | (Q(closed_on__isnull=False) & ~Q(closing_reason="")),
                name="vacancy_reason_iff_closed",
                violation_error_message="Une vacance fermée a toujours un motif de fermeture.",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(closed_on__isnull=True),
                name="vacancy_one_open_per_unit",
                violation_error_message="Ce logement a déjà une vacance ouverte.",
            ),
        ]

    def __str__(self):
        return f"Vacance {self.ref}"

    def days_on(self, day):
        """Days vacant from `opened_on` to `closed_on` (excluded), or to `day` while open."""
        end = self.closed_on if self.closed_on is not None and self.closed_on <= day else day
        return max(0, (end - self.opened_on).days)
