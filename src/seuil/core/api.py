"""Shared pieces of the API v1: scoped viewsets, the role-rule permission, French errors.

Every endpoint declares its policy actions once (`policy = ViewPolicy(read=…, write=…)`, read
by the permission battery of the tests), reads through `Model.objects.visible_to(user)`
(objects of another organisation answer 404), writes only when the role has the `write`
action (403 otherwise), and turns the services' Django `ValidationError` into HTTP 400 with the
same French messages; an edit sent with an outdated `version` (`StaleEdit`) answers
HTTP 409.
"""

import uuid

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .audit import record_access
from .concurrency import StaleEdit
from .models import AccessLog
from .permissions import page_rule


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
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def get_object(self):
        try:
            uuid.UUID(str(self.kwargs[self.lookup_field]))
        except ValueError:
            raise exceptions.NotFound() from None
        return super().get_object()

    def handle_exception(self, exc):
        if isinstance(exc, StaleEdit):
            exc = Conflict(exc.messages[0])
        elif isinstance(exc, DjangoValidationError):
            exc = as_api_error(exc)
        return super().handle_exception(exc)

    def query_filters(self, serializer_class):
        """The validated query-string filters (400 with French messages when invalid)."""
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


class AccessLoggedRetrieveMixin:
    """Reading one file writes a VIEW access-log row in the same transaction."""

    def logged_object(self, obj):
        return obj

    def retrieve(self, request, *args, **kwargs):
        with transaction.atomic():
            obj = self.get_object()
            record_access(request.user, AccessLog.Action.VIEW, self.logged_object(obj))
        return Response(self.get_serializer(obj).data)


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
