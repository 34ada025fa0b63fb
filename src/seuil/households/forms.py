"""Forms of the household pages. They check types and required fields only; the rules
(one head, dates in order, resources that go together…) are the services' job."""

from django import forms

from seuil.core.forms import birth_date_field, date_field, event_date_field
from seuil.core.phones import validate_phone
from seuil.core.plausibility import validate_free_text, validate_text

from .enums import (
    ConsentScope,
    JoinedReason,
    LegalStatus,
    MemberRole,
    PriorSituation,
    ResourceType,
    Sex,
)
from .languages import Language
from .models import LEFT_BEFORE_JOINED


def choice_field(label, choices, *, required=True, empty_label="Choisir…", help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=[("", empty_label), *choices],
        required=required,
        help_text=help_text,
    )


def text_field(label, *, required=True, autocomplete="off"):
    return forms.CharField(
        label=label,
        max_length=150,
        required=required,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
        validators=[validate_text],
    )


def version_field():
    """The version of the record the form was loaded with (optimistic locking)."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class PersonForm(forms.Form):
    """The identity fields of a person (prénom, nom, sexe, date de naissance)."""

    first_name = text_field("Prénom")
    last_name = text_field("Nom")
    sex = choice_field("Sexe", Sex.choices)
    birth_date = birth_date_field(
        "Date de naissance", required=False, help_text="Laissez vide si elle est inconnue."
    )

    def person_fields(self):
        return {
            name: self.cleaned_data[name]
            for name in ("first_name", "last_name", "sex", "birth_date")
        }


def duplicates_seen_field():
    """What the user has been shown as likely duplicates (`duplicates.fingerprint`): sent
    back with the form, it confirms creating the person all the same."""
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)


class HouseholdCreateForm(PersonForm):
    """A new household with its head (personne de référence)."""

    duplicates_seen = duplicates_seen_field()

    legal_status = choice_field(
        "Statut administratif",
        LegalStatus.choices,
        required=False,
        empty_label="Non renseigné",
    )
    legal_status_since = event_date_field(
        "Statut administratif depuis le",
        required=False,
        help_text="Obligatoire si un statut est choisi.",
    )
    prior_situation = choice_field("Situation avant l'accueil", PriorSituation.choices)

    def clean(self):
        cleaned = super().clean()
        status, since = cleaned.get("legal_status"), cleaned.get("legal_status_since")
        if status and not since and "legal_status_since" not in self.errors:
            self.add_error("legal_status_since", "Indiquez depuis quand la personne a ce statut.")
        if since and not status:
            self.add_error("legal_status", "Choisissez le statut, ou effacez la date.")
        return cleaned


class HouseholdForm(forms.Form):
    prior_situation = choice_field("Situation avant l'accueil", PriorSituation.choices)
    version = version_field()


class MemberForm(PersonForm):
    """A person joining the household (or, with `left_on`, a member being changed)."""

    duplicates_seen = duplicates_seen_field()

    role = choice_field("Rôle dans le ménage", MemberRole.choices)
    joined_on = event_date_field(
        "Arrivée dans le ménage",
        required=False,
        help_text="Laissez vide si la personne est membre dès l'entrée du ménage.",
    )
    joined_reason = choice_field(
        "Motif d'arrivée", JoinedReason.choices, required=False, empty_label="Non précisé"
    )

    def membership_fields(self):
        return {
            "role": self.cleaned_data["role"],
            "joined_on": self.cleaned_data["joined_on"],
            "joined_reason": self.cleaned_data["joined_reason"] or "",
        }


class MemberEditForm(MemberForm):
    duplicates_seen = None  # a change, not a new person
    left_on = event_date_field(
        "Départ du ménage",
        required=False,
        help_text="À remplir quand la personne quitte le ménage ; l'historique est conservé.",
    )
    version = version_field()

    def __init__(self, *args, other_head=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.other_head = other_head

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role == MemberRole.HEAD and self.other_head is not None:
            raise forms.ValidationError(
                f"Le ménage a déjà une personne de référence ({self.other_head.person.full_name})."
            )
        return role

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            # The table's constraint, said on the date to change rather than on the form.
            self.add_error("left_on", LEFT_BEFORE_JOINED)
        return cleaned

    def membership_fields(self):
        return {**super().membership_fields(), "left_on": self.cleaned_data["left_on"]}

    @staticmethod
    def initial_for(membership):
        person = membership.person
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "sex": person.sex,
            "birth_date": person.birth_date,
            "role": membership.role,
            "joined_on": membership.joined_on,
            "joined_reason": membership.joined_reason,
            "left_on": membership.left_on,
            "version": person.version,
        }


class LegalStatusForm(forms.Form):
    status = choice_field("Statut administratif", LegalStatus.choices)
    since = event_date_field("Depuis le")


class ResourcesForm(forms.Form):
    on = event_date_field("À partir du")
    types = forms.MultipleChoiceField(
        label="Ressources du ménage",
        choices=ResourceType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez toutes les ressources perçues, ou « Aucune ressource ».",
        error_messages={"required": "Cochez au moins une ressource, ou « Aucune ressource »."},
    )


def phone_field(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=30,
        validators=[validate_text, validate_phone],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        help_text=help_text,
    )


def language_choices():
    """The languages, French first, then by their French name."""
    french = [(Language.FR.value, Language.FR.label)]
    others = sorted(
        ((code, label) for code, label in Language.choices if code != Language.FR),
        key=lambda choice: choice[1],
    )
    return french + others


class ContactDetailsForm(forms.Form):
    """A person's contact details and languages from a date (a new dated record)."""

    since = event_date_field(
        "À partir du",
        help_text="La date du changement (un déménagement, un nouveau numéro) ; les "
        "coordonnées précédentes restent dans l'historique.",
    )
    phone = phone_field(
        "Téléphone",
        "Un numéro français (06 12 34 56 78) ou international (+44 20 7946 0000).",
    )
    other_phone = phone_field("Autre téléphone")
    email = forms.EmailField(
        label="Adresse e-mail",
        required=False,
        max_length=254,
        validators=[validate_text],
        error_messages={"invalid": "Saisissez une adresse e-mail valide (nom@exemple.fr)."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    postal_address = forms.CharField(
        label="Adresse postale pour le courrier",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
        help_text="Domiciliation, boîte postale ou adresse du logement.",
    )
    languages = forms.MultipleChoiceField(
        label="Langues parlées",
        required=False,
        choices=language_choices,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Plusieurs choix possibles (touche Ctrl ou Cmd enfoncée).",
    )
    interpreter_needed = forms.BooleanField(
        label="Besoin d'un interprète pour les entretiens", required=False
    )

    def contact_fields(self):
        data = self.cleaned_data
        return {
            "since": data["since"],
            "phones": [data["phone"], data["other_phone"]],
            "email": data["email"],
            "postal_address": data["postal_address"],
            "languages": data["languages"],
            "interpreter_needed": data["interpreter_needed"],
        }

    @staticmethod
    def initial_for(current):
        """The form filled with the contact details in force (`current`, or None)."""
        if current is None:
            return {}
        phones = [*current.phone_labels(), "", ""]
        return {
            "phone": phones[0],
            "other_phone": phones[1],
            "email": current.email,
            "postal_address": current.postal_address,
            "languages": current.languages,
            "interpreter_needed": current.interpreter_needed,
        }


# ---- social note, consents, psychologist -----------------------------------------------


class SocialNoteForm(forms.Form):
    """The social note and the sensitive details (encrypted in the database)."""

    social_note = forms.CharField(
        label="Note sociale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        validators=[validate_free_text],
        help_text="L'évaluation écrite pour la commission et les bailleurs. Elle n'est "
        "transmise hors de l'organisation qu'avec le consentement valide du ménage.",
    )
    sensitive_details = forms.CharField(
        label="Informations sensibles : violences, santé",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_free_text],
        help_text="Jamais transmises hors de l'organisation, même avec un consentement.",
    )
    version = version_field()

    def __init__(self, *args, with_sensitive_details=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_sensitive_details:
            del self.fields["sensitive_details"]


class ConsentForm(forms.Form):
    scope = choice_field("Objet du consentement", ConsentScope.choices)
    recipient = forms.ModelChoiceField(
        label="Organisation destinataire",
        queryset=None,
        to_field_name="uuid",
        empty_label="Choisir…",
        help_text="L'organisation qui pourra lire ce que couvre le consentement.",
    )
    given_on = event_date_field("Donné le")
    expires_on = date_field(
        "Valable jusqu'au",
        help_text="Dernier jour de validité ; un an après la date du consentement par défaut.",
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
        help_text="Par exemple : consentement écrit signé, conservé au dossier papier.",
    )

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients

    def clean(self):
        cleaned = super().clean()
        given, expires = cleaned.get("given_on"), cleaned.get("expires_on")
        if given and expires and expires < given:
            self.add_error(
                "expires_on", "La fin de validité ne peut précéder la date du consentement."
            )
        return cleaned


class PsychologistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ClinicalReferralForm(forms.Form):
    psychologist = PsychologistChoiceField(
        label="Psychologue", queryset=None, to_field_name="uuid", empty_label="Choisir…"
    )
    referred_on = event_date_field("Adressé le")

    def __init__(self, *args, psychologists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["psychologist"].queryset = psychologists


class PsychologistsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def share_field(label, help_text):
    return PsychologistsField(
        label=label,
        queryset=None,
        required=False,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class ClinicalNoteForm(forms.Form):
    """A new note; `colleagues` (the other psychologists the household is referred to)
    adds the choice of those who will read it too."""

    text = forms.CharField(
        label="Nouvelle note clinique",
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_free_text],
        help_text="Lisible par vous seul·e, et par les psychologues avec qui vous la partagez.",
        error_messages={"required": "Écrivez la note avant de l'enregistrer."},
    )
    share_with = share_field(
        "La partager avec",
        "Psychologues à qui le ménage est aussi adressé ; rien de coché : vous seul·e la lisez.",
    )

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if colleagues is not None and colleagues.exists():
            self.fields["share_with"].queryset = colleagues
        else:
            del self.fields["share_with"]


class ClinicalNoteShareForm(forms.Form):
    psychologists = share_field(
        "Psychologues qui lisent aussi cette note",
        "Parmi les psychologues à qui le ménage est aussi adressé. Décocher une personne lui "
        "retire la lecture dès maintenant.",
    )

    def __init__(self, *args, psychologists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["psychologists"].queryset = psychologists


class HandoverForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label="Organisation qui reprend le dossier",
        queryset=None,
        to_field_name="uuid",
        empty_label="Choisir…",
        help_text="Parmi les organisations liées aujourd'hui à ce ménage (SIAO saisi, "
        "opérateur du dispositif ou du logement).",
    )
    on = event_date_field("Date de la transmission")
    reason = forms.CharField(
        label="Motif",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
        help_text="Par exemple : entrée dans un logement d'APREMIS, qui assure désormais "
        "l'accompagnement.",
    )
    social_note_transferred = forms.BooleanField(
        label="Le ménage accepte que sa note sociale soit transmise",
        required=False,
        help_text="Sans son accord, la note sociale reste à votre organisation. Les "
        "informations sensibles (violences, santé) ne sont jamais transmises.",
    )

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = recipients


def reason_field(label="Motif", help_text=""):
    """The reason a correction, a deletion or a merge asks for (kept in the history)."""
    return forms.CharField(
        label=label,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
        help_text=help_text,
    )


class ReasonForm(forms.Form):
    """Only the reason: a deletion, a merge, the undo of a merge."""

    reason = reason_field()

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if help_text:
            self.fields["reason"].help_text = help_text


class MergeSearchForm(forms.Form):
    q = forms.CharField(
        label="Référence ou nom de l'autre dossier",
        max_length=150,
        required=False,
        validators=[validate_text],
    )


class PersonMergeForm(forms.Form):
    """Which other member of the household is the same person."""

    other = forms.ChoiceField(label="Autre fiche de la même personne")

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [("", "Choisir…")] + [
            (str(p.uuid), f"{p.full_name} ({p.ref})") for p in persons
        ]


class LegalStatusCorrectionForm(LegalStatusForm):
    reason = reason_field(help_text="Pourquoi ce statut est corrigé (erreur de saisie…).")


class ResourcesCorrectionForm(ResourcesForm):
    reason = reason_field(help_text="Pourquoi ces ressources sont corrigées.")


class ContactDetailsCorrectionForm(ContactDetailsForm):
    reason = reason_field(help_text="Pourquoi ces coordonnées sont corrigées.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].help_text = "La date à partir de laquelle elles valaient."

    def contact_fields(self):
        return {**super().contact_fields(), "reason": self.cleaned_data["reason"]}
