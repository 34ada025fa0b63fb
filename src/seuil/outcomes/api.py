"""API v1 of the follow-ups after exit; every write goes through `services`."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from seuil.core.api import (
    STALE_EDIT_RESPONSE,
    AccessLoggedRetrieveMixin,
    OptionalChoiceField,
    PlausibleModelSerializer,
    ScopedRelatedField,
    ScopedViewSet,
    Serializer,
)
from seuil.core.enums import OrganisationKind
from seuil.core.models import Organisation
from seuil.core.plausibility import validate_event_date, validate_free_text, validate_text
from seuil.core.policy import Action
from seuil.core.views_policy import ViewPolicy
from seuil.housing.models import Stay

from . import mobility, services
from .due import follow_ups_due
from .enums import AnsweredBy, LeavingReason, MobilityStatus
from .models import FollowUp, MobilityFile


def _answer(help_text):
    return serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=help_text
    )


def _score(help_text):
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=5,
        help_text=help_text,
    )


class FollowUpSerializer(PlausibleModelSerializer):
    stay = ScopedRelatedField(Stay, help_text="Séjour terminé que le suivi concerne.")
    on = serializers.DateField(
        validators=[validate_event_date], help_text="Date du suivi, après la sortie."
    )
    housed = _answer("Toujours logé (null : non connu).")
    same_home = _answer("Dans le même logement.")
    same_commune = _answer("Dans la même commune.")
    employed = _answer("En emploi.")
    in_training = _answer("En formation.")
    satisfaction = _score("Satisfaction à l'égard du logement, de 1 à 5.")
    support_satisfaction = _score("Satisfaction à l'égard de l'accompagnement, de 1 à 5.")
    reason_for_leaving = OptionalChoiceField(
        choices=LeavingReason.choices, help_text="Raison du départ, quand le ménage est parti."
    )
    returned_to_shelter_or_street = _answer("Retour à l'hébergement ou à la rue.")
    answered_by = serializers.ChoiceField(choices=AnsweredBy.choices, read_only=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Version lue ; la modification est refusée (409) si le suivi a changé depuis.",
    )

    class Meta:
        model = FollowUp
        fields = [
            "uuid",
            "ref",
            "stay",
            "on",
            *services.ANSWER_FIELDS,
            "answered_by",
            "updated_at",
            "version",
        ]
        read_only_fields = ["uuid", "ref", "answered_by", "updated_at"]


class FollowUpFilters(serializers.Serializer):
    stay = serializers.UUIDField(required=False, help_text="Identifiant du séjour.")
    household = serializers.UUIDField(required=False, help_text="Identifiant du ménage.")


class DueSerializer(serializers.Serializer):
    """A follow-up due (a response only: nothing is read from a request)."""

    stay = serializers.UUIDField(source="stay.uuid", read_only=True)
    household = serializers.UUIDField(source="stay.household.uuid", read_only=True)
    exited_on = serializers.DateField(source="stay.exited_on", read_only=True)
    months = serializers.IntegerField(source="milestone.months", read_only=True)
    due_on = serializers.DateField(read_only=True)
    closes_on = serializers.DateField(read_only=True)


class FollowUpViewSet(
    AccessLoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedViewSet,
):
    """Suivis après la sortie : ce que le ménage est devenu après un séjour terminé."""

    model = FollowUp
    policy = ViewPolicy(read=Action.VIEW_FOLLOW_UPS, write=Action.RECORD_FOLLOW_UP)
    serializer_class = FollowUpSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("stay").order_by("on", "pk")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = self.query_filters(FollowUpFilters)
        if "stay" in filters:
            queryset = queryset.filter(stay__uuid=filters["stay"])
        if "household" in filters:
            queryset = queryset.filter(stay__household__uuid=filters["household"])
        return queryset

    @extend_schema(parameters=[FollowUpFilters])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request):
        """Enregistrer un suivi après la sortie d'un séjour terminé."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        follow_up = services.record_follow_up(
            data["stay"], on=data["on"], answers=data, by=request.user
        )
        return self.respond(follow_up, status=201)

    @extend_schema(responses={200: FollowUpSerializer, 409: STALE_EDIT_RESPONSE})
    def update(self, request, uuid=None, partial=False):
        """Corriger un suivi (la date et les réponses ; pas le séjour)."""
        follow_up = self.get_object()
        current = {name: getattr(follow_up, name) for name in services.ANSWER_FIELDS}
        current["on"] = follow_up.on
        serializer = self.get_serializer(follow_up, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "stay" in data and data["stay"].pk != follow_up.stay_id:
            raise serializers.ValidationError({"stay": ["Le séjour d'un suivi ne change pas."]})
        values = {**current, **data} if partial else data
        services.change_follow_up(
            follow_up,
            on=values["on"],
            answers=values,
            by=request.user,
            expected_version=data.get("version"),
        )
        return self.respond(follow_up)

    @extend_schema(responses={200: FollowUpSerializer, 409: STALE_EDIT_RESPONSE})
    def partial_update(self, request, uuid=None):
        return self.update(request, uuid, partial=True)

    @extend_schema(responses={200: DueSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def due(self, request):
        """Suivis à faire aujourd'hui : à 6, 12 et 24 mois après une sortie vers un logement."""
        stays = Stay.objects.visible_to(request.user, Action.VIEW_FOLLOW_UPS)
        due = follow_ups_due(request.user.organisation, timezone.localdate(), stays=stays)
        return Response(DueSerializer(due, many=True).data)


# ---------------------------------------------------------------- national mobility


class MobilityFileSerializer(serializers.ModelSerializer):
    household = serializers.UUIDField(source="household.uuid", read_only=True)
    platform = serializers.CharField(source="platform.ref", read_only=True)
    departure = serializers.CharField(source="departure.ref", read_only=True)
    arrival = serializers.CharField(
        source="arrival.ref", read_only=True, default=None, allow_null=True
    )
    steps = serializers.SerializerMethodField()

    class Meta:
        model = MobilityFile
        fields = [
            "uuid",
            "ref",
            "household",
            "platform",
            "departure",
            "arrival",
            "departure_department",
            "arrival_department",
            "arrival_commune",
            "status",
            "opened_on",
            "file_sent_on",
            "file_received_on",
            "transmitted",
            "travel_booked_on",
            "moved_on",
            "welcomed_on",
            "stepping_stone_until",
            "steps",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_steps(self, file):
        return [
            {"status": row.to_status, "on": row.on.isoformat(), "comment": row.comment}
            for row in file.transitions.order_by("on", "at", "id")
        ]


class MobilityStepSerializer(Serializer):
    to = serializers.ChoiceField(choices=MobilityStatus.choices, help_text="Étape suivante.")
    on = serializers.DateField(validators=[validate_event_date])
    arrival_department = serializers.CharField(
        required=False, max_length=3, validators=[validate_text]
    )
    arrival_commune = serializers.RegexField(
        r"^(\d{5}|2[AB]\d{3})$", required=False, validators=[validate_text]
    )
    arrival = serializers.SlugRelatedField(
        slug_field="ref",
        queryset=Organisation.objects.filter(kind=OrganisationKind.OPERATOR),
        required=False,
        help_text="Référence de l'opérateur d'arrivée (étape « proposal »).",
    )
    travel_booked_on = serializers.DateField(required=False, validators=[validate_event_date])
    stepping_stone_until = serializers.DateField(required=False, validators=[validate_event_date])
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", validators=[validate_free_text]
    )


class MobilityFileViewSet(
    AccessLoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedViewSet,
):
    """Parcours de mobilité nationale : les étapes, de l'information au passage de relais."""

    model = MobilityFile
    policy = ViewPolicy(read=Action.VIEW_MOBILITY, write=Action.RECORD_MOBILITY_STEP)
    serializer_class = MobilityFileSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("household", "platform", "departure", "arrival")
            .order_by("opened_on", "pk")
        )

    @extend_schema(request=MobilityStepSerializer, responses={200: MobilityFileSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request, uuid=None):
        """Faire passer le parcours à l'étape suivante (celle de votre organisation)."""
        file = self.get_object()
        serializer = MobilityStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        to, on, comment = data.pop("to"), data.pop("on"), data.pop("comment")
        mobility.advance(file, to, on=on, by=request.user, comment=comment, **data)
        return self.respond(file)
