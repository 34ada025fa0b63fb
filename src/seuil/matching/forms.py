from django import forms

from .models import TerritoryEmployment

DEPARTMENT_HELP = "Code du département, par exemple 80, 2A ou 974."


class StartRunForm(forms.Form):
    programme = forms.ModelChoiceField(
        label="Dispositif",
        queryset=None,
        empty_label="Choisir…",
        help_text="Ses ménages en attente sont appariés à ses logements vacants aujourd'hui.",
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label_from_instance = lambda p: f"{p.name} ({p.organisation.name})"


class TerritoryEmploymentForm(forms.ModelForm):
    class Meta:
        model = TerritoryEmployment
        fields = ["territory", "employment_score", "effective_from", "source"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "territory": DEPARTMENT_HELP,
            "employment_score": "De 0 (aucune perspective) à 1 (très bonnes perspectives).",
            "source": "Par exemple « Pôle emploi, taux de retour à l'emploi 2026 ».",
        }

    def clean_territory(self):
        from seuil.orientation.forms import DEPARTMENT_CODE

        code = self.cleaned_data["territory"].strip().upper()
        if not DEPARTMENT_CODE.match(code):
            raise forms.ValidationError(f"« {code} » n'est pas un code de département.")
        return code
