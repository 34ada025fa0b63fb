"""Filters of the unit list: one FilterSet read by the page and by the API.

A state is taken on a day: `on` for the API (today when omitted); the page always shows
today's state and has no `on` field.
"""

import django_filters
from django import forms
from django.utils import timezone

from seuil.core.filters import FilterSet
from seuil.core.plausibility import validate_event_date

from .enums import Typology
from .models import HousingUnit, Programme, Sector

STATES = [
    ("vacant", "Vacants"),
    ("occupied", "Occupés"),
    ("in_stock", "Dans le parc"),
    ("returned", "Rendus"),
]


def _uuid_select(queryset, empty_label):
    """A select of the objects' uuids (the page shows only the user's own sectors…)."""
    return forms.Select(choices=[("", empty_label)] + [(str(o.uuid), o.name) for o in queryset])


class UnitFilterSet(FilterSet):
    state = django_filters.ChoiceFilter(
        label="Situation aujourd'hui",
        choices=STATES,
        empty_label="Tous",
        method="filter_state",
        help_text="État à la date `on` (aujourd'hui par défaut).",
    )
    typology = django_filters.ChoiceFilter(
        label="Typologie", choices=Typology.choices, empty_label="Toutes"
    )
    sector = django_filters.UUIDFilter(
        label="Secteur", field_name="sector__uuid", help_text="Identifiant du secteur."
    )
    programme = django_filters.UUIDFilter(
        label="Dispositif", field_name="programme__uuid", help_text="Identifiant du dispositif."
    )
    on = django_filters.DateFilter(
        label="Date de l'état",
        method="filter_nothing",
        help_text="Date de l'état (AAAA-MM-JJ).",
        validators=[validate_event_date],
    )

    class Meta:
        model = HousingUnit
        fields = []

    @property
    def day(self):
        cleaned = getattr(self.form, "cleaned_data", {})
        return cleaned.get("on") or timezone.localdate()

    def filter_state(self, units, name, state):
        day = self.day
        if state == "vacant":
            return units.vacant_on(day)
        if state == "occupied":
            return units.occupied_on(day)
        if state == "in_stock":
            return units.in_stock_on(day)
        if state == "returned":
            return units.returned().filter(returned_on__lte=day)
        return units

    def filter_nothing(self, units, name, value):
        return units


class UnitPageFilterSet(UnitFilterSet):
    """The unit list page: today's state only; sectors and programmes of the user's own."""

    on = None

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        sectors = Sector.objects.visible_to(request.user)
        programmes = Programme.objects.visible_to(request.user)
        for name, queryset in (("sector", sectors), ("programme", programmes)):
            field = self.form.fields[name]
            field.widget = _uuid_select(queryset, "Tous")
            field.help_text = ""
