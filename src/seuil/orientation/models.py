"""Orientation on dated facts: a household's request to the SIAO, its assessments, the
commission's decisions, the referral to a programme (its waiting list), the vacancies of
units and the proposals that offer them.

Every status is a state machine (`enums.*_TRANSITIONS`, enforced by `services`) whose
changes are logged with their date and author (`*Transition`); the dates the figures need
are fields of the records themselves (`Request.received_on`, `Referral.admitted_on` and
`closed_on`, `Vacancy.opened_on` and `closed_on`, `Proposal.proposed_on` and `closed_on`),
so that "as of date D" questions are one filter, like stays.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from seuil.core.models import Organisation
from seuil.core.policy import Action, Scope
from seuil.core.scoping import HouseholdPartQuerySet, ScopedQuerySet
from seuil.households.models import Household
from seuil.housing.models import HousingUnit, Programme, Stay

from . import priority
from .enums import (
    DEFAULT_CRITERION_POINTS,
    DEFAULT_MAX_WAITING_POINTS,
    DEFAULT_POINTS_PER_MONTH,
    OPEN_PROPOSAL_STATUSES,
    Answer,
    DecisionOutcome,
    DecisionRefusalReason,
    EmploymentProfile,
    Party,
    ProposalRefusalReason,
    ProposalStatus,
    ReferralStatus,
    RequestOrigin,
    RequestStatus,
    SupportLevel,
    VacancyClosing,
    VacancyOpening,
    WithdrawalReason,
)

USER = settings.AUTH_USER_MODEL
IN_PROGRESS = (RequestStatus.RECEIVED, RequestStatus.ASSESSED, RequestStatus.POSTPONED)


def _user(verbose_name, related_name="+"):
    return models.ForeignKey(
        USER,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


def _version():
    return models.PositiveIntegerField(
        "version", default=1, editable=False, help_text="Augmente à chaque modification."
    )


def _money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=9, decimal_places=2, null=True, blank=True, **kwargs
    )


class OrientationQuerySet(HouseholdPartQuerySet):
    """Records of a household's orientation, seen by every organisation they involve.

    Scope ``own`` covers the records whose `organisation_path` or one of the
    `organisation_paths` is the user's organisation (the SIAO addressed, the organisation
    holding the household's file, the operator of the programme or of the unit), and those of
    the households linked to it (`core.scoping.HOUSEHOLD_LINKS`). Nothing is shared beyond,
    unless a subclass says so.
    """

    organisation_paths = ()

    def own_q(self, organisation_id):
        q = super().own_q(organisation_id)
        for path in self.organisation_paths:
            q |= Q(**{path: organisation_id})
        return q

    def shared_with(self, user, scope, action):
        return self.none()


# ---- the transition logs -------------------------------------------------------------------


class Transition(models.Model):
    """One change of status: from, to, on which day, recorded when and by whom, why."""

    from_status = models.CharField("statut précédent", max_length=20, blank=True)
    to_status = models.CharField("nouveau statut", max_length=20)
    on = models.DateField("le")
    at = models.DateTimeField("enregistré le", auto_now_add=True)
    by = _user("par")
    reason = models.CharField("motif", max_length=30, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        abstract = True
        ordering = ["on", "at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status} ({self.on:%d/%m/%Y})"


# ---- requests and assessments --------------------------------------------------------------


class RequestQuerySet(OrientationQuerySet):
    organisation_path = "siao"
    organisation_paths = ("household__organisation",)
    view_action = Action.RECORD_REQUEST

    def in_progress(self):
        return self.filter(status__in=IN_PROGRESS)


class Request(models.Model):
    """A household's request to a SIAO (demande d'orientation)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
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
    created_by = _user("enregistrée par")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = _version()

    objects = RequestQuerySet.as_manager()

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
    author = _user("évaluateur")
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
    monthly_resources = _money("ressources mensuelles hors aide au logement (€)")
    housing_benefit = _money("aide au logement estimée (€ par mois)")
    bearable_rent = _money("loyer supportable, charges comprises (€ par mois)")
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


# ---- commission ----------------------------------------------------------------------------


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
    created_by = _user("créée par")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = _version()

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
    added_by = _user("inscrite par")
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
    decided_by = _user("décision enregistrée par")
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


# ---- referrals and waiting lists -----------------------------------------------------------


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
    version = _version()

    objects = ReferralQuerySet.as_manager()

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
    set_by = _user("fixés par")
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


# ---- vacancies -----------------------------------------------------------------------------


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
    ref = models.CharField("référence", max_length=20, unique=True)
    unit = models.ForeignKey(
        HousingUnit, verbose_name="logement", on_delete=models.PROTECT, related_name="vacancies"
    )
    opened_on = models.DateField("vacant à partir du")
    opening_reason = models.CharField(
        "origine de la vacance", max_length=20, choices=VacancyOpening.choices
    )
    opened_by = _user("ouverte par")
    closed_on = models.DateField("fermée le", null=True, blank=True)
    closing_reason = models.CharField(
        "motif de fermeture", max_length=20, choices=VacancyClosing.choices, blank=True
    )
    closed_by = _user("fermée par")
    updated_at = models.DateTimeField(auto_now=True)
    version = _version()

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


# ---- proposals -----------------------------------------------------------------------------


class ProposalQuerySet(OrientationQuerySet):
    """Proposals: seen by the SIAO that referred the household, the operator of the unit,
    the organisations linked to the household, and (scope ``referred``) the landlord of the
    unit, who never gets the household's file through it."""

    organisation_path = "vacancy__unit__organisation"
    organisation_paths = ("referral__siao",)
    household_path = "referral__household"
    view_action = Action.VIEW_PROPOSALS

    def shared_with(self, user, scope, action):
        if scope == Scope.REFERRED:
            return self.filter(vacancy__unit__landlord__account_id=user.organisation_id)
        return self.none()

    def open(self):
        return self.filter(status__in=OPEN_PROPOSAL_STATUSES)


class Proposal(models.Model):
    """A unit (its vacancy) offered to a household admitted to a programme, and to the
    unit's landlord: proposed → accepted / refused / expired / withdrawn."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ref = models.CharField("référence", max_length=20, unique=True)
    vacancy = models.ForeignKey(
        Vacancy, verbose_name="vacance", on_delete=models.PROTECT, related_name="proposals"
    )
    referral = models.ForeignKey(
        Referral, verbose_name="orientation", on_delete=models.PROTECT, related_name="proposals"
    )
    proposed_on = models.DateField("proposée le")
    proposed_by = _user("proposée par")
    expires_on = models.DateField(
        "réponse attendue au plus tard le",
        help_text="Sans réponse ce jour-là, la proposition expire le lendemain.",
    )
    status = models.CharField(
        "statut",
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    closed_on = models.DateField("réponse ou clôture le", null=True, blank=True)
    household_answer = models.CharField(
        "réponse du ménage", max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    household_answered_on = models.DateField("réponse du ménage le", null=True, blank=True)
    landlord_answer = models.CharField(
        "réponse du bailleur", max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    landlord_answered_on = models.DateField("réponse du bailleur le", null=True, blank=True)
    refused_by = models.CharField("refusée par", max_length=20, choices=Party.choices, blank=True)
    refusal_reason = models.CharField(
        "motif du refus", max_length=30, choices=ProposalRefusalReason.choices, blank=True
    )
    stay = models.OneToOneField(
        Stay,
        verbose_name="séjour",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
    )
    matching_run = models.ForeignKey(
        "matching.MatchingRun",
        verbose_name="issue de l'appariement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = _version()

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "proposition de logement"
        verbose_name_plural = "propositions de logement"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(status__in=OPEN_PROPOSAL_STATUSES),
                name="proposal_one_open_per_vacancy",
                violation_error_message="Ce logement est déjà réservé par une proposition en "
                "cours.",
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status__in=OPEN_PROPOSAL_STATUSES),
                name="proposal_one_open_per_referral",
                violation_error_message="Ce ménage a déjà une proposition en cours.",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("proposed_on")),
                name="proposal_expires_not_before_proposed",
                violation_error_message="Le délai de réponse ne peut finir avant la proposition.",
            ),
            models.CheckConstraint(
                condition=(Q(status=ProposalStatus.PROPOSED) & Q(closed_on__isnull=True))
                | (~Q(status=ProposalStatus.PROPOSED) & Q(closed_on__gte=models.F("proposed_on"))),
                name="proposal_closed_iff_answered",
                violation_error_message="Une proposition reçoit sa réponse (ou est close) à une "
                "date, qui ne précède pas la proposition.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.EXPIRED)
                | Q(closed_on__gt=models.F("expires_on")),
                name="proposal_expired_only_after_delay",
                violation_error_message="Une proposition n'expire qu'une fois son délai de "
                "réponse passé.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=ProposalStatus.REFUSED) & ~Q(refused_by="") & ~Q(refusal_reason="")
                )
                | (~Q(status=ProposalStatus.REFUSED) & Q(refused_by="") & Q(refusal_reason="")),
                name="proposal_refusal_has_party_and_reason",
                violation_error_message="Un refus dit qui refuse (le ménage ou le bailleur) "
                "et pourquoi.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.ACCEPTED)
                | (
                    Q(household_answer=Answer.ACCEPTED)
                    & Q(landlord_answer__in=[Answer.ACCEPTED, Answer.NOT_REQUIRED])
                ),
                name="proposal_accepted_by_both",
                violation_error_message="Une proposition n'est acceptée qu'avec l'accord du "
                "ménage et, s'il est demandé, celui du bailleur.",
            ),
            models.CheckConstraint(
                condition=Q(stay__isnull=True) | Q(status=ProposalStatus.ACCEPTED),
                name="proposal_entry_only_when_accepted",
                violation_error_message="Seule une proposition acceptée mène à une entrée.",
            ),
        ]

    def __str__(self):
        return f"Proposition {self.ref}"

    @property
    def is_open(self):
        return self.status in OPEN_PROPOSAL_STATUSES and self.stay_id is None


class ProposalTransition(Transition):
    """A change of a proposal's status, or one party's answer (`party`, `answer`)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    party = models.CharField("qui répond", max_length=20, choices=Party.choices, blank=True)
    answer = models.CharField("réponse", max_length=20, choices=Answer.choices, blank=True)

    class Meta(Transition.Meta):
        verbose_name = "changement de statut d'une proposition"

    def __str__(self):
        return super().__str__()
