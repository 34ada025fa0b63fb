"""Households, persons and their dated facts (membership, legal status, resources)."""

import uuid

from django.db import models
from django.db.models import Q

from seuil.core.models import Organisation
from seuil.core.scoping import HouseholdPartQuerySet, ScopedQuerySet

from .enums import JoinedReason, LegalStatus, MemberRole, PriorSituation, ResourceType, Sex


class HouseholdQuerySet(ScopedQuerySet):
    def shared_with(self, user, scope, action):
        """Households referred to a psychologist, or consenting to share with `user`."""
        return self.none()

    def present_on(self, day):
        """Households with a stay present on `day`."""
        from seuil.housing.models import Stay

        return self.filter(pk__in=Stay.objects.present_on(day).values("household_id"))


class Household(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="households"
    )
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

    def __str__(self):
        head = self.head_on(None)
        return f"Ménage {head.person.full_name}" if head else f"Ménage {self.ref}"

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


class PersonQuerySet(HouseholdPartQuerySet):
    household_path = "memberships__household"

    def shared_with(self, user, scope, action):
        return self.filter(pk__in=super().shared_with(user, scope, action).values("pk"))


class Person(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="persons")
    ref = models.CharField("référence", max_length=100)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
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

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.ref

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


class MembershipQuerySet(HouseholdPartQuerySet):
    organisation_path = "household__organisation"

    def on(self, day):
        return self.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=day)).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day)
        )


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
                violation_error_message="Le départ du ménage ne peut précéder l'arrivée.",
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
