"""Requests to a SIAO (their statuses, a state machine) and their assessments."""

import uuid

from django.db import models
from django.db.models import Q

from seuil.core.models import Organisation
from seuil.core.policy import Action
from seuil.core.transitions import StateMachine
from seuil.households.models import Household

from ..enums import (
    REQUEST_TRANSITIONS,
    EmploymentProfile,
    RequestOrigin,
    RequestStatus,
    SupportLevel,
)
from .common import OrientationQuerySet, Transition, money_field, user_field, version_field

IN_PROGRESS = (RequestStatus.RECEIVED, RequestStatus.ASSESSED, RequestStatus.POSTPONED)


class RequestQuerySet(OrientationQuerySet):
    organisation_path = "siao"
    organisation_paths = ("household__organisation",)
    view_action = Action.RECORD_REQUEST

    def in_progress(self):
        return self.filter(status__in=IN_PROGRESS)


class Request(models.Model):
    """A household's request to a SIAO (demande d'orientation)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    REF_PREFIX = "D"  # core.refs
    ref = models.CharField("référence", max_length=20, unique=True)
    household = models.ForeignKey(
        Household,
        verbose_name="ménage",
        on_delete=models.PROTECT,
        related_name="orientation_requests",
    )
    siao = models.ForeignKey(
        Organisation,
        verbose_name="SIAO",
        on_delete=models.PROTECT,
        related_name="requests_received",
    )
    received_on = models.DateField("reçue le")
    origin = models.CharField("origine", max_length=30, choices=RequestOrigin.choices)
    prescriber = models.CharField(
        "prescripteur",
        max_length=200,
        blank=True,
        help_text="La structure qui adresse la demande, par exemple « CADA de Montdidier ».",
    )
    status = models.CharField(
        "statut", max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    status_since = models.DateField("statut depuis le")
    created_by = user_field("enregistrée par")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    objects = RequestQuerySet.as_manager()
    state_machine = StateMachine(REQUEST_TRANSITIONS, noun="Une demande", household="household")

    class Meta:
        verbose_name = "demande d'orientation"
        verbose_name_plural = "demandes d'orientation"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values),
                name="request_status_known",
                violation_error_message="Statut de demande inconnu.",
            ),
            models.CheckConstraint(
                condition=Q(status_since__gte=models.F("received_on")),
                name="request_status_not_before_received",
                violation_error_message="Le statut d'une demande ne peut précéder sa réception.",
            ),
            models.UniqueConstraint(
                fields=["household", "siao"],
                condition=Q(status__in=IN_PROGRESS),
                name="request_one_in_progress_per_siao",
                violation_error_message="Ce ménage a déjà une demande en cours auprès de ce SIAO.",
            ),
        ]

    def __str__(self):
        return f"Demande {self.ref}"

    def assessment_on(self, day=None):
        """The assessment in force on `day` (the last one on or before it; None: the last)."""
        assessments = [a for a in self.assessments.all() if day is None or a.assessed_on <= day]
        return max(assessments, key=lambda a: (a.assessed_on, a.pk), default=None)


class RequestTransition(Transition):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = "changement de statut d'une demande"

    def __str__(self):
        return super().__str__()


class AssessmentQuerySet(OrientationQuerySet):
    organisation_path = "request__siao"
    organisation_paths = ("request__household__organisation",)
    household_path = "request__household"
    view_action = Action.RECORD_REQUEST


class Assessment(models.Model):
    """The evaluator's assessment of a request, at a date. A new assessment is a new record:
    the earlier ones are kept, and the waiting list as of a past day reads the one then in
    force. The social note is the household's own (`Household.social_note`), shown with the
    consents that govern who may read it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        Request, verbose_name="demande", on_delete=models.CASCADE, related_name="assessments"
    )
    author = user_field("évaluateur")
    assessed_on = models.DateField("évaluée le")
    needs = models.JSONField("besoins d'accompagnement", default=list, blank=True)
    support_level = models.CharField(
        "niveau d'accompagnement", max_length=20, choices=SupportLevel.choices
    )
    wished_territories = models.JSONField(
        "territoires souhaités, par ordre de préférence", default=list, blank=True
    )
    wished_typologies = models.JSONField("typologies souhaitées", default=list, blank=True)
    needs_accessible = models.BooleanField("a besoin d'un logement accessible", default=False)
    accepts_shared = models.BooleanField("accepte une colocation", default=False)
    refuses_mixed_shared = models.BooleanField("refuse une colocation mixte", default=False)
    languages = models.CharField("langues parlées", max_length=200, blank=True)
    employment_profile = models.CharField(
        "situation d'emploi",
        max_length=20,
        choices=EmploymentProfile.choices,
        default=EmploymentProfile.UNKNOWN,
    )
    job_territory = models.CharField(
        "département d'un emploi ou d'une promesse d'embauche",
        max_length=3,
        blank=True,
        help_text="Compte comme les meilleures perspectives d'emploi dans l'appariement.",
    )
    monthly_resources = money_field("ressources mensuelles hors aide au logement (€)")
    housing_benefit = money_field("aide au logement estimée (€ par mois)")
    bearable_rent = money_field("loyer supportable, charges comprises (€ par mois)")
    priority_criteria = models.JSONField("critères de priorité", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation sociale"
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bearable_rent__isnull=True) | Q(bearable_rent__gte=0),
                name="assessment_bearable_rent_not_negative",
                violation_error_message="Le loyer supportable ne peut être négatif.",
            ),
        ]

    def __str__(self):
        return f"Évaluation du {self.assessed_on:%d/%m/%Y}"
