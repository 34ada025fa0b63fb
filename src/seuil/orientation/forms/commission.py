"""Forms of the commission: a meeting, its agenda, a decision."""

from django import forms

from seuil.core.forms import event_date_field
from seuil.core.plausibility import validate_free_text

from ..enums import DecisionOutcome, DecisionRefusalReason
from .common import CHOOSE, VersionField, household_label


class MeetingForm(forms.Form):
    held_on = event_date_field("Date de la commission")
    members_present = forms.CharField(
        label="Membres présents",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_free_text],
        help_text="Noms et structures, un par ligne ; ils figurent au procès-verbal.",
    )
    version = VersionField()


class RequestChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, request):
        household = household_label(request.household)
        return f"{request.ref} – {household}, {request.get_status_display().lower()}"


class AgendaForm(forms.Form):
    requests = RequestChoiceField(
        label="Demandes à inscrire",
        queryset=None,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        help_text="Demandes évaluées (ou ajournées) adressées à votre SIAO.",
    )

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].queryset = requests


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return str(meeting)[:1].upper() + str(meeting)[1:]


class ScheduleForm(forms.Form):
    """Inscrire une demande à l'ordre du jour d'une commission (from the request's page)."""

    meeting = MeetingChoiceField(
        label="Commission",
        queryset=None,
        to_field_name="uuid",
        empty_label="Choisir une commission…",
        help_text="Les commissions à venir du SIAO destinataire de la demande.",
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, programme):
        return f"{programme.name} ({programme.organisation.name})"


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Décision", choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    programme = ProgrammeChoiceField(
        label="Dispositif d'admission",
        queryset=None,
        to_field_name="uuid",
        required=False,
        empty_label="Choisir…",
        help_text="Pour une admission : le ménage entre sur la liste d'attente de ce dispositif.",
    )
    refusal_reason = forms.ChoiceField(
        label="Motif du refus",
        required=False,
        choices=[CHOOSE, *DecisionRefusalReason.choices],
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
        help_text="Figure au procès-verbal : sans information de santé ni de violences.",
    )
    version = VersionField()

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == DecisionOutcome.ADMITTED and not data.get("programme"):
            self.add_error("programme", "Choisissez le dispositif d'admission.")
        if outcome == DecisionOutcome.REFUSED and not data.get("refusal_reason"):
            self.add_error("refusal_reason", "Indiquez le motif du refus.")
        return data
