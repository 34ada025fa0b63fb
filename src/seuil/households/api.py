"""API v1 of households, persons and memberships; every write goes through `services`."""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from seuil.core.api import (
    STALE_EDIT_RESPONSE,
    AccessLoggedListMixin,
    AccessLoggedRetrieveMixin,
    FilterBackend,
    OptionalChoiceField,
    PlausibleModelSerializer,
    ScopedViewSet,
    Serializer,
)
from seuil.core.plausibility import (
    validate_birth_date,
    validate_event_date,
    validate_free_text,
    validate_text,
)
from seuil.core.policy import Action
from seuil.core.scoped_pages import PagedParts
from seuil.core.views_policy import ViewPolicy

from . import services
from .enums import JoinedReason, LegalStatus, MemberRole, PriorSituation, ResourceType, Sex
from .filters import HouseholdFilterSet
from .languages import Language
from .models import Household, Membership, Person

# The records the API shows are prefetched into lists (`Prefetch(…, to_attr=…)`) under these
# names, which the serializers read: a list costs nothing per object, where a prefetched
# relation builds a manager and a filtered queryset for each household and person (a list
# of 100 households builds about 500). Every queryset a serializer below reads from gives
# them (`_with_members`, `_person_records`).
MEMBERS = "api_members"
RESOURCES = "api_resources"
STATUSES = "api_legal_statuses"
CONTACTS = "api_contact_details"


class LegalStatusSerializer(Serializer):
    since = serializers.DateField(
        help_text="Date à partir de laquelle le statut vaut.", validators=[validate_event_date]
    )
    status = serializers.ChoiceField(choices=LegalStatus.choices)


class ResourcesSerializer(Serializer):
    on = serializers.DateField(
        help_text="Date à partir de laquelle ces ressources valent.",
        validators=[validate_event_date],
    )
    types = serializers.ListField(child=serializers.ChoiceField(choices=ResourceType.choices))


class ContactDetailsSerializer(Serializer):
    """A person's contact details and languages from a date (a new record each change)."""

    uuid = serializers.UUIDField(read_only=True)
    since = serializers.DateField(
        help_text="Date à partir de laquelle ces coordonnées valent ; les précédentes restent "
        "dans l'historique.",
        validators=[validate_event_date],
    )
    phones = serializers.ListField(
        child=serializers.CharField(max_length=30, validators=[validate_text]),
        required=False,
        max_length=2,
        help_text="Numéros de téléphone (au plus 2), lus au format français (06 12 34 56 78) "
        "ou international (+44…) et rendus au format international E.164 (+33612345678).",
    )
    email = serializers.EmailField(
        required=False, allow_blank=True, max_length=254, validators=[validate_text]
    )
    postal_address = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        validators=[validate_free_text],
        help_text="Adresse postale pour le courrier (domiciliation, boîte postale, logement).",
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=Language.choices),
        required=False,
        help_text="Langues parlées : codes ISO 639 (639-1 à deux lettres, sinon 639-3).",
    )
    interpreter_needed = serializers.BooleanField(required=False, default=False)


class MemberSerializer(Serializer):
    """A member: the person's fields and their membership of the household."""

    uuid = serializers.UUIDField(
        read_only=True, help_text="Identifiant de l'appartenance (PATCH /memberships/{uuid}/)."
    )
    person = serializers.UUIDField(
        source="person.uuid",
        read_only=True,
        help_text="Identifiant de la personne (POST /persons/{uuid}/legal-status/).",
    )
    ref = serializers.CharField(source="person.ref", read_only=True)
    role = serializers.ChoiceField(choices=MemberRole.choices)
    sex = OptionalChoiceField(source="person.sex", choices=Sex.choices)
    birth_date = serializers.DateField(
        source="person.birth_date",
        required=False,
        allow_null=True,
        validators=[validate_birth_date],
    )
    first_name = serializers.CharField(
        source="person.first_name",
        required=False,
        allow_blank=True,
        max_length=150,
        validators=[validate_text],
    )
    last_name = serializers.CharField(
        source="person.last_name",
        required=False,
        allow_blank=True,
        max_length=150,
        validators=[validate_text],
    )
    joined_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Vide : membre dès la première entrée du ménage.",
        validators=[validate_event_date],
    )
    joined_reason = OptionalChoiceField(choices=JoinedReason.choices)
    left_on = serializers.DateField(
        required=False, allow_null=True, validators=[validate_event_date]
    )
    legal_status = LegalStatusSerializer(source=f"person.{STATUSES}", many=True, read_only=True)
    contact_details = ContactDetailsSerializer(
        source=f"person.{CONTACTS}", many=True, read_only=True
    )
    version = serializers.IntegerField(
        source="person.version",
        required=False,
        min_value=1,
        help_text="Version de la personne lue ; envoyée avec une modification, elle est "
        "refusée (409) si la personne a été modifiée depuis.",
    )


class NewMemberSerializer(MemberSerializer):
    """A person added to the household, with their legal status history if known."""

    left_on = None  # a member leaves later, through PATCH /memberships/{uuid}/

    initial_legal_status = LegalStatusSerializer(
        many=True,
        required=False,
        write_only=True,
        help_text="Statuts administratifs datés à enregistrer avec la personne.",
    )


class MembershipSerializer(MemberSerializer):
    household = serializers.UUIDField(source="household.uuid", read_only=True)


class HouseholdSerializer(PlausibleModelSerializer):
    prior_situation = OptionalChoiceField(choices=PriorSituation.choices)
    members = MemberSerializer(source=MEMBERS, many=True, read_only=True)
    resources = ResourcesSerializer(source=RESOURCES, many=True, read_only=True)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Version du ménage lue ; envoyée avec une modification, elle est "
        "refusée (409) si le ménage a été modifié depuis.",
    )

    class Meta:
        model = Household
        fields = [
            "uuid",
            "ref",
            "prior_situation",
            "members",
            "resources",
            "updated_at",
            "version",
        ]
        read_only_fields = ["uuid", "updated_at"]
        extra_kwargs = {
            "ref": {
                "required": False,
                "help_text": "Référence ; générée quand elle est omise.",
            }
        }


class PersonMembershipSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    household = serializers.UUIDField(source="household.uuid", read_only=True)
    role = serializers.ChoiceField(choices=MemberRole.choices, read_only=True)
    joined_on = serializers.DateField(read_only=True, allow_null=True)
    joined_reason = OptionalChoiceField(choices=JoinedReason.choices, read_only=True)
    left_on = serializers.DateField(read_only=True, allow_null=True)


class PersonSerializer(serializers.ModelSerializer):
    sex = OptionalChoiceField(choices=Sex.choices, read_only=True)
    legal_status = LegalStatusSerializer(source=STATUSES, many=True, read_only=True)
    contact_details = ContactDetailsSerializer(source=CONTACTS, many=True, read_only=True)
    memberships = PersonMembershipSerializer(source=MEMBERS, many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "uuid",
            "ref",
            "first_name",
            "last_name",
            "sex",
            "birth_date",
            "legal_status",
            "contact_details",
            "memberships",
            "version",
        ]
        read_only_fields = fields


def _member_arguments(validated):
    """Split a member's validated data into person fields and membership fields."""
    fields = dict(validated)
    person_fields = dict(fields.pop("person", {}))
    fields["expected_version"] = person_fields.pop("version", None)
    return person_fields, fields


def _person_records(path=""):
    """The prefetches of a person's dated records (statuses, contact details) that the API
    shows, `path` leading from the records listed to the person ("person__" from a
    membership)."""
    return [
        Prefetch(f"{path}legal_status_records", to_attr=STATUSES),
        Prefetch(f"{path}contact_details", to_attr=CONTACTS),
    ]


def _with_members(households):
    """What a household of the API shows, prefetched: its members, their statuses and
    contact details, its resources."""
    members = Membership.objects.select_related("person").prefetch_related(
        *_person_records("person__")
    )
    return households.prefetch_related(
        Prefetch("memberships", queryset=members, to_attr=MEMBERS),
        Prefetch("resource_records", to_attr=RESOURCES),
    )


class HouseholdViewSet(
    AccessLoggedListMixin,
    AccessLoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedViewSet,
):
    """Ménages de votre organisation, leurs membres et leurs ressources datées."""

    model = Household
    policy = ViewPolicy(read=Action.VIEW_HOUSEHOLDS, write=Action.CHANGE_HOUSEHOLDS)
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilterSet

    list_ordering = ["ref", "pk"]

    def get_queryset(self):
        return _with_members(super().get_queryset()).order_by(*self.list_ordering)

    def filter_queryset(self, queryset):
        """The list: the households of the filtered scope, paged part by part
        (`core.scoped_pages`: those the organisation holds walk its index of references,
        then those it is linked to), by reference."""
        if self.action != "list":
            return super().filter_queryset(queryset)
        filters = FilterBackend().valid_filterset(self.request, queryset, self)
        parts = Household.objects.visible_parts(self.request.user, self.policy.read)
        return PagedParts(
            [filters.narrow(part) for part in parts],
            self.list_ordering,
            _with_members(Household.objects.all()),
        )

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields.pop("version", None)
        household = services.create_household(
            organisation=request.user.organisation, acting_user=request.user, **fields
        )
        return self.respond(household, status=201)

    @extend_schema(responses={200: HouseholdSerializer, 409: STALE_EDIT_RESPONSE})
    def update(self, request, uuid=None, partial=False):
        household = self.get_object()
        serializer = self.get_serializer(household, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        services.update_household(
            household,
            acting_user=request.user,
            expected_version=fields.pop("version", None),
            **fields,
        )
        return self.respond(household)

    @extend_schema(responses={200: HouseholdSerializer, 409: STALE_EDIT_RESPONSE})
    def partial_update(self, request, uuid=None):
        return self.update(request, uuid, partial=True)

    @extend_schema(request=NewMemberSerializer, responses={201: MemberSerializer})
    @action(detail=True, methods=["post"], url_path="members")
    def members(self, request, uuid=None):
        """Ajouter une personne au ménage (naissance, réunification familiale…)."""
        household = self.get_object()
        serializer = NewMemberSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        person_fields, fields = _member_arguments(serializer.validated_data)
        fields.pop("expected_version")
        statuses = fields.pop("initial_legal_status", [])
        with transaction.atomic():
            membership = services.add_member(
                household, acting_user=request.user, person_fields=person_fields, **fields
            )
            for status in statuses:
                services.record_legal_status(membership.person, acting_user=request.user, **status)
        membership = (
            Membership.objects.select_related("person")
            .prefetch_related(*_person_records("person__"))
            .get(pk=membership.pk)
        )
        return self.respond_with(MemberSerializer, membership, status=201)

    @extend_schema(request=ResourcesSerializer, responses={201: ResourcesSerializer})
    @action(detail=True, methods=["post"], url_path="resources")
    def resources(self, request, uuid=None):
        """Ajouter les ressources du ménage à une date (l'historique est conservé)."""
        household = self.get_object()
        serializer = ResourcesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.record_resources(
            household, acting_user=request.user, **serializer.validated_data
        )
        return self.respond_with(ResourcesSerializer, record, status=201)


class PersonViewSet(
    AccessLoggedListMixin,
    AccessLoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedViewSet,
):
    """Personnes de votre organisation et leur statut administratif daté."""

    model = Person
    policy = ViewPolicy(read=Action.VIEW_HOUSEHOLDS, write=Action.CHANGE_HOUSEHOLDS)
    serializer_class = PersonSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                *_person_records(),
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.select_related("household"),
                    to_attr=MEMBERS,
                ),
            )
            .order_by("ref", "pk")
        )

    @extend_schema(request=LegalStatusSerializer, responses={201: LegalStatusSerializer})
    @action(detail=True, methods=["post"], url_path="legal-status")
    def legal_status(self, request, uuid=None):
        """Ajouter un statut administratif daté (l'historique est conservé)."""
        person = self.get_object()
        serializer = LegalStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.record_legal_status(
            person, acting_user=request.user, **serializer.validated_data
        )
        return self.respond_with(LegalStatusSerializer, record, status=201)

    @extend_schema(request=ContactDetailsSerializer, responses={201: ContactDetailsSerializer})
    @action(detail=True, methods=["post"], url_path="contact-details")
    def contact_details(self, request, uuid=None):
        """Enregistrer les coordonnées et les langues de la personne à partir d'une date
        (l'historique est conservé)."""
        person = self.get_object()
        serializer = ContactDetailsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.record_contact_details(
            person, acting_user=request.user, **serializer.validated_data
        )
        return self.respond_with(ContactDetailsSerializer, record, status=201)


class MembershipViewSet(AccessLoggedRetrieveMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Appartenance d'une personne à un ménage : la personne, son rôle, ses dates."""

    model = Membership
    policy = ViewPolicy(read=Action.VIEW_HOUSEHOLDS, write=Action.CHANGE_HOUSEHOLDS)
    serializer_class = MembershipSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "household")
            .prefetch_related(*_person_records("person__"))
        )

    def logged_object(self, membership):
        return membership.person

    @extend_schema(responses={200: MembershipSerializer, 409: STALE_EDIT_RESPONSE})
    def partial_update(self, request, uuid=None):
        """Modifier une personne et son appartenance (dont son départ du ménage)."""
        membership = self.get_object()
        serializer = self.get_serializer(membership, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        person_fields, fields = _member_arguments(serializer.validated_data)
        services.update_member(
            membership, acting_user=request.user, person_fields=person_fields, **fields
        )
        return self.respond(membership)
