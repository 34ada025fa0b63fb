"""Sub-leases, rent calls, payments, repayment plans and inspections (EXCHANGE.md §1.1).

A **sub-lease** (sous-location) belongs to one stay, at most one per stay, and never to a
stay in a unit under a management mandate (the household then holds the lease itself). Its
**terms** are dated: each applies from its `starts_on` until the next one. A **rent call**
(avis d'échéance) is one month of one sub-lease; the household's share of it is
rent + charges − housing benefit (`ledger.share`). A **payment** is money received from or
for the household. A **repayment plan** (échéancier) spreads a debt over instalments. An
**inspection** (état des lieux) is of a unit, for a stay when there is one.

The money records follow the sub-lease even after the household has left: a debt is
still owed. The rules that count with them are in `ledger` (plain Python).
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils import timezone

from seuil.core import derived
from seuil.core.models import Organisation
from seuil.core.policy import Action
from seuil.core.scoping import HouseholdPartQuerySet, ScopedQuerySet
from seuil.core.transitions import StateMachine
from seuil.households.models import Household
from seuil.housing.enums import ManagementMode
from seuil.housing.models import EvictionProcedure, HousingUnit, Stay

from . import ledger
from .enums import (
    REPAIR_TRANSITIONS,
    Delivery,
    InspectionKind,
    Meter,
    Party,
    PaymentMethod,
    PreventionOutcome,
    PreventionStage,
    RentDocumentKind,
    RepairStatus,
    RoomState,
)

MONEY = {"max_digits": 9, "decimal_places": 2}
HALF_CENT = Value(
    Decimal("0.005"), output_field=models.DecimalField(max_digits=4, decimal_places=3)
)


def ref_unique(model_name):
    return models.UniqueConstraint(
        fields=["organisation", "ref"],
        name=f"{model_name}_ref_unique_per_organisation",
        violation_error_message="Cette référence existe déjà dans l'organisation.",
    )


def first_of_month(day):
    return day.replace(day=1)


def next_month(month):
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def last_of_month(month):
    return next_month(month) - datetime.timedelta(days=1)


class TenancyQuerySet(HouseholdPartQuerySet):
    """Tenancy records: the organisation that keeps them reads them (scope own), through
    the household of their stay for the scopes that follow a household."""

    view_action = Action.VIEW_TENANCY


class SubLeaseQuerySet(TenancyQuerySet):
    household_path = "stay__household"

    def present_on(self, day):
        """Sub-leases signed on or before `day` whose stay is present on `day`."""
        return self.filter(signed_on__lte=day, stay__entered_on__lte=day).filter(
            Q(stay__exited_on__isnull=True) | Q(stay__exited_on__gt=day)
        )


class SubLease(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sub_leases"
    )
    REF_PREFIX = "B"  # core.refs
    ref = models.CharField("référence", max_length=100)
    stay = models.OneToOneField(
        Stay, verbose_name="séjour", on_delete=models.PROTECT, related_name="sub_lease"
    )
    signed_on = models.DateField("signée le")
    tripartite = models.BooleanField(
        "convention tripartite",
        default=False,
        help_text="Bailleur, ménage et association signent ensemble.",
    )
    due_day = models.PositiveSmallIntegerField(
        "jour d'échéance",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Jour du mois où le loyer est dû (1 à 28).",
    )
    deposit = models.DecimalField("dépôt de garantie", null=True, blank=True, **MONEY)
    deposit_received_on = models.DateField("dépôt reçu le", null=True, blank=True)
    deposit_returned_on = models.DateField("dépôt restitué le", null=True, blank=True)
    deposit_returned = models.DecimalField("montant restitué", null=True, blank=True, **MONEY)
    deposit_kept_reason = models.CharField(
        "motif de la retenue sur le dépôt", max_length=300, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    objects = SubLeaseQuerySet.as_manager()

    class Meta:
        verbose_name = "sous-location"
        ordering = ["signed_on", "id"]
        constraints = [
            ref_unique("sub_lease"),
            models.CheckConstraint(
                condition=Q(due_day__isnull=True) | Q(due_day__gte=1, due_day__lte=28),
                name="sub_lease_due_day_1_to_28",
                violation_error_message="Le jour d'échéance va de 1 à 28.",
            ),
            models.CheckConstraint(
                condition=Q(deposit__isnull=True) | Q(deposit__gte=0),
                name="sub_lease_deposit_not_negative",
                violation_error_message="Le dépôt de garantie ne peut être négatif.",
            ),
        ]

    def __str__(self):
        return f"Sous-location {self.ref}"

    def get_absolute_url(self):
        return reverse("tenancy:account", args=[self.uuid])

    def clean(self):
        errors = {}
        stay = self.stay if self.stay_id else None
        if stay is not None:
            if stay.unit.management_mode == ManagementMode.MANDATE:
                errors["stay"] = (
                    "Ce logement est en mandat de gestion : le ménage est locataire en titre, "
                    "il n'y a pas de sous-location."
                )
            if self.organisation_id and stay.organisation_id != self.organisation_id:
                errors["stay"] = "Ce séjour relève d'une autre organisation."
        if (
            self.deposit_returned is not None
            and self.deposit is not None
            and self.deposit_returned > self.deposit
        ):
            errors["deposit_returned"] = "On ne restitue pas plus que le dépôt reçu."
        if (
            self.deposit_returned is not None
            and self.deposit is not None
            and self.deposit_returned < self.deposit
            and self.deposit_returned_on is not None
            and not self.deposit_kept_reason.strip()
        ):
            errors["deposit_kept_reason"] = "Indiquez le motif de la retenue sur le dépôt."
        if errors:
            raise ValidationError(errors)

    def term_on(self, day, terms=None):
        """The term in force on `day` (the last one starting on or before it), None if none."""
        terms = sorted(self.terms.all() if terms is None else terms, key=lambda t: t.starts_on)
        found = None
        for term in terms:
            if term.starts_on <= day:
                found = term
        return found

    def due_on(self, month):
        """The due date of the call of `month`: its `due_day` (the 1st when unknown)."""
        return month.replace(day=self.due_day or 1)


class SubLeaseTerm(models.Model):
    """Rent, charges and housing benefit (paid to the operator) from `starts_on`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sub_lease = models.ForeignKey(
        SubLease, verbose_name="sous-location", on_delete=models.CASCADE, related_name="terms"
    )
    starts_on = models.DateField("à partir du")
    rent = models.DecimalField("loyer", **MONEY)
    charges = models.DecimalField("charges", default=0, **MONEY)
    housing_benefit = models.DecimalField(
        "APL versée à l'association (tiers payant)", default=0, **MONEY
    )

    class Meta:
        verbose_name = "conditions de la sous-location"
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_lease", "starts_on"],
                name="sub_lease_term_one_per_day",
                violation_error_message="Des conditions commencent déjà ce jour-là.",
            ),
            models.CheckConstraint(
                condition=Q(rent__gte=0, charges__gte=0, housing_benefit__gte=0)
                & Q(housing_benefit__lte=F("rent") + F("charges")),
                name="sub_lease_term_amounts",
                violation_error_message=(
                    "Les montants sont positifs et l'APL ne dépasse pas loyer + charges."
                ),
            ),
        ]

    def __str__(self):
        return f"Conditions à partir du {self.starts_on:%d/%m/%Y}"

    @property
    def share(self):
        return ledger.share(self.rent, self.charges, self.housing_benefit)


class SubLeaseClosing(models.Model):
    """Where a sub-lease's account stood at the end of a year (`closed_on`, a 31 December):
    its balance and the calls the payments had left (partly) unpaid, oldest first, as
    [month, due date, share, unpaid] — all an as-of computation needs of what came before
    (`seuil.tenancy.closings`). Derived data, written by `seuil daily`: a closing is
    deleted as soon as a rent call, payment or charges regularisation dated on or before
    it is created, changed or deleted (`invalidate_closings`, called by every write of
    those models, bulk ones included)."""

    sub_lease = models.ForeignKey(SubLease, on_delete=models.CASCADE, related_name="closings")
    closed_on = models.DateField("arrêté au")
    balance = models.DecimalField("solde", max_digits=14, decimal_places=2)
    unpaid = models.JSONField("appels restant dus", default=list, blank=True)

    class Meta:
        verbose_name = "arrêté de compte"
        verbose_name_plural = "arrêtés de compte"
        constraints = [
            models.UniqueConstraint(
                fields=["sub_lease", "closed_on"], name="sub_lease_closing_one_per_day"
            )
        ]
        indexes = [models.Index(fields=["closed_on"], name="sub_lease_closing_day")]

    def __str__(self):
        return f"Arrêté au {self.closed_on:%d/%m/%Y}"


# What the yearly closings are computed from (`core.derived`): a write dated in a closed
# year moves it, so that a closing computed meanwhile is not stored (`closings.build`).
CLOSINGS_INPUTS = "comptes des années closes"


CLOSING_BATCH = 5_000  # sub-leases named in one statement (SQLite: 32,766 parameters)


def _as_day(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def invalidate_closings(facts):
    """Delete the closings that `facts`, (sub-lease pk, day) of ledger rows created,
    changed (before and after) or deleted, make wrong: those of the same sub-lease on or
    after the day. One cheap query when no closing is that recent (the usual case: this
    month's calls and payments)."""
    earliest = {}
    for sub_lease_id, day in facts:
        if sub_lease_id is None or day is None:
            continue
        day = _as_day(day)
        if sub_lease_id not in earliest or day < earliest[sub_lease_id]:
            earliest[sub_lease_id] = day
    if not earliest:
        return
    from .closings import last_year_end

    oldest = min(earliest.values())
    if oldest <= last_year_end(timezone.localdate()):
        # A year already closed (or being closed) changes: a closing being computed now
        # must not be stored.
        derived.move([CLOSINGS_INPUTS])
    closings = SubLeaseClosing.objects.all()
    if not closings.filter(closed_on__gte=oldest).exists():
        return
    by_day = {}
    for sub_lease_id, day in earliest.items():
        by_day.setdefault(day, []).append(sub_lease_id)
    for day, pks in by_day.items():
        for start in range(0, len(pks), CLOSING_BATCH):
            closings.filter(
                sub_lease_id__in=pks[start : start + CLOSING_BATCH], closed_on__gte=day
            ).delete()


class LedgerQuerySet(models.QuerySet):
    """The writes of a ledger model (its `LEDGER_DAY` field: the day it enters the
    account) invalidate the closings they make wrong, in bulk too (`invalidate_closings`;
    `bulk_update` goes through `update`).
    Raw SQL writes are left to the restore of a backup, which restores the closings of
    the same snapshot."""

    def _facts(self, queryset=None):
        rows = (self if queryset is None else queryset).values_list(
            "pk", "sub_lease_id", self.model.LEDGER_DAY
        )
        return [(pk, (sub_lease_id, day)) for pk, sub_lease_id, day in rows]

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        invalidate_closings((o.sub_lease_id, getattr(o, self.model.LEDGER_DAY)) for o in objs)
        return objs

    def update(self, **kwargs):
        before = self._facts()
        done = super().update(**kwargs)
        pks = [pk for pk, _ in before]
        after = []
        for start in range(0, len(pks), CLOSING_BATCH):
            chunk = self.model._base_manager.filter(pk__in=pks[start : start + CLOSING_BATCH])
            after += self._facts(chunk)
        invalidate_closings([fact for _, fact in before + after])
        return done

    update.alters_data = True

    def delete(self):
        before = self._facts()
        done = super().delete()
        invalidate_closings(fact for _, fact in before)
        return done

    delete.alters_data = True


class LedgerRow(models.Model):
    """A row of the account (rent call, payment, regularisation): saving or deleting it
    invalidates the closings it makes wrong (`invalidate_closings`)."""

    LEDGER_DAY = None  # the field of the day it enters the account

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        before = self._stored_fact()
        super().save(*args, **kwargs)
        invalidate_closings([fact for fact in (before, self._fact()) if fact])

    def delete(self, *args, **kwargs):
        before = self._stored_fact()
        done = super().delete(*args, **kwargs)
        invalidate_closings([before] if before else [])
        return done

    def _fact(self):
        return (self.sub_lease_id, getattr(self, self.LEDGER_DAY))

    def _stored_fact(self):
        if self.pk is None:
            return None
        return (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values_list("sub_lease_id", self.LEDGER_DAY)
            .first()
        )


class RentCallQuerySet(LedgerQuerySet, TenancyQuerySet):
    organisation_path = "sub_lease__organisation"
    household_path = "sub_lease__stay__household"


class RentCall(LedgerRow):
    """One month of one sub-lease (avis d'échéance), identified by (sub-lease, month)."""

    LEDGER_DAY = "due_on"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sub_lease = models.ForeignKey(
        SubLease,
        verbose_name="sous-location",
        on_delete=models.CASCADE,
        related_name="rent_calls",
    )
    month = models.DateField("mois", help_text="Le premier jour du mois appelé.")
    due_on = models.DateField("échéance")
    rent = models.DecimalField("loyer", **MONEY)
    charges = models.DecimalField("charges", default=0, **MONEY)
    housing_benefit = models.DecimalField("APL (tiers payant)", default=0, **MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RentCallQuerySet.as_manager()

    class Meta:
        verbose_name = "appel de loyer"
        verbose_name_plural = "appels de loyer"
        ordering = ["due_on", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["sub_lease", "month"],
                name="rent_call_one_per_month",
                violation_error_message="Ce mois est déjà appelé pour cette sous-location.",
            ),
            models.CheckConstraint(
                condition=Q(rent__gte=0, charges__gte=0, housing_benefit__gte=0)
                & Q(housing_benefit__lte=F("rent") + F("charges")),
                name="rent_call_amounts",
                violation_error_message=(
                    "Les montants sont positifs et l'APL ne dépasse pas loyer + charges."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["sub_lease", "due_on"], name="rent_call_due"),
            # The calls after the closings of all sub-leases (`seuil.tenancy.closings`).
            models.Index(fields=["due_on"], name="rent_call_due_day"),
        ]

    def __str__(self):
        return f"Appel de loyer {self.month:%m/%Y}"

    def clean(self):
        if self.month is not None and self.month.day != 1:
            raise ValidationError({"month": "Un mois se note par son premier jour."})

    @property
    def share(self):
        return ledger.share(self.rent, self.charges, self.housing_benefit)

    def as_call(self):
        return ledger.Call(self.month, self.due_on, self.share)


class SubLeasePartQuerySet(TenancyQuerySet):
    """Payments and repayment plans: kept by their organisation, of a sub-lease's household."""

    household_path = "sub_lease__stay__household"


class LedgerPartQuerySet(LedgerQuerySet, SubLeasePartQuerySet):
    """Payments and charges regularisations: rows of the account."""


class Payment(LedgerRow):
    """Money received from or for the household (`amount` > 0)."""

    LEDGER_DAY = "paid_on"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="payments"
    )
    REF_PREFIX = "R"  # core.refs
    ref = models.CharField("référence", max_length=100)
    sub_lease = models.ForeignKey(
        SubLease, verbose_name="sous-location", on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField("payé le")
    amount = models.DecimalField("montant", **MONEY)
    method = models.CharField(
        "moyen de paiement", max_length=20, choices=PaymentMethod.choices, blank=True
    )
    bank_line = models.OneToOneField(
        "BankLine",
        verbose_name="ligne du relevé bancaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payment",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = LedgerPartQuerySet.as_manager()

    class Meta:
        verbose_name = "paiement"
        ordering = ["paid_on", "id"]
        constraints = [
            ref_unique("payment"),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message="Le montant d'un paiement est strictement positif.",
            ),
        ]
        indexes = [
            models.Index(fields=["sub_lease", "paid_on"], name="payment_paid"),
            models.Index(fields=["paid_on"], name="payment_paid_day"),
        ]

    def __str__(self):
        return f"Paiement {self.ref}"

    def as_paid(self):
        return ledger.Paid(self.paid_on, self.amount)


class RepaymentPlan(models.Model):
    """A repayment plan (échéancier) of a sub-lease's debt: at least one instalment."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="repayment_plans"
    )
    REF_PREFIX = "E"  # core.refs
    ref = models.CharField("référence", max_length=100)
    sub_lease = models.ForeignKey(
        SubLease,
        verbose_name="sous-location",
        on_delete=models.PROTECT,
        related_name="repayment_plans",
    )
    agreed_on = models.DateField("convenu le")
    debt = models.DecimalField("dette", **MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubLeasePartQuerySet.as_manager()

    class Meta:
        verbose_name = "échéancier"
        ordering = ["agreed_on", "id"]
        constraints = [
            ref_unique("repayment_plan"),
            models.CheckConstraint(
                condition=Q(debt__gte=0),
                name="repayment_plan_debt_not_negative",
                violation_error_message="La dette ne peut être négative.",
            ),
        ]

    def __str__(self):
        return f"Échéancier {self.ref}"


class Instalment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        RepaymentPlan,
        verbose_name="échéancier",
        on_delete=models.CASCADE,
        related_name="instalments",
    )
    due_on = models.DateField("échéance")
    amount = models.DecimalField("montant", **MONEY)

    class Meta:
        verbose_name = "échéance de remboursement"
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "due_on"],
                name="instalment_one_per_day",
                violation_error_message="Une échéance tombe déjà ce jour-là.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="instalment_amount_not_negative",
                violation_error_message="Le montant d'une échéance ne peut être négatif.",
            ),
        ]

    def __str__(self):
        return f"Échéance du {self.due_on:%d/%m/%Y}"

    def as_instalment(self):
        return ledger.Instalment(self.due_on, self.amount)


class InspectionQuerySet(TenancyQuerySet):
    household_path = "stay__household"


class Inspection(models.Model):
    """An inspection (état des lieux) of a unit, for a stay when there is one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inspections"
    )
    REF_PREFIX = "I"  # core.refs
    ref = models.CharField("référence", max_length=100)
    unit = models.ForeignKey(
        HousingUnit, verbose_name="logement", on_delete=models.PROTECT, related_name="inspections"
    )
    stay = models.ForeignKey(
        Stay,
        verbose_name="séjour",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    kind = models.CharField("type", max_length=10, choices=InspectionKind.choices)
    done_on = models.DateField("fait le")
    remarks = models.TextField("observations générales", blank=True)
    # « Signé par le ménage / par l'opérateur / par le bailleur » on paper, with its date.
    signed_by_household_on = models.DateField("signé par le ménage le", null=True, blank=True)
    signed_by_operator_on = models.DateField("signé par l'opérateur le", null=True, blank=True)
    signed_by_landlord_on = models.DateField("signé par le bailleur le", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = "état des lieux"
        verbose_name_plural = "états des lieux"
        ordering = ["done_on", "id"]
        constraints = [ref_unique("inspection")]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.done_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("tenancy:inspection", args=[self.uuid])

    def clean(self):
        if self.stay_id and self.unit_id and self.stay.unit_id != self.unit_id:
            raise ValidationError({"stay": "Ce séjour est dans un autre logement."})

    @property
    def household(self):
        return self.stay.household if self.stay_id else None


class InspectionRoom(models.Model):
    """A room of an inspection: its state on the short scale and what was seen."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inspection = models.ForeignKey(
        Inspection, verbose_name="état des lieux", on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField("pièce", max_length=100)
    state = models.CharField("état", max_length=10, choices=RoomState.choices)
    remarks = models.TextField("observations", blank=True)

    class Meta:
        verbose_name = "pièce de l'état des lieux"
        verbose_name_plural = "pièces de l'état des lieux"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "name"],
                name="inspection_room_once",
                violation_error_message="Cette pièce figure déjà dans l'état des lieux.",
            )
        ]

    def __str__(self):
        return f"{self.name} : {self.get_state_display()}"


class MeterReading(models.Model):
    """The index of a meter (electricity, gas, water) read at an inspection."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inspection = models.ForeignKey(
        Inspection,
        verbose_name="état des lieux",
        on_delete=models.CASCADE,
        related_name="meter_readings",
    )
    meter = models.CharField("compteur", max_length=12, choices=Meter.choices)
    index = models.DecimalField("index", max_digits=12, decimal_places=2)
    read_on = models.DateField("relevé le")

    class Meta:
        verbose_name = "relevé de compteur"
        verbose_name_plural = "relevés de compteurs"
        ordering = ["meter", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "meter"],
                name="meter_reading_once",
                violation_error_message="Ce compteur est déjà relevé dans l'état des lieux.",
            ),
            models.CheckConstraint(
                condition=Q(index__gte=0),
                name="meter_reading_index_not_negative",
                violation_error_message="Un index de compteur ne peut être négatif.",
            ),
        ]

    def __str__(self):
        return f"{self.get_meter_display()} : {self.index}"


class InspectionKeys(models.Model):
    """Keys handed over at an inspection: how many of a kind (porte d'entrée, boîte aux
    lettres, badge…)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inspection = models.ForeignKey(
        Inspection, verbose_name="état des lieux", on_delete=models.CASCADE, related_name="keys"
    )
    kind = models.CharField("clé", max_length=100, help_text="Porte d'entrée, boîte aux lettres…")
    count = models.PositiveSmallIntegerField("nombre", validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "clés remises"
        verbose_name_plural = "clés remises"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "kind"],
                name="inspection_keys_once",
                violation_error_message="Ces clés figurent déjà dans l'état des lieux.",
            ),
            models.CheckConstraint(
                condition=Q(count__gte=1),
                name="inspection_keys_at_least_one",
                violation_error_message="Indiquez au moins une clé.",
            ),
        ]

    def __str__(self):
        return f"{self.kind} × {self.count}"


# ---------------------------------------------------------------- repairs


class RepairQuerySet(TenancyQuerySet):
    household_path = "stay__household"


class Repair(models.Model):
    """A repair of a unit: who reported what, the contractor, the appointment, the cost and
    who pays it. Its status moves through `core.transitions`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="repairs")
    REF_PREFIX = "T"  # core.refs
    ref = models.CharField("référence", max_length=100)
    unit = models.ForeignKey(
        HousingUnit, verbose_name="logement", on_delete=models.PROTECT, related_name="repairs"
    )
    stay = models.ForeignKey(
        Stay,
        verbose_name="séjour",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repairs",
    )
    reported_on = models.DateField("signalée le")
    reported_by = models.CharField("signalée par", max_length=10, choices=Party.choices)
    description = models.CharField("travaux à faire", max_length=300)
    contractor = models.CharField("entreprise", max_length=200, blank=True)
    appointment_on = models.DateField("rendez-vous le", null=True, blank=True)
    cost = models.DecimalField("coût", null=True, blank=True, **MONEY)
    paid_by = models.CharField("à la charge de", max_length=10, choices=Party.choices, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=RepairStatus.choices, default=RepairStatus.REPORTED
    )
    closed_on = models.DateField("close le", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RepairQuerySet.as_manager()
    state_machine = StateMachine(REPAIR_TRANSITIONS, noun="Une réparation", household="household")

    class Meta:
        verbose_name = "réparation"
        ordering = ["-reported_on", "-id"]
        constraints = [
            ref_unique("repair"),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="repair_cost_not_negative",
                violation_error_message="Le coût d'une réparation ne peut être négatif.",
            ),
        ]

    def __str__(self):
        return f"Réparation {self.ref}"

    @property
    def household(self):
        return self.stay.household if self.stay_id else None

    def clean(self):
        if self.stay_id and self.unit_id and self.stay.unit_id != self.unit_id:
            raise ValidationError({"stay": "Ce séjour est dans un autre logement."})
        if (
            self.appointment_on is not None
            and self.reported_on is not None
            and self.appointment_on < self.reported_on
        ):
            raise ValidationError(
                {"appointment_on": "Le rendez-vous ne peut précéder le signalement."}
            )


class RepairTransition(models.Model):
    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField("statut précédent", max_length=20, blank=True)
    to_status = models.CharField("nouveau statut", max_length=20)
    on = models.DateField("le")
    at = models.DateTimeField("enregistré le", auto_now_add=True)
    by = models.ForeignKey(
        "core.User", verbose_name="par", on_delete=models.SET_NULL, null=True, blank=True
    )
    reason = models.CharField("motif", max_length=30, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        ordering = ["on", "at", "id"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status} ({self.on:%d/%m/%Y})"


# ---------------------------------------------------------------- insurance


class InsuranceQuerySet(TenancyQuerySet):
    household_path = "household"


class Insurance(models.Model):
    """The household's home insurance certificate (attestation d'assurance habitation)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="insurances"
    )
    household = models.ForeignKey(
        Household, verbose_name="ménage", on_delete=models.PROTECT, related_name="insurances"
    )
    insurer = models.CharField("assureur", max_length=200, blank=True)
    certificate_on = models.DateField("attestation du")
    expires_on = models.DateField("valable jusqu'au")
    updated_at = models.DateTimeField(auto_now=True)

    objects = InsuranceQuerySet.as_manager()

    class Meta:
        verbose_name = "assurance habitation"
        verbose_name_plural = "assurances habitation"
        ordering = ["-expires_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("certificate_on")),
                name="insurance_expires_after_certificate",
                violation_error_message="L'assurance ne peut expirer avant la date de "
                "l'attestation.",
            )
        ]

    def __str__(self):
        return f"Assurance habitation valable jusqu'au {self.expires_on:%d/%m/%Y}"


# ---------------------------------------------------------------- bank statements


class BankStatement(models.Model):
    """A bank statement imported (CAMT.053 or CSV): its credit lines wait to be booked."""

    class Kind(models.TextChoices):
        CAMT053 = "camt053", "CAMT.053 (ISO 20022, XML)"
        CSV = "csv", "CSV (tableur)"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bank_statements"
    )
    kind = models.CharField("format", max_length=10, choices=Kind.choices)
    filename = models.CharField("fichier", max_length=200, blank=True)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    imported_by = models.ForeignKey(
        "core.User", verbose_name="importé par", on_delete=models.SET_NULL, null=True, blank=True
    )
    lines_found = models.PositiveIntegerField("lignes de crédit lues", default=0)
    lines_new = models.PositiveIntegerField("lignes nouvelles", default=0)

    class Meta:
        verbose_name = "relevé bancaire"
        ordering = ["-imported_at"]

    def __str__(self):
        return f"Relevé {self.filename or self.get_kind_display()} ({self.imported_at:%d/%m/%Y})"


class BankLineQuerySet(ScopedQuerySet):
    """Bank lines are the organisation's own (not a household's file until booked)."""

    view_action = Action.RECONCILE_BANK


class BankLine(models.Model):
    """A credit line of a bank statement. `fingerprint` identifies it within the
    organisation, so that a statement imported twice adds (and books) nothing twice."""

    class Status(models.TextChoices):
        TO_RECONCILE = "to_reconcile", "À rapprocher"
        BOOKED = "booked", "Enregistrée"
        IGNORED = "ignored", "Écartée (pas un loyer)"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="bank_lines"
    )
    statement = models.ForeignKey(
        BankStatement, on_delete=models.CASCADE, related_name="lines", verbose_name="relevé"
    )
    fingerprint = models.CharField("empreinte", max_length=64)
    booked_on = models.DateField("date de l'opération")
    amount = models.DecimalField("montant", **MONEY)
    payer = models.CharField("donneur d'ordre", max_length=200, blank=True)
    label = models.CharField("libellé", max_length=500, blank=True)
    reference = models.CharField("référence", max_length=200, blank=True)
    status = models.CharField(
        "état", max_length=15, choices=Status.choices, default=Status.TO_RECONCILE
    )

    objects = BankLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne de relevé bancaire"
        ordering = ["booked_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fingerprint"], name="bank_line_once_per_organisation"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bank_line_credit"),
        ]

    def __str__(self):
        return f"Crédit du {self.booked_on:%d/%m/%Y}"


class CsvMapping(models.Model):
    """How the organisation's bank CSV files read: which column holds what (saved)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="bank_csv_mapping"
    )
    delimiter = models.CharField("séparateur", max_length=1, default=";")
    date_column = models.CharField("colonne de la date", max_length=100, default="Date")
    date_format = models.CharField(
        "format de la date",
        max_length=20,
        default="%d/%m/%Y",
        help_text="%d/%m/%Y pour 05/03/2024, %Y-%m-%d pour 2024-03-05.",
    )
    amount_column = models.CharField("colonne du montant", max_length=100, default="Montant")
    credit_column = models.CharField(
        "colonne des crédits (si à part)",
        max_length=100,
        blank=True,
        help_text="Quand le relevé sépare débits et crédits ; laissez vide sinon.",
    )
    payer_column = models.CharField(
        "colonne du donneur d'ordre", max_length=100, blank=True, default=""
    )
    label_column = models.CharField("colonne du libellé", max_length=100, default="Libellé")
    reference_column = models.CharField("colonne de la référence", max_length=100, blank=True)

    class Meta:
        verbose_name = "correspondance des colonnes CSV"

    def __str__(self):
        return f"Colonnes CSV de {self.organisation}"


# ---------------------------------------------------------------- eviction prevention


class PreventionCaseQuerySet(SubLeasePartQuerySet):
    def open_on(self, day):
        return self.filter(opened_on__lte=day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )


class PreventionCase(models.Model):
    """The prevention of an eviction, from the first unpaid rent to its outcome: dated
    stages (`steps`); closed on `closed_on` with its `outcome`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="prevention_cases"
    )
    sub_lease = models.ForeignKey(
        SubLease,
        verbose_name="sous-location",
        on_delete=models.PROTECT,
        related_name="prevention_cases",
    )
    opened_on = models.DateField("ouvert le")
    closed_on = models.DateField("clos le", null=True, blank=True)
    outcome = models.CharField(
        "issue", max_length=20, choices=PreventionOutcome.choices, blank=True
    )
    # The imported eviction procedure this case was made from (`prevention.cases_from_
    # evictions`): the case follows it, and goes when the procedure goes.
    eviction_procedure = models.OneToOneField(
        EvictionProcedure,
        verbose_name="procédure d'expulsion importée",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prevention_case",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PreventionCaseQuerySet.as_manager()

    class Meta:
        verbose_name = "prévention des expulsions"
        verbose_name_plural = "préventions des expulsions"
        ordering = ["opened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, outcome="")
                | Q(closed_on__isnull=False) & ~Q(outcome=""),
                name="prevention_closed_with_its_outcome",
                violation_error_message="Un dossier se clôt avec son issue, et seulement alors.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="prevention_closed_after_opened",
                violation_error_message="La clôture ne peut précéder l'ouverture.",
            ),
        ]

    def __str__(self):
        return f"Prévention des expulsions ouverte le {self.opened_on:%d/%m/%Y}"


class PreventionStep(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        PreventionCase, on_delete=models.CASCADE, related_name="steps", verbose_name="dossier"
    )
    stage = models.CharField("étape", max_length=20, choices=PreventionStage.choices)
    on = models.DateField("le")

    class Meta:
        verbose_name = "étape de la prévention des expulsions"
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "stage", "on"],
                name="prevention_step_once_a_day",
                violation_error_message="Cette étape est déjà notée ce jour-là.",
            )
        ]

    def __str__(self):
        return f"{self.get_stage_display()} le {self.on:%d/%m/%Y}"


# ---------------------------------------------------------------- documents of a month


class RentDocumentQuerySet(TenancyQuerySet):
    organisation_path = "rent_call__sub_lease__organisation"
    household_path = "rent_call__sub_lease__stay__household"


class RentDocument(models.Model):
    """That the avis d'échéance or the quittance (or partial receipt) of a month was sent
    or printed, on a day, by whom."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rent_call = models.ForeignKey(
        RentCall, verbose_name="appel de loyer", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("document", max_length=10, choices=RentDocumentKind.choices)
    delivery = models.CharField("remise", max_length=10, choices=Delivery.choices)
    on = models.DateField("le")
    by = models.ForeignKey(
        "core.User", verbose_name="par", on_delete=models.SET_NULL, null=True, blank=True
    )

    objects = RentDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "remise d'un document de loyer"
        ordering = ["on", "id"]

    def __str__(self):
        return (
            f"{self.get_kind_display()} {self.get_delivery_display().lower()} le {self.on:%d/%m/%Y}"
        )


# ---------------------------------------------------------------- charges regularisation


class ChargesRegularisation(LedgerRow):
    """Once a year: the charges provisions called over a period against the real charges.
    The difference (real − provisions) is called from the household on `on` (positive) or
    refunded to it as a credit on `on` (negative); `ledger.regularised` puts it in the
    account."""

    LEDGER_DAY = "on"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="charges_regularisations"
    )
    REF_PREFIX = "G"  # core.refs
    ref = models.CharField("référence", max_length=100)
    sub_lease = models.ForeignKey(
        SubLease,
        verbose_name="sous-location",
        on_delete=models.PROTECT,
        related_name="regularisations",
    )
    period_start = models.DateField("période du")
    period_end = models.DateField("au")
    provisions = models.DecimalField("provisions appelées", **MONEY)
    actual = models.DecimalField("charges réelles", **MONEY)
    difference = models.DecimalField("différence (réelles − provisions)", **MONEY)
    on = models.DateField("appelée ou remboursée le")
    updated_at = models.DateTimeField(auto_now=True)

    objects = LedgerPartQuerySet.as_manager()

    class Meta:
        verbose_name = "régularisation des charges"
        verbose_name_plural = "régularisations des charges"
        ordering = ["on", "id"]
        constraints = [
            ref_unique("charges_regularisation"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="regularisation_period_in_order",
                violation_error_message="La fin de la période ne peut précéder son début.",
            ),
            # Within half a cent: SQLite compares decimals as floating-point numbers
            # (591.36 − 528.00 is not 63.36 there).
            models.CheckConstraint(
                condition=Q(provisions__gte=0, actual__gte=0)
                & Q(difference__gte=F("actual") - F("provisions") - HALF_CENT)
                & Q(difference__lte=F("actual") - F("provisions") + HALF_CENT),
                name="regularisation_difference",
                violation_error_message="La différence est charges réelles − provisions.",
            ),
        ]

    def __str__(self):
        return (
            f"Régularisation des charges du {self.period_start:%d/%m/%Y} "
            f"au {self.period_end:%d/%m/%Y}"
        )

    def as_regularisation(self):
        return ledger.Regularisation(self.on, self.difference)


# ---------------------------------------------------------------- housing benefit


class BenefitReceipt(models.Model):
    """Housing benefit (APL, tiers payant) the CAF or the MSA paid to the operator for a
    month of a sub-lease. Not a payment of the household: its share already leaves the
    benefit out (`ledger.share`), so the receipt never enters the household's balance."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="benefit_receipts"
    )
    sub_lease = models.ForeignKey(
        SubLease,
        verbose_name="sous-location",
        on_delete=models.PROTECT,
        related_name="benefit_receipts",
    )
    month = models.DateField("mois", help_text="Le premier jour du mois que l'APL paie.")
    received_on = models.DateField("reçue le")
    amount = models.DecimalField("montant", **MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubLeasePartQuerySet.as_manager()

    class Meta:
        verbose_name = "versement de l'APL"
        verbose_name_plural = "versements de l'APL"
        ordering = ["month", "received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="benefit_receipt_amount_positive",
                violation_error_message="Le montant d'un versement est strictement positif.",
            ),
        ]
        indexes = [models.Index(fields=["sub_lease", "month"], name="benefit_receipt_month")]

    def __str__(self):
        return f"APL de {self.month:%m/%Y} reçue le {self.received_on:%d/%m/%Y}"

    def clean(self):
        if self.month is not None and self.month.day != 1:
            raise ValidationError({"month": "Un mois se note par son premier jour."})
