"""The GET form of the activity report page: a period (preset or dates) and programmes.

Without JavaScript: the preset select and two optional dates; when both dates are given
they win over the preset. The programmes offered are those of the user's organisation;
none ticked means the whole organisation.
"""

import datetime

from django import forms

from seuil.core.plausibility import validate_event_date
from seuil.core.wording import period
from seuil.housing.models import Programme

EXERCISE_LAST = "exercice-precedent"
EXERCISE_CURRENT = "exercice-en-cours"
CIVIL_LAST = "annee-precedente"
CIVIL_CURRENT = "annee-en-cours"
CUSTOM = "personnalisee"
DEFAULT_PRESET = EXERCISE_LAST
MAX_DAYS = 5 * 366


def _exercise_start(today):
    """1 November starting the 1 November – 31 October year that contains `today`."""
    year = today.year if today.month >= 11 else today.year - 1
    return datetime.date(year, 11, 1)


def preset_period(preset, today):
    """(start, end) of a preset on `today`; current periods stop at `today`."""
    if preset == EXERCISE_CURRENT:
        start = _exercise_start(today)
        return start, min(datetime.date(start.year + 1, 10, 31), today)
    if preset == EXERCISE_LAST:
        start = _exercise_start(today)
        return datetime.date(start.year - 1, 11, 1), datetime.date(start.year, 10, 31)
    if preset == CIVIL_CURRENT:
        return datetime.date(today.year, 1, 1), today
    if preset == CIVIL_LAST:
        return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
    raise ValueError(preset)


def preset_choices(today):
    def span(preset):
        return period(*preset_period(preset, today))

    return [
        (EXERCISE_LAST, f"Dernier exercice terminé : {span(EXERCISE_LAST)}"),
        (EXERCISE_CURRENT, f"Exercice en cours : {span(EXERCISE_CURRENT)}"),
        (CIVIL_LAST, f"Année civile {today.year - 1} : {span(CIVIL_LAST)}"),
        (CIVIL_CURRENT, f"Année civile {today.year}, en cours : {span(CIVIL_CURRENT)}"),
        (CUSTOM, "Personnalisée (dates ci-dessous)"),
    ]


class ActivityReportForm(forms.Form):
    error_summary_title = "Le rapport n'a pas pu être établi"

    preset = forms.ChoiceField(label="Période", required=False)
    start = forms.DateField(
        label="Du (date de début, incluse)",
        required=False,
        help_text="Format JJ/MM/AAAA. Avec la date de fin, remplace la période choisie.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_event_date],
        error_messages={"invalid": "Saisissez une date valide (JJ/MM/AAAA)."},
    )
    end = forms.DateField(
        label="Au (date de fin, incluse)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_event_date],
        error_messages={"invalid": "Saisissez une date valide (JJ/MM/AAAA)."},
    )
    programmes = forms.ModelMultipleChoiceField(
        label="Dispositifs",
        queryset=Programme.objects.none(),
        to_field_name="ref",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : toute l'organisation.",
        error_messages={"invalid_choice": "Dispositif inconnu : « %(value)s »."},
    )

    def __init__(self, *args, organisation, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["preset"].choices = preset_choices(today)
        self.fields["preset"].error_messages["invalid_choice"] = (
            "Choisissez une période de la liste."
        )
        self.fields["start"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["end"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["programmes"].queryset = Programme.objects.filter(
            organisation=organisation
        ).order_by("name", "ref")
        self.fields["programmes"].label_from_instance = lambda p: p.name

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = data.get("start"), data.get("end")
        preset = data.get("preset") or DEFAULT_PRESET
        if start and end:
            if start > end:
                self.add_error(
                    "end",
                    f"La date de fin ({end:%d/%m/%Y}) est antérieure à la date de début "
                    f"({start:%d/%m/%Y}).",
                )
                return data
            if (end - start).days > MAX_DAYS:
                self.add_error("end", "La période ne peut pas dépasser cinq ans.")
                return data
        elif start or end:
            self.add_error(
                "end" if start else "start",
                "Indiquez les deux dates de la période personnalisée.",
            )
            return data
        elif preset == CUSTOM:
            self.add_error("start", "Indiquez les dates de début et de fin de la période.")
            return data
        else:
            start, end = preset_period(preset, self.today)
        data["period"] = (start, end)
        data["programme_refs"] = sorted(p.ref for p in data.get("programmes") or ())
        return data
