import re

from django import forms

from seuil.core.forms import plausible_formfield
from seuil.core.plausibility import validate_free_text
from seuil.orientation.forms.common import DEPARTMENT_CODE, department_code

from .models import TerritoryEmployment

DEPARTMENT_HELP = "Code du département, par exemple 80, 2A ou 974."
# Bounds of the numbers typed in the form: far above any real programme, far below what
# the solver's integers hold.
MAX_HOUSEHOLDS = 100_000
MAX_PRIORITY_POINTS = 1_000_000
COUNT = re.compile(r"[0-9]{1,6}", re.ASCII)


class StartRunForm(forms.Form):
    programme = forms.ModelChoiceField(
        label="Dispositif",
        queryset=None,
        to_field_name="uuid",
        empty_label="Choisir…",
        help_text="Ses ménages en attente sont appariés à ses logements vacants aujourd'hui.",
    )
    priority_points = forms.IntegerField(
        label="Ménages prioritaires : à partir de combien de points de priorité",
        required=False,
        min_value=1,
        max_value=MAX_PRIORITY_POINTS,
        help_text="Facultatif, avec la part ci-dessous : les points de la liste d'attente.",
    )
    priority_share = forms.IntegerField(
        label="Part minimale des logements attribués à ces ménages (%)",
        required=False,
        min_value=1,
        max_value=100,
    )
    territory_quotas = forms.CharField(
        label="Nombre maximal de ménages logés par département",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_free_text],
        help_text="Facultatif, un département par ligne, par exemple « 60 : 10 ».",
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].label_from_instance = lambda p: f"{p.name} ({p.organisation.name})"

    def clean_territory_quotas(self):
        quotas = {}
        for number, line in enumerate(self.cleaned_data["territory_quotas"].splitlines(), 1):
            if not line.strip():
                continue
            code, _, count = (part.strip() for part in line.partition(":"))
            code = code.upper()
            if not DEPARTMENT_CODE.match(code) or not COUNT.fullmatch(count):
                raise forms.ValidationError(
                    f"Ligne {number} : « {line.strip()} » n'est pas de la forme "
                    "« département : nombre », par exemple « 60 : 10 »."
                )
            if int(count) > MAX_HOUSEHOLDS:
                raise forms.ValidationError(
                    f"Ligne {number} : {int(count)} ménages, c'est plus que le maximum "
                    f"possible ({MAX_HOUSEHOLDS} ménages)."
                )
            if code in quotas:
                raise forms.ValidationError(f"Ligne {number} : le {code} figure déjà plus haut.")
            quotas[code] = {"max": int(count)}
        return quotas

    def clean(self):
        data = super().clean()
        points, share = data.get("priority_points"), data.get("priority_share")
        if (points is None) != (share is None) and not self.has_error(
            "priority_points" if points is None else "priority_share"
        ):
            # Said on the one left empty.
            self.add_error(
                "priority_points" if points is None else "priority_share",
                "Pour réserver une part des logements aux ménages prioritaires, donnez à la "
                "fois le nombre de points et la part.",
            )
        return data

    def constraints(self):
        """The instance's `constraints` (docs/appariement.md), empty when none is asked."""
        data, constraints = self.cleaned_data, {}
        if data.get("priority_points") is not None:
            constraints["min_priority_share"] = {
                "min_points": data["priority_points"],
                "share": data["priority_share"] / 100,
            }
        if data.get("territory_quotas"):
            constraints["territory_quotas"] = data["territory_quotas"]
        return constraints


class TerritoryEmploymentForm(forms.ModelForm):
    class Meta:
        model = TerritoryEmployment
        fields = ["territory", "employment_score", "effective_from", "source"]
        formfield_callback = plausible_formfield
        help_texts = {
            "territory": DEPARTMENT_HELP,
            "employment_score": "De 0 (aucune perspective) à 1 (très bonnes perspectives).",
            "source": "Par exemple « Pôle emploi, taux de retour à l'emploi 2026 ».",
        }

    def clean_territory(self):
        return department_code(self.cleaned_data["territory"])
