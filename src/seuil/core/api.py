"""Shared pieces of the API v1: scoped viewsets, the role-rule permission, French errors.

Every endpoint declares its policy actions once (`policy = ViewPolicy(read=…, write=…)`, read
by the permission battery of the tests), reads through `Model.objects.visible_to(user)`
(objects of another organisation answer 404), writes an access-log row for each file it
shows (one object, or each object of a list page), writes only when the role has the `write`
action (403 otherwise), and turns the services' Django `ValidationError` into HTTP 400 with the
same French messages; an edit sent with an outdated `version` (`StaleEdit`) answers
HTTP 409.
"""

import uuid

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import TextField
from django.utils import translation
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .api_errors import NotFound
from .audit import record_access, record_reads
from .concurrency import StaleEdit
from .models import AccessLog
from .permissions import page_rule
from .plausibility import validate_event_date, validate_free_text, validate_text


class Conflict(exceptions.APIException):
    """HTTP 409: the object changed since the version the client sent."""

    status_code = 409
    default_detail = "Conflit de modification."
    default_code = "stale"


def as_api_error(error):
    """A Django `ValidationError` raised by a service, as DRF's (HTTP 400, same messages)."""
    if hasattr(error, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return exceptions.ValidationError(detail)


STALE_EDIT_RESPONSE = OpenApiResponse(
    description="La version envoyée n'est plus celle de l'objet : quelqu'un l'a modifié "
    "depuis ; relisez-le avant de renvoyer la modification."
)


EMPTY_PARAMETER = "Valeur vide : omettez ce paramètre, ou donnez-lui une valeur."


def refuse_empty_parameters(request, names):
    """400 for a query parameter among `names` sent empty (`?unit=`): the schema types each
    one (a uuid, a date, a code), which an empty value is not."""
    empty = [name for name in names if "" in request.query_params.getlist(name)]
    if empty:
        raise exceptions.ValidationError({name: [EMPTY_PARAMETER] for name in empty})


class FilterBackend(DjangoFilterBackend):
    """The lists' FilterSet for the API (`filterset_class`), an empty parameter refused; the
    pages read the same FilterSet, where an empty select means "all"."""

    def filter_queryset(self, request, queryset, view):
        filters = self.valid_filterset(request, queryset, view)
        return queryset if filters is None else filters.qs

    def valid_filterset(self, request, queryset, view):
        """The view's FilterSet over `queryset` with the request's parameters, checked
        (400 otherwise); None when the view has none."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        refuse_empty_parameters(request, filterset_class.base_filters)
        filters = self.get_filterset(request, queryset, view)
        if not filters.is_valid():
            raise filter_utils.translate_validation(filters.errors)
        return filters


class RoleRulePermission(permissions.BasePermission):
    """Reads: any signed-in user (the queryset narrows to the scope of the view's `policy.read`
    action); writes: the page rule of its `policy.write` action."""

    message = "Votre rôle ne vous permet pas de faire cette modification."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(page_rule(view.policy.write)(user))


class ScopedViewSet(viewsets.GenericViewSet):
    """A viewset over `model.objects.visible_to(request.user)`, looked up by uuid.

    Subclasses set `model`, `policy` (a `seuil.core.views_policy.ViewPolicy`: the actions
    reading and writing need) and may refine `get_queryset` (select/prefetch) by calling
    `super()`. A list with query-string filters sets `filterset_class` (the FilterSet its
    page reads too): they narrow the list only, never the lookup of one object.
    """

    model = None
    policy = None
    permission_classes = [RoleRulePermission]
    lookup_field = "uuid"
    filter_backends = [FilterBackend]

    def get_queryset(self):
        """The objects within the scope of the request's action: the `write` action of the
        policy for a change (a household the organisation is only linked to: 404), else its
        `read` action."""
        action = self.policy.action_of(self.request.method) if self.policy else None
        return self.model.objects.visible_to(self.request.user, action)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            uuid.UUID(str(self.kwargs[self.lookup_field]))
        except ValueError:
            raise NotFound() from None
        return super().get_object()

    def handle_exception(self, exc):
        if isinstance(exc, StaleEdit):
            exc = Conflict(exc.messages[0])
        elif isinstance(exc, DjangoValidationError):
            exc = as_api_error(exc)
        return super().handle_exception(exc)

    def query_filters(self, serializer_class):
        """The validated query-string filters (400 with French messages when invalid)."""
        refuse_empty_parameters(self.request, serializer_class().fields)
        filters = serializer_class(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.validated_data

    def respond(self, obj, status=200):
        """The object as the viewset's serializer shows it, re-read with its prefetches."""
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status)

    def respond_with(self, serializer_class, obj, status=200):
        """`obj` as another serializer shows it (sub-resources of an action)."""
        return Response(serializer_class(obj, context=self.get_serializer_context()).data, status)


class AccessLogged:
    """What the access log names for an object the API shows (the object itself, unless a
    viewset says otherwise: a membership is its person's file)."""

    def logged_object(self, obj):
        return obj


class AccessLoggedRetrieveMixin(AccessLogged):
    """Reading one file writes a VIEW access-log row in the same transaction."""

    def retrieve(self, request, *args, **kwargs):
        with transaction.atomic():
            obj = self.get_object()
            record_access(request.user, AccessLog.Action.VIEW, self.logged_object(obj))
        return Response(self.get_serializer(obj).data)


class AccessLoggedListMixin(AccessLogged):
    """Reading a page of a list (up to 1,000 files) writes one VIEW access-log row per file
    of the page, none for the others, inserted together in the transaction that reads the
    page (`core.audit.record_reads`)."""

    def list(self, request, *args, **kwargs):
        with transaction.atomic():
            queryset = self.filter_queryset(self.get_queryset())
            page = self.paginate_queryset(queryset)
            rows = list(queryset if page is None else page)
            record_reads(request.user, [self.logged_object(obj) for obj in rows])
            data = self.get_serializer(rows, many=True).data
        return Response(data) if page is None else self.get_paginated_response(data)


# ---- serializers: JSON types read strictly, plausible dates and texts --------------------

# The JSON type each kind of field takes, and its name in the message of a wrong one.
TEXT, INTEGER, NUMBER, BOOLEAN, ARRAY, OBJECT = (
    ((str,), "texte"),
    ((int,), "nombre entier"),
    ((int, float), "nombre"),
    ((bool,), "booléen (true ou false)"),
    ((list,), "liste"),
    ((dict,), "objet"),
)
JSON_TYPES = (
    (serializers.BooleanField, BOOLEAN),
    (serializers.IntegerField, INTEGER),
    ((serializers.DecimalField, serializers.FloatField), NUMBER),
    ((serializers.ListField, serializers.ListSerializer, serializers.ManyRelatedField), ARRAY),
    (serializers.BaseSerializer, OBJECT),
    (
        (
            serializers.CharField,
            serializers.ChoiceField,
            serializers.DateField,
            serializers.DateTimeField,
            serializers.UUIDField,
            serializers.RelatedField,
        ),
        TEXT,
    ),
)


def json_type_error(field, value):
    """The French message of a JSON value of the wrong type for `field`, None if right."""
    if value is None:
        return None  # the field says whether it may be null
    for kinds, (types, name) in JSON_TYPES:
        if isinstance(field, kinds):
            right = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
            return None if right else f"Type invalide : {name} attendu."
    return None


class StrictJson:
    """Each field takes only its JSON type, as the schema says: a number for a text, a
    text for a number or a boolean are refused (DRF would convert them)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for field in self._writable_fields:
                if field.field_name in data:
                    message = json_type_error(field, data[field.field_name])
                    if message:
                        errors[field.field_name] = [message]
            if errors:
                raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)


class Serializer(StrictJson, serializers.Serializer):
    """The serializers of a request body."""


class PlausibleModelSerializer(StrictJson, serializers.ModelSerializer):
    """A ModelSerializer whose JSON types are read strictly and whose fields built from the
    model follow the plausibility rule (`seuil.core.plausibility`): a date is a dated event
    (not before 1900, nor more than a year after today), a text holds no control
    character."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        rule = None
        if issubclass(field_class, serializers.DateField):
            rule = validate_event_date
        elif issubclass(field_class, serializers.CharField):
            rule = validate_free_text if isinstance(model_field, TextField) else validate_text
        if rule is not None:
            kwargs["validators"] = [*kwargs.get("validators", []), rule]
        return field_class, kwargs


class OptionalChoiceField(serializers.ChoiceField):
    """A coded field that may be empty: `null` in JSON, an empty string in the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        value = super().run_validation(data)
        return "" if value is None else value

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


@extend_schema_field(OpenApiTypes.UUID)
class ScopedRelatedField(serializers.SlugRelatedField):
    """A reference by uuid to an object of the user's organisation that the user may see."""

    default_error_messages = {
        "does_not_exist": "Aucun objet ne porte l'identifiant « {value} » dans votre organisation.",
        "invalid": "Identifiant invalide : un UUID est attendu.",
    }

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(slug_field="uuid", **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return self.model.objects.visible_to(user).filter(organisation_id=user.organisation_id)

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)

    def to_representation(self, obj):
        return str(obj.uuid)


class CachedSchemaGenerator(SchemaGenerator):
    """The OpenAPI document of /api/v1/schema/, built once per process and language (about
    0.1 s each time otherwise): served public (SERVE_PUBLIC), it is the same for every user
    and changes only with the code."""

    _built = {}

    def get_schema(self, request=None, public=False):
        if not public:
            return super().get_schema(request=request, public=public)
        key = (translation.get_language(), self.api_version)
        if key not in self._built:
            self._built[key] = super().get_schema(request=request, public=public)
        return self._built[key]
