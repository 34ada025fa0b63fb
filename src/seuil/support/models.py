"""Support of a household: contracts and amendments, contacts, objectives, its referent
social workers and the intensity of its support, dated; its referrals to partners and the
dated path (employment, training, French) of each adult; the support settings of a
programme. The date rules are `rules.py`'s."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from seuil.core.crypto import EncryptedTextField
from seuil.core.models import Organisation, Partner
from seuil.core.policy import Action, Scope
from seuil.core.scoping import HouseholdPartQuerySet, ScopedQuerySet
from seuil.core.transitions import StateMachine
from seuil.households.models import Household, Person
from seuil.housing.enums import SupportIntensity
from seuil.housing.models import Programme, Stay

from . import rules
from .enums import (
    CONTACT_TRANSITIONS,
    ContactKind,
    ContactStatus,
    EmploymentSituation,
    FrenchLevel,
    MissedReason,
    ObjectiveDomain,
    ObjectiveOutcome,
    ReferralPurpose,
    ReferralResult,
)

USER = settings.AUTH_USER_MODEL


def _ref_unique(name):
    return models.UniqueConstraint(
        fields=["organisation", "ref"],
        name=f"{name}_ref_unique_per_organisation",
        violation_error_message="Cette référence existe déjà dans l'organisation.",
    )


def _user(verbose_name, related_name="+", **kwargs):
    return models.ForeignKey(
        USER,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **kwargs,
    )


def _version():
    return models.PositiveIntegerField(
        "version", default=1, editable=False, help_text="Augmente à chaque modification."
    )


class SupportQuerySet(HouseholdPartQuerySet):
    """Support records of a household: the organisation that supports it (scope own). A
    clinical referral active today shares the frame of the support (the records whose
    queryset says `shared_when_referred`: contracts and amendments, intensity, referents,
    objectives) with the psychologist it names, those of the psychologist's organisation
    only (scope referred); no link or consent shares them."""

    view_action = Action.VIEW_SUPPORT
    shared_when_referred = False

    def shared_with(self, user, scope, action):
        if scope == Scope.REFERRED and self.shared_when_referred:
            shared = super().shared_with(user, scope, action)
            return shared.filter(self.own_q(user.organisation_id))
        return self.none()


# ---- contracts ---------------------------------------------------------------------------


class ContractQuerySet(SupportQuerySet):
    household_path = "stay__household"
    shared_when_referred = True

    def with_amendments(self):
        return self.select_related("stay__programme", "stay__household").prefetch_related(
            "amendments"
        )


class SupportContract(models.Model):
    """The individual support contract of a stay (contrat d'accompagnement individualisé)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_contracts"
    )
    REF_PREFIX = "C"  # core.refs
    ref = models.CharField("référence", max_length=100)
    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.PROTECT, related_name="support_contracts"
    )
    signed_on = models.DateField("signé le")
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin")
    updated_at = models.DateTimeField(auto_now=True)
    version = _version()

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "contrat d'accompagnement"
        ordering = ["signed_on", "id"]
        constraints = [
            _ref_unique("support_contract"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="support_contract_ends_after_start",
                violation_error_message="La fin du contrat précède son début.",
            ),
        ]

    def __str__(self):
        return f"Contrat d'accompagnement {self.ref}"

    @property
    def household(self):
        return self.stay.household

    def amendment_dates(self, amendments=None):
        rows = self.amendments.all() if amendments is None else amendments
        return [(a.signed_on, a.ends_on) for a in rows]

    @property
    def current_end(self):
        """The end with every amendment."""
        return rules.current_end(self.ends_on, self.amendment_dates())

    def end_known_on(self, day):
        return rules.end_known_on(self.ends_on, self.amendment_dates(), day)

    def in_force_on(self, day):
        return rules.in_force_on(
            self.signed_on, self.starts_on, self.ends_on, self.amendment_dates(), day
        )

    @property
    def days_after_entry(self):
        return rules.days_entry_to_contract(self.stay.entered_on, self.signed_on)

    @property
    def signed_late(self):
        return rules.signed_late(self.stay.entered_on, self.signed_on)

    @property
    def last_possible_end(self):
        return rules.last_possible_end(self.stay.entered_on, self.stay_cap)

    @property
    def stay_cap(self):
        programme = self.stay.programme
        return programme.max_support_months if programme else None

    def clean(self):
        errors = {}
        message = rules.dates_error(self.starts_on, self.ends_on)
        if message:
            errors["ends_on"] = message[0].upper() + message[1:] + "."
        if self.stay_id and self.ends_on:
            message = rules.cap_error(self.ends_on, self.stay.entered_on, self.stay_cap)
            if message:
                errors.setdefault("ends_on", message[0].upper() + message[1:] + ".")
        if errors:
            raise ValidationError(errors)


class AmendmentQuerySet(SupportQuerySet):
    household_path = "contract__stay__household"
    shared_when_referred = True


class Amendment(models.Model):
    """An amendment (avenant) of a support contract: it moves the end later."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_amendments"
    )
    REF_PREFIX = "AV"  # core.refs
    ref = models.CharField("référence", max_length=100)
    contract = models.ForeignKey(
        SupportContract,
        verbose_name="contrat",
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    signed_on = models.DateField("signé le")
    ends_on = models.DateField("nouvelle fin")
    reason = models.CharField("motif", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = "avenant au contrat d'accompagnement"
        ordering = ["signed_on", "ends_on", "id"]
        constraints = [_ref_unique("support_amendment")]

    def __str__(self):
        return f"Avenant {self.ref}"

    def clean(self):
        if not (self.contract_id and self.signed_on and self.ends_on):
            return
        contract = self.contract
        others = [a for a in contract.amendments.all() if a.pk != self.pk]
        dates = [*contract.amendment_dates(others), (self.signed_on, self.ends_on)]
        mine = len(dates) - 1
        for index, message in rules.amendment_errors(contract.ends_on, dates):
            if index == mine:
                raise ValidationError({"ends_on": message[0].upper() + message[1:] + "."})
        message = rules.cap_error(self.ends_on, contract.stay.entered_on, contract.stay_cap)
        if message:
            raise ValidationError({"ends_on": message[0].upper() + message[1:] + "."})


# ---- contacts ----------------------------------------------------------------------------


class ContactQuerySet(SupportQuerySet):
    view_action = Action.VIEW_CONTACTS

    def shared_with(self, user, scope, action):
        """Scope ``referred``: the contacts a tenancy officer takes part in (joint visits)."""
        if scope == Scope.REFERRED:
            return self.filter(organisation=user.organisation_id, tenancy_officer=user)
        return self.none()

    def done(self):
        return self.filter(status=ContactStatus.DONE)


class Contact(models.Model):
    """An appointment, a visit or a call with a household, planned or done (or missed)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_contacts"
    )
    REF_PREFIX = "K"  # core.refs
    ref = models.CharField("référence", max_length=100)
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="contacts"
    )
    on = models.DateField("le")
    at = models.TimeField("à", null=True, blank=True)
    kind = models.CharField("type", max_length=30, choices=ContactKind.choices)
    status = models.CharField(
        "statut", max_length=10, choices=ContactStatus.choices, default=ContactStatus.DONE
    )
    missed_reason = models.CharField(
        "motif (rendez-vous manqué)", max_length=30, choices=MissedReason.choices, blank=True
    )
    worker = _user("travailleur social", related_name="support_contacts")
    tenancy_officer = _user("régisseur (visite conjointe)", related_name="joint_contacts")
    interpreter = models.BooleanField("interprète nécessaire", default=False)
    notes = EncryptedTextField("notes", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()
    state_machine = StateMachine(CONTACT_TRANSITIONS, noun="Un contact", household="household")

    class Meta:
        verbose_name = "contact avec le ménage"
        ordering = ["on", "at", "id"]
        constraints = [
            _ref_unique("support_contact"),
            models.CheckConstraint(
                condition=Q(status=ContactStatus.MISSED) | Q(missed_reason=""),
                name="contact_missed_reason_only_when_missed",
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "on"], name="contact_worker_on"),
            models.Index(fields=["household", "on"], name="contact_household_on"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.on:%d/%m/%Y}"


class ContactTransition(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("statut précédent", max_length=20, blank=True)
    to_status = models.CharField("nouveau statut", max_length=20)
    on = models.DateField("le")
    at = models.DateTimeField("enregistré le", auto_now_add=True)
    by = _user("par")
    reason = models.CharField("motif", max_length=30, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        ordering = ["on", "at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status} ({self.on:%d/%m/%Y})"


# ---- objectives --------------------------------------------------------------------------


class ObjectiveQuerySet(SupportQuerySet):
    shared_when_referred = True  # by domain and status; the free text needs VIEW_SUPPORT_NOTES


class Objective(models.Model):
    """An objective of the household's support, by domain; closed with an outcome."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_objectives"
    )
    REF_PREFIX = "O"  # core.refs
    ref = models.CharField("référence", max_length=100)
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="objectives"
    )
    domain = models.CharField("domaine", max_length=30, choices=ObjectiveDomain.choices)
    set_on = models.DateField("fixé le")
    due_on = models.DateField("échéance", null=True, blank=True)
    closed_on = models.DateField("clos le", null=True, blank=True)
    outcome = models.CharField(
        "résultat", max_length=20, choices=ObjectiveOutcome.choices, blank=True
    )
    actions = EncryptedTextField("actions prévues", blank=True)
    own_words = EncryptedTextField(
        "les mots du ménage",
        blank=True,
        help_text="Seulement avec l'accord du ménage.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = _version()

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = "objectif d'accompagnement"
        ordering = ["set_on", "id"]
        constraints = [
            _ref_unique("support_objective"),
            models.CheckConstraint(
                condition=(Q(closed_on__isnull=True) & Q(outcome=""))
                | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="objective_outcome_exactly_when_closed",
                violation_error_message="Un objectif clos a un résultat, et seulement lui.",
            ),
        ]

    def __str__(self):
        return f"Objectif « {self.get_domain_display()} » du {self.set_on:%d/%m/%Y}"

    @property
    def is_closed(self):
        return self.closed_on is not None

    def clean(self):
        if self.closed_on and self.set_on and self.closed_on < self.set_on:
            raise ValidationError({"closed_on": "Un objectif ne peut être clos avant d'être fixé."})


# ---- referents and intensity ---------------------------------------------------------------


class ReferentQuerySet(SupportQuerySet):
    shared_when_referred = True

    def on(self, day):
        return self.filter(since__lte=day).filter(Q(until__isnull=True) | Q(until__gt=day))


class Referent(models.Model):
    """A social worker is the household's referent from `since` until `until` (excluded);
    one main referent at a time, and optionally a second one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_referents"
    )
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.CASCADE, related_name="referents"
    )
    worker = models.ForeignKey(
        USER,
        verbose_name="travailleur social",
        on_delete=models.PROTECT,
        related_name="referent_of",
    )
    second = models.BooleanField("second référent", default=False)
    since = models.DateField("depuis le")
    until = models.DateField("jusqu'au (exclu)", null=True, blank=True)

    objects = ReferentQuerySet.as_manager()

    class Meta:
        verbose_name = "référent du ménage"
        ordering = ["since", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=models.F("since")),
                name="referent_until_after_since",
                violation_error_message="La fin de la désignation doit suivre son début.",
            ),
        ]

    def __str__(self):
        return f"Référent{' second' if self.second else ''} depuis le {self.since:%d/%m/%Y}"

    def is_current_on(self, day):
        return self.since <= day and (self.until is None or self.until > day)


class IntensityQuerySet(SupportQuerySet):
    organisation_path = "stay__organisation"
    household_path = "stay__household"
    shared_when_referred = True


class IntensityChange(models.Model):
    """From `since`, the stay's support is of this intensity (the stay's own
    `support_intensity` is the one at entry)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.CASCADE, related_name="intensity_changes"
    )
    since = models.DateField("à partir du")
    intensity = models.CharField("accompagnement", max_length=12, choices=SupportIntensity.choices)

    objects = IntensityQuerySet.as_manager()

    class Meta:
        verbose_name = "changement d'intensité de l'accompagnement"
        ordering = ["since", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stay", "since"],
                name="intensity_one_change_per_day",
                violation_error_message="L'intensité a déjà été changée ce jour-là.",
            )
        ]

    def __str__(self):
        return f"{self.get_intensity_display()} à partir du {self.since:%d/%m/%Y}"


def intensity_on(stay, day, changes=None):
    """The intensity of `stay`'s support on `day`: the last change on or before it, else
    the intensity at entry."""
    changes = stay.intensity_changes.all() if changes is None else changes
    dated = [c for c in changes if c.since <= day]
    if not dated:
        return stay.support_intensity
    return max(dated, key=lambda c: c.since).intensity


# ---- partners: referrals and the path of each adult ---------------------------------------


class PartnerReferral(models.Model):
    """The household is referred to a partner of the organisation (CAF, France Travail, a
    French course…) for a purpose; the result, once known, is dated."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partner_referrals"
    )
    REF_PREFIX = "OP"  # core.refs
    ref = models.CharField("référence", max_length=100)
    household = models.ForeignKey(
        Household,
        verbose_name="ménage",
        on_delete=models.PROTECT,
        related_name="partner_referrals",
    )
    on = models.DateField("orienté le")
    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.PROTECT, related_name="referrals"
    )
    purpose = models.CharField("objet", max_length=20, choices=ReferralPurpose.choices)
    details = EncryptedTextField("précisions", blank=True)
    result = models.CharField(
        "résultat", max_length=20, choices=ReferralResult.choices, default=ReferralResult.PENDING
    )
    result_on = models.DateField("résultat connu le", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = _version()

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation vers un partenaire"
        ordering = ["on", "id"]
        constraints = [
            _ref_unique("partner_referral"),
            models.CheckConstraint(
                condition=(Q(result=ReferralResult.PENDING) & Q(result_on__isnull=True))
                | (~Q(result=ReferralResult.PENDING) & Q(result_on__isnull=False)),
                name="partner_referral_result_dated_when_known",
                violation_error_message="Un résultat connu est daté, et lui seul.",
            ),
            models.CheckConstraint(
                condition=Q(result_on__isnull=True) | Q(result_on__gte=models.F("on")),
                name="partner_referral_result_after_referral",
                violation_error_message="Le résultat ne peut précéder l'orientation.",
            ),
        ]

    def __str__(self):
        return f"Orientation « {self.get_purpose_display()} » du {self.on:%d/%m/%Y}"


class PathRecord(models.Model):
    """A dated record of an adult's path, kept by the organisation that supports the
    household (scoped, shared and anonymised as the household's support)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def path_on(self):
        """The day the record is placed on the person's path."""
        raise NotImplementedError


class EmploymentRecord(PathRecord):
    """From `since`, the person's situation towards employment."""

    since = models.DateField("depuis le")
    situation = models.CharField(
        "situation",
        max_length=20,
        choices=EmploymentSituation.choices,
        default=EmploymentSituation.UNKNOWN,
    )
    employer = EncryptedTextField("employeur", blank=True)

    class Meta:
        verbose_name = "situation d'emploi"
        ordering = ["since", "id"]

    def __str__(self):
        return f"{self.get_situation_display()} depuis le {self.since:%d/%m/%Y}"

    @property
    def path_on(self):
        return self.since


class TrainingRecord(PathRecord):
    """A training the person follows, from `starts_on` to `ends_on` (unknown: going on)."""

    name = EncryptedTextField("intitulé de la formation")
    body = models.ForeignKey(
        Partner,
        verbose_name="organisme de formation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    starts_on = models.DateField("du")
    ends_on = models.DateField("au", null=True, blank=True)

    class Meta:
        verbose_name = "formation"
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="training_ends_after_start",
                violation_error_message="La fin de la formation précède son début.",
            )
        ]

    def __str__(self):
        return f"Formation du {self.starts_on:%d/%m/%Y}"

    @property
    def path_on(self):
        return self.starts_on


class FrenchLevelRecord(PathRecord):
    """The person's level of French (CECRL) as assessed on a day, and by whom."""

    assessed_on = models.DateField("évalué le")
    level = models.CharField(
        "niveau", max_length=12, choices=FrenchLevel.choices, default=FrenchLevel.NOT_ASSESSED
    )
    assessed_by = EncryptedTextField("évalué par", blank=True)

    class Meta:
        verbose_name = "niveau de français"
        ordering = ["assessed_on", "id"]

    def __str__(self):
        return f"Niveau de français {self.level} le {self.assessed_on:%d/%m/%Y}"

    @property
    def path_on(self):
        return self.assessed_on


PATH_MODELS = (EmploymentRecord, TrainingRecord, FrenchLevelRecord)


# ---- programme settings --------------------------------------------------------------------


class SettingsQuerySet(ScopedQuerySet):
    organisation_path = "programme__organisation"
    view_action = Action.VIEW_SUPPORT


class SupportSettings(models.Model):
    """How a programme supports: its target caseload, how a reinforced household counts,
    after how many days without contact a household is flagged."""

    programme = models.OneToOneField(
        Programme,
        verbose_name="dispositif",
        on_delete=models.CASCADE,
        related_name="support_settings",
    )
    households_per_worker = models.PositiveSmallIntegerField(
        "ménages par travailleur social (cible)",
        null=True,
        blank=True,
        help_text="Par exemple 10 pour l'accompagnement social global (1 pour 10).",
    )
    reinforced_weight = models.DecimalField(
        "poids d'un ménage en accompagnement renforcé",
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text="1 : compté comme les autres ; 2 : compte pour deux ménages.",
    )
    no_contact_days = models.PositiveSmallIntegerField(
        "alerte après combien de jours sans contact",
        default=rules.DEFAULT_NO_CONTACT_DAYS,
    )
    annual_budget = models.DecimalField(
        "budget annuel de l'accompagnement (€)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Pour le coût par ménage et par an du tableau de bord.",
    )

    objects = SettingsQuerySet.as_manager()

    class Meta:
        verbose_name = "réglages de l'accompagnement d'un dispositif"

    def __str__(self):
        return f"Accompagnement : {self.programme}"


class CalendarFeed(models.Model):
    """A worker's personal calendar feed: the secret address (a random key, stored only as
    its digest) a diary application subscribes to. One per user; a new key replaces the
    old one, and a revoked feed is deleted. Each fetch is counted and in the access log."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        USER, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    digest = models.CharField("empreinte de la clé", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_fetched_at = models.DateTimeField("dernière lecture", null=True, blank=True)
    fetches = models.PositiveIntegerField("lectures", default=0)

    class Meta:
        verbose_name = "agenda abonnable"

    def __str__(self):
        return f"Agenda abonnable créé le {self.created_at:%d/%m/%Y}"


# ---- monthly reviews -------------------------------------------------------------------------


class ReviewQuerySet(SupportQuerySet):
    view_action = Action.VIEW_REVIEWS

    def shared_with(self, user, scope, action):
        """Scope ``referred``: the reviews a tenancy officer takes part in."""
        if scope == Scope.REFERRED:
            return self.filter(organisation=user.organisation_id, tenancy_officer=user)
        return self.none()


class Review(models.Model):
    """The monthly review of a household by its social worker and the tenancy officer: a
    short structured record, each part a free text (encrypted)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_reviews"
    )
    REF_PREFIX = "RV"  # core.refs
    ref = models.CharField("référence", max_length=100)
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="reviews"
    )
    held_on = models.DateField("le")
    worker = _user("travailleur social", related_name="support_reviews")
    tenancy_officer = _user("régisseur", related_name="joint_reviews")
    others = models.CharField("autres participants", max_length=300, blank=True)
    housing = EncryptedTextField("logement", blank=True)
    budget = EncryptedTextField("budget et loyer", blank=True)
    objectives = EncryptedTextField("objectifs", blank=True)
    risks = EncryptedTextField("risques", blank=True)
    next_steps = EncryptedTextField("prochaines étapes", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = _version()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "revue mensuelle du ménage"
        ordering = ["held_on", "id"]
        constraints = [_ref_unique("support_review")]
        indexes = [models.Index(fields=["household", "held_on"], name="review_household_on")]

    def __str__(self):
        return f"Revue mensuelle du {self.held_on:%d/%m/%Y}"


# ---- meetings of the organisation ----------------------------------------------------------


class MeetingKind(models.TextChoices):
    COORDINATION_CELL = "coordination_cell", "Cellule de coordination"
    STEERING_COMMITTEE = "steering_committee", "Comité de pilotage"


class MeetingQuerySet(ScopedQuerySet):
    view_action = Action.VIEW_MEETINGS


class Meeting(models.Model):
    """A meeting of the organisation: the coordination cell (every six weeks) or the
    steering committee (every six months), with its participants, the households on its
    agenda and its minutes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="support_meetings"
    )
    REF_PREFIX = "RE"  # core.refs
    ref = models.CharField("référence", max_length=100)
    kind = models.CharField("instance", max_length=30, choices=MeetingKind.choices)
    held_on = models.DateField("le")
    participants = models.TextField(
        "participants", blank=True, help_text="Noms et organisations, un par ligne."
    )
    households = models.ManyToManyField(
        Household,
        verbose_name="ménages à l'ordre du jour",
        through="AgendaItem",
        related_name="+",
        blank=True,
    )
    agenda = models.TextField("autres points à l'ordre du jour", blank=True)
    minutes = EncryptedTextField("compte rendu", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = _version()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion"
        ordering = ["-held_on", "-id"]
        constraints = [_ref_unique("support_meeting")]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.held_on:%d/%m/%Y}"


class AgendaItem(models.Model):
    """A household discussed at a meeting (named by its reference only in the minutes)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.CASCADE, related_name="agenda_items"
    )

    class Meta:
        verbose_name = "ménage à l'ordre du jour"
        ordering = ["meeting", "id"]

    def __str__(self):
        return f"Ménage {self.household_id} à l'ordre du jour"
