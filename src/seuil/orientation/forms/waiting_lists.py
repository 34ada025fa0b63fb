"""Forms of the waiting lists: the day of a list and the day compared, the SIAO's priority
weights."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from seuil.core.forms import event_date_field

from ..enums import PriorityCriterion


class CompareForm(forms.Form):
    day = event_date_field("Liste au", required=False)
    compared_on = event_date_field("Comparer au", required=False)


def _points(label, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=1000,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text=help_text,
    )


class PriorityWeightsForm(forms.Form):
    points_per_month = _points(
        "Points par mois d'attente", "Par période complète de 30 jours depuis la demande."
    )
    max_waiting_points = forms.IntegerField(
        label="Plafond des points d'attente",
        required=False,
        min_value=0,
        max_value=1000,
        help_text="Vide : pas de plafond.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in PriorityCriterion.choices:
            self.fields[f"criterion_{code}"] = _points(f"Points : {label}")

    def criterion_points(self):
        return {code: self.cleaned_data[f"criterion_{code}"] for code in PriorityCriterion.values}

    @staticmethod
    def initial_from(weights):
        initial = {
            "points_per_month": weights.points_per_month,
            "max_waiting_points": weights.max_waiting_points,
        }
        for code in PriorityCriterion.values:
            initial[f"criterion_{code}"] = weights.criterion_points.get(code, 0)
        return initial
