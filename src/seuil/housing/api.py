"""API v1 of the housing stock and stays; every write goes through `services`."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from seuil.core.api import (
    STALE_EDIT_RESPONSE,
    AccessLoggedListMixin,
    AccessLoggedRetrieveMixin,
    OptionalChoiceField,
    PlausibleModelSerializer,
    ScopedRelatedField,
    ScopedViewSet,
    Serializer,
)
from seuil.core.plausibility import validate_event_date
from seuil.core.policy import Action
from seuil.core.views_policy import ViewPolicy
from seuil.households.models import Household

from . import services
from .enums import (
    ExitDestination,
    LandlordKind,
    ManagementMode,
    ProgrammeKind,
    SupportIntensity,
    Typology,
)
from .filters import UnitFilterSet
from .models import HousingUnit, Landlord, Programme, Sector, Stay


class ProgrammeSerializer(serializers.ModelSerializer):
    kind = OptionalChoiceField(choices=ProgrammeKind.choices, read_only=True)

    class Meta:
        model = Programme
        fields = ["uuid", "ref", "name", "kind"]
        read_only_fields = fields


class SectorSerializer(serializers.ModelSerializer):
    communes = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Sector
        fields = ["uuid", "ref", "name", "communes"]
        read_only_fields = fields


class LandlordSerializer(serializers.ModelSerializer):
    kind = OptionalChoiceField(choices=LandlordKind.choices, read_only=True)

    class Meta:
        model = Landlord
        fields = ["uuid", "ref", "name", "kind"]
        read_only_fields = fields


def _amount(label):
    return serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text=label,
    )


class HousingUnitSerializer(PlausibleModelSerializer):
    programme = ScopedRelatedField(Programme, required=False, allow_null=True)
    parent = ScopedRelatedField(
        HousingUnit,
        required=False,
        allow_null=True,
        help_text="Logement partagé (colocation) dont ce logement est une chambre.",
    )
    sector = ScopedRelatedField(Sector, required=False, allow_null=True)
    landlord = ScopedRelatedField(Landlord, required=False, allow_null=True)
    typology = serializers.ChoiceField(choices=Typology.choices)
    management_mode = serializers.ChoiceField(choices=ManagementMode.choices, required=False)
    rent = _amount("Loyer (€/mois).")
    charges = _amount("Charges (€/mois).")
    surface_m2 = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text="Surface (m²).",
    )

    class Meta:
        model = HousingUnit
        fields = [
            "uuid",
            "ref",
            "programme",
            "typology",
            "parent",
            "address",
            "commune",
            "sector",
            "landlord",
            "rent",
            "charges",
            "surface_m2",
            "accessible",
            "management_mode",
            "captured_on",
            "returned_on",
            "updated_at",
        ]
        read_only_fields = ["uuid", "updated_at"]
        extra_kwargs = {
            "ref": {"required": False, "help_text": "Référence ; générée quand elle est omise."}
        }

    def validate_parent(self, parent):
        unit = self.instance
        if parent is not None and unit is not None:
            if parent.pk == unit.pk:
                raise serializers.ValidationError("Un logement ne peut être sa propre chambre.")
            if unit.rooms.exists():
                raise serializers.ValidationError(
                    "Ce logement est partagé en chambres : il ne peut devenir une chambre."
                )
        return parent


class StaySerializer(PlausibleModelSerializer):
    household = ScopedRelatedField(Household)
    unit = ScopedRelatedField(HousingUnit)
    programme = ScopedRelatedField(
        Programme,
        required=False,
        allow_null=True,
        help_text="Dispositif ; celui du logement quand il est omis.",
    )
    support_intensity = serializers.ChoiceField(
        choices=SupportIntensity.choices, default=SupportIntensity.STANDARD
    )
    exit_destination = OptionalChoiceField(choices=ExitDestination.choices, read_only=True)
    confirm_size = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="À l'entrée, confirme l'entrée dans un logement dont la typologie ne convient "
        "pas à la taille du ménage (un ménage d'une personne dans un T5) ; sans elle, une "
        "telle entrée est refusée.",
    )

    class Meta:
        model = Stay
        fields = [
            "uuid",
            "ref",
            "household",
            "unit",
            "programme",
            "entered_on",
            "exited_on",
            "exit_destination",
            "lease_transferred",
            "support_intensity",
            "confirm_size",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "uuid",
            "ref",
            "exited_on",
            "lease_transferred",
            "updated_at",
            "version",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        error = services.unconfirmed_size(
            attrs["unit"],
            attrs["household"],
            attrs["entered_on"],
            confirmed=attrs.pop("confirm_size", False),
            how="Envoyez « confirm_size » : true pour confirmer l'entrée",
        )
        if error:
            raise serializers.ValidationError({"confirm_size": error})
        return attrs


class StayExitSerializer(Serializer):
    exited_on = serializers.DateField(validators=[validate_event_date])
    exit_destination = serializers.ChoiceField(choices=ExitDestination.choices)
    lease_transferred = serializers.BooleanField(
        default=False, help_text="Glissement de bail : le ménage devient locataire en titre."
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Version du séjour lue ; la sortie est refusée (409) si le séjour a été "
        "modifié depuis.",
    )


class StayFilters(serializers.Serializer):
    household = serializers.UUIDField(required=False, help_text="Identifiant du ménage.")
    unit = serializers.UUIDField(required=False, help_text="Identifiant du logement.")
    present_on = serializers.DateField(
        required=False,
        help_text="Séjours en cours à cette date (AAAA-MM-JJ).",
        validators=[validate_event_date],
    )


class ReferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Read-only reference data of the organisation (to find the uuids to refer to)."""

    policy = ViewPolicy(read=Action.VIEW_UNITS, write=Action.CHANGE_UNITS)

    def get_queryset(self):
        return super().get_queryset().order_by("ref", "pk")


class ProgrammeViewSet(ReferenceViewSet):
    """Dispositifs de votre organisation."""

    model = Programme
    serializer_class = ProgrammeSerializer


class SectorViewSet(ReferenceViewSet):
    """Secteurs géographiques de votre organisation."""

    model = Sector
    serializer_class = SectorSerializer


class LandlordViewSet(ReferenceViewSet):
    """Bailleurs de votre organisation."""

    model = Landlord
    serializer_class = LandlordSerializer


class HousingUnitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedViewSet,
):
    """Logements du parc de votre organisation (ou vos logements, pour un bailleur)."""

    model = HousingUnit
    policy = ViewPolicy(read=Action.VIEW_UNITS, write=Action.CHANGE_UNITS)
    serializer_class = HousingUnitSerializer
    filterset_class = UnitFilterSet

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("programme", "parent", "sector", "landlord")
            .order_by("ref", "pk")
        )

    def create(self, request):
        unit = HousingUnit(organisation=request.user.organisation)
        return self._save(unit, status=201)

    def update(self, request, uuid=None, partial=False):
        return self._save(self.get_object(), partial=partial)

    def partial_update(self, request, uuid=None):
        return self.update(request, uuid, partial=True)

    def _save(self, unit, status=200, partial=False):
        serializer = self.get_serializer(
            unit if unit.pk else None, data=self.request.data, partial=partial
        )
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(unit, name, value)
        services.save_unit(unit, acting_user=self.request.user)
        return self.respond(unit, status=status)


class StayViewSet(
    AccessLoggedListMixin,
    AccessLoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedViewSet,
):
    """Séjours : entrées des ménages dans les logements et sorties."""

    model = Stay
    policy = ViewPolicy(read=Action.VIEW_HOUSEHOLDS, write=Action.CHANGE_STAYS)
    serializer_class = StaySerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("household", "unit", "programme")
            .order_by("entered_on", "pk")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = self.query_filters(StayFilters)
        if "household" in filters:
            queryset = queryset.filter(household__uuid=filters["household"])
        if "unit" in filters:
            queryset = queryset.filter(unit__uuid=filters["unit"])
        if "present_on" in filters:
            queryset = queryset.present_on(filters["present_on"])
        return queryset

    @extend_schema(parameters=[StayFilters])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request):
        """Faire entrer un ménage dans un logement vacant."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        stay = services.enter_household(
            data["household"],
            data["unit"],
            entered_on=data["entered_on"],
            programme=data.get("programme"),
            support_intensity=data["support_intensity"],
            acting_user=request.user,
        )
        return self.respond(stay, status=201)

    @extend_schema(
        request=StayExitSerializer, responses={200: StaySerializer, 409: STALE_EDIT_RESPONSE}
    )
    @action(detail=True, methods=["post"])
    def exit(self, request, uuid=None):
        """Enregistrer la sortie du ménage (date, destination, glissement de bail)."""
        stay = self.get_object()
        serializer = StayExitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.record_exit(
            stay,
            exited_on=data["exited_on"],
            destination=data["exit_destination"],
            lease_transferred=data["lease_transferred"],
            acting_user=request.user,
            expected_version=data.get("version"),
        )
        return self.respond(stay)
