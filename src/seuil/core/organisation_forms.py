"""Forms of the organisation's settings kept by core: its partners, the SIAO and the
national platform it works with."""

from django import forms
from django.core.validators import RegexValidator

from .enums import OrganisationKind, PartnerKind
from .forms import CommuneField, plausible_formfield
from .models import Organisation, Partner

PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 .()-]{5,24}$",
    "Saisissez un numéro de téléphone, par exemple 03 22 11 22 33 ou +33 3 22 11 22 33.",
)


class PartnerForm(forms.ModelForm):
    commune = CommuneField(label="Commune", required=False)

    class Meta:
        model = Partner
        fields = ["name", "kind", "commune", "phone", "email"]
        labels = {
            "name": "Nom",
            "kind": "Type de partenaire",
            "phone": "Téléphone",
            "email": "Adresse électronique",
        }
        help_texts = {
            "name": "Par exemple « CAF de la Somme » ou « École Jules-Ferry ».",
            "email": "L'adresse d'un service, de préférence à celle d'une personne.",
        }
        formfield_callback = plausible_formfield

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["commune"].department = organisation.department or None
        self.fields["kind"].choices = [("", "Choisir…"), *PartnerKind.choices]
        self.fields["phone"].validators.append(PHONE_VALIDATOR)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        department = f" ({obj.department})" if obj.department else ""
        return f"{obj.name}{department}"


class ChainForm(forms.Form):
    """Le SIAO et la plateforme nationale avec lesquels l'organisation travaille."""

    siao = OrganisationChoiceField(
        label="SIAO",
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label="Aucun SIAO choisi",
        help_text="Proposé d'office quand vous enregistrez une demande d'orientation.",
    )
    platform = OrganisationChoiceField(
        label="Plateforme nationale (mobilité)",
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label="Aucune plateforme choisie",
        help_text="La plateforme qui oriente vers vos logements les ménages en mobilité nationale.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        others = Organisation.objects.exclude(pk=organisation.pk).order_by("department", "name")
        if organisation.kind == OrganisationKind.SIAO:
            del self.fields["siao"]  # a SIAO sends its requests to itself
        else:
            self.fields["siao"].queryset = others.filter(kind=OrganisationKind.SIAO)
        if organisation.kind == OrganisationKind.NATIONAL_PLATFORM:
            del self.fields["platform"]
        else:
            self.fields["platform"].queryset = others.filter(
                kind=OrganisationKind.NATIONAL_PLATFORM
            )
