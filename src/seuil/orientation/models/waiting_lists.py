"""Referrals: households admitted to a programme, on its waiting list until they enter a
unit or leave the list (a state machine); the SIAO's priority weights of its lists."""

import uuid

from django.db import models
from django.db.models import Q

from seuil.core.models import Organisation
from seuil.core.policy import Action
from seuil.core.scoping import ScopedQuerySet
from seuil.core.transitions import StateMachine
from seuil.households.models import Household
from seuil.housing.models import Programme, Stay

from .. import priority
from ..enums import (
    DEFAULT_CRITERION_POINTS,
    DEFAULT_MAX_WAITING_POINTS,
    DEFAULT_POINTS_PER_MONTH,
    REFERRAL_TRANSITIONS,
    ReferralStatus,
    WithdrawalReason,
)
from .commission import ReferralDecision
from .common import OrientationQuerySet, Transition, user_field, version_field
from .requests import Request


class ReferralQuerySet(OrientationQuerySet):
    organisation_path = "siao"
    organisation_paths = ("programme__organisation", "household__organisation")
    view_action = Action.VIEW_WAITING_LISTS

    def waiting_on(self, day):
        """Referrals on their programme's waiting list on `day`: admitted on or before it,
        not yet housed or withdrawn (one housed or withdrawn on `day` no longer is)."""
        return self.filter(admitted_on__lte=day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )


class Referral(models.Model):
    """A household admitted to a programme (orientation): it waits on the programme's
    waiting list from `admitted_on` until it enters a unit or leaves the list (`closed_on`).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    REF_PREFIX = "OR"  # core.refs
    ref = models.CharField("référence", max_length=20, unique=True)
    request = models.OneToOneField(
        Request, verbose_name="demande", on_delete=models.PROTECT, related_name="referral"
    )
    decision = models.OneToOneField(
        ReferralDecision,
        verbose_name="décision",
        on_delete=models.PROTECT,
        related_name="referral",
    )
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="referrals"
    )
    programme = models.ForeignKey(
        Programme, verbose_name="dispositif", on_delete=models.PROTECT, related_name="referrals"
    )
    siao = models.ForeignKey(
        Organisation,
        verbose_name="SIAO",
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    admitted_on = models.DateField("admis le")
    status = models.CharField(
        "statut", max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.WAITING
    )
    closed_on = models.DateField("sorti de la liste le", null=True, blank=True)
    withdrawal_reason = models.CharField(
        "motif de sortie sans entrée", max_length=30, choices=WithdrawalReason.choices, blank=True
    )
    stay = models.OneToOneField(
        Stay,
        verbose_name="séjour",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = ReferralQuerySet.as_manager()
    state_machine = StateMachine(
        REFERRAL_TRANSITIONS, noun="Une orientation", household="household"
    )

    class Meta:
        verbose_name = "orientation vers un dispositif"
        verbose_name_plural = "orientations vers un dispositif"
        ordering = ["admitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=ReferralStatus.WAITING) & Q(closed_on__isnull=True))
                | (~Q(status=ReferralStatus.WAITING) & Q(closed_on__isnull=False)),
                name="referral_closed_iff_not_waiting",
                violation_error_message="Un ménage sort de la liste d'attente à une date, "
                "et seulement en entrant dans un logement ou en étant retiré de la liste.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("admitted_on")),
                name="referral_closed_not_before_admitted",
                violation_error_message="La sortie de la liste d'attente ne peut précéder "
                "l'admission.",
            ),
            models.CheckConstraint(
                condition=(Q(status=ReferralStatus.WITHDRAWN) & ~Q(withdrawal_reason=""))
                | (~Q(status=ReferralStatus.WITHDRAWN) & Q(withdrawal_reason="")),
                name="referral_reason_iff_withdrawn",
                violation_error_message="Une sortie de la liste sans entrée a toujours un motif.",
            ),
            models.UniqueConstraint(
                fields=["household", "programme"],
                condition=Q(status=ReferralStatus.WAITING),
                name="referral_one_waiting_per_programme",
                violation_error_message="Ce ménage est déjà sur la liste d'attente de ce "
                "dispositif.",
            ),
        ]

    def __str__(self):
        return f"Orientation {self.ref}"

    def is_waiting_on(self, day):
        return self.admitted_on <= day and (self.closed_on is None or self.closed_on > day)


class ReferralTransition(Transition):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = "changement de statut d'une orientation"

    def __str__(self):
        return super().__str__()


class PriorityWeightsQuerySet(ScopedQuerySet):
    organisation_path = "siao"
    view_action = Action.VIEW_WAITING_LISTS


class PriorityWeights(models.Model):
    """The weights of a SIAO's waiting-list priority, in force from `effective_from` (a
    change is a new record: the list as of a past day uses the weights then in force)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    siao = models.ForeignKey(
        Organisation,
        verbose_name="SIAO",
        on_delete=models.PROTECT,
        related_name="priority_weights",
    )
    effective_from = models.DateField("en vigueur à partir du")
    points_per_month = models.PositiveSmallIntegerField(
        "points par mois d'attente", default=DEFAULT_POINTS_PER_MONTH
    )
    max_waiting_points = models.PositiveSmallIntegerField(
        "plafond des points d'attente",
        null=True,
        blank=True,
        default=DEFAULT_MAX_WAITING_POINTS,
        help_text="Vide : pas de plafond.",
    )
    criterion_points = models.JSONField("points par critère", default=dict)
    set_by = user_field("fixés par")
    set_at = models.DateTimeField(auto_now=True)

    objects = PriorityWeightsQuerySet.as_manager()

    class Meta:
        verbose_name = "pondération de la priorité"
        verbose_name_plural = "pondérations de la priorité"
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["siao", "effective_from"],
                name="priority_weights_one_per_day",
                violation_error_message="Une pondération est déjà en vigueur à cette date.",
            )
        ]

    def __str__(self):
        return f"Pondération du {self.effective_from:%d/%m/%Y}"

    @classmethod
    def weights_on(cls, siao_id, day):
        """The `priority.Weights` of the SIAO in force on `day` (the defaults if none)."""
        row = (
            cls.objects.filter(siao_id=siao_id, effective_from__lte=day)
            .order_by("-effective_from", "-id")
            .first()
        )
        return row.as_weights() if row else default_weights()

    def as_weights(self):
        return priority.Weights(
            points_per_month=self.points_per_month,
            max_waiting_points=self.max_waiting_points,
            criterion_points={str(k): int(v) for k, v in self.criterion_points.items()},
        )


def default_weights():
    return priority.Weights(
        points_per_month=DEFAULT_POINTS_PER_MONTH,
        max_waiting_points=DEFAULT_MAX_WAITING_POINTS,
        criterion_points={str(k): v for k, v in DEFAULT_CRITERION_POINTS.items()},
    )
