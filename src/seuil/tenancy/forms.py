"""The forms of the tenancy pages (French labels); the services check the rest."""

import datetime
from decimal import Decimal

from django import forms

from seuil.core.forms import date_field, event_date_field, plausible_formfield
from seuil.core.plausibility import validate_free_text, validate_text

from .enums import (
    Delivery,
    InspectionKind,
    Meter,
    Party,
    PaymentMethod,
    PreventionOutcome,
    PreventionStage,
    RentDocumentKind,
    RoomState,
)

# The empty first option: a choice nobody made is not pre-selected.
CHOOSE = ("", "Choisir…")


def money_field(label, *, required=True, help_text="", min_value=Decimal("0")):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=9,
        decimal_places=2,
        min_value=min_value,
        help_text=help_text,
        localize=True,
    )


class SubLeaseForm(forms.Form):
    signed_on = event_date_field("Signée le")
    tripartite = forms.BooleanField(
        label="Convention tripartite (bailleur, ménage, association)", required=False
    )
    due_day = forms.IntegerField(
        label="Jour d'échéance du loyer",
        min_value=1,
        max_value=28,
        initial=5,
        help_text="Jour du mois où le loyer est dû, de 1 à 28.",
    )
    deposit = money_field("Dépôt de garantie (€)", required=False)
    deposit_received_on = event_date_field("Dépôt reçu le", required=False)
    deposit_returned_on = event_date_field("Dépôt restitué le", required=False)
    deposit_returned = money_field("Montant restitué (€)", required=False)
    deposit_kept_reason = forms.CharField(
        label="Motif de la retenue sur le dépôt",
        required=False,
        max_length=300,
        validators=[validate_text],
    )
    term_from = event_date_field(
        "Conditions applicables à partir du",
        required=False,
        help_text="Pour une révision du loyer, la date de la révision ; laissez vide pour ne "
        "rien changer aux conditions.",
    )
    rent = money_field("Loyer hors charges (€ par mois)", required=False)
    charges = money_field("Charges (€ par mois)", required=False)
    housing_benefit = money_field(
        "APL versée à l'association (tiers payant, € par mois)",
        required=False,
        help_text="0 quand l'APL est versée au ménage ou qu'il n'y en a pas.",
    )

    def __init__(self, *args, new=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.new = new
        if new:
            for name in ("term_from", "rent"):
                self.fields[name].required = True
            self.fields["term_from"].help_text = ""

    def clean(self):
        data = super().clean()
        if data.get("term_from") and data.get("rent") is None:
            self.add_error("rent", "Indiquez le loyer de ces conditions.")
        if data.get("rent") is not None and not data.get("term_from"):
            self.add_error("term_from", "Indiquez la date à partir de laquelle le loyer vaut.")
        return data


class PaymentForm(forms.Form):
    paid_on = event_date_field("Payé le")
    amount = money_field("Montant (€)", min_value=Decimal("0.01"))
    method = forms.ChoiceField(label="Moyen de paiement", choices=[CHOOSE, *PaymentMethod.choices])


class RepaymentPlanForm(forms.Form):
    agreed_on = event_date_field("Convenu le")
    debt = money_field("Dette à rembourser (€)", min_value=Decimal("0.01"))
    first_due_on = event_date_field("Première échéance le")
    count = forms.IntegerField(label="Nombre d'échéances mensuelles", min_value=1, max_value=60)

    def instalments(self):
        """(due date, amount) of monthly instalments adding up to the debt, the last one
        taking the rounding."""
        data = self.cleaned_data
        count, debt, first = data["count"], data["debt"], data["first_due_on"]
        each = (debt / count).quantize(Decimal("0.01"))
        amounts = [each] * (count - 1) + [debt - each * (count - 1)]
        days = []
        for i in range(count):
            year, month = divmod(first.month - 1 + i, 12)
            day = min(first.day, 28)
            days.append(datetime.date(first.year + year, month + 1, day))
        return list(zip(days, amounts, strict=True))


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type d'état des lieux", choices=[CHOOSE, *InspectionKind.choices]
    )
    done_on = event_date_field("Fait le")


class InspectionRoomForm(forms.Form):
    name = forms.CharField(
        label="Pièce",
        max_length=100,
        validators=[validate_text],
        help_text="Entrée, séjour, cuisine, chambre 1, salle d'eau…",
    )
    state = forms.ChoiceField(label="État", choices=[CHOOSE, *RoomState.choices])
    remarks = forms.CharField(
        label="Observations",
        required=False,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Murs, sols, plafonds, équipements : ce qui est abîmé, taché, manquant.",
    )


class MeterReadingForm(forms.Form):
    meter = forms.ChoiceField(label="Compteur", choices=[CHOOSE, *Meter.choices])
    index = forms.DecimalField(
        label="Index", min_value=Decimal("0"), max_digits=12, decimal_places=2, localize=True
    )
    read_on = event_date_field("Relevé le")


class InspectionKeysForm(forms.Form):
    kind = forms.CharField(
        label="Clé",
        max_length=100,
        validators=[validate_text],
        help_text="Porte d'entrée, boîte aux lettres, cave, badge…",
    )
    count = forms.IntegerField(label="Nombre remis", min_value=1, max_value=99)


class InspectionSignaturesForm(forms.Form):
    remarks = forms.CharField(
        label="Observations générales",
        required=False,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signed_by_household_on = event_date_field("Signé par le ménage le", required=False)
    signed_by_operator_on = event_date_field("Signé par l'opérateur le", required=False)
    signed_by_landlord_on = event_date_field(
        "Signé par le bailleur le",
        required=False,
        help_text="Laissez vide tant que la partie n'a pas signé l'exemplaire imprimé.",
    )


class RepairForm(forms.Form):
    reported_on = event_date_field("Signalée le")
    reported_by = forms.ChoiceField(label="Signalée par", choices=[CHOOSE, *Party.choices])
    description = forms.CharField(
        label="Travaux à faire", max_length=300, validators=[validate_text]
    )
    contractor = forms.CharField(
        label="Entreprise", max_length=200, required=False, validators=[validate_text]
    )
    appointment_on = event_date_field("Rendez-vous le", required=False)
    cost = money_field("Coût (€)", required=False)
    paid_by = forms.ChoiceField(
        label="À la charge de", choices=[("", "Pas encore décidé"), *Party.choices], required=False
    )


class RepairMoveForm(forms.Form):
    to = forms.ChoiceField(label="Nouveau statut")
    on = event_date_field("Le")
    appointment_on = event_date_field(
        "Rendez-vous le (pour une réparation programmée)", required=False
    )
    comment = forms.CharField(
        label="Commentaire", required=False, max_length=300, validators=[validate_text]
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [CHOOSE, *choices]


class InsuranceForm(forms.Form):
    insurer = forms.CharField(
        label="Assureur", max_length=200, required=False, validators=[validate_text]
    )
    certificate_on = event_date_field("Attestation du")
    # A last day of validity, checked against the certificate's date (see `clean`).
    expires_on = date_field("Valable jusqu'au")

    def clean(self):
        data = super().clean()
        start, end = data.get("certificate_on"), data.get("expires_on")
        if start and end and end < start:
            self.add_error("expires_on", "L'assurance ne peut expirer avant l'attestation.")
        return data


class RentCallForm(forms.Form):
    due_on = event_date_field("Échéance")
    rent = money_field("Loyer (€)")
    charges = money_field("Charges (€)")
    housing_benefit = money_field("APL versée à l'association (€)")

    def clean(self):
        data = super().clean()
        rent, charges, benefit = (data.get(k) for k in ("rent", "charges", "housing_benefit"))
        if None not in (rent, charges, benefit) and benefit > rent + charges:
            self.add_error("housing_benefit", "L'APL ne dépasse pas loyer + charges.")
        return data


class MonthForm(forms.Form):
    mois = forms.RegexField(
        label="Mois",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="AAAA-MM",
        validators=[validate_text],
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def month(self, today):
        value = self.cleaned_data.get("mois") if self.is_valid() else None
        if not value:
            return today.replace(day=1)
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)


class AsOfForm(forms.Form):
    au = event_date_field("Compte arrêté au", required=False)


class StatementForm(forms.Form):
    kind = forms.ChoiceField(
        label="Format du relevé",
        choices=[
            ("camt053", "CAMT.053 (ISO 20022, XML) : le relevé que donne la banque"),
            ("csv", "CSV : un export tableur, lu avec la correspondance des colonnes"),
        ],
    )
    statement = forms.FileField(label="Fichier du relevé")


class CsvMappingForm(forms.ModelForm):
    class Meta:
        from .models import CsvMapping

        model = CsvMapping
        fields = [
            "delimiter",
            "date_column",
            "date_format",
            "amount_column",
            "credit_column",
            "payer_column",
            "label_column",
            "reference_column",
        ]
        formfield_callback = plausible_formfield


class PreventionOpenForm(forms.Form):
    opened_on = event_date_field("Ouvert le")


class PreventionStepForm(forms.Form):
    stage = forms.ChoiceField(
        label="Étape",
        choices=[("", "—"), *PreventionStage.choices],
        required=False,
    )
    outcome = forms.ChoiceField(
        label="Ou clore le dossier avec son issue",
        choices=[
            ("", "—"),
            *(c for c in PreventionOutcome.choices if c[0] != PreventionOutcome.PROCEDURE_ENDED),
        ],
        required=False,
    )
    on = event_date_field("Le")

    def clean(self):
        data = super().clean()
        if bool(data.get("stage")) == bool(data.get("outcome")):
            raise forms.ValidationError("Choisissez une étape, ou l'issue qui clôt le dossier.")
        return data


class RegularisationForm(forms.Form):
    period_start = event_date_field("Période du")
    period_end = event_date_field("Au", help_text="Un an au plus.")
    actual = money_field(
        "Charges réelles de la période (€)",
        help_text="La part du ménage des charges réelles, d'après le décompte du bailleur.",
    )
    on = event_date_field(
        "Appelée ou remboursée le",
        help_text="Le jour où la différence est appelée (avec le loyer du mois) ou remboursée.",
    )


class BenefitReceiptForm(forms.Form):
    month = forms.RegexField(
        label="Mois payé par l'APL",
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        help_text="AAAA-MM",
        validators=[validate_text],
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    received_on = event_date_field("Reçue le")
    amount = money_field("Montant reçu (€)", min_value=Decimal("0.01"))

    def clean_month(self):
        year, month = self.cleaned_data["month"].split("-")
        return datetime.date(int(year), int(month), 1)


class DeliveryForm(forms.Form):
    kind = forms.ChoiceField(
        label="Document", choices=[("", "Choisir…"), *RentDocumentKind.choices]
    )
    delivery = forms.ChoiceField(label="Remise", choices=[("", "Choisir…"), *Delivery.choices])
    on = event_date_field("Le")
