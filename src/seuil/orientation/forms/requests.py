"""Forms of requests and assessments."""

from django import forms

from seuil.core.enums import OrganisationKind
from seuil.core.forms import event_date_field, unknown_first
from seuil.core.models import Organisation
from seuil.core.plausibility import validate_free_text, validate_text
from seuil.housing.enums import Typology
from seuil.housing.forms import HouseholdChoiceField, household_sort_key

from ..enums import (
    EmploymentProfile,
    PriorityCriterion,
    RequestOrigin,
    SupportLevel,
    SupportNeed,
    WithdrawalReason,
)
from .common import CHOOSE, DEPARTMENT_CODE, VersionField, checkboxes, department_code, money_field

TERRITORY_RANKS = 3


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
    received_on = event_date_field("Demande reçue le")
    origin = forms.ChoiceField(
        label="Origine de la demande", choices=[CHOOSE, *RequestOrigin.choices]
    )
    prescriber = forms.CharField(
        label="Prescripteur",
        required=False,
        max_length=200,
        validators=[validate_text],
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
        elif organisation is not None and organisation.siao_id is not None:
            # The SIAO the organisation works with (its settings), proposed by default.
            self.fields["siao"].initial = organisation.siao
        self.fields["siao"].queryset = siaos.order_by("department", "name")


class AssessmentForm(forms.Form):
    """L'évaluation sociale d'une demande (une nouvelle évaluation datée à chaque fois)."""

    # The page shows the form in these parts, each with its heading; the error summary
    # lists the errors under them (`ui/form.html`).
    sections = (
        ("Évaluation", ("assessed_on", "support_level", "needs")),
        (
            "Logement souhaité",
            (
                "territory_1",
                "territory_2",
                "territory_3",
                "wished_typologies",
                "needs_accessible",
                "accepts_shared",
                "refuses_mixed_shared",
            ),
        ),
        ("Emploi et langues", ("languages", "employment_profile", "job_territory")),
        ("Ressources et loyer", ("monthly_resources", "housing_benefit", "bearable_rent")),
        ("Priorité", ("priority_criteria",)),
        ("Note sociale", ("social_note",)),
    )

    assessed_on = event_date_field("Évaluée le")
    support_level = forms.ChoiceField(
        label="Niveau d'accompagnement", choices=[CHOOSE, *SupportLevel.choices]
    )
    needs = checkboxes("Besoins d'accompagnement", SupportNeed.choices)
    territory_1 = forms.CharField(
        label="Territoire souhaité en premier",
        required=False,
        max_length=100,
        validators=[validate_text],
        help_text="Un code de département (80) ou un secteur (Grand Amiénois).",
    )
    territory_2 = forms.CharField(
        label="Territoire souhaité en deuxième",
        required=False,
        max_length=100,
        validators=[validate_text],
    )
    territory_3 = forms.CharField(
        label="Territoire souhaité en troisième",
        required=False,
        max_length=100,
        validators=[validate_text],
    )
    wished_typologies = checkboxes("Typologies souhaitées", Typology.choices)
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
        validators=[validate_text],
        help_text="Par exemple : dari, anglais, un peu de français.",
    )
    # It feeds the matching engine's employment score: « Non renseigné » until someone
    # says otherwise, never a situation chosen by default.
    employment_profile = forms.ChoiceField(
        label="Situation d'emploi",
        choices=unknown_first(EmploymentProfile.choices, EmploymentProfile.UNKNOWN),
        initial=EmploymentProfile.UNKNOWN,
    )
    job_territory = forms.CharField(
        label="Département d'un emploi ou d'une promesse d'embauche",
        required=False,
        # Longer than a code: a commune typed here is answered in full, not cut short.
        max_length=100,
        validators=[validate_text],
        help_text="Code du département, par exemple 60 : l'appariement y compte les "
        "meilleures perspectives d'emploi pour ce ménage.",
    )
    monthly_resources = money_field(
        "Ressources mensuelles hors aide au logement (€)",
        "Total des ressources du ménage par mois : salaires, RSA, prestations…",
    )
    housing_benefit = money_field("Aide au logement estimée (€ par mois)")
    bearable_rent = money_field(
        "Loyer supportable, charges comprises (€ par mois)",
        "Laissez vide pour la suggestion : aide au logement + 30 % des ressources.",
    )
    priority_criteria = checkboxes(
        "Critères de priorité",
        PriorityCriterion.choices,
        "Chaque critère donne des points sur les listes d'attente, selon la pondération du SIAO.",
    )
    social_note = forms.CharField(
        label="Note sociale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_free_text],
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
    on = event_date_field("Retirée le")
    reason = forms.ChoiceField(label="Motif", choices=[CHOOSE, *WithdrawalReason.choices])
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
        help_text="Sans information de santé ni de violences.",
    )
    version = VersionField()
