from django import forms

from .workbook import MAX_BYTES, XLSX_TYPE


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label="Classeur à importer (.xlsx)",
        help_text=f"Le modèle rempli, au format Excel (.xlsx), {MAX_BYTES // (1024 * 1024)} Mo "
        "au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )
