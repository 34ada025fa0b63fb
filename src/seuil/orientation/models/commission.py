"""Commission meetings of a SIAO, their agenda and their decisions."""

import uuid

from django.db import models
from django.db.models import Q

from seuil.core.models import Organisation
from seuil.core.policy import Action
from seuil.core.scoping import ScopedQuerySet
from seuil.housing.models import Programme

from ..enums import DecisionOutcome, DecisionRefusalReason
from .common import OrientationQuerySet, user_field, version_field
from .requests import Request


class CommissionMeetingQuerySet(ScopedQuerySet):
    organisation_path = "siao"
    view_action = Action.ASSESS


class CommissionMeeting(models.Model):
    """A meeting of the SIAO's orientation commission, with its agenda of requests."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    siao = models.ForeignKey(
        Organisation, verbose_name="SIAO", on_delete=models.PROTECT, related_name="commissions"
    )
    held_on = models.DateField("date de la commission")
    members_present = models.TextField(
        "membres présents",
        blank=True,
        help_text="Noms et structures des membres présents, un par ligne.",
    )
    agenda = models.ManyToManyField(
        Request, through="AgendaItem", related_name="commission_meetings", blank=True
    )
    created_by = user_field("créée par")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = CommissionMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "commission d'orientation"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"Commission du {self.held_on:%d/%m/%Y}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        CommissionMeeting, on_delete=models.CASCADE, related_name="agenda_items"
    )
    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="agenda_items")
    added_by = user_field("inscrite par")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "demande à l'ordre du jour"
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "request"],
                name="agenda_item_once_per_meeting",
                violation_error_message="Cette demande est déjà à l'ordre du jour de cette "
                "commission.",
            )
        ]

    def __str__(self):
        return f"{self.request} à l'ordre du jour de la {self.meeting}"


class ReferralDecisionQuerySet(OrientationQuerySet):
    organisation_path = "meeting__siao"
    organisation_paths = ("request__household__organisation", "programme__organisation")
    household_path = "request__household"
    view_action = Action.RECORD_REQUEST


class ReferralDecision(models.Model):
    """The commission's decision on a request: admitted to a programme, refused (with a
    reason from the list), or postponed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        CommissionMeeting,
        verbose_name="commission",
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    request = models.ForeignKey(
        Request, verbose_name="demande", on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField("décision", max_length=20, choices=DecisionOutcome.choices)
    programme = models.ForeignKey(
        Programme,
        verbose_name="dispositif",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referral_decisions",
    )
    refusal_reason = models.CharField(
        "motif du refus", max_length=30, choices=DecisionRefusalReason.choices, blank=True
    )
    comment = models.TextField("commentaire", blank=True)
    decided_on = models.DateField("décidée le")
    decided_by = user_field("décision enregistrée par")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ReferralDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "décision de la commission"
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "request"],
                name="decision_once_per_meeting",
                violation_error_message="Cette demande a déjà une décision dans cette commission.",
            ),
            models.CheckConstraint(
                condition=Q(outcome=DecisionOutcome.ADMITTED, programme__isnull=False)
                | (~Q(outcome=DecisionOutcome.ADMITTED) & Q(programme__isnull=True)),
                name="decision_programme_iff_admitted",
                violation_error_message="Une admission se fait vers un dispositif ; un refus "
                "ou un ajournement n'en a pas.",
            ),
            models.CheckConstraint(
                condition=(Q(outcome=DecisionOutcome.REFUSED) & ~Q(refusal_reason=""))
                | (~Q(outcome=DecisionOutcome.REFUSED) & Q(refusal_reason="")),
                name="decision_reason_iff_refused",
                violation_error_message="Un refus a toujours un motif, une autre décision jamais.",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.decided_on:%d/%m/%Y})"
