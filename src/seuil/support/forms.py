"""Forms of the support pages: types, required fields, choices within the user's
organisation; the date rules are the models' and `rules.py`'s (checked by the services)."""

from django import forms
from django.contrib.auth import get_user_model

from seuil.core.enums import Role
from seuil.core.forms import event_date_field, planned_end_field
from seuil.core.models import Partner
from seuil.core.plausibility import validate_free_text, validate_text
from seuil.households.forms import reason_field
from seuil.households.models import Household
from seuil.housing.enums import SupportIntensity

from .enums import (
    ContactKind,
    ContactStatus,
    EmploymentSituation,
    FrenchLevel,
    MissedReason,
    ObjectiveDomain,
    ObjectiveOutcome,
    ReferralPurpose,
    ReferralResult,
)
from .models import MeetingKind
from .services import REFERENT_ROLES

# The empty first option: a choice nobody made is not pre-selected.
CHOOSE = ("", "Choisir…")


def _users(organisation_id, roles):
    return (
        get_user_model()
        .objects.filter(organisation_id=organisation_id, role__in=roles, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "uuid")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def free_text(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
        help_text=help_text,
    )


class ContractForm(forms.Form):
    signed_on = event_date_field("Signé le")
    starts_on = event_date_field("Début de l'accompagnement")
    ends_on = planned_end_field(
        "Fin de l'accompagnement",
        help_text="Habituellement six mois après le début ; prolongé ensuite par avenant.",
    )


class AmendmentForm(forms.Form):
    signed_on = event_date_field("Avenant signé le")
    ends_on = planned_end_field("Nouvelle fin de l'accompagnement")
    reason = forms.CharField(
        label="Motif",
        max_length=300,
        required=False,
        validators=[validate_text],
        help_text="Sans détail personnel : par exemple « objectifs en cours ».",
    )


class ObjectiveForm(forms.Form):
    domain = forms.ChoiceField(label="Domaine", choices=[CHOOSE, *ObjectiveDomain.choices])
    set_on = event_date_field("Fixé le")
    due_on = event_date_field("Échéance", required=False)
    actions = free_text("Actions prévues")
    own_words = free_text(
        "Les mots du ménage",
        help_text="Seulement avec l'accord du ménage ; texte chiffré, lu par l'équipe "
        "d'accompagnement seule.",
    )
    agreed = forms.BooleanField(label="Le ménage accepte que ses mots soient notés", required=False)

    def clean(self):
        data = super().clean()
        if data.get("own_words") and not data.get("agreed"):
            self.add_error("agreed", "Les mots du ménage ne sont notés qu'avec son accord.")
        return data


class SeedObjectivesForm(forms.Form):
    """The objectives proposed from the assessment's needs: the worker ticks those to set."""

    domains = forms.MultipleChoiceField(
        label="Objectifs à fixer",
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Rien n'est fixé sans votre confirmation ; décochez ce qui ne convient pas.",
    )
    set_on = event_date_field("Fixés le")
    due_on = event_date_field("Échéance", required=False)

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].choices = [
            (p.domain, f"{p.label} (besoin relevé : {', '.join(p.needs).lower()})")
            for p in proposals
        ]


class CloseObjectiveForm(forms.Form):
    closed_on = event_date_field("Clos le")
    outcome = forms.ChoiceField(label="Résultat", choices=[CHOOSE, *ObjectiveOutcome.choices])


class ContactForm(forms.Form):
    on = event_date_field("Le")
    at = forms.TimeField(
        label="À (heure)", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    kind = forms.ChoiceField(label="Type", choices=[CHOOSE, *ContactKind.choices])
    planned = forms.TypedChoiceField(
        label="Statut",
        choices=[
            CHOOSE,
            (ContactStatus.DONE, "Réalisé"),
            (ContactStatus.PLANNED, "Prévu (rendez-vous à venir)"),
        ],
        coerce=lambda v: v == ContactStatus.PLANNED,
    )
    worker = UserChoiceField(label="Travailleur social", queryset=None, required=False)
    tenancy_officer = UserChoiceField(
        label="Régisseur (visite conjointe)", queryset=None, required=False
    )
    interpreter = forms.BooleanField(label="Interprète nécessaire", required=False)
    notes = free_text("Notes", help_text="Texte chiffré, lu par l'équipe d'accompagnement seule.")

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _users(organisation_id, REFERENT_ROLES)
        self.fields["tenancy_officer"].queryset = _users(organisation_id, [Role.TENANCY_OFFICER])

    def clean(self):
        data = super().clean()
        joint = data.get("kind") == ContactKind.JOINT_HOME_VISIT
        if data.get("tenancy_officer") and not joint:
            self.add_error(
                "tenancy_officer", "Un régisseur n'est nommé que pour une visite conjointe."
            )
        return data


class ContactReportForm(forms.Form):
    done = forms.TypedChoiceField(
        label="Le rendez-vous",
        choices=[(ContactStatus.DONE, "a eu lieu"), (ContactStatus.MISSED, "n'a pas eu lieu")],
        coerce=lambda v: v == ContactStatus.DONE,
        widget=forms.RadioSelect,
    )
    missed_reason = forms.ChoiceField(
        label="Motif (s'il n'a pas eu lieu)",
        choices=[("", "—"), *MissedReason.choices],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("done") is False and not data.get("missed_reason"):
            self.add_error("missed_reason", "Indiquez pourquoi le rendez-vous n'a pas eu lieu.")
        return data


class ReferentForm(forms.Form):
    worker = UserChoiceField(label="Travailleur social", queryset=None)
    since = event_date_field("Référent à partir du")
    second = forms.BooleanField(label="Second référent", required=False)

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _users(organisation_id, REFERENT_ROLES)


class ReassignForm(forms.Form):
    worker = UserChoiceField(label="Travailleur social qui part", queryset=None)
    successor = UserChoiceField(label="Travailleur social qui reprend ses ménages", queryset=None)
    since = event_date_field("À partir du")

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        workers = get_user_model().objects.filter(
            organisation_id=organisation_id, role__in=REFERENT_ROLES
        )
        self.fields["worker"].queryset = workers.order_by("last_name", "username")
        self.fields["successor"].queryset = _users(organisation_id, REFERENT_ROLES)


class IntensityForm(forms.Form):
    intensity = forms.ChoiceField(
        label="Accompagnement", choices=[CHOOSE, *SupportIntensity.choices]
    )
    since = event_date_field("À partir du")


class SettingsForm(forms.Form):
    max_support_months = forms.IntegerField(
        label="Durée maximale de l'accompagnement (mois)",
        min_value=1,
        max_value=1200,
        required=False,
        help_text="Depuis l'entrée, avenants compris (18 en IML Réfugiés) ; vide : sans limite.",
    )
    households_per_worker = forms.IntegerField(
        label="Ménages par travailleur social (cible)",
        min_value=1,
        max_value=500,
        required=False,
        help_text="Par exemple 10 pour l'accompagnement social global.",
    )
    reinforced_weight = forms.DecimalField(
        label="Poids d'un ménage en accompagnement renforcé",
        min_value=1,
        max_value=10,
        decimal_places=2,
        initial=1,
    )
    no_contact_days = forms.IntegerField(
        label="Alerte après combien de jours sans contact", min_value=1, max_value=365, initial=30
    )
    annual_budget = forms.DecimalField(
        label="Budget annuel de l'accompagnement (€)",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="Pour le coût par ménage et par an du tableau de bord.",
    )


class WeekForm(forms.Form):
    semaine = event_date_field("Semaine du", required=False)
    intervenant = UserChoiceField(label="Intervenant", queryset=None, required=False)

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [*REFERENT_ROLES, Role.TENANCY_OFFICER]
        self.fields["intervenant"].queryset = _users(organisation_id, roles)


class ReviewForm(forms.Form):
    held_on = event_date_field("Revue du")
    worker = UserChoiceField(label="Travailleur social", queryset=None, required=False)
    tenancy_officer = UserChoiceField(label="Régisseur", queryset=None, required=False)
    others = forms.CharField(
        label="Autres participants",
        max_length=300,
        required=False,
        validators=[validate_text],
        help_text="Par exemple le ménage lui-même, un interprète.",
    )
    housing = free_text("Logement", help_text="Occupation, entretien, voisinage.")
    budget = free_text("Budget et loyer", help_text="Ressources, dépenses, paiement du loyer.")
    objectives = free_text("Objectifs", help_text="Où en sont les objectifs de l'accompagnement.")
    risks = free_text("Risques", help_text="Impayé, rupture, santé… ce qui inquiète.")
    next_steps = free_text("Prochaines étapes", help_text="Qui fait quoi d'ici la prochaine revue.")
    sections = (
        ("La revue", ("held_on", "worker", "tenancy_officer", "others")),
        ("Le point sur…", ("housing", "budget", "objectives", "risks", "next_steps")),
    )

    def __init__(self, *args, organisation_id, tenancy_officer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = _users(organisation_id, REFERENT_ROLES)
        if tenancy_officer is not None:
            # A tenancy officer records the reviews it takes part in: it is theirs.
            del self.fields["tenancy_officer"]
            self.sections = (
                ("La revue", ("held_on", "worker", "others")),
                self.sections[1],
            )
        else:
            self.fields["tenancy_officer"].queryset = _users(
                organisation_id, [Role.TENANCY_OFFICER]
            )


class HouseholdChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "uuid")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.ref} – {obj}"


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="Instance", choices=[CHOOSE, *MeetingKind.choices])
    held_on = event_date_field("Le")
    participants = forms.CharField(
        label="Participants",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_free_text],
        help_text="Noms et organisations, un par ligne (par exemple « Mme Martin, CAF »).",
    )
    households = HouseholdChoiceField(
        label="Ménages à l'ordre du jour",
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Le compte rendu imprimé ne les nomme que par leur référence.",
    )
    agenda = free_text("Autres points à l'ordre du jour")
    minutes = free_text(
        "Compte rendu",
        help_text="Texte chiffré. Dans le PDF, les noms des membres des ménages inscrits sont "
        "remplacés par la référence du ménage ; n'y écrivez pas d'autre nom de personne "
        "accompagnée.",
    )
    sections = (
        ("La réunion", ("kind", "held_on", "participants")),
        ("Ordre du jour", ("households", "agenda")),
        ("Compte rendu", ("minutes",)),
    )

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = (
            Household.objects.filter(organisation_id=organisation_id)
            .prefetch_related("memberships__person")
            .order_by("ref")
        )


# ---- partners: referrals and the path of each adult ---------------------------------------


class PartnerChoiceField(forms.ModelChoiceField):
    """A partner of the organisation's directory, named by its uuid in the page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "uuid")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


def active_partners(organisation_id):
    return Partner.objects.filter(organisation_id=organisation_id, active=True).order_by(
        "name", "pk"
    )


def one_line(label, *, required=False, help_text=""):
    return forms.CharField(
        label=label,
        max_length=200,
        required=required,
        validators=[validate_text],
        help_text=help_text,
    )


class PartnerReferralForm(forms.Form):
    on = event_date_field("Orienté le")
    partner = PartnerChoiceField(
        label="Partenaire",
        queryset=None,
        empty_label="Choisir…",
        help_text="Les partenaires en activité de l'annuaire de l'organisation.",
    )
    purpose = forms.ChoiceField(label="Objet", choices=[CHOOSE, *ReferralPurpose.choices])
    details = free_text(
        "Précisions", help_text="Texte chiffré, lu par l'équipe d'accompagnement seule."
    )

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = active_partners(organisation_id)


class ReferralResultForm(forms.Form):
    result = forms.ChoiceField(label="Résultat", choices=[CHOOSE, *ReferralResult.choices])
    result_on = event_date_field(
        "Résultat connu le", required=False, help_text="Sauf si l'orientation est en attente."
    )

    def clean(self):
        data = super().clean()
        result = data.get("result")
        if result and result != ReferralResult.PENDING and not data.get("result_on"):
            self.add_error("result_on", "Indiquez quand le résultat a été connu.")
        return data


class EmploymentForm(forms.Form):
    since = event_date_field("Depuis le")
    situation = forms.ChoiceField(label="Situation", choices=[CHOOSE, *EmploymentSituation.choices])
    employer = one_line("Employeur", help_text="Facultatif ; texte chiffré.")


class TrainingForm(forms.Form):
    name = one_line("Intitulé de la formation", required=True, help_text="Texte chiffré.")
    body = PartnerChoiceField(
        label="Organisme de formation",
        queryset=None,
        required=False,
        empty_label="Non renseigné",
        help_text="Un partenaire de l'annuaire de l'organisation, s'il y figure.",
    )
    starts_on = event_date_field("Du")
    ends_on = event_date_field("Au", required=False, help_text="Vide : formation en cours.")

    def __init__(self, *args, organisation_id, current_body=None, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = active_partners(organisation_id)
        if current_body is not None:
            # A correction keeps the body recorded, even one no longer active.
            bodies = (bodies | Partner.objects.filter(pk=current_body.pk)).distinct()
        self.fields["body"].queryset = bodies

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "La fin de la formation précède son début.")
        return data


class FrenchLevelForm(forms.Form):
    assessed_on = event_date_field("Évalué le")
    level = forms.ChoiceField(
        label="Niveau (CECRL)",
        choices=[CHOOSE, *FrenchLevel.choices],
        help_text="Cadre européen commun de référence pour les langues : de A1 à C2.",
    )
    assessed_by = one_line(
        "Évalué par", help_text="Par exemple l'OFII ou l'organisme du cours ; texte chiffré."
    )


CORRECTION_REASON = "Pourquoi cet enregistrement est corrigé (erreur de saisie…)."


class EmploymentCorrectionForm(EmploymentForm):
    reason = reason_field(help_text=CORRECTION_REASON)


class TrainingCorrectionForm(TrainingForm):
    reason = reason_field(help_text=CORRECTION_REASON)


class FrenchLevelCorrectionForm(FrenchLevelForm):
    reason = reason_field(help_text=CORRECTION_REASON)
