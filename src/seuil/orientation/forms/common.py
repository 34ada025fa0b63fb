"""What the orientation forms share: the empty choice, département codes, field helpers."""

import re

from django import forms

CHOOSE = ("", "Choisir…")
# Codes of the départements (and overseas), for territories typed as digits.
DEPARTMENT_CODE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])$")


def department_code(value):
    """`value` as a département code ("2a " → "2A"), "" when blank; a French error when it
    is not one."""
    code = value.strip().upper()
    if code and not DEPARTMENT_CODE.match(code):
        raise forms.ValidationError(
            f"« {value.strip()} » n'est pas un code de département : indiquez son numéro, "
            "par exemple 80 pour la Somme."
        )
    return code


def money_field(label, help_text=""):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=help_text,
    )


def checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def household_label(household):
    """ "DIALLO Aïcha (réf. M0001)", as the entry form names a household."""
    head = household.head_on(None)
    if head is None:
        return f"Ménage sans personne de référence (réf. {household.ref})"
    person = head.person
    return f"{person.last_name.upper()} {person.first_name} (réf. {household.ref})".strip()


class VersionField(forms.IntegerField):
    def __init__(self):
        super().__init__(widget=forms.HiddenInput, required=False, min_value=1)
