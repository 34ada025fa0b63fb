"""Forms of the follow-up after exit, the exit checklist and the household's own answer."""

from django import forms

from seuil.core.forms import event_date_field, plausible_formfield
from seuil.core.plausibility import validate_free_text

from .enums import DebtStatus, HandoverPartner, LeavingReason
from .models import CHECKLIST_ITEMS, ExitChecklist

UNKNOWN = ""
# A score's option carries a word, not a bare number: no option of the site names a number
# (a bare number in a form is taken for an object's primary key).
SCORE = "note-{}"


def _yes_no(label, unknown="Ne sait pas", help_text=""):
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=[("true", "Oui"), ("false", "Non"), (UNKNOWN, unknown)],
        coerce=lambda value: value == "true",
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


def _score(label, unknown="Ne sait pas", low="pas du tout satisfait", high="très satisfait"):
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=[(SCORE.format(n), str(n)) for n in range(1, 6)] + [(UNKNOWN, unknown)],
        coerce=lambda value: int(value.removeprefix(SCORE.format(""))),
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=f"De 1 ({low}) à 5 ({high}).",
    )


def _reason(label, empty="Sans objet (toujours dans le logement) ou non connue"):
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=[(UNKNOWN, empty), *LeavingReason.choices],
        empty_value="",
    )


def initial_answers(follow_up):
    """The form's initial values of a recorded follow-up."""
    initial = {"on": follow_up.on, "version": follow_up.version}
    for name in (
        "housed",
        "same_home",
        "same_commune",
        "employed",
        "in_training",
        "returned_to_shelter_or_street",
    ):
        value = getattr(follow_up, name)
        initial[name] = UNKNOWN if value is None else ("true" if value else "false")
    for name in ("satisfaction", "support_satisfaction"):
        value = getattr(follow_up, name)
        initial[name] = UNKNOWN if value is None else SCORE.format(value)
    initial["reason_for_leaving"] = follow_up.reason_for_leaving
    return initial


class FollowUpForm(forms.Form):
    """A worker records a follow-up (by phone, at a visit…)."""

    on = event_date_field("Date du suivi", help_text="Après la date de sortie.")
    housed = _yes_no("Le ménage est-il toujours logé ?")
    same_home = _yes_no("Dans le même logement qu'à la sortie ?")
    same_commune = _yes_no("Dans la même commune ?")
    employed = _yes_no("Une personne du ménage est-elle en emploi ?")
    in_training = _yes_no("En formation ?")
    satisfaction = _score("Satisfaction à l'égard du logement")
    support_satisfaction = _score("Satisfaction à l'égard de l'accompagnement reçu")
    reason_for_leaving = _reason("Raison du départ, si le ménage a quitté le logement")
    returned_to_shelter_or_street = _yes_no("Retour à l'hébergement ou à la rue ?")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HouseholdAnswerForm(forms.Form):
    """The household answers itself, through its one-time link: short, plain French."""

    housed = _yes_no("Avez-vous toujours un logement ?", unknown="Je préfère ne pas répondre")
    same_home = _yes_no(
        "Habitez-vous toujours dans le logement où vous êtes arrivés ?",
        unknown="Je préfère ne pas répondre",
    )
    same_commune = _yes_no(
        "Habitez-vous toujours dans la même ville ?", unknown="Je préfère ne pas répondre"
    )
    employed = _yes_no(
        "Quelqu'un de votre foyer a-t-il un travail ?", unknown="Je préfère ne pas répondre"
    )
    in_training = _yes_no(
        "Quelqu'un de votre foyer suit-il une formation ?", unknown="Je préfère ne pas répondre"
    )
    satisfaction = _score(
        "Êtes-vous content de votre logement ?",
        unknown="Je préfère ne pas répondre",
        low="pas du tout content",
        high="très content",
    )
    support_satisfaction = _score(
        "Êtes-vous content de l'aide que vous avez reçue ?",
        unknown="Je préfère ne pas répondre",
        low="pas du tout content",
        high="très content",
    )
    reason_for_leaving = _reason(
        "Si vous avez quitté le logement, pourquoi ?",
        empty="Je n'ai pas quitté le logement, ou je préfère ne pas répondre",
    )
    returned_to_shelter_or_street = _yes_no(
        "Avez-vous dû retourner dans un hébergement ou à la rue ?",
        unknown="Je préfère ne pas répondre",
    )


class ExitChecklistForm(forms.ModelForm):
    not_applicable = forms.MultipleChoiceField(
        label="Éléments sans objet pour ce ménage",
        required=False,
        choices=[(code, label) for code, label, _ in CHECKLIST_ITEMS],
        widget=forms.CheckboxSelectMultiple,
        help_text="Par exemple l'école pour un ménage sans enfant : ils ne sont plus "
        "signalés comme manquants.",
    )
    debt_status = forms.TypedChoiceField(
        label="Dettes", required=False, choices=[("", "—"), *DebtStatus.choices], empty_value=""
    )
    handover_partner = forms.TypedChoiceField(
        label="Passage de relais avec",
        required=False,
        choices=[("", "—"), *HandoverPartner.choices],
        empty_value="",
    )
    handover_note = forms.CharField(
        label="Note de passage de relais",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_free_text],
        help_text="Transmise au service qui prend le relais seulement si le ménage y consent.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ExitChecklist
        fields = [
            "starts_on",
            "social_housing_number",
            "applied_on",
            "sliding_lease_agreed_on",
            "pre_exit_inspection_on",
            "debt_status",
            "debts_checked_on",
            "insurance_on",
            "caf_informed_on",
            "school_transferred_on",
            "doctor_transferred_on",
            "handover_meeting_on",
            "handover_partner",
            "handover_note",
            "handover_note_consent",
            "not_applicable",
        ]
        formfield_callback = plausible_formfield

    def values(self):
        """The checklist's fields as the service writes them."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
