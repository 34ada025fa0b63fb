"""Programmes, sectors, landlords, housing units and stays, on dated facts."""

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from seuil.core.documents import StoredDocument
from seuil.core.models import Organisation
from seuil.core.policy import Action, Scope, scope_of
from seuil.core.scoping import HouseholdPartQuerySet, ScopedQuerySet
from seuil.households.list_state import refresh_list_state
from seuil.households.models import Household

from .enums import (
    ExitDestination,
    LandlordKind,
    ManagementMode,
    ProgrammeKind,
    SupportIntensity,
    Typology,
)


def ref_unique(model_name):
    return models.UniqueConstraint(
        fields=["organisation", "ref"],
        name=f"{model_name}_ref_unique_per_organisation",
        violation_error_message="Cette référence existe déjà dans l'organisation.",
    )


class OrganisationDataQuerySet(ScopedQuerySet):
    """Reference data of an organisation: visible to whoever sees its stock."""

    view_action = Action.VIEW_UNITS


class Programme(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes"
    )
    ref = models.CharField("référence", max_length=100)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=30, choices=ProgrammeKind.choices, blank=True)
    max_support_months = models.PositiveSmallIntegerField(
        "durée maximale de l'accompagnement (mois)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Depuis l'entrée, avenants compris (18 en IML Réfugiés) ; vide : sans limite.",
    )
    capacity_places = models.PositiveIntegerField(
        "capacité (places)",
        null=True,
        blank=True,
        help_text="Le nombre de personnes que le dispositif peut loger, selon sa convention.",
    )
    capacity_units = models.PositiveIntegerField(
        "capacité (logements)",
        null=True,
        blank=True,
        help_text="Le nombre de logements prévus par la convention.",
    )
    funder = models.CharField(
        "financeur",
        max_length=200,
        blank=True,
        help_text="Par exemple « DDETS de la Somme (BOP 177) ».",
    )

    objects = OrganisationDataQuerySet.as_manager()

    class Meta:
        verbose_name = "dispositif"
        ordering = ["name"]
        constraints = [ref_unique("programme")]

    def __str__(self):
        return self.name


class Sector(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sectors")
    ref = models.CharField("référence", max_length=100)
    name = models.CharField("nom", max_length=200)
    communes = models.JSONField("communes (codes INSEE)", default=list, blank=True)

    objects = OrganisationDataQuerySet.as_manager()

    class Meta:
        verbose_name = "secteur"
        ordering = ["name"]
        constraints = [ref_unique("sector")]

    def __str__(self):
        return self.name


class Landlord(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="landlords"
    )
    ref = models.CharField("référence", max_length=100)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=10, choices=LandlordKind.choices, blank=True)
    account = models.ForeignKey(
        Organisation,
        verbose_name="organisation du bailleur dans Seuil",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="landlord_records",
    )

    objects = OrganisationDataQuerySet.as_manager()

    class Meta:
        verbose_name = "bailleur"
        ordering = ["name"]
        constraints = [ref_unique("landlord")]

    def __str__(self):
        return self.name


class HousingUnitQuerySet(ScopedQuerySet):
    view_action = Action.VIEW_UNITS

    def shared_with(self, user, scope, action):
        """A landlord's own units, whichever operator manages them."""
        if scope == Scope.REFERRED:
            return self.filter(landlord__account_id=user.organisation_id)
        return self.none()

    def lettable(self):
        """Units that are let: rooms and whole dwellings, not dwellings split into rooms."""
        return self.exclude(Exists(HousingUnit.objects.filter(parent=OuterRef("pk"))))

    def in_stock_on(self, day):
        return (
            self.lettable()
            .filter(captured_on__lte=day)
            .filter(Q(returned_on__isnull=True) | Q(returned_on__gt=day))
        )

    def occupied_on(self, day):
        return self.in_stock_on(day).filter(
            Exists(Stay.objects.present_on(day).filter(unit=OuterRef("pk")))
        )

    def vacant_on(self, day):
        return self.in_stock_on(day).exclude(
            Exists(Stay.objects.present_on(day).filter(unit=OuterRef("pk")))
        )

    def returned(self):
        return self.filter(returned_on__isnull=False)

    def with_last_exit(self, day):
        """Annotate `last_exit`, the last exit from each unit on or before `day` (or None),
        and `vacant_from`, the one rule of the day a unit vacant on `day` became vacant:
        the later of its capture and that exit (`HousingUnit.vacant_since` reads it; a
        list orders by it)."""
        last = (
            Stay.objects.filter(unit=OuterRef("pk"), exited_on__lte=day)
            .order_by()
            .values("unit")
            .annotate(last=Max("exited_on"))
            .values("last")
        )
        return self.annotate(last_exit=Subquery(last)).annotate(
            vacant_from=Greatest("captured_on", Coalesce("last_exit", "captured_on"))
        )


class HousingUnit(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="housing_units"
    )
    REF_PREFIX = "L"  # core.refs
    ref = models.CharField("référence", max_length=100)
    programme = models.ForeignKey(
        Programme,
        verbose_name="dispositif",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="housing_units",
    )
    typology = models.CharField("typologie", max_length=4, choices=Typology.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="logement partagé (colocation)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rooms",
    )
    address = models.CharField("adresse", max_length=300, blank=True)
    commune = models.CharField("commune (code INSEE)", max_length=5, blank=True)
    sector = models.ForeignKey(
        Sector,
        verbose_name="secteur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="housing_units",
    )
    landlord = models.ForeignKey(
        Landlord,
        verbose_name="bailleur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="housing_units",
    )
    rent = models.DecimalField(
        "loyer (€/mois)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    charges = models.DecimalField(
        "charges (€/mois)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    surface_m2 = models.DecimalField(
        "surface (m²)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    accessible = models.BooleanField("accessible (PMR)", default=False)
    management_mode = models.CharField(
        "mode de gestion",
        max_length=10,
        choices=ManagementMode.choices,
        default=ManagementMode.SUBLEASE,
    )
    captured_on = models.DateField("capté le")
    returned_on = models.DateField("rendu le", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HousingUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "logement"
        ordering = ["ref"]
        constraints = [
            ref_unique("housing_unit"),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("captured_on")),
                name="unit_returned_not_before_captured",
                violation_error_message="Un logement ne peut être rendu avant d'avoir été capté.",
            ),
        ]

    def __str__(self):
        return f"{self.ref} – {self.get_typology_display()}"

    def get_absolute_url(self):
        return reverse("housing:detail", args=[self.uuid])

    def in_stock_on(self, day):
        return self.captured_on <= day and (self.returned_on is None or self.returned_on > day)

    @property
    def vacant_since(self):
        """The day a vacant unit became vacant: the later of its capture and the last exit
        from it (the queryset must be annotated by `with_last_exit(day)`, which computes
        it)."""
        return self.vacant_from

    @property
    def department(self):
        """The unit's département: from its commune's INSEE code ("80", "2A", overseas
        "974"), else its organisation's; None when neither is known."""
        commune = self.commune.strip()
        if len(commune) == 5:
            return commune[:3] if commune.startswith("97") else commune[:2]
        return self.organisation.department or None


class StayQuerySet(HouseholdPartQuerySet):
    # The households' list state follows the stays on every write, the bulk ones (import)
    # included (`bulk_update` goes through `update`); a single save or delete: the signals
    # of `HousingConfig.ready`.

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        refresh_list_state(s.household_id for s in objs)
        return objs

    def update(self, **kwargs):
        """Also what `bulk_update` runs: the households before and after."""
        rows = dict(self.values_list("pk", "household_id"))
        updated = super().update(**kwargs)
        after = self.model._base_manager.filter(pk__in=rows).values_list("household_id", flat=True)
        refresh_list_state({*rows.values(), *after})
        return updated

    def present_on(self, day):
        return self.filter(entered_on__lte=day).filter(
            Q(exited_on__isnull=True) | Q(exited_on__gt=day)
        )

    def overlapping(self, start, end):
        """Stays sharing at least one day with [start, end) (end None = open).

        Empty stays (exit on the day of entry) occupy no day and overlap nothing.
        """
        if start == end:
            return self.none()
        qs = self.exclude(exited_on=models.F("entered_on")).filter(
            Q(exited_on__isnull=True) | Q(exited_on__gt=start)
        )
        if end is not None:
            qs = qs.filter(entered_on__lt=end)
        return qs


class Stay(models.Model):
    """A household occupies a unit within a programme from `entered_on` to `exited_on`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="stays")
    REF_PREFIX = "S"  # core.refs
    ref = models.CharField("référence", max_length=100)
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="stays"
    )
    unit = models.ForeignKey(
        HousingUnit, verbose_name="logement", on_delete=models.PROTECT, related_name="stays"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="dispositif",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stays",
    )
    entered_on = models.DateField("entrée le")
    exited_on = models.DateField("sortie le", null=True, blank=True)
    exit_destination = models.CharField(
        "destination à la sortie", max_length=30, choices=ExitDestination.choices, blank=True
    )
    lease_transferred = models.BooleanField("glissement de bail", default=False)
    support_intensity = models.CharField(
        "accompagnement",
        max_length=12,
        choices=SupportIntensity.choices,
        default=SupportIntensity.STANDARD,
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        "version", default=1, editable=False, help_text="Augmente à chaque modification."
    )

    objects = StayQuerySet.as_manager()

    class Meta:
        verbose_name = "séjour"
        ordering = ["entered_on", "id"]
        constraints = [
            ref_unique("stay"),
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=models.F("entered_on")),
                name="stay_exit_not_before_entry",
                violation_error_message="La sortie ne peut précéder l'entrée.",
            ),
        ]

    def __str__(self):
        return f"Séjour {self.ref}"

    def is_present_on(self, day):
        return self.entered_on <= day and (self.exited_on is None or self.exited_on > day)


class EvictionProcedureQuerySet(HouseholdPartQuerySet):
    organisation_path = "stay__organisation"
    household_path = "stay__household"

    def active_on(self, day):
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )


class EvictionProcedure(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stay = models.ForeignKey(
        Stay, on_delete=models.CASCADE, related_name="eviction_procedures", verbose_name="séjour"
    )
    started_on = models.DateField("ouverte le")
    ended_on = models.DateField("close le", null=True, blank=True)

    objects = EvictionProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "procédure d'expulsion"
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["stay", "started_on"], name="eviction_one_per_stay_and_day"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="eviction_end_not_before_start",
                violation_error_message="La fin de la procédure ne peut précéder son début.",
            ),
        ]

    def __str__(self):
        return f"Procédure d'expulsion ouverte le {self.started_on:%d/%m/%Y}"


# ---- documents ----------------------------------------------------------------------------


class HousingDocumentQuerySet(models.QuerySet):
    """Documents of units and stays: read by the organisation that manages the unit or the
    stay alone (its users who see its units), never by a landlord's account nor a linked
    organisation."""

    def visible_to(self, user, action=None):
        if user is None or not user.is_authenticated:
            return self.none()
        if scope_of(user, action or Action.VIEW_UNITS) != Scope.OWN:
            return self.none()
        return self.filter(organisation=user.organisation_id)


class HousingDocument(StoredDocument):
    """A document of a unit (its lease with the landlord, photos) or of a stay (the
    household's lease or sub-lease, the entry and exit inspections). Its file is encrypted
    and stored apart (`core.documents`); a stay's documents go with the household's file
    at anonymisation, a unit's stay with the organisation's stock."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="housing_documents"
    )
    unit = models.ForeignKey(
        HousingUnit,
        verbose_name="logement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    stay = models.ForeignKey(
        Stay,
        verbose_name="séjour",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )

    objects = HousingDocumentQuerySet.as_manager()

    class Meta(StoredDocument.Meta):
        verbose_name = "document de logement ou de séjour"
        verbose_name_plural = "documents des logements et des séjours"
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, stay__isnull=True)
                | Q(unit__isnull=True, stay__isnull=False),
                name="housing_document_unit_or_stay",
                violation_error_message="Un document concerne un logement ou un séjour.",
            )
        ]

    def get_download_url(self):
        return reverse("housing:document", args=[self.uuid])

    def get_delete_url(self):
        if self.stay_id:
            return reverse("housing:delete_stay_document", args=[self.stay.uuid, self.uuid])
        return reverse("housing:delete_unit_document", args=[self.unit.uuid, self.uuid])

    @property
    def about_label(self):
        return f"séjour {self.stay.ref}" if self.stay_id else ""
