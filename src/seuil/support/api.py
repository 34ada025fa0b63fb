"""API v1 of support: contracts (and their amendments), contacts, objectives, referrals to
partners, the dated path of each adult (employment, training, French level), the monthly
reviews and the organisation's meetings. Reads are scoped (`visible_to`) and logged; writes
go through `services` (validated, audited). The free text (objectives' actions and the
household's words, contacts' notes, referrals' details, the texts of a path) is given only
to the roles that may read it (VIEW_SUPPORT_NOTES); a review's texts to those who take
part in it (VIEW_REVIEWS)."""

import uuid

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from seuil.core.api import (
    AccessLoggedListMixin,
    AccessLoggedRetrieveMixin,
    OptionalChoiceField,
    PlausibleModelSerializer,
    ScopedRelatedField,
    ScopedViewSet,
    Serializer,
)
from seuil.core.enums import Role
from seuil.core.models import Partner, User
from seuil.core.plausibility import (
    validate_event_date,
    validate_free_text,
    validate_planned_end,
)
from seuil.core.policy import Action
from seuil.core.views_policy import ViewPolicy
from seuil.households.models import Household, Person
from seuil.housing.models import Stay

from . import permissions, services
from .enums import (
    ContactKind,
    ContactStatus,
    EmploymentSituation,
    FrenchLevel,
    MissedReason,
    ObjectiveDomain,
    ObjectiveOutcome,
    ReferralPurpose,
    ReferralResult,
)
from .models import (
    Amendment,
    Contact,
    EmploymentRecord,
    FrenchLevelRecord,
    Meeting,
    MeetingKind,
    Objective,
    PartnerReferral,
    Review,
    SupportContract,
    TrainingRecord,
)


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
    AccessLoggedRetrieveMixin, AccessLoggedListMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    """Reading one record, or a page of a list, writes its access-log rows."""

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


# ---- referrals to partners and the path of each adult -------------------------------------


def encrypted_text(help_text="Texte chiffré ; null pour qui ne peut le lire.", **kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(
        allow_null=True, validators=[validate_free_text], help_text=help_text, **kwargs
    )


def _hide_notes(serializer, data, names):
    """The free texts `names` of `data` are null for who may not read them."""
    if not permissions.can_view_support_notes(serializer.context["request"].user):
        for name in names:
            data[name] = None
    return data


def _texts(data, names):
    """The free texts of a request: an absent or null text is empty."""
    for name in names:
        data[name] = data.get(name) or ""
    return data


class PartnerField(ScopedRelatedField):
    """A partner of the organisation's directory, by its uuid (the services refuse one no
    longer active for a new record)."""

    def __init__(self, **kwargs):
        super().__init__(Partner, **kwargs)

    def get_queryset(self):
        return Partner.objects.filter(organisation_id=self.context["request"].user.organisation_id)


class PartnerReferralSerializer(PlausibleModelSerializer):
    household = ScopedRelatedField(Household)
    partner = PartnerField(help_text="Un partenaire en activité de l'annuaire de l'organisation.")
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    purpose = serializers.ChoiceField(choices=ReferralPurpose.choices)
    result = serializers.ChoiceField(choices=ReferralResult.choices, read_only=True)
    details = encrypted_text()

    class Meta:
        model = PartnerReferral
        fields = [
            "uuid",
            "ref",
            "household",
            "on",
            "partner",
            "partner_name",
            "purpose",
            "details",
            "result",
            "result_on",
            "updated_at",
        ]
        read_only_fields = ["uuid", "ref", "result_on", "updated_at"]

    def to_representation(self, referral):
        return _hide_notes(self, super().to_representation(referral), ["details"])


class ReferralResultSerializer(Serializer):
    result = serializers.ChoiceField(choices=ReferralResult.choices)
    result_on = serializers.DateField(
        required=False,
        allow_null=True,
        validators=[validate_event_date],
        help_text="Quand le résultat a été connu ; sans objet pour « pending ».",
    )


class PartnerReferralViewSet(_SupportViewSet):
    """Orientations des ménages vers les partenaires de l'organisation."""

    model = PartnerReferral
    policy = ViewPolicy(read=Action.VIEW_SUPPORT, write=Action.CHANGE_SUPPORT)
    serializer_class = PartnerReferralSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("household", "partner").order_by("on", "pk")

    def create(self, request):
        """Orienter un ménage vers un partenaire (le résultat est « pending »)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _texts(dict(serializer.validated_data), ["details"])
        household = data.pop("household")
        return self._created(services.refer_to_partner(household, by=request.user, **data))

    @extend_schema(request=ReferralResultSerializer, responses={200: PartnerReferralSerializer})
    @action(detail=True, methods=["post"])
    def result(self, request, uuid=None):
        """Noter le résultat de l'orientation (réalisée, sans suite, refusée, en attente)."""
        referral = self.get_object()
        serializer = ReferralResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.record_referral_result(
            referral, result=data["result"], result_on=data.get("result_on"), by=request.user
        )
        return self.respond(referral)


class _PathRecordSerializer(PlausibleModelSerializer):
    household = ScopedRelatedField(Household)
    person = ScopedRelatedField(Person, help_text="Un membre du ménage.")
    texts = ()

    def to_representation(self, record):
        return _hide_notes(self, super().to_representation(record), self.texts)


class EmploymentRecordSerializer(_PathRecordSerializer):
    situation = serializers.ChoiceField(choices=EmploymentSituation.choices)
    employer = encrypted_text(max_length=200)
    texts = ("employer",)

    class Meta:
        model = EmploymentRecord
        fields = ["uuid", "household", "person", "since", "situation", "employer", "updated_at"]
        read_only_fields = ["uuid", "updated_at"]


class TrainingRecordSerializer(_PathRecordSerializer):
    name = encrypted_text(
        "Intitulé, requis (texte chiffré) ; null pour qui ne peut le lire.",
        required=True,
        allow_blank=False,
        max_length=200,
    )
    body = PartnerField(
        required=False, allow_null=True, help_text="L'organisme de formation, s'il est connu."
    )
    texts = ("name",)

    class Meta:
        model = TrainingRecord
        fields = [
            "uuid",
            "household",
            "person",
            "name",
            "body",
            "starts_on",
            "ends_on",
            "updated_at",
        ]
        read_only_fields = ["uuid", "updated_at"]


class FrenchLevelRecordSerializer(_PathRecordSerializer):
    level = serializers.ChoiceField(choices=FrenchLevel.choices)
    assessed_by = encrypted_text(max_length=200)
    texts = ("assessed_by",)

    class Meta:
        model = FrenchLevelRecord
        fields = [
            "uuid",
            "household",
            "person",
            "assessed_on",
            "level",
            "assessed_by",
            "updated_at",
        ]
        read_only_fields = ["uuid", "updated_at"]


class _PathRecordViewSet(_SupportViewSet):
    policy = ViewPolicy(read=Action.VIEW_SUPPORT, write=Action.CHANGE_SUPPORT)
    service = None
    date_field = None

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("household", "person")
            .order_by(self.date_field, "pk")
        )

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _texts(dict(serializer.validated_data), self.serializer_class.texts)
        household, person = data.pop("household"), data.pop("person")
        record = self.service(household, person, by=request.user, **data)
        return self._created(record)


class EmploymentRecordViewSet(_PathRecordViewSet):
    """Situations d'emploi datées des adultes des ménages accompagnés."""

    model = EmploymentRecord
    serializer_class = EmploymentRecordSerializer
    service = staticmethod(services.record_employment)
    date_field = "since"


class TrainingRecordViewSet(_PathRecordViewSet):
    """Formations suivies par les adultes des ménages accompagnés."""

    model = TrainingRecord
    serializer_class = TrainingRecordSerializer
    service = staticmethod(services.record_training)
    date_field = "starts_on"

    def get_queryset(self):
        return super().get_queryset().select_related("body")


class FrenchLevelRecordViewSet(_PathRecordViewSet):
    """Niveaux de français (CECRL) des adultes, datés."""

    model = FrenchLevelRecord
    serializer_class = FrenchLevelRecordSerializer
    service = staticmethod(services.record_french_level)
    date_field = "assessed_on"


# ---- monthly reviews and meetings ----------------------------------------------------------


class OrganisationUserField(serializers.SlugRelatedField):
    """A user of the organisation with one of `roles`, by its uuid."""

    default_error_messages = {
        "does_not_exist": "Aucun compte en activité de votre organisation ne porte "
        "l'identifiant « {value} » avec ce rôle.",
        "invalid": "Identifiant invalide : un UUID est attendu.",
    }

    def __init__(self, roles, **kwargs):
        self.roles = roles
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(slug_field="uuid", **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return User.objects.filter(
            organisation_id=user.organisation_id, role__in=self.roles, is_active=True
        )

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)

    def to_representation(self, obj):
        return str(obj.uuid)


class ReviewSerializer(PlausibleModelSerializer):
    household = ScopedRelatedField(Household)
    worker = OrganisationUserField(
        services.REFERENT_ROLES, help_text="Le travailleur social (un compte de l'organisation)."
    )
    tenancy_officer = OrganisationUserField(
        [Role.TENANCY_OFFICER],
        help_text="Le régisseur ; un régisseur qui enregistre la revue y est lui-même.",
    )
    others = serializers.CharField(
        required=False, allow_blank=True, max_length=300, validators=[validate_free_text]
    )
    housing = encrypted_text("Logement (texte chiffré).")
    budget = encrypted_text("Budget et loyer (texte chiffré).")
    objectives = encrypted_text("Objectifs (texte chiffré).")
    risks = encrypted_text("Risques (texte chiffré).")
    next_steps = encrypted_text("Prochaines étapes (texte chiffré).")

    class Meta:
        model = Review
        fields = [
            "uuid",
            "ref",
            "household",
            "held_on",
            "worker",
            "tenancy_officer",
            "others",
            *services.REVIEW_TEXTS,
            "updated_at",
        ]
        read_only_fields = ["uuid", "ref", "updated_at"]


class ReviewViewSet(_SupportViewSet):
    """Revues mensuelles des ménages par le travailleur social et le régisseur (le régisseur :
    celles auxquelles il prend part)."""

    model = Review
    policy = ViewPolicy(read=Action.VIEW_REVIEWS, write=Action.WRITE_REVIEWS)
    serializer_class = ReviewSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("household", "worker", "tenancy_officer")
            .order_by("held_on", "pk")
        )

    def create(self, request):
        """Enregistrer la revue mensuelle d'un ménage."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _texts(dict(serializer.validated_data), [*services.REVIEW_TEXTS, "others"])
        household = data.pop("household")
        return self._created(services.record_review(household, by=request.user, **data))


class MeetingSerializer(PlausibleModelSerializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    households = ScopedRelatedField(
        Household,
        many=True,
        required=False,
        help_text="Les ménages à l'ordre du jour (nommés par leur référence dans le compte rendu).",
    )
    participants = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, validators=[validate_free_text]
    )
    agenda = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, validators=[validate_free_text]
    )
    minutes = encrypted_text("Compte rendu (texte chiffré).", max_length=20000)

    class Meta:
        model = Meeting
        fields = [
            "uuid",
            "ref",
            "kind",
            "held_on",
            "participants",
            "households",
            "agenda",
            "minutes",
            "updated_at",
        ]
        read_only_fields = ["uuid", "ref", "updated_at"]


class MeetingViewSet(_SupportViewSet):
    """Réunions de l'organisation : cellules de coordination, comités de pilotage (filtre
    par ménage : celles qui l'ont à l'ordre du jour)."""

    model = Meeting
    household_lookup = "agenda_items__household__uuid"
    policy = ViewPolicy(read=Action.VIEW_MEETINGS, write=Action.CHANGE_MEETINGS)
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("households").order_by("held_on", "pk")

    def create(self, request):
        """Enregistrer une réunion, son ordre du jour et son compte rendu."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _texts(dict(serializer.validated_data), ["participants", "agenda", "minutes"])
        return self._created(services.record_meeting(by=request.user, **data))
