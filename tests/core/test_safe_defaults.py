"""A choice a page form pre-selects is a choice someone made. Every select of a Seuil form
starts at an empty option (« Choisir… », « Non renseigné », « Tous »…) or at its « Non
renseigné » value, so that nothing is saved, nor fed to a computation (the matching score
reads the employment situation), that nobody chose. A select whose first option is a safe
default is listed below with the reason."""

from django import forms

from tests.core.test_plausibility_everywhere import seuil_classes

UNKNOWN_VALUES = {"", "unknown"}

# (class name, field name): why its first option may be pre-selected.
SAFE_FIRST = {
    # The format of a bank file: a wrong one is refused when the file is read.
    ("StatementForm", "kind"): "format du fichier, vérifié à la lecture",
    # The model's default: a unit captured for « Logement d'abord » is sub-let unless said
    # otherwise; the form shows it and the report counts both modes.
    ("HousingUnitForm", "management_mode"): "sous-location par défaut du modèle",
}


def first_value(field):
    choices = list(field.choices)
    if not choices:
        return ""
    value = choices[0][0]
    return "" if value is None else str(value)


def test_every_select_starts_at_an_empty_or_unknown_option():
    pre_selected, seen = [], 0
    for cls in seuil_classes(forms.BaseForm):
        for name, field in getattr(cls, "base_fields", {}).items():
            if not isinstance(field, forms.ChoiceField) or isinstance(
                field, (forms.MultipleChoiceField, forms.ModelChoiceField)
            ):
                continue
            if type(field.widget) is not forms.Select:
                continue
            seen += 1
            initial = field.initial
            start = str(initial) if initial not in (None, "") else first_value(field)
            if start not in UNKNOWN_VALUES and (cls.__name__, name) not in SAFE_FIRST:
                pre_selected.append(f"{cls.__module__}.{cls.__name__}.{name} ({start})")
    assert seen > 20
    assert pre_selected == [], "\n".join(pre_selected)
