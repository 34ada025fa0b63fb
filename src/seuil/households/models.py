"""Households, persons and their dated facts (membership, legal status, resources)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from seuil.core.crypto import EncryptedTextField
from seuil.core.documents import StoredDocument
from seuil.core.enums import Role
from seuil.core.models import Organisation
from seuil.core.phones import display_phone, phone_digits
from seuil.core.policy import Action, Scope, scope_of
from seuil.core.scoping import HouseholdPartQuerySet, ScopedQuerySet

from .enums import (
    ConsentScope,
    JoinedReason,
    LegalStatus,
    MemberRole,
    PriorSituation,
    ResourceType,
    Sex,
)
from .languages import language_labels
from .names import search_name


class HouseholdQuerySet(ScopedQuerySet):
    household_path = "pk"

    def shared_with(self, user, scope, action):
        """Households shared beyond their organisation's own staff, checked today:

        - ``referred``: referred to `user` (a psychologist of the household's organisation)
          by a clinical referral active today;
        - ``consented``: with a consent valid today toward `user`'s organisation whose
          scope covers `action` (`CONSENT_SCOPE_ACTIONS`).
        """
        today = timezone.localdate()
        if scope == Scope.REFERRED:
            referrals = ClinicalReferral.objects.active_on(today).filter(
                household=OuterRef("pk"), psychologist=user
            )
            return self.filter(organisation=user.organisation_id).filter(Exists(referrals))
        if scope == Scope.CONSENTED:
            scopes = [s for s, actions in CONSENT_SCOPE_ACTIONS.items() if action in actions]
            consents = Consent.objects.valid_on(today).filter(
                household=OuterRef("pk"), recipient=user.organisation_id, scope__in=scopes
            )
            return self.filter(Exists(consents))
        return self.none()

    def present_on(self, day):
        """Households with a stay present on `day` (entered on or before, not exited yet)."""
        return self.filter(self.housed_on(day))

    def housed_on(self, day):
        """The condition "has a stay present on `day`", to filter or exclude by:
        `pk IN (households of the stays present that day)`.

        The stays are housing's; they are reached through the reverse relation `stays`,
        without importing housing. The subquery names no household of this queryset (never
        `pk IN (households…)`, which would repeat its scope inside); excluded, PostgreSQL
        reads it once into a hash table, whatever it guesses of the other filters."""
        stays = self.model._meta.get_field("stays").related_model._default_manager
        present = stays.filter(entered_on__lte=day).filter(
            Q(exited_on__isnull=True) | Q(exited_on__gt=day)
        )
        return Q(pk__in=present.order_by().values("household_id"))

    def refresh_head_names(self):
        """Store `head_name` of these households (what their memberships and their heads'
        names say now: the head's `Person.search_name`), in one UPDATE."""
        head = Membership.objects.current_heads().filter(household=OuterRef("pk"))
        return self.update(head_name=Subquery(head.values("person__search_name")[:1]))


def refresh_head_names(household_ids):
    """`HouseholdQuerySet.refresh_head_names` of the households of these ids."""
    household_ids = {pk for pk in household_ids if pk is not None}
    if household_ids:
        Household.objects.filter(pk__in=household_ids).refresh_head_names()


def shared_households(user, scope, action):
    """The households shared with `user` beyond its organisation (`HouseholdQuerySet`)."""
    return Household.objects.all().shared_with(user, scope, action)


# The columns of a household written only by what derives them from other records.
DERIVED_FIELDS = (
    "head_name",
    "list_on",
    "list_until",
    "list_presence",
    "list_programme",
    "list_head_status",
    "list_members",
)


def refresh_derived(household_ids):
    """Store what these households' list rows derive from their memberships, stays and
    legal statuses: the head's name (the order) and the list state (the filters)."""
    from .list_state import refresh_list_state

    household_ids = {pk for pk in household_ids if pk is not None}
    refresh_head_names(household_ids)
    refresh_list_state(household_ids)


def refresh_of_persons(person_ids):
    """`list_state.refresh_list_state` of the households these persons are members of
    (their legal statuses changed)."""
    from .list_state import refresh_list_state

    refresh_list_state(
        Membership._base_manager.filter(person_id__in=set(person_ids)).values_list(
            "household_id", flat=True
        )
    )


class Household(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="households"
    )
    REF_PREFIX = "M"  # core.refs
    ref = models.CharField("référence", max_length=100)
    prior_situation = models.CharField(
        "situation avant l'accueil",
        max_length=30,
        choices=PriorSituation.choices,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        "version", default=1, editable=False, help_text="Augmente à chaque modification."
    )
    social_note = EncryptedTextField(
        "note sociale",
        blank=True,
        help_text="L'évaluation écrite pour la commission et les bailleurs ; transmise "
        "seulement avec le consentement du ménage.",
    )
    sensitive_details = EncryptedTextField(
        "informations sensibles : violences, santé",
        blank=True,
        help_text="Jamais transmises hors de l'organisation.",
    )
    anonymised_on = models.DateField("anonymisé le", null=True, blank=True, editable=False)
    # The names of the current head (`MembershipQuerySet.current_heads`) as the search
    # folds them (`Person.search_name`: last name then first name, lower case, no accents:
    # the same order on every database); None without one. It orders the household list
    # (an index, where a subquery per household would read every membership of the list).
    # Derived, never edited: kept by `refresh_head_names` on every write of a membership
    # or of a person's names, the bulk ones included (`MembershipQuerySet`,
    # `PersonQuerySet`, the signals of `HouseholdsConfig.ready`).
    head_name = models.CharField(max_length=320, null=True, blank=True, editable=False)
    # What the list's filters ask of the household on the days ``list_on <= day <
    # list_until`` (`list_state`): housed, gone or never housed, the programme's uuid of
    # its last stay, its head's legal status ("" without one), how many members it has
    # (the persons housed on the home page, not counted one membership at a time across
    # the whole organisation). Derived, never edited: kept
    # by `list_state.refresh_list_state` on every write of what it reads (a row written
    # without them, by hand in SQL, is stale: the filters read their definition for it).
    list_on = models.DateField(null=True, blank=True, editable=False)
    list_until = models.DateField(null=True, blank=True, editable=False)
    list_presence = models.CharField(max_length=8, blank=True, db_default="", editable=False)
    list_programme = models.UUIDField(null=True, blank=True, editable=False)
    list_head_status = models.CharField(max_length=30, blank=True, db_default="", editable=False)
    list_members = models.PositiveIntegerField(db_default=0, editable=False)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "ménage"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "ref"],
                name="household_ref_unique_per_organisation",
                violation_error_message="Cette référence de ménage existe déjà.",
            )
        ]
        indexes = [
            models.Index(fields=["ref"], name="household_ref"),  # the search
            # The list's order within an organisation (`views.household_list`, paged part
            # by part: its own households first walk this index, head_name ascending, no
            # head last).
            models.Index(
                fields=["organisation", "head_name", "id"], name="household_org_list_order"
            ),
            # The households whose list state no longer holds (`list_state.stale_on`).
            models.Index(fields=["list_until"], name="household_list_until"),
            models.Index(fields=["list_on"], name="household_list_on"),
        ]

    def __str__(self):
        head = self.head_on(None)
        return f"Ménage {head.person.full_name}" if head else f"Ménage {self.ref}"

    def save(self, *args, **kwargs):
        # An edit of the household never writes back the head_name and list state it was
        # read with: its members and stays may have changed since (`refresh_head_names`
        # and `list_state.refresh_list_state` write them).
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in DERIVED_FIELDS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("households:detail", args=[self.uuid])

    def members_on(self, day):
        """Memberships active on `day` (all current ones when `day` is None)."""
        return [m for m in self.memberships.all() if m.is_member_on(day)]

    def head_on(self, day):
        return next((m for m in self.members_on(day) if m.role == MemberRole.HEAD), None)

    def legal_status_on(self, day):
        """A household's legal status is its head's."""
        head = self.head_on(day)
        return head.person.legal_status_on(day) if head else None

    def resources_on(self, day):
        """The set of resource types of the last record on or before `day` (None if none)."""
        records = [r for r in self.resource_records.all() if day is None or r.on <= day]
        if not records:
            return None
        return max(records, key=lambda r: r.on).types


# From this age a member is an adult (support follows each adult's path).
ADULT_AGE = 18


class PersonQuerySet(HouseholdPartQuerySet):
    household_path = "memberships__household"
    # A person is recorded by the organisation holding its household (created there,
    # imported there, moved with it when it is handed over).
    held_with_household = True

    def shared_with(self, user, scope, action):
        return self.filter(pk__in=super().shared_with(user, scope, action).values("pk"))

    # `search_name` follows the names on every write, the bulk ones (import, demo) included.

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for person in objs:
            person.refresh_search_name()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if {"first_name", "last_name"} & set(fields):
            for person in objs:
                person.refresh_search_name()
            if "search_name" not in fields:
                fields.append("search_name")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if {"first_name", "last_name"} & set(kwargs) and "search_name" not in kwargs:
            raise TypeError(
                "Person names change through save() or bulk_update(), which keep "
                "search_name up to date."
            )
        if "search_name" not in kwargs:
            return super().update(**kwargs)
        # The households these persons head follow their names (bulk_update too).
        persons = list(self.values_list("pk", flat=True))
        updated = super().update(**kwargs)
        refresh_head_names(
            Membership.objects.filter(person__in=persons).values_list("household_id", flat=True)
        )
        return updated


class Person(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="persons")
    REF_PREFIX = "P"  # core.refs
    ref = models.CharField("référence", max_length=100)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    # The last and first names folded (`names.search_name`), which the search reads; on
    # PostgreSQL a trigram index on (organisation, search_name) makes it fast.
    search_name = models.CharField(max_length=320, blank=True, default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        "version", default=1, editable=False, help_text="Augmente à chaque modification."
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "personne"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "ref"],
                name="person_ref_unique_per_organisation",
                violation_error_message="Cette référence de personne existe déjà.",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "birth_date"], name="person_birth_date"),
            models.Index(fields=["ref"], name="person_ref"),  # the search by reference
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.refresh_search_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def refresh_search_name(self):
        self.search_name = search_name(self.first_name, self.last_name)

    @property
    def full_name(self):
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.ref

    def is_adult_on(self, day):
        """18 or older on `day`; a person of unknown birth date counts as an adult."""
        age = self.age_on(day)
        return age is None or age >= ADULT_AGE

    def age_on(self, day):
        """Age in full years on `day` (birthday rule), None when the birth date is unknown."""
        if self.birth_date is None or day is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def legal_status_on(self, day):
        """The last status whose `since` is on or before `day` (None when there is none)."""
        records = [r for r in self.legal_status_records.all() if day is None or r.since <= day]
        if not records:
            return None
        return max(records, key=lambda r: r.since).status

    def contact_details_on(self, day):
        """The contact details in force on `day`: the last record whose `since` is on or
        before it (None when there is none)."""
        records = [r for r in self.contact_details.all() if day is None or r.since <= day]
        return max(records, key=lambda r: r.since, default=None)


class MembershipQuerySet(HouseholdPartQuerySet):
    organisation_path = "household__organisation"
    # A membership is its household's: held by the organisation holding the household.
    held_with_household = True

    def on(self, day):
        return self.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=day)).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day)
        )

    def current_heads(self):
        """The memberships of the heads still in their household, in membership order: a
        household's first is its head (`Household.head_on(None)`)."""
        return self.filter(role=MemberRole.HEAD, left_on__isnull=True).order_by(
            *self.model._meta.ordering
        )

    def head_names(self, household_ids):
        """{household id: (last name, first name)} of the current head of each household of
        `household_ids` that has one, in one query reading only these columns."""
        heads = {}
        rows = (
            self.current_heads()
            .filter(household_id__in=household_ids)
            .values_list("household_id", "person__last_name", "person__first_name")
        )
        for household_id, last_name, first_name in rows:
            heads.setdefault(household_id, (last_name, first_name))
        return heads

    # The households' `head_name` and list state follow the memberships on every write,
    # the bulk ones (import, demo, merge) included; a single save or delete:
    # `HouseholdsConfig.ready`.

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        refresh_derived(m.household_id for m in objs)
        return objs

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        before = set(
            self.filter(pk__in=[m.pk for m in objs]).values_list("household_id", flat=True)
        )
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        refresh_derived(before | {m.household_id for m in objs})
        return updated

    def update(self, **kwargs):
        rows = dict(self.values_list("pk", "household_id"))
        updated = super().update(**kwargs)
        after = self.model._base_manager.filter(pk__in=rows).values_list("household_id", flat=True)
        refresh_derived({*rows.values(), *after})
        return updated


LEFT_BEFORE_JOINED = "Le départ du ménage ne peut précéder l'arrivée."


class Membership(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=10, choices=MemberRole.choices)
    joined_on = models.DateField(
        "arrivée dans le ménage",
        null=True,
        blank=True,
        help_text="Vide : membre dès la première entrée du ménage.",
    )
    joined_reason = models.CharField(
        "motif d'arrivée", max_length=30, choices=JoinedReason.choices, blank=True
    )
    left_on = models.DateField("départ du ménage", null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "appartenance au ménage"
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person"],
                name="membership_unique_person_per_household",
                violation_error_message="Cette personne est déjà membre de ce ménage.",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_not_before_joined",
                violation_error_message=LEFT_BEFORE_JOINED,
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def is_member_on(self, day):
        if day is None:
            return self.left_on is None
        return (self.joined_on is None or self.joined_on <= day) and (
            self.left_on is None or self.left_on > day
        )


class LegalStatusQuerySet(HouseholdPartQuerySet):
    organisation_path = "person__organisation"
    household_path = "person__memberships__household"

    def shared_with(self, user, scope, action):
        return self.filter(pk__in=super().shared_with(user, scope, action).values("pk"))

    # The households' list state follows the legal statuses on every write, the bulk ones
    # (import, demo) included (`bulk_update` goes through `update`); a single save or
    # delete: `HouseholdsConfig.ready`.

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        refresh_of_persons(r.person_id for r in objs)
        return objs

    def update(self, **kwargs):
        """Also what `bulk_update` runs: the persons before and after."""
        rows = dict(self.values_list("pk", "person_id"))
        updated = super().update(**kwargs)
        after = self.model._base_manager.filter(pk__in=rows).values_list("person_id", flat=True)
        refresh_of_persons({*rows.values(), *after})
        return updated


class LegalStatusRecord(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="legal_status_records"
    )
    since = models.DateField("depuis le")
    status = models.CharField("statut", max_length=30, choices=LegalStatus.choices)

    objects = LegalStatusQuerySet.as_manager()

    class Meta:
        verbose_name = "statut administratif"
        ordering = ["since"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "since"],
                name="legal_status_one_per_day",
                violation_error_message="Un statut est déjà enregistré à cette date.",
            )
        ]

    def __str__(self):
        return f"{self.get_status_display()} depuis le {self.since:%d/%m/%Y}"


class ResourceQuerySet(HouseholdPartQuerySet):
    organisation_path = "household__organisation"


class ResourceRecord(models.Model):
    """The household's resources from `on`: a set of resource types."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="resource_records"
    )
    on = models.DateField("à partir du")
    types = models.JSONField("types de ressources", default=list)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = "ressources"
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "on"],
                name="resources_one_per_day",
                violation_error_message="Des ressources sont déjà enregistrées à cette date.",
            )
        ]

    def __str__(self):
        return f"{', '.join(self.type_labels())} au {self.on:%d/%m/%Y}"

    @property
    def combination(self):
        return "+".join(sorted(self.types))

    def type_labels(self):
        labels = dict(ResourceType.choices)
        return [labels.get(t, t) for t in sorted(self.types)]


# ---- consents (RGPD, CASF) ------------------------------------------------------------

# The policy actions each consent scope opens to its recipient organisation.
CONSENT_SCOPE_ACTIONS = {
    ConsentScope.SOCIAL_NOTE: {Action.VIEW_SOCIAL_NOTE},
    ConsentScope.MOBILITY_FILE: {
        Action.VIEW_HOUSEHOLDS,
        Action.VIEW_SOCIAL_NOTE,
        Action.RUN_MATCHING,  # offered homes in other départements
    },
}


class ConsentQuerySet(HouseholdPartQuerySet):
    organisation_path = "household__organisation"
    view_action = Action.RECORD_CONSENT

    def valid_on(self, day):
        """Consents valid on `day`: given on or before it, expiring on or after it (valid
        through `expires_on`), and not revoked on or before it."""
        return self.filter(given_on__lte=day, expires_on__gte=day).filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)
        )


class Consent(models.Model):
    """A household's consent to share part of its file with another organisation."""

    class Status(models.TextChoices):
        VALID = "valid", "Valide"
        UPCOMING = "upcoming", "À venir"
        EXPIRED = "expired", "Expiré"
        REVOKED = "revoked", "Retiré"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField("objet du consentement", max_length=30, choices=ConsentScope.choices)
    recipient = models.ForeignKey(
        Organisation,
        verbose_name="destinataire",
        on_delete=models.PROTECT,
        related_name="consents_received",
    )
    given_on = models.DateField("donné le")
    expires_on = models.DateField("expire le", help_text="Dernier jour de validité.")
    revoked_on = models.DateField("retiré le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)
    comment = models.TextField("commentaire", blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = "consentement"
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("given_on")),
                name="consent_expires_not_before_given",
                violation_error_message="La fin de validité ne peut précéder la date du "
                "consentement.",
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=models.F("given_on")),
                name="consent_revoked_not_before_given",
                violation_error_message="Le retrait ne peut précéder la date du consentement.",
            ),
        ]

    def __str__(self):
        return f"{self.get_scope_display()} à {self.recipient} ({self.given_on:%d/%m/%Y})"

    def status_on(self, day):
        if self.revoked_on is not None and self.revoked_on <= day:
            return self.Status.REVOKED
        if self.expires_on < day:
            return self.Status.EXPIRED
        if self.given_on > day:
            return self.Status.UPCOMING
        return self.Status.VALID

    def is_valid_on(self, day):
        return self.status_on(day) == self.Status.VALID


# ---- psychologist: referrals and clinical notes ---------------------------------------


class ClinicalReferralQuerySet(HouseholdPartQuerySet):
    organisation_path = "household__organisation"
    view_action = Action.REFER_TO_PSYCHOLOGIST

    def active_on(self, day):
        """Referrals in force on `day` (one ended on `day` no longer is)."""
        return self.filter(referred_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class ClinicalReferral(models.Model):
    """A service manager refers a household to a psychologist of the organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="clinical_referrals"
    )
    psychologist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="psychologue",
        on_delete=models.PROTECT,
        related_name="clinical_referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="adressé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referred_on = models.DateField("adressé le")
    ended_on = models.DateField("fin du suivi", null=True, blank=True)

    objects = ClinicalReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation vers un·e psychologue"
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("referred_on")),
                name="clinical_referral_ended_not_before_referred",
                violation_error_message="La fin du suivi ne peut précéder l'orientation.",
            ),
            models.UniqueConstraint(
                fields=["household", "psychologist"],
                condition=Q(ended_on__isnull=True),
                name="clinical_referral_one_open_per_psychologist",
                violation_error_message="Ce ménage est déjà adressé à cette personne.",
            ),
        ]

    def __str__(self):
        return f"Orientation du {self.referred_on:%d/%m/%Y}"

    def clean(self):
        psychologist = self.psychologist if self.psychologist_id else None
        if psychologist is not None and (
            psychologist.role != Role.PSYCHOLOGIST
            or psychologist.organisation_id != self.household.organisation_id
        ):
            raise ValidationError(
                {"psychologist": "Choisissez un·e psychologue de l'organisation du ménage."}
            )

    def is_active_on(self, day):
        return self.referred_on <= day and (self.ended_on is None or self.ended_on > day)


class ClinicalNoteQuerySet(HouseholdPartQuerySet):
    """Clinical notes, as `visible_to` reaches them: the notes of the households referred
    to the user today (the policy's scope), and of those only the notes the user wrote or
    that their author shares with the user (`ClinicalNoteShare`, not revoked)."""

    organisation_path = "household__organisation"
    view_action = Action.VIEW_CLINICAL_NOTES

    def visible_to(self, user, action=None):
        return super().visible_to(user, action).readable_by(user)

    def readable_by(self, user):
        """The notes `user` wrote, and those shared with `user` and not revoked."""
        if user is None or not user.is_authenticated:
            return self.none()
        shares = ClinicalNoteShare.objects.active().filter(note=OuterRef("pk"), psychologist=user)
        return self.filter(Q(author=user) | Exists(shares))


class ClinicalNote(models.Model):
    """A psychologist's note: encrypted, readable by its author and by the psychologists
    (the household referred to them too) with whom the author shares it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="clinical_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    written_at = models.DateTimeField("écrite le", default=timezone.now)
    text = EncryptedTextField("note")

    objects = ClinicalNoteQuerySet.as_manager()

    class Meta:
        verbose_name = "note clinique"
        ordering = ["-written_at", "-id"]

    def __str__(self):
        return f"Note clinique du {timezone.localtime(self.written_at):%d/%m/%Y %H:%M}"


# ---- sharing between organisations: links and handovers -------------------------------


class LinkReason(models.TextChoices):
    REQUEST = "request", "Demande d'orientation reçue"
    REFERRAL = "referral", "Orientation admise vers un de ses dispositifs"
    STAY = "stay", "Séjour dans un de ses logements"
    HANDOVER = "handover", "Ancien détenteur du dossier (transmission)"


class HouseholdLinkQuerySet(models.QuerySet):
    def live_on(self, day):
        """Links in force on `day`: from `valid_from`, until the day before `valid_until`."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=day)
        )


class HouseholdLink(models.Model):
    """An organisation linked to a household it does not hold, for a reason and a time.

    Derived from the records that make the link (`households.links`): never written by
    hand, refreshed by the actions that create and close those records. Scope ``linked``
    (`core.policy`) reads them.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="household_links"
    )
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="links")
    reason = models.CharField("motif", max_length=20, choices=LinkReason.choices)
    source = models.UUIDField("enregistrement à l'origine du lien")
    valid_from = models.DateField("depuis le")
    valid_until = models.DateField(
        "jusqu'au", null=True, blank=True, help_text="Premier jour sans accès."
    )

    objects = HouseholdLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "lien avec un ménage"
        verbose_name_plural = "liens avec des ménages"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "household", "reason", "source"],
                name="household_link_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "valid_until", "valid_from", "household"],
                name="household_link_scope",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} : {self.organisation}"


class HandoverQuerySet(ScopedQuerySet):
    organisation_path = "from_organisation"
    view_action = Action.HAND_OVER


class Handover(models.Model):
    """A household's file handed over from one organisation to another (`links.hand_over`).

    What stayed with the former holder is kept here, encrypted, readable by it alone: the
    sensitive details always, the social note unless the household agreed to its transfer.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="handovers")
    from_organisation = models.ForeignKey(
        Organisation,
        verbose_name="ancien détenteur",
        on_delete=models.PROTECT,
        related_name="handovers_given",
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name="nouveau détenteur",
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    on = models.DateField("transmis le")
    reason = models.TextField("motif de la transmission")
    social_note_transferred = models.BooleanField(
        "note sociale transmise (consentement du ménage)", default=False
    )
    kept_social_note = EncryptedTextField("note sociale gardée", blank=True)
    kept_sensitive_details = EncryptedTextField("informations sensibles gardées", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = "transmission de dossier"
        verbose_name_plural = "transmissions de dossiers"
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"Transmission du {self.on:%d/%m/%Y} à {self.to_organisation}"


class ClinicalNoteShareQuerySet(models.QuerySet):
    def active(self):
        """Shares in force: not revoked."""
        return self.filter(revoked_at__isnull=True)


class ClinicalNoteShare(models.Model):
    """The author of a clinical note lets another psychologist read it (one the household
    is referred to as well, a colleague taking over the follow-up, say). The author alone
    shares and revokes (`services.share_clinical_note`); the share reads nothing by itself:
    the psychologist also needs the household referred to them on the day of reading."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(ClinicalNote, on_delete=models.CASCADE, related_name="shares")
    psychologist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="partagée avec",
        on_delete=models.PROTECT,
        related_name="+",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="partagée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shared_at = models.DateTimeField("partagée le", default=timezone.now)
    revoked_at = models.DateTimeField("partage retiré le", null=True, blank=True)

    objects = ClinicalNoteShareQuerySet.as_manager()

    class Meta:
        verbose_name = "partage d'une note clinique"
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["note", "psychologist"],
                condition=Q(revoked_at__isnull=True),
                name="clinical_note_share_one_active_per_psychologist",
                violation_error_message="Cette note est déjà partagée avec cette personne.",
            ),
        ]

    def __str__(self):
        return f"Partage de la note clinique du {timezone.localtime(self.note.written_at):%d/%m/%Y}"


# ---- merging duplicate files ------------------------------------------------------------


class FileMergeQuerySet(ScopedQuerySet):
    view_action = Action.MERGE_HOUSEHOLDS


class FileMerge(models.Model):
    """Two files of one organisation merged into one (`households.merging`): two
    households, or two persons of a household. The absorbed file is gone; what restores
    both files is kept, encrypted, in `undo_data` until `undo_until`, then forgotten (the
    record itself stays: the kept file's history reads the absorbed one's through it)."""

    class Kind(models.TextChoices):
        HOUSEHOLD = "household", "Ménages"
        PERSON = "person", "Personnes"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("dossiers fusionnés", max_length=10, choices=Kind.choices)
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.CASCADE, related_name="merges"
    )
    kept_uuid = models.UUIDField("dossier gardé")
    kept_ref = models.CharField("référence du dossier gardé", max_length=100)
    absorbed_uuid = models.UUIDField("dossier fusionné", db_index=True)
    absorbed_ref = models.CharField("référence du dossier fusionné", max_length=100)
    merged_at = models.DateTimeField("fusionnés le", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undo_until = models.DateTimeField("annulable jusqu'au")
    undo_data = EncryptedTextField("données d'annulation", null=True, blank=True)
    undone_at = models.DateTimeField("annulée le", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="annulée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FileMergeQuerySet.as_manager()

    class Meta:
        verbose_name = "fusion de dossiers"
        verbose_name_plural = "fusions de dossiers"
        ordering = ["-merged_at", "-id"]

    def __str__(self):
        return f"Fusion du dossier {self.absorbed_ref} dans {self.kept_ref}"


# ---- contact details and languages (dated) ---------------------------------------------


class ContactDetailsQuerySet(HouseholdPartQuerySet):
    organisation_path = "person__organisation"
    household_path = "person__memberships__household"

    def shared_with(self, user, scope, action):
        return self.filter(pk__in=super().shared_with(user, scope, action).values("pk"))

    def current_on(self, day):
        """Each person's record in force on `day`: the last one whose `since` is on or
        before it (one row per person at most)."""
        later = self.model.objects.filter(
            person=OuterRef("person"), since__lte=day, since__gt=OuterRef("since")
        )
        return self.filter(since__lte=day).exclude(Exists(later))


class ContactDetails(models.Model):
    """A person's contact details and languages from `since`: a new record is added when
    they change (a new phone, a move), the previous ones kept as history.

    Not encrypted: like the name and the birth date, they identify the person and are
    searched (the phone); Seuil encrypts the most sensitive free text only (`core.crypto`).
    `phone_digits` holds the digits of every phone of the record, each between spaces
    (`` 33612345678 33145678901 ``), so that a search finds a number typed in any form
    (`core.phones.normalise_phone`, then `phone_digits`) with one indexed column."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_details")
    since = models.DateField("à partir du")
    phones = models.JSONField(
        "téléphones", default=list, blank=True, help_text="Au format international E.164."
    )
    phone_digits = models.CharField(
        "chiffres des téléphones", max_length=100, blank=True, editable=False, db_index=True
    )
    email = models.EmailField("adresse e-mail", blank=True)
    postal_address = models.TextField(
        "adresse postale",
        blank=True,
        max_length=500,
        help_text="Pour le courrier : domiciliation, boîte postale ou logement.",
    )
    languages = models.JSONField("langues parlées", default=list, blank=True)
    interpreter_needed = models.BooleanField("besoin d'un interprète", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    objects = ContactDetailsQuerySet.as_manager()

    class Meta:
        verbose_name = "coordonnées et langues"
        verbose_name_plural = "coordonnées et langues"
        ordering = ["since"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "since"],
                name="contact_details_one_per_day",
                violation_error_message="Des coordonnées sont déjà enregistrées à cette date.",
            )
        ]

    def __str__(self):
        return f"Coordonnées au {self.since:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.phone_digits = "".join(f" {phone_digits(p)} " for p in self.phones)[:100]
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_digits"}
        super().save(*args, **kwargs)

    def phone_labels(self):
        return [display_phone(p) for p in self.phones]

    def language_labels(self):
        return language_labels(self.languages)


# ---- documents ----------------------------------------------------------------------------


class HouseholdDocumentQuerySet(HouseholdPartQuerySet):
    """Documents of a household and of its members: read by the organisation that holds the
    file alone (its users who see its households), never by a linked organisation, a
    consented partner or a psychologist: identity documents and permits do not travel."""

    organisation_path = "household__organisation"

    def visible_to(self, user, action=None):
        if user is None or not user.is_authenticated:
            return self.none()
        if scope_of(user, action or self.view_action) not in (Scope.OWN, Scope.LINKED):
            return self.none()
        return self.filter(household__organisation=user.organisation_id)


class HouseholdDocument(StoredDocument):
    """A document of a household's file: about the household, or one of its members
    (`person`). Its file is encrypted and stored apart (`core.documents`)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="documents")
    person = models.ForeignKey(
        Person,
        verbose_name="personne concernée",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )

    objects = HouseholdDocumentQuerySet.as_manager()

    def get_download_url(self):
        return reverse("households:document", args=[self.household.uuid, self.uuid])

    def get_delete_url(self):
        return reverse("households:delete_document", args=[self.household.uuid, self.uuid])

    @property
    def about_label(self):
        return self.person.full_name if self.person_id else "le ménage"

    class Meta(StoredDocument.Meta):
        verbose_name = "document du ménage"
        verbose_name_plural = "documents des ménages"
        indexes = [models.Index(fields=["kind", "expires_on"], name="household_document_expiry")]
