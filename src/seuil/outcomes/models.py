"""What became of a household after its exit, and how the exit was prepared.

- `FollowUp`: the answers of one follow-up after exit (the national mobility survey's
  questions), on a stay that has ended, dated after its exit;
- `ExitChecklist`: the exit preparation of one stay, each item dated when done;
- `FollowUpLink`: a one-time link through which a household answers a follow-up itself,
  without an account (only the hash of its token is kept; it expires; it is used once);
- national mobility: `MobilityFile` (a household's path from a departure shelter to an
  arrival operator, step by step: `MOBILITY_TRANSITIONS`), its `ThreeWayMeeting`s, and
  the platform's `TerritorySheet`s.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from seuil.core.crypto import EncryptedTextField
from seuil.core.models import Organisation
from seuil.core.policy import Action, Scope
from seuil.core.scoping import HouseholdPartQuerySet, ScopedQuerySet
from seuil.core.transitions import StateMachine
from seuil.households.models import Consent, Household
from seuil.housing.models import Stay
from seuil.orientation.models.common import Transition

from .enums import (
    DEPARTURE_SEES,
    MOBILITY_TRANSITIONS,
    AnsweredBy,
    DebtStatus,
    HandoverPartner,
    LeavingReason,
    MeetingOutcome,
    MobilityStatus,
)


def answer(label):
    """A yes / no answer that may be unknown (null)."""
    return models.BooleanField(label, null=True, blank=True)


def score(label):
    """A satisfaction score from 1 to 5, or unknown (null)."""
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, choices=[(n, str(n)) for n in range(1, 6)]
    )


class FollowUpQuerySet(HouseholdPartQuerySet):
    household_path = "stay__household"
    view_action = Action.VIEW_FOLLOW_UPS


class FollowUp(models.Model):
    """One follow-up after exit: what the household answered on `on`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The stay's organisation (the operator that ran it): refs are unique within it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="follow_ups"
    )
    REF_PREFIX = "F"  # core.refs
    ref = models.CharField("référence", max_length=100)
    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.CASCADE, related_name="follow_ups"
    )
    on = models.DateField("date du suivi")
    housed = answer("toujours logé")
    same_home = answer("dans le même logement")
    same_commune = answer("dans la même commune")
    employed = answer("en emploi")
    in_training = answer("en formation")
    satisfaction = score("satisfaction à l'égard du logement (1 à 5)")
    support_satisfaction = score("satisfaction à l'égard de l'accompagnement (1 à 5)")
    reason_for_leaving = models.CharField(
        "raison du départ du logement",
        max_length=20,
        choices=LeavingReason.choices,
        blank=True,
    )
    returned_to_shelter_or_street = answer("retour à l'hébergement ou à la rue")
    answered_by = models.CharField(
        "réponse", max_length=10, choices=AnsweredBy.choices, default=AnsweredBy.WORKER
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = "suivi après la sortie"
        verbose_name_plural = "suivis après la sortie"
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "ref"],
                name="follow_up_ref_unique_per_organisation",
                violation_error_message="Cette référence existe déjà dans l'organisation.",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="follow_up_satisfaction_1_to_5",
                violation_error_message="La satisfaction se note de 1 à 5.",
            ),
            models.CheckConstraint(
                condition=Q(support_satisfaction__isnull=True)
                | Q(support_satisfaction__gte=1, support_satisfaction__lte=5),
                name="follow_up_support_satisfaction_1_to_5",
                violation_error_message="La satisfaction se note de 1 à 5.",
            ),
        ]

    def __str__(self):
        return f"Suivi du {self.on:%d/%m/%Y}"


class ExitChecklistQuerySet(HouseholdPartQuerySet):
    household_path = "stay__household"
    view_action = Action.PREPARE_EXIT


# The items of the exit checklist: (code, French label, the date field that says it is done).
CHECKLIST_ITEMS = (
    ("social_housing_application", "Demande de logement social (numéro unique)", "applied_on"),
    ("sliding_lease", "Accord du bailleur pour le glissement du bail", "sliding_lease_agreed_on"),
    ("pre_exit_inspection", "Pré-état des lieux", "pre_exit_inspection_on"),
    ("debts", "Dettes soldées ou plan d'apurement", "debts_checked_on"),
    ("insurance", "Assurance habitation", "insurance_on"),
    ("caf", "CAF informée de la nouvelle adresse", "caf_informed_on"),
    ("school", "École transférée", "school_transferred_on"),
    ("doctor", "Médecin traitant transféré", "doctor_transferred_on"),
    ("handover", "Rencontre de passage de relais", "handover_meeting_on"),
)
ITEM_CODES = tuple(code for code, _, _ in CHECKLIST_ITEMS)


class ExitChecklist(models.Model):
    """The preparation of a stay's exit, filled by the social worker and the tenancy
    officer from `starts_on`: each item is done on its date, or marked as not applying."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="exit_checklists"
    )
    stay = models.OneToOneField(
        Stay, verbose_name="séjour", on_delete=models.CASCADE, related_name="exit_checklist"
    )
    starts_on = models.DateField(
        "préparation de la sortie à partir du",
        help_text="Par défaut trois mois avant la fin du contrat d'accompagnement.",
    )
    social_housing_number = models.CharField(
        "numéro unique de demande de logement social", max_length=30, blank=True
    )
    applied_on = models.DateField("demande de logement social déposée le", null=True, blank=True)
    sliding_lease_agreed_on = models.DateField(
        "accord du bailleur pour le glissement du bail le", null=True, blank=True
    )
    pre_exit_inspection_on = models.DateField("pré-état des lieux le", null=True, blank=True)
    debt_status = models.CharField("dettes", max_length=10, choices=DebtStatus.choices, blank=True)
    debts_checked_on = models.DateField("dettes soldées ou plan signé le", null=True, blank=True)
    insurance_on = models.DateField("assurance habitation souscrite le", null=True, blank=True)
    caf_informed_on = models.DateField(
        "CAF informée de la nouvelle adresse le", null=True, blank=True
    )
    school_transferred_on = models.DateField("école transférée le", null=True, blank=True)
    doctor_transferred_on = models.DateField("médecin traitant transféré le", null=True, blank=True)
    handover_meeting_on = models.DateField(
        "rencontre de passage de relais le", null=True, blank=True
    )
    handover_partner = models.CharField(
        "avec", max_length=12, choices=HandoverPartner.choices, blank=True
    )
    handover_note = EncryptedTextField(
        "note de passage de relais",
        blank=True,
        help_text="Transmise seulement si le ménage y consent.",
    )
    handover_note_consent = models.BooleanField(
        "le ménage consent à la transmission de la note", default=False
    )
    not_applicable = models.JSONField(
        "sans objet", default=list, blank=True, help_text="Codes des éléments sans objet."
    )
    missing_at_exit = models.JSONField(
        "manquants à la sortie",
        null=True,
        blank=True,
        help_text="Codes des éléments qui manquaient quand la sortie a été enregistrée.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    objects = ExitChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = "préparation de la sortie"
        verbose_name_plural = "préparations de la sortie"

    def __str__(self):
        return f"Préparation de la sortie ({self.stay})"

    def done_on(self, code):
        field = next(f for c, _, f in CHECKLIST_ITEMS if c == code)
        return getattr(self, field)

    def missing(self):
        """[(code, label)] of the items neither done nor marked as not applying."""
        skipped = set(self.not_applicable or ())
        return [
            (code, label)
            for code, label, field in CHECKLIST_ITEMS
            if code not in skipped and getattr(self, field) is None
        ]


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class FollowUpLinkQuerySet(HouseholdPartQuerySet):
    household_path = "stay__household"
    view_action = Action.RECORD_FOLLOW_UP

    def by_token(self, token):
        """The link of `token` (its hash), whatever its state; None when there is none."""
        if not isinstance(token, str) or not 20 <= len(token) <= 100:
            return None
        return self.filter(token_hash=hash_token(token)).first()


class FollowUpLink(models.Model):
    """A household's one-time link to answer a follow-up of a stay itself."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="follow_up_links"
    )
    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.CASCADE, related_name="follow_up_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    follow_up = models.OneToOneField(
        FollowUp,
        verbose_name="suivi enregistré",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="link",
    )

    objects = FollowUpLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "lien de suivi"
        verbose_name_plural = "liens de suivi"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Lien de suivi créé le {self.created_at:%d/%m/%Y}"

    def usable_at(self, moment):
        return self.used_at is None and moment < self.expires_at


# ---------------------------------------------------------------- national mobility


class MobilityFileQuerySet(ScopedQuerySet):
    """Who sees a mobility file (issue 17, roles): the departure shelter until the move
    (scope ``own``: its households' files, `DEPARTURE_SEES`), the arrival operator from
    the handover of the file on (scope ``own``: once the file was sent to it), the platform
    every file of the households that consented to it (scope ``consented``: a valid
    `mobility_file` consent to the platform)."""

    household_path = "household"
    view_action = Action.VIEW_MOBILITY

    def own_q(self, organisation_id):
        return Q(departure=organisation_id, status__in=DEPARTURE_SEES) | Q(
            arrival=organisation_id, file_sent_on__isnull=False
        )

    def linked_q(self, organisation_id):
        return self.own_q(organisation_id)

    def shared_with(self, user, scope, action):
        if scope != Scope.CONSENTED:
            return self.none()
        consents = Consent.objects.valid_on(timezone.localdate()).filter(
            household=models.OuterRef("household"),
            recipient=user.organisation_id,
            scope="mobility_file",
        )
        return self.filter(platform=user.organisation_id).filter(models.Exists(consents))

    def of_party(self, organisation_id):
        """The files where the organisation is the platform, the departure or the arrival."""
        return self.filter(
            Q(platform=organisation_id) | Q(departure=organisation_id) | Q(arrival=organisation_id)
        )


class MobilityFile(models.Model):
    """A household's national mobility path, from a departure shelter to an arrival
    operator, followed by the national platform; each step dated, with who did it (its
    transition log)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    REF_PREFIX = "MOB"  # core.refs
    ref = models.CharField("référence", max_length=100, unique=True)
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="mobility_files"
    )
    platform = models.ForeignKey(
        Organisation,
        verbose_name="plateforme",
        on_delete=models.PROTECT,
        related_name="mobility_files_followed",
    )
    departure = models.ForeignKey(
        Organisation,
        verbose_name="structure de départ",
        on_delete=models.PROTECT,
        related_name="mobility_files_departing",
    )
    arrival = models.ForeignKey(
        Organisation,
        verbose_name="opérateur d'arrivée",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mobility_files_arriving",
    )
    departure_department = models.CharField("département de départ", max_length=3)
    arrival_department = models.CharField("département d'arrivée", max_length=3, blank=True)
    arrival_commune = models.CharField("commune d'arrivée (code INSEE)", max_length=5, blank=True)
    status = models.CharField(
        "étape", max_length=12, choices=MobilityStatus.choices, default=MobilityStatus.INFORMATION
    )
    opened_on = models.DateField("ouvert le")
    file_sent_on = models.DateField("dossier transmis le", null=True, blank=True)
    file_received_on = models.DateField("réception du dossier le", null=True, blank=True)
    transmitted = models.JSONField("parties transmises", default=list, blank=True)
    travel_booked_on = models.DateField("voyage réservé le", null=True, blank=True)
    moved_on = models.DateField("déménagement le", null=True, blank=True)
    welcomed_on = models.DateField("accueil à l'arrivée le", null=True, blank=True)
    stepping_stone_until = models.DateField(
        "logement tremplin jusqu'au",
        null=True,
        blank=True,
        help_text="Logement temporaire quand le logement définitif n'est pas prêt.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    objects = MobilityFileQuerySet.as_manager()
    state_machine = StateMachine(
        MOBILITY_TRANSITIONS, noun="Un parcours de mobilité", household="household"
    )

    class Meta:
        verbose_name = "parcours de mobilité nationale"
        verbose_name_plural = "parcours de mobilité nationale"
        ordering = ["-opened_on", "-id"]

    def __str__(self):
        return f"Parcours de mobilité {self.ref}"

    def party_of(self, organisation_id):
        """The parties (`MobilityParty`) the organisation plays in this file."""
        parties = set()
        if organisation_id == self.platform_id:
            parties.add("platform")
        if organisation_id == self.departure_id:
            parties.add("departure")
        if organisation_id is not None and organisation_id == self.arrival_id:
            parties.add("arrival")
        return parties


class MobilityTransition(Transition):
    """One step of a mobility path: from, to, on which day, by whom, why."""

    file = models.ForeignKey(MobilityFile, on_delete=models.CASCADE, related_name="transitions")

    class Meta(Transition.Meta):
        verbose_name = "étape d'un parcours de mobilité"


class ThreeWayMeeting(models.Model):
    """A video meeting of the departure shelter, the arrival operator and the household
    (an interpreter when needed), planned then held, with its outcome."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.ForeignKey(MobilityFile, on_delete=models.CASCADE, related_name="meetings")
    planned_on = models.DateField("prévue le")
    held_on = models.DateField("tenue le", null=True, blank=True)
    interpreter_language = models.CharField(
        "interprète (langue)", max_length=50, blank=True, help_text="Vide : sans interprète."
    )
    outcome = models.CharField("issue", max_length=12, choices=MeetingOutcome.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "rencontre à trois"
        ordering = ["planned_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | Q(outcome__gt=""),
                name="meeting_held_has_an_outcome",
                violation_error_message="Une rencontre tenue a une issue.",
            )
        ]

    def __str__(self):
        return f"Rencontre à trois du {self.planned_on:%d/%m/%Y}"


class TerritorySheetQuerySet(ScopedQuerySet):
    """Sheets hold no personal data: every signed-in user reads them (`action` None); the
    platform alone changes its own (MANAGE_TERRITORY_SHEETS, scope ``own``)."""

    organisation_path = "platform"
    view_action = Action.MANAGE_TERRITORY_SHEETS

    def visible_to(self, user, action=None):
        if action is None:
            return self.all() if user is not None and user.is_authenticated else self.none()
        return super().visible_to(user, action)


class TerritorySheet(models.Model):
    """What the platform tells households about a territory (a département), in plain
    French; printable. No photo."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    platform = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="territory_sheets"
    )
    department = models.CharField("département", max_length=3)
    name = models.CharField("territoire", max_length=200)
    employment = models.TextField("emploi", blank=True)
    transport = models.TextField("transports", blank=True)
    schools = models.TextField("écoles", blank=True)
    french_courses = models.TextField("cours de français", blank=True)
    health = models.TextField("santé", blank=True)
    climate = models.TextField("climat", blank=True)
    updated_on = models.DateField("mise à jour le", auto_now=True)

    objects = TerritorySheetQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche territoire"
        ordering = ["department"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "department"],
                name="territory_sheet_one_per_department",
                violation_error_message="Ce département a déjà sa fiche.",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.department})"
