"""Forms of proposals: propose a unit, answer, withdraw, the entry of an accepted one."""

from django import forms

from seuil.core.forms import event_date_field
from seuil.core.plausibility import validate_free_text
from seuil.housing.enums import SupportIntensity

from ..enums import Party, ProposalRefusalReason
from .common import CHOOSE, VersionField, household_label


class ReferralChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, referral):
        return household_label(referral.household)


class ProposalForm(forms.Form):
    referral = ReferralChoiceField(
        label="Ménage",
        queryset=None,
        to_field_name="uuid",
        empty_label="Choisir un ménage de la liste d'attente…",
        help_text="Dans l'ordre de la liste d'attente du dispositif.",
    )
    proposed_on = event_date_field("Proposé le")
    skip_reason = forms.CharField(
        label="Motif si l'ordre de la liste n'est pas suivi",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
        help_text="Obligatoire quand des ménages placés avant celui-ci sur la liste n'ont pas "
        "de proposition en cours. Sans information de santé ni de violences.",
    )
    ask_landlord = forms.BooleanField(
        label="Demander l'accord du bailleur",
        required=False,
        help_text="Le bailleur répond dans son espace Seuil, ou vous enregistrez sa réponse.",
    )

    def __init__(self, *args, referrals, ordered, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["referral"]
        field.queryset = referrals
        field.choices = [("", field.empty_label)] + [
            (str(referral.uuid), f"{position}. {field.label_from_instance(referral)}")
            for position, referral in ordered
        ]


class AnswerForm(forms.Form):
    party = forms.ChoiceField(label="Réponse de", choices=Party.choices, widget=forms.RadioSelect)
    accepted = forms.TypedChoiceField(
        label="Réponse",
        choices=[("yes", "Accepte le logement"), ("no", "Refuse le logement")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    on = event_date_field("Réponse donnée le")
    reason = forms.ChoiceField(
        label="Motif du refus",
        required=False,
        choices=[CHOOSE, *ProposalRefusalReason.choices],
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
    )
    version = VersionField()

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Party.choices)
        self.fields["party"].choices = [(p, labels[p]) for p in parties]
        if len(parties) == 1:
            # One possible answerer is no choice: no radio group of one button, the page
            # says whose answer it is (`single_party`).
            self.fields["party"].initial = parties[0]
            self.fields["party"].widget = forms.HiddenInput()
        self.single_party = parties[0] if len(parties) == 1 else None

    def clean(self):
        data = super().clean()
        if data.get("accepted") is False and not data.get("reason"):
            self.add_error("reason", "Indiquez le motif du refus.")
        return data


class WithdrawProposalForm(forms.Form):
    on = event_date_field("Retirée le")
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
    )
    version = VersionField()


class EntryFromProposalForm(forms.Form):
    entered_on = event_date_field("Date d'entrée")
    support_intensity = forms.ChoiceField(
        label="Accompagnement", choices=[CHOOSE, *SupportIntensity.choices]
    )
