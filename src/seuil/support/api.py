"""API v1 of support: contracts (and their amendments), contacts, objectives. Reads are
scoped (`visible_to`) and logged; writes go through `services` (validated, audited). The
free text (objectives' actions and the household's words, contacts' notes) is given only
to the roles that may read it (VIEW_SUPPORT_NOTES)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from seuil.core.api import (
    AccessLoggedRetrieveMixin,
    OptionalChoiceField,
    PlausibleModelSerializer,
    ScopedRelatedField,
    ScopedViewSet,
    Serializer,
)
from seuil.core.plausibility import (
    validate_event_date,
    validate_free_text,
    validate_planned_end,
)
from seuil.core.policy import Action
from seuil.core.views_policy import ViewPolicy
from seuil.households.models import Household
from seuil.housing.models import Stay

from . import permissions, services
from .enums import ContactKind, ContactStatus, MissedReason, ObjectiveDomain, ObjectiveOutcome
from .models import Amendment, Contact, Objective, SupportContract


def planned_end():
    """A planned end: within three years (the programme's cap is checked by the model)."""
    return serializers.DateField(validators=[validate_planned_end])


class AmendmentSerializer(PlausibleModelSerializer):
    ends_on = planned_end()

    class Meta:
        model = Amendment
        fields = ["uuid", "ref", "signed_on", "ends_on", "reason"]
        read_only_fields = ["uuid", "ref"]


class SupportContractSerializer(PlausibleModelSerializer):
    stay = ScopedRelatedField(Stay, help_text="Le séjour dont c'est le contrat.")
    ends_on = planned_end()
    amendments = AmendmentSerializer(many=True, read_only=True)
    current_end = serializers.DateField(read_only=True, help_text="Fin, avenants compris.")
    last_possible_end = serializers.DateField(
        read_only=True, allow_null=True, help_text="Fin au plus tard selon le dispositif."
    )
    signed_late = serializers.BooleanField(
        read_only=True, help_text="Signé plus de 30 jours après l'entrée."
    )

    class Meta:
        model = SupportContract
        fields = [
            "uuid",
            "ref",
            "stay",
            "signed_on",
            "starts_on",
            "ends_on",
            "current_end",
            "last_possible_end",
            "signed_late",
            "amendments",
            "updated_at",
        ]
        read_only_fields = ["uuid", "ref", "updated_at"]


class ContactSerializer(PlausibleModelSerializer):
    household = ScopedRelatedField(Household)
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    status = serializers.ChoiceField(
        choices=[(ContactStatus.PLANNED, "Prévu"), (ContactStatus.DONE, "Réalisé")],
        default=ContactStatus.DONE,
        help_text="À la création : « planned » (rendez-vous à venir) ou « done ».",
    )
    missed_reason = OptionalChoiceField(choices=MissedReason.choices, read_only=True)
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        validators=[validate_free_text],
        help_text="Texte chiffré ; null pour qui ne peut le lire.",
    )

    class Meta:
        model = Contact
        fields = [
            "uuid",
            "ref",
            "household",
            "on",
            "at",
            "kind",
            "status",
            "missed_reason",
            "interpreter",
            "notes",
            "updated_at",
        ]
        read_only_fields = ["uuid", "ref", "updated_at"]

    def to_representation(self, contact):
        data = super().to_representation(contact)
        if not permissions.can_view_support_notes(self.context["request"].user):
            data["notes"] = None
        return data


class ObjectiveSerializer(PlausibleModelSerializer):
    household = ScopedRelatedField(Household)
    domain = serializers.ChoiceField(choices=ObjectiveDomain.choices)
    outcome = OptionalChoiceField(choices=ObjectiveOutcome.choices, read_only=True)
    actions = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        validators=[validate_free_text],
        help_text="Texte chiffré ; null pour qui ne peut le lire.",
    )
    own_words = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        validators=[validate_free_text],
        help_text="Seulement avec l'accord du ménage ; null pour qui ne peut le lire.",
    )

    class Meta:
        model = Objective
        fields = [
            "uuid",
            "ref",
            "household",
            "domain",
            "set_on",
            "due_on",
            "closed_on",
            "outcome",
            "actions",
            "own_words",
            "updated_at",
        ]
        read_only_fields = ["uuid", "ref", "closed_on", "updated_at"]

    def to_representation(self, objective):
        data = super().to_representation(objective)
        if not permissions.can_view_support_notes(self.context["request"].user):
            data["actions"] = data["own_words"] = None
        return data


class CloseObjectiveSerializer(Serializer):
    closed_on = serializers.DateField(validators=[validate_event_date])
    outcome = serializers.ChoiceField(choices=ObjectiveOutcome.choices)


class ListFilters(serializers.Serializer):
    household = serializers.UUIDField(required=False, help_text="Identifiant du ménage.")


class _SupportViewSet(
    AccessLoggedRetrieveMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    household_lookup = "household__uuid"

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = self.query_filters(ListFilters)
        if "household" in filters:
            queryset = queryset.filter(**{self.household_lookup: filters["household"]})
        return queryset

    @extend_schema(parameters=[ListFilters])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _created(self, obj):
        return self.respond(obj, status=201)


class SupportContractViewSet(_SupportViewSet):
    """Contrats d'accompagnement des séjours, avec leurs avenants."""

    model = SupportContract
    policy = ViewPolicy(read=Action.VIEW_SUPPORT, write=Action.CHANGE_SUPPORT)
    serializer_class = SupportContractSerializer
    household_lookup = "stay__household__uuid"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("stay__programme", "stay__household")
            .prefetch_related("amendments")
            .order_by("signed_on", "pk")
        )

    def create(self, request):
        """Enregistrer le contrat d'accompagnement d'un séjour (dans la durée du dispositif)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        stay = data.pop("stay")
        return self._created(services.sign_contract(stay, by=request.user, **data))

    @extend_schema(request=AmendmentSerializer, responses={201: SupportContractSerializer})
    @action(detail=True, methods=["post"])
    def amendments(self, request, uuid=None):
        """Ajouter un avenant : il reporte la fin (plus tard, dans la durée du dispositif)."""
        contract = self.get_object()
        serializer = AmendmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            services.amend_contract(contract, by=request.user, **serializer.validated_data)
        return self.respond(contract, status=201)


class ContactViewSet(_SupportViewSet):
    """Rendez-vous, visites et appels avec les ménages (le régisseur : ses visites
    conjointes)."""

    model = Contact
    policy = ViewPolicy(read=Action.VIEW_CONTACTS, write=Action.CHANGE_SUPPORT)
    serializer_class = ContactSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("household").order_by("on", "at", "pk")

    def create(self, request):
        """Enregistrer un contact réalisé, ou prévoir un rendez-vous."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["notes"] = data.get("notes") or ""
        household = data.pop("household")
        planned = data.pop("status") == ContactStatus.PLANNED
        contact = services.record_contact(
            household, by=request.user, planned=planned, worker=request.user, **data
        )
        return self._created(contact)


class ObjectiveViewSet(_SupportViewSet):
    """Objectifs d'accompagnement des ménages, par domaine."""

    model = Objective
    policy = ViewPolicy(read=Action.VIEW_SUPPORT, write=Action.CHANGE_SUPPORT)
    serializer_class = ObjectiveSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("household").order_by("set_on", "pk")

    def create(self, request):
        """Fixer un objectif d'accompagnement."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for name in ("actions", "own_words"):
            data[name] = data.get(name) or ""
        household = data.pop("household")
        return self._created(services.set_objective(household, by=request.user, **data))

    @extend_schema(request=CloseObjectiveSerializer, responses={200: ObjectiveSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, uuid=None):
        """Clore l'objectif avec son résultat."""
        objective = self.get_object()
        serializer = CloseObjectiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.close_objective(objective, by=request.user, **serializer.validated_data)
        return self.respond(objective)
