"""Forms of the national mobility path."""

from django import forms

from seuil.core.enums import OrganisationKind
from seuil.core.forms import event_date_field, plausible_formfield
from seuil.core.models import Organisation
from seuil.core.plausibility import validate_free_text, validate_text
from seuil.households.models import Household

from .enums import MeetingOutcome, MobilityStatus, TransmittedPart
from .models import TerritorySheet


def _operators():
    return Organisation.objects.filter(kind=OrganisationKind.OPERATOR).order_by("name")


class OpenFileForm(forms.Form):
    household = forms.ModelChoiceField(
        label="Ménage",
        queryset=Household.objects.none(),
        to_field_name="uuid",
        help_text="Les ménages qui ont consenti au dossier de mobilité nationale.",
    )
    departure = forms.ModelChoiceField(
        label="Structure de départ", queryset=_operators(), to_field_name="uuid"
    )
    on = event_date_field("Ouvert le")

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: f"{h} (réf. {h.ref})"
        self.fields["departure"].queryset = _operators()


class StepForm(forms.Form):
    to = forms.ChoiceField(label="Étape", widget=forms.HiddenInput)
    on = event_date_field("Date de l'étape")
    arrival_department = forms.CharField(
        label="Département d'arrivée", required=False, max_length=3, validators=[validate_text]
    )
    arrival_commune = forms.RegexField(
        label="Commune d'arrivée (code INSEE)",
        regex=r"^(\d{5}|2[AB]\d{3})$",
        required=False,
        error_messages={"invalid": "Code commune INSEE invalide (5 caractères)."},
        validators=[validate_text],
    )
    arrival = forms.ModelChoiceField(
        label="Opérateur d'arrivée", queryset=_operators(), required=False, to_field_name="uuid"
    )
    travel_booked_on = event_date_field("Voyage réservé le", required=False)
    stepping_stone_until = event_date_field(
        "Logement tremplin jusqu'au",
        required=False,
        help_text="Si le logement définitif n'est pas prêt.",
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_free_text],
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s, MobilityStatus(s).label) for s in steps]
        self.fields["arrival"].queryset = _operators()


class MeetingForm(forms.Form):
    meeting = forms.UUIDField(required=False, widget=forms.HiddenInput)
    planned_on = event_date_field("Prévue le", required=False)
    interpreter_language = forms.CharField(
        label="Interprète (langue)", required=False, max_length=50, validators=[validate_text]
    )
    held_on = event_date_field("Tenue le", required=False)
    outcome = forms.TypedChoiceField(
        label="Issue", required=False, choices=[("", "—"), *MeetingOutcome.choices]
    )


class TransferForm(forms.Form):
    on = event_date_field("Le")
    parts = forms.MultipleChoiceField(
        label="Ce qui est transmis",
        required=False,
        choices=TransmittedPart.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    household_agreed = forms.BooleanField(
        label="Le ménage est d'accord pour que son dossier soit transmis", required=False
    )


TEXTS = ("employment", "transport", "schools", "french_courses", "health", "climate")


class TerritorySheetForm(forms.ModelForm):
    class Meta:
        model = TerritorySheet
        fields = [
            "department",
            "name",
            "employment",
            "transport",
            "schools",
            "french_courses",
            "health",
            "climate",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in TEXTS}
        formfield_callback = plausible_formfield
