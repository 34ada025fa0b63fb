"""Forms of vacancies: a period of the list, declare a vacancy, close one."""

from django import forms

from seuil.core.forms import event_date_field
from seuil.housing.forms import UnitChoiceField

from ..enums import VacancyClosing
from .common import CHOOSE


class PeriodForm(forms.Form):
    start = event_date_field("Du", required=False)
    end = event_date_field("Au", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "La fin de la période précède son début.")
        return data


class DeclareVacancyForm(forms.Form):
    unit = UnitChoiceField(
        label="Logement",
        queryset=None,
        to_field_name="uuid",
        empty_label="Choisir un logement…",
    )
    opened_on = event_date_field(
        "Vacant à partir du", help_text="Le premier jour où le logement peut accueillir un ménage."
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CloseVacancyForm(forms.Form):
    closed_on = event_date_field("Fermée le")
    reason = forms.ChoiceField(
        label="Motif",
        choices=[CHOOSE]
        + [(c, label) for c, label in VacancyClosing.choices if c != VacancyClosing.FILLED],
        help_text="Une entrée ferme la vacance d'elle-même.",
    )
