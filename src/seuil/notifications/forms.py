"""The preferences form: for each kind that may concern the user, how its e-mails come."""

from django import forms

from .enums import Delivery


class PreferencesForm(forms.Form):
    def __init__(self, *args, kinds, current, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.code, kind.default),
                widget=forms.RadioSelect,
                help_text=kind.summary,
            )
