"""Search and filters of the household list: one FilterSet for the page and the API.

The name search, the filters the apps above register (`list_extensions.register_list_filter`:
programme, presence…) and the head's legal status today, in this order on the form.
"""

import django_filters
from django import forms
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from seuil.core.filters import FilterSet

from .enums import LegalStatus, MemberRole
from .list_extensions import list_filters
from .list_state import narrow
from .models import Household, LegalStatusRecord, Membership
from .names import name_words

NO_LEGAL_STATUS = "none"


def _head_status_on(day):
    """Subquery: the legal status of the household's head on `day`."""
    return Subquery(
        LegalStatusRecord.objects.filter(
            Q(person__memberships__household=OuterRef("pk"))
            & Q(person__memberships__role=MemberRole.HEAD)
            & (
                Q(person__memberships__joined_on__isnull=True)
                | Q(person__memberships__joined_on__lte=day)
            )
            & (
                Q(person__memberships__left_on__isnull=True)
                | Q(person__memberships__left_on__gt=day)
            ),
            since__lte=day,
        )
        .order_by("-since")
        .values("status")[:1]
    )


def _head_has_status_on(status, day):
    """The condition: a head of the household on `day` has `status` on `day` (the last
    record on or before `day`)."""
    known = LegalStatusRecord.objects.filter(since__lte=day)
    later = known.filter(person=OuterRef("person")).filter(
        Q(since__gt=OuterRef("since")) | Q(since=OuterRef("since"), pk__gt=OuterRef("pk"))
    )
    last = known.filter(person=OuterRef("person"), status=status).exclude(Exists(later))
    heads = Membership.objects.on(day).filter(household=OuterRef("pk"), role=MemberRole.HEAD)
    return Exists(heads.filter(Exists(last)))


def by_legal_status(households, status, day):
    """Households whose head's legal status on `day` is `status` (`NO_LEGAL_STATUS`: none
    known, or no head): stored (`list_state`), the definition read for the stale
    households only."""
    if status == NO_LEGAL_STATUS:
        return narrow(
            households,
            day,
            Q(list_head_status=""),
            IsNull(_head_status_on(day), True),
        )
    return narrow(
        households,
        day,
        Q(list_head_status=status),
        _head_has_status_on(status, day),
    )


class RegisteredFilter(django_filters.Filter):
    """A filter an app above registered: its form field, built for the user of the request,
    its narrowing on the filter set's day, its parameter in the API's schema."""

    def __init__(self, registered):
        super().__init__(field_name=registered.name)
        self.registered = registered
        extend_schema_field(registered.api_schema)(self)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = self.registered.field(self.parent.request.user)
        return self._field

    def filter(self, qs, value):
        return self.registered.narrow(qs, value, self.parent.day) if value else qs


class HouseholdFilterSet(FilterSet):
    """The household list's filters, for the page and for `/api/v1/households/`."""

    q = django_filters.CharFilter(
        label="Nom ou prénom",
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text="D'une des personnes du ménage.",
        method="filter_name",
    )
    legal_status = django_filters.ChoiceFilter(
        label="Statut administratif",
        choices=[*LegalStatus.choices, (NO_LEGAL_STATUS, "Non renseigné")],
        empty_label="Tous",
        help_text="De la personne de référence, aujourd'hui.",
        method="filter_legal_status",
    )

    class Meta:
        model = Household
        fields = []

    @classmethod
    def get_filters(cls):
        """The declared filters with the registered ones between the name search and the
        legal status. The registry is complete once every app is ready, before any page
        or API view module (the only importers of this one) is imported."""
        if not apps.ready:
            raise ImproperlyConfigured(
                "households.filters imported before every app is ready: "
                "the filters registered in AppConfig.ready() would be missing."
            )
        declared = super().get_filters()
        registered = {f.name: RegisteredFilter(f) for f in list_filters()}
        return {"q": declared["q"], **registered, "legal_status": declared["legal_status"]}

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.day = timezone.localdate()

    def filter_name(self, households, name, query):
        """Households with a member (past or present) whose names contain every word,
        accents, case, apostrophes and hyphens aside (`Person.search_name`)."""
        for word in name_words(query):
            members = Membership.objects.filter(
                household=OuterRef("pk"), person__search_name__contains=word
            )
            households = households.filter(Exists(members))
        return households

    def filter_legal_status(self, households, name, status):
        return by_legal_status(households, status, self.day)
