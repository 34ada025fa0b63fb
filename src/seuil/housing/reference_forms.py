"""Forms of the organisation's settings kept by housing: programmes (with the parts the
apps above register, `programme_parts`), sectors and their communes, landlords and their
space in Seuil."""

from django import forms
from django.core.validators import MaxValueValidator

from seuil.core.enums import OrganisationKind
from seuil.core.forms import CommunesField, plausible_formfield
from seuil.core.models import Organisation
from seuil.core.plausibility import validate_text

from .enums import LandlordKind, ProgrammeKind
from .models import Landlord, Programme, Sector
from .programme_parts import programme_parts

REF_HELP = "Unique dans votre organisation ; c'est elle que nomment les fichiers d'import."


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "ref",
            "kind",
            "capacity_places",
            "capacity_units",
            "funder",
            "max_support_months",
        ]
        labels = {
            "name": "Nom du dispositif",
            "ref": "Référence",
            "kind": "Type de dispositif",
            "capacity_places": "Capacité en places",
            "capacity_units": "Capacité en logements",
            "funder": "Financeur",
            "max_support_months": "Durée maximale de l'accompagnement (mois)",
        }
        help_texts = {"name": "Par exemple « IML Réfugiés ».", "ref": REF_HELP}
        formfield_callback = plausible_formfield

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["kind"].choices = [("", "Non renseigné"), *ProgrammeKind.choices]
        self.fields["max_support_months"].validators.append(MaxValueValidator(1200))
        # The parts the apps above own (support: target caseload, yearly budget).
        self.parts = []
        existing = self.instance if self.instance.pk else None
        for part in programme_parts():
            fields = part.fields()
            self.fields.update(fields)
            for name, value in part.initial(existing).items():
                self.initial.setdefault(name, value)
            self.parts.append((part, list(fields)))

    def part_values(self):
        """[(part, {field: cleaned value})] of the registered parts."""
        return [
            (part, {name: self.cleaned_data.get(name) for name in names})
            for part, names in self.parts
        ]


class SectorForm(forms.ModelForm):
    communes = CommunesField(label="Communes du secteur", required=False)

    class Meta:
        model = Sector
        fields = ["name", "ref", "communes"]
        labels = {"name": "Nom du secteur", "ref": "Référence"}
        help_texts = {"name": "Par exemple « Grand Amiénois ».", "ref": REF_HELP}
        formfield_callback = plausible_formfield

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["communes"].department = organisation.department or None


class LandlordForm(forms.ModelForm):
    class Meta:
        model = Landlord
        fields = ["name", "ref", "kind"]
        labels = {"name": "Nom du bailleur", "ref": "Référence", "kind": "Type de bailleur"}
        help_texts = {"name": "Par exemple « OPAC de la Somme ».", "ref": REF_HELP}
        formfield_callback = plausible_formfield

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["kind"].choices = [("", "Non renseigné"), *LandlordKind.choices]


def _text(label, *, max_length=150, required=True, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        validators=[validate_text],
        help_text=help_text,
    )


class LandlordSpaceForm(forms.Form):
    """Ouvrir l'espace d'un bailleur dans Seuil : son organisation et un premier compte."""

    organisation_name = _text(
        "Nom de l'organisation du bailleur dans Seuil",
        max_length=200,
        help_text="Le nom que verront ses utilisateurs, par exemple « OPAC de la Somme ».",
    )
    department = forms.CharField(
        label="Département",
        max_length=3,
        required=False,
        validators=[validate_text],
        help_text="Code du département, par exemple 80.",
    )
    first_name = _text("Prénom de la personne")
    last_name = _text("Nom de la personne")
    email = forms.EmailField(
        label="Adresse électronique de la personne",
        max_length=254,
        validators=[validate_text],
        help_text="Elle y reçoit le lien pour choisir son mot de passe ; c'est aussi son "
        "identifiant de connexion.",
    )

    def clean_department(self):
        department = self.cleaned_data["department"].strip().upper()
        if department and not (department.isdigit() or department in ("2A", "2B")):
            raise forms.ValidationError("Un code de département, par exemple 80, 2A ou 974.")
        return department


class LandlordOrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        department = f" ({obj.department})" if obj.department else ""
        return f"{obj.name}{department}"


class LandlordLinkForm(forms.Form):
    """Lier la fiche d'un bailleur à son organisation déjà présente dans Seuil."""

    account = LandlordOrganisationChoiceField(
        label="Organisation du bailleur dans Seuil",
        queryset=Organisation.objects.filter(kind=OrganisationKind.LANDLORD).order_by("name"),
        to_field_name="uuid",
        required=False,
        empty_label="Aucune : ce bailleur n'a pas d'espace dans Seuil",
        help_text="Ses utilisateurs verront vos logements de ce bailleur et les propositions "
        "qui les concernent.",
    )
