"""API v1 of the tenancy: sub-leases (and their account), rent calls, payments, repayment
plans. Reading needs VIEW_TENANCY (the organisation's own records), writing CHANGE_TENANCY;
every write goes through `services` (validated, audited)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from seuil.core.api import (
    AccessLoggedRetrieveMixin,
    OptionalChoiceField,
    PlausibleModelSerializer,
    ScopedRelatedField,
    ScopedViewSet,
    Serializer,
)
from seuil.core.audit import record_access
from seuil.core.models import AccessLog
from seuil.core.plausibility import validate_event_date, validate_text
from seuil.core.policy import Action
from seuil.core.views_policy import ViewPolicy
from seuil.housing.models import Stay

from . import services
from .enums import PaymentMethod
from .models import Instalment, Payment, RentCall, RepaymentPlan, SubLease, SubLeaseTerm

POLICY = ViewPolicy(read=Action.VIEW_TENANCY, write=Action.CHANGE_TENANCY)


def amount(label, **kwargs):
    kwargs.setdefault("min_value", 0)
    return serializers.DecimalField(
        max_digits=9, decimal_places=2, coerce_to_string=False, help_text=label, **kwargs
    )


class TermSerializer(Serializer):
    starts_on = serializers.DateField(
        help_text="Conditions applicables à partir de ce jour.", validators=[validate_event_date]
    )
    rent = amount("Loyer (€/mois).")
    charges = amount("Charges (€/mois) ; 0 quand elles sont omises.", required=False)
    housing_benefit = amount(
        "APL versée à l'association (tiers payant), €/mois ; 0 quand elle est omise.",
        required=False,
    )


class SubLeaseSerializer(PlausibleModelSerializer):
    stay = ScopedRelatedField(Stay, help_text="Séjour du ménage (une sous-location par séjour).")
    terms = TermSerializer(many=True, required=False)
    deposit = amount("Dépôt de garantie (€).", required=False, allow_null=True)
    deposit_returned = amount("Montant restitué (€).", required=False, allow_null=True)

    class Meta:
        model = SubLease
        fields = [
            "uuid",
            "ref",
            "stay",
            "signed_on",
            "tripartite",
            "due_day",
            "deposit",
            "deposit_received_on",
            "deposit_returned_on",
            "deposit_returned",
            "deposit_kept_reason",
            "terms",
            "updated_at",
        ]
        read_only_fields = ["uuid", "updated_at"]
        extra_kwargs = {
            "ref": {"required": False, "help_text": "Référence ; générée quand elle est omise."},
        }


class RentCallSerializer(PlausibleModelSerializer):
    sub_lease = ScopedRelatedField(SubLease)
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="Mois appelé, AAAA-MM.",
        max_length=7,
        validators=[validate_text],
    )
    rent = amount("Loyer (€).")
    charges = amount("Charges (€) ; 0 quand elles sont omises.", required=False)
    housing_benefit = amount(
        "APL versée à l'association (€) ; 0 quand elle est omise.", required=False
    )
    share = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        coerce_to_string=False,
        read_only=True,
        help_text="Part du ménage : loyer + charges − APL.",
    )

    class Meta:
        model = RentCall
        fields = [
            "uuid",
            "sub_lease",
            "month",
            "due_on",
            "rent",
            "charges",
            "housing_benefit",
            "share",
            "updated_at",
        ]
        read_only_fields = ["uuid", "updated_at"]

    def to_representation(self, call):
        data = super().to_representation(call)
        data["month"] = f"{call.month:%Y-%m}"
        return data

    def validate_month(self, value):
        year, month = value.split("-")
        try:
            first = datetime.date(int(year), int(month), 1)
        except ValueError:
            raise serializers.ValidationError("Mois invalide (AAAA-MM attendu).") from None
        validate_event_date(first)
        return first

    def validate(self, data):
        rent = data.get("rent", getattr(self.instance, "rent", 0))
        charges = data.get("charges", getattr(self.instance, "charges", 0))
        benefit = data.get("housing_benefit", getattr(self.instance, "housing_benefit", 0))
        if rent is None or charges is None or benefit is None:
            return data
        if benefit > rent + charges:
            raise serializers.ValidationError(
                {"housing_benefit": "L'APL ne dépasse pas loyer + charges."}
            )
        return data


class PaymentSerializer(PlausibleModelSerializer):
    sub_lease = ScopedRelatedField(SubLease)
    amount = amount("Montant reçu (€), strictement positif.", min_value=Decimal("0.01"))
    method = OptionalChoiceField(choices=PaymentMethod.choices)

    class Meta:
        model = Payment
        fields = ["uuid", "ref", "sub_lease", "paid_on", "amount", "method", "updated_at"]
        read_only_fields = ["uuid", "updated_at"]
        extra_kwargs = {
            "ref": {"required": False, "help_text": "Référence ; générée quand elle est omise."},
        }


class InstalmentSerializer(Serializer):
    due_on = serializers.DateField()
    amount = amount("Montant de l'échéance (€).")
    state = serializers.SerializerMethodField(
        help_text="kept (tenue), broken (non tenue), upcoming (à venir), à aujourd'hui."
    )

    def get_state(self, instalment) -> str | None:
        return None  # filled in by the plan, which knows the account


class RepaymentPlanSerializer(PlausibleModelSerializer):
    sub_lease = ScopedRelatedField(SubLease)
    debt = amount("Dette à rembourser (€).")
    instalments = InstalmentSerializer(many=True)
    state = serializers.SerializerMethodField(
        help_text="kept (tenu), broken (non tenu), in_progress (en cours), à aujourd'hui."
    )

    class Meta:
        model = RepaymentPlan
        fields = ["uuid", "ref", "sub_lease", "agreed_on", "debt", "instalments", "state"]
        read_only_fields = ["uuid"]
        extra_kwargs = {
            "ref": {"required": False, "help_text": "Référence ; générée quand elle est omise."},
        }

    def get_state(self, plan) -> str | None:
        return None  # see to_representation

    def validate_instalments(self, instalments):
        if not instalments:
            raise serializers.ValidationError("Un échéancier a au moins une échéance.")
        return instalments

    def to_representation(self, plan):
        data = super().to_representation(plan)
        state = services.account(plan.sub_lease, timezone.localdate()).plans
        mine = next((s for s in state if s.plan.pk == plan.pk), None)
        if mine is not None:
            data["state"] = mine.state
            for item, instalment_state in zip(data["instalments"], mine.instalments, strict=False):
                item["state"] = instalment_state.state
        return data


class ListFilters(serializers.Serializer):
    sub_lease = serializers.UUIDField(required=False, help_text="Identifiant de la sous-location.")


class SubLeaseFilters(serializers.Serializer):
    stay = serializers.UUIDField(required=False, help_text="Identifiant du séjour.")
    household = serializers.UUIDField(required=False, help_text="Identifiant du ménage.")


class AccountFilters(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        help_text="Compte arrêté à ce jour (AAAA-MM-JJ) ; aujourd'hui par défaut.",
        validators=[validate_event_date],
    )


class AccountLineSerializer(serializers.Serializer):
    day = serializers.DateField(read_only=True)
    label = serializers.CharField(read_only=True)
    debit = serializers.DecimalField(
        max_digits=10, decimal_places=2, coerce_to_string=False, allow_null=True, read_only=True
    )
    credit = serializers.DecimalField(
        max_digits=10, decimal_places=2, coerce_to_string=False, allow_null=True, read_only=True
    )
    balance = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, read_only=True
    )


class UnpaidSerializer(serializers.Serializer):
    month = serializers.SerializerMethodField()
    due_on = serializers.DateField(source="call.due_on", read_only=True)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, coerce_to_string=False, read_only=True
    )
    age = serializers.IntegerField(help_text="Jours depuis l'échéance.", read_only=True)
    band = serializers.CharField(read_only=True)

    def get_month(self, unpaid) -> str:
        return f"{unpaid.call.month:%Y-%m}"


class AccountSerializer(serializers.Serializer):
    on = serializers.DateField(source="day", read_only=True)
    balance = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, read_only=True
    )
    credit = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, read_only=True
    )
    lines = AccountLineSerializer(many=True, read_only=True)
    unpaid = serializers.SerializerMethodField()
    late = UnpaidSerializer(many=True, read_only=True)

    def get_unpaid(self, account) -> list:
        calls = account.arrears.calls if account.arrears else ()
        return UnpaidSerializer(calls, many=True).data


class SubLeaseViewSet(
    AccessLoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedViewSet,
):
    """Sous-locations des séjours de votre organisation, avec leurs conditions datées."""

    model = SubLease
    policy = POLICY
    serializer_class = SubLeaseSerializer

    def get_queryset(self):
        return (
            super().get_queryset().select_related("stay").prefetch_related("terms").order_by("pk")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = self.query_filters(SubLeaseFilters)
        if "stay" in filters:
            queryset = queryset.filter(stay__uuid=filters["stay"])
        if "household" in filters:
            queryset = queryset.filter(stay__household__uuid=filters["household"])
        return queryset

    @extend_schema(parameters=[SubLeaseFilters])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request):
        """Établir la sous-location d'un séjour."""
        return self._save(SubLease(), status=201)

    def partial_update(self, request, uuid=None):
        """Modifier une sous-location (les conditions envoyées remplacent les anciennes)."""
        return self._save(self.get_object(), partial=True)

    def _save(self, sub_lease, status=200, partial=False):
        serializer = self.get_serializer(
            sub_lease if sub_lease.pk else None, data=self.request.data, partial=partial
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        terms = data.pop("terms", None)
        for name, value in data.items():
            setattr(sub_lease, name, value)
        services.save_sub_lease(
            sub_lease,
            None if terms is None else [SubLeaseTerm(**term) for term in terms],
            by=self.request.user,
        )
        return self.respond(sub_lease, status=status)

    @extend_schema(parameters=[AccountFilters], responses={200: AccountSerializer})
    @action(detail=True, methods=["get"])
    def account(self, request, uuid=None):
        """Le compte du ménage arrêté à un jour : appels, paiements, solde, impayés par
        ancienneté (réglés du plus ancien au plus récent), loyers en retard."""
        query = self.query_filters(AccountFilters)
        with transaction.atomic():
            sub_lease = self.get_object()
            record_access(request.user, AccessLog.Action.VIEW, sub_lease)
        day = query.get("on") or timezone.localdate()
        return Response(AccountSerializer(services.account(sub_lease, day)).data)


class TenancyRecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ScopedViewSet
):
    policy = POLICY

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = self.query_filters(ListFilters)
        if "sub_lease" in filters:
            queryset = queryset.filter(sub_lease__uuid=filters["sub_lease"])
        return queryset

    @extend_schema(parameters=[ListFilters])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class RentCallViewSet(mixins.UpdateModelMixin, TenancyRecordViewSet):
    """Appels de loyer (avis d'échéance) : un par sous-location et par mois. Les appels du
    mois sont créés chaque jour par `seuil daily` ; un appel se crée ou se corrige ici."""

    model = RentCall
    serializer_class = RentCallSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("sub_lease__stay").order_by("due_on", "pk")

    def perform_create(self, serializer):
        sub_lease = serializer.validated_data["sub_lease"]
        month = serializer.validated_data["month"]
        if sub_lease.rent_calls.filter(month=month).exists():
            raise serializers.ValidationError(
                {"month": "Ce mois est déjà appelé pour cette sous-location."}
            )
        serializer.instance = services.save_rent_call(
            RentCall(**serializer.validated_data), by=self.request.user
        )

    def perform_update(self, serializer):
        call = serializer.instance
        for name, value in serializer.validated_data.items():
            if name != "sub_lease":
                setattr(call, name, value)
        services.save_rent_call(call, by=self.request.user)


class PaymentViewSet(TenancyRecordViewSet):
    """Paiements reçus des ménages ou pour eux (au guichet, chèque, virement, prélèvement,
    carte, FSL, autre)."""

    model = Payment
    serializer_class = PaymentSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("sub_lease").order_by("paid_on", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.record_payment(
            Payment(**serializer.validated_data), by=self.request.user
        )


class RepaymentPlanViewSet(TenancyRecordViewSet):
    """Échéanciers de remboursement d'une dette locative, avec leurs échéances tenues ou non."""

    model = RepaymentPlan
    serializer_class = RepaymentPlanSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("sub_lease")
            .prefetch_related("instalments")
            .order_by("agreed_on", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        instalments = [Instalment(**item) for item in data.pop("instalments")]
        serializer.instance = services.save_repayment_plan(
            RepaymentPlan(**data), instalments, by=self.request.user
        )
