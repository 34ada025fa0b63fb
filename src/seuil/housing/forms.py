"""Forms of the housing pages. They check types, required fields and choices limited to
the user's organisation; the rules on stays and stock are the services' job."""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Prefetch

from seuil.core.forms import event_date_field, plausible_formfield
from seuil.core.pages import is_uuid
from seuil.core.plausibility import validate_text
from seuil.households.forms import reason_field
from seuil.households.models import Household, Membership

from .enums import ExitDestination, SupportIntensity, Typology
from .models import HousingUnit, Landlord, Programme, Sector
from .services import size_warning, unconfirmed_size

# ---- create and edit a unit ---------------------------------------------------------------


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        where = f", {obj.address}" if obj.address else ""
        return f"{obj.ref} – {obj.get_typology_display()}{where}"


# The unit's choices of another object: by uuid in the page (see `HousingUnitForm`).
OBJECT_FIELDS = ("parent", "sector", "landlord", "programme")


class HousingUnitForm(forms.ModelForm):
    """A housing unit of the user's organisation; organisation is set by the view."""

    commune = forms.CharField(
        label="Commune (code INSEE)",
        required=False,
        max_length=5,
        validators=[
            validate_text,
            RegexValidator(
                r"^([0-9]{5}|2[AB][0-9]{3})$",
                "Le code INSEE de la commune a 5 caractères, par exemple 80021 pour Amiens.",
            ),
        ],
        help_text="5 caractères, par exemple 80021 pour Amiens.",
    )

    class Meta:
        model = HousingUnit
        fields = [
            "ref",
            "typology",
            "parent",
            "address",
            "commune",
            "sector",
            "landlord",
            "programme",
            "management_mode",
            "rent",
            "charges",
            "surface_m2",
            "accessible",
            "captured_on",
            "returned_on",
        ]
        labels = {
            "ref": "Référence du logement",
            "typology": "Typologie",
            "parent": "Chambre du logement partagé (colocation)",
            "address": "Adresse",
            "sector": "Secteur géographique",
            "landlord": "Bailleur",
            "programme": "Dispositif",
            "management_mode": "Mode de gestion",
            "rent": "Loyer hors charges (€ par mois)",
            "charges": "Charges (€ par mois)",
            "surface_m2": "Surface (m²)",
            "accessible": "Accessible aux personnes à mobilité réduite",
            "captured_on": "Capté le",
            "returned_on": "Rendu au bailleur le",
        }
        help_texts = {
            "ref": "Unique dans votre organisation, par exemple AMI-012.",
            "parent": "Seulement si ce logement est une chambre d'une colocation : "
            "choisissez le logement partagé dont elle fait partie.",
            "captured_on": "Date à laquelle le logement entre dans le parc.",
            "returned_on": "Laissez vide tant que le logement reste dans le parc.",
        }
        field_classes = {"parent": UnitChoiceField}
        formfield_callback = plausible_formfield

    def __init__(self, *args, user, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        if not self.instance.pk:
            self.fields["ref"].required = False
            self.fields["ref"].help_text += " Laissée vide, Seuil en donne une (« L-1A2B3C4D »)."
        parents = HousingUnit.objects.visible_to(user).filter(parent__isnull=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "Aucun : logement entier"
        self.fields["sector"].queryset = Sector.objects.visible_to(user)
        self.fields["landlord"].queryset = Landlord.objects.visible_to(user)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        for name in ("sector", "landlord", "programme"):
            self.fields[name].empty_label = "Non renseigné"
        # Options name their object by its uuid, never by its primary key.
        for name in OBJECT_FIELDS:
            self.fields[name].to_field_name = "uuid"
            chosen = getattr(self.instance, name) if self.instance.pk else None
            if chosen is not None:
                self.initial[name] = chosen.uuid
        self.fields["typology"].choices = [("", "Choisir…"), *Typology.choices]

    def clean_ref(self):
        ref = self.cleaned_data["ref"].strip()
        taken = HousingUnit.objects.filter(organisation=self.instance.organisation, ref=ref)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                "Un autre logement de votre organisation a déjà cette référence."
            )
        return ref

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if parent is not None and self.instance.pk and self.instance.rooms.exists():
            raise forms.ValidationError(
                "Ce logement est lui-même partagé en chambres : il ne peut pas devenir "
                "la chambre d'un autre logement."
            )
        return parent


# ---- entry and exit ---------------------------------------------------------------------


class HouseholdChoiceField(forms.ModelChoiceField):
    """A household shown by its head's name and its reference."""

    def label_from_instance(self, household):
        head = household.head_on(None)
        if head is None:
            return f"Ménage sans personne de référence (réf. {household.ref})"
        person = head.person
        return f"{person.last_name.upper()} {person.first_name} (réf. {household.ref})".strip()


def household_sort_key(household):
    head = household.head_on(None)
    if head is None:
        return (1, "", "", household.ref)
    return (0, head.person.last_name.lower(), head.person.first_name.lower(), household.ref)


class EntryForm(forms.Form):
    """Faire entrer un ménage : which household, when, in which programme, which support.

    A unit whose typology does not suit the household's size is a warning, not an error:
    the form then asks to confirm (`confirm_size`) before the entry is recorded."""

    household = HouseholdChoiceField(
        label="Ménage",
        queryset=Household.objects.none(),
        to_field_name="uuid",
        empty_label="Choisir un ménage…",
        help_text="Ménages de votre organisation qui ne sont pas logés aujourd'hui, "
        "par nom de la personne de référence.",
    )
    entered_on = event_date_field("Date d'entrée")
    programme = forms.ModelChoiceField(
        label="Dispositif",
        queryset=Programme.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label="Aucun",
    )
    support_intensity = forms.ChoiceField(
        label="Accompagnement",
        choices=[("", "Choisir…"), *SupportIntensity.choices],
        help_text="Un accompagnement renforcé compte davantage dans la charge du référent.",
    )

    def __init__(self, *args, user, day, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit, self.day = unit, day
        households = Household.objects.visible_to(user).prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("person"))
        )
        # Any visible household is accepted (a colleague may have housed one meanwhile:
        # the service then explains why), but only those not housed today are offered.
        field = self.fields["household"]
        field.queryset = households
        offered = sorted(
            households.exclude(households.housed_on(day)),
            key=household_sort_key,
        )
        field.choices = [("", field.empty_label)] + [
            (str(h.uuid), field.label_from_instance(h)) for h in offered
        ]
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        # The household chosen (sent, or pre-selected by the page that led here): the
        # confirmation is asked only when its size does not suit the unit.
        chosen = self.data.get(self.add_prefix("household")) if self.is_bound else None
        chosen = chosen or self.initial.get("household")
        household = households.filter(uuid=chosen).first() if is_uuid(chosen) else None
        self.warning = size_warning(unit, household, day)
        if self.warning:
            self._ask_confirmation()

    def _ask_confirmation(self):
        self.fields["confirm_size"] = forms.BooleanField(
            label="Je confirme l'entrée dans ce logement malgré sa taille",
            required=False,
        )

    def clean(self):
        data = super().clean()
        error = unconfirmed_size(
            self.unit,
            data.get("household"),
            data.get("entered_on") or self.day,
            confirmed=data.get("confirm_size"),
            how="Cochez la case pour confirmer l'entrée",
        )
        if error:
            if "confirm_size" not in self.fields:
                self._ask_confirmation()
            self.add_error("confirm_size", error)
        return data


class ExitForm(forms.Form):
    """Enregistrer la sortie d'un ménage."""

    exited_on = event_date_field(
        "Date de sortie", help_text="Le ménage occupe le logement jusqu'à la veille de cette date."
    )
    destination = forms.ChoiceField(
        label="Destination à la sortie",
        choices=[("", "Choisir…"), *ExitDestination.choices],
    )
    lease_transferred = forms.BooleanField(
        label="Glissement de bail",
        required=False,
        help_text="Cochez si le ménage devient locataire en titre de ce logement.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


# ---- corrections of a stay entered by mistake ---------------------------------------------


class StayCorrectionForm(forms.Form):
    """Corriger un séjour : ses dates, son dispositif, et pourquoi."""

    entered_on = event_date_field("Date d'entrée")
    exited_on = event_date_field("Date de sortie", required=False)
    programme = forms.ModelChoiceField(
        label="Dispositif",
        queryset=Programme.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label="Aucun",
    )
    reason = reason_field(help_text="Pourquoi ce séjour est corrigé (erreur de saisie…).")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, stay, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        if stay.exited_on is None:
            del self.fields["exited_on"]
        else:
            self.fields["exited_on"].required = True
