"""Forms of the orientation pages. They check types, required fields and choices limited to
what the user may see; the rules of the state machines are the services' job."""

import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from seuil.core.enums import OrganisationKind
from seuil.core.forms import date_field
from seuil.core.models import Organisation
from seuil.housing.enums import SupportIntensity, Typology
from seuil.housing.forms import HouseholdChoiceField, UnitChoiceField, household_sort_key

from .enums import (
    DecisionOutcome,
    DecisionRefusalReason,
    EmploymentProfile,
    Party,
    PriorityCriterion,
    ProposalRefusalReason,
    RequestOrigin,
    SupportLevel,
    SupportNeed,
    VacancyClosing,
    WithdrawalReason,
)

CHOOSE = ("", "Choisir…")
TERRITORY_RANKS = 3
# Codes of the départements (and overseas), for territories typed as digits.
DEPARTMENT_CODE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])$")


def department_code(value):
    """`value` as a département code ("2a " → "2A"), "" when blank; a French error when it
    is not one."""
    code = value.strip().upper()
    if code and not DEPARTMENT_CODE.match(code):
        raise forms.ValidationError(f"« {code} » n'est pas un code de département.")
    return code


def _money_field(label, help_text=""):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=help_text,
    )


def _checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def household_label(household):
    """ "DIALLO Aïcha (réf. M0001)", as the entry form names a household."""
    head = household.head_on(None)
    if head is None:
        return f"Ménage sans personne de référence (réf. {household.ref})"
    person = head.person
    return f"{person.last_name.upper()} {person.first_name} (réf. {household.ref})".strip()


class VersionField(forms.IntegerField):
    def __init__(self):
        super().__init__(widget=forms.HiddenInput, required=False, min_value=1)


# ---- requests and assessments --------------------------------------------------------------


class RequestForm(forms.Form):
    """Enregistrer une demande d'orientation : quel ménage, à quel SIAO, depuis quand."""

    household = HouseholdChoiceField(
        label="Ménage",
        queryset=None,
        to_field_name="uuid",
        empty_label="Choisir un ménage…",
        help_text="Ménages que vous suivez, par nom de la personne de référence. Créez "
        "d'abord le ménage s'il n'existe pas encore.",
    )
    siao = forms.ModelChoiceField(
        label="SIAO destinataire",
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        empty_label="Choisir un SIAO…",
    )
    received_on = date_field("Demande reçue le")
    origin = forms.ChoiceField(
        label="Origine de la demande", choices=[CHOOSE, *RequestOrigin.choices]
    )
    prescriber = forms.CharField(
        label="Prescripteur",
        required=False,
        max_length=200,
        help_text="La structure qui adresse la demande, par exemple « CADA de Montdidier ».",
    )

    def __init__(self, *args, households, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["household"]
        field.queryset = households
        field.choices = [("", field.empty_label)] + [
            (str(h.uuid), field.label_from_instance(h))
            for h in sorted(households, key=household_sort_key)
        ]
        siaos = Organisation.objects.filter(kind=OrganisationKind.SIAO)
        organisation = user.organisation
        if organisation is not None and organisation.kind == OrganisationKind.SIAO:
            siaos = siaos.filter(pk=organisation.pk)
            self.fields["siao"].initial = organisation
            self.fields["siao"].empty_label = None
        self.fields["siao"].queryset = siaos.order_by("department", "name")


class AssessmentForm(forms.Form):
    """L'évaluation sociale d'une demande (une nouvelle évaluation datée à chaque fois)."""

    assessed_on = date_field("Évaluée le")
    support_level = forms.ChoiceField(
        label="Niveau d'accompagnement", choices=[CHOOSE, *SupportLevel.choices]
    )
    needs = _checkboxes("Besoins d'accompagnement", SupportNeed.choices)
    territory_1 = forms.CharField(
        label="Territoire souhaité en premier",
        required=False,
        max_length=100,
        help_text="Un code de département (80) ou un secteur (Grand Amiénois).",
    )
    territory_2 = forms.CharField(
        label="Territoire souhaité en deuxième", required=False, max_length=100
    )
    territory_3 = forms.CharField(
        label="Territoire souhaité en troisième", required=False, max_length=100
    )
    wished_typologies = _checkboxes("Typologies souhaitées", Typology.choices)
    needs_accessible = forms.BooleanField(
        label="A besoin d'un logement accessible (mobilité réduite)", required=False
    )
    accepts_shared = forms.BooleanField(label="Accepte une colocation", required=False)
    refuses_mixed_shared = forms.BooleanField(
        label="Refuse une colocation mixte",
        required=False,
        help_text="Par exemple une femme seule à qui l'on ne propose pas de colocation avec "
        "un homme.",
    )
    languages = forms.CharField(
        label="Langues parlées",
        required=False,
        max_length=200,
        help_text="Par exemple : dari, anglais, un peu de français.",
    )
    employment_profile = forms.ChoiceField(
        label="Situation d'emploi", choices=EmploymentProfile.choices
    )
    job_territory = forms.CharField(
        label="Département d'un emploi ou d'une promesse d'embauche",
        required=False,
        max_length=3,
        help_text="Code du département, par exemple 60 : l'appariement y compte les "
        "meilleures perspectives d'emploi pour ce ménage.",
    )
    monthly_resources = _money_field(
        "Ressources mensuelles hors aide au logement (€)",
        "Total des ressources du ménage par mois : salaires, RSA, prestations…",
    )
    housing_benefit = _money_field("Aide au logement estimée (€ par mois)")
    bearable_rent = _money_field(
        "Loyer supportable, charges comprises (€ par mois)",
        "Laissez vide pour la suggestion : aide au logement + 30 % des ressources.",
    )
    priority_criteria = _checkboxes(
        "Critères de priorité",
        PriorityCriterion.choices,
        "Chaque critère donne des points sur les listes d'attente, selon la pondération du SIAO.",
    )
    social_note = forms.CharField(
        label="Note sociale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Celle du dossier du ménage : chiffrée, transmise à un bailleur seulement "
        "avec le consentement du ménage.",
    )
    household_version = VersionField()

    def __init__(self, *args, with_social_note=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_social_note:
            del self.fields["social_note"]
            del self.fields["household_version"]

    def clean(self):
        data = super().clean()
        territories = []
        for rank in range(1, TERRITORY_RANKS + 1):
            name = f"territory_{rank}"
            value = " ".join((data.get(name) or "").split())
            if not value:
                continue
            if value.isdigit() and not DEPARTMENT_CODE.match(value):
                self.add_error(name, f"« {value} » n'est pas un code de département.")
            elif value.casefold() in (t.casefold() for t in territories):
                self.add_error(name, "Ce territoire est déjà choisi à un rang précédent.")
            else:
                territories.append(value)
        data["wished_territories"] = territories
        return data

    def clean_job_territory(self):
        return department_code(self.cleaned_data["job_territory"])

    def assessment_fields(self):
        data = self.cleaned_data
        names = (
            "support_level",
            "needs",
            "wished_territories",
            "wished_typologies",
            "needs_accessible",
            "accepts_shared",
            "refuses_mixed_shared",
            "languages",
            "employment_profile",
            "job_territory",
            "monthly_resources",
            "housing_benefit",
            "bearable_rent",
            "priority_criteria",
        )
        return {name: data[name] for name in names}

    @staticmethod
    def initial_from(assessment):
        """Initial values copied from the previous assessment (a new one starts from it)."""
        if assessment is None:
            return {}
        initial = {
            name: getattr(assessment, name)
            for name in (
                "support_level",
                "needs",
                "wished_typologies",
                "needs_accessible",
                "accepts_shared",
                "refuses_mixed_shared",
                "languages",
                "employment_profile",
                "job_territory",
                "monthly_resources",
                "housing_benefit",
                "bearable_rent",
                "priority_criteria",
            )
        }
        for rank, territory in enumerate(assessment.wished_territories[:TERRITORY_RANKS], 1):
            initial[f"territory_{rank}"] = territory
        return initial


class WithdrawRequestForm(forms.Form):
    on = date_field("Retirée le")
    reason = forms.ChoiceField(label="Motif", choices=[CHOOSE, *WithdrawalReason.choices])
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sans information de santé ni de violences.",
    )
    version = VersionField()


# ---- commission ----------------------------------------------------------------------------


class MeetingForm(forms.Form):
    held_on = date_field("Date de la commission")
    members_present = forms.CharField(
        label="Membres présents",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
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


# ---- priority weights ----------------------------------------------------------------------


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


# ---- vacancies and proposals ---------------------------------------------------------------


class DeclareVacancyForm(forms.Form):
    unit = UnitChoiceField(
        label="Logement",
        queryset=None,
        to_field_name="uuid",
        empty_label="Choisir un logement…",
    )
    opened_on = date_field(
        "Vacant à partir du", help_text="Le premier jour où le logement peut accueillir un ménage."
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CloseVacancyForm(forms.Form):
    closed_on = date_field("Fermée le")
    reason = forms.ChoiceField(
        label="Motif",
        choices=[CHOOSE]
        + [(c, label) for c, label in VacancyClosing.choices if c != VacancyClosing.FILLED],
        help_text="Une entrée ferme la vacance d'elle-même.",
    )


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
    proposed_on = date_field("Proposé le")
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
    on = date_field("Réponse donnée le")
    reason = forms.ChoiceField(
        label="Motif du refus",
        required=False,
        choices=[CHOOSE, *ProposalRefusalReason.choices],
    )
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Party.choices)
        self.fields["party"].choices = [(p, labels[p]) for p in parties]
        if len(parties) == 1:
            self.fields["party"].initial = parties[0]

    def clean(self):
        data = super().clean()
        if data.get("accepted") is False and not data.get("reason"):
            self.add_error("reason", "Indiquez le motif du refus.")
        return data


class WithdrawProposalForm(forms.Form):
    on = date_field("Retirée le")
    comment = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = VersionField()


class EntryFromProposalForm(forms.Form):
    entered_on = date_field("Date d'entrée")
    support_intensity = forms.ChoiceField(label="Accompagnement", choices=SupportIntensity.choices)
