"""Form pieces shared by every app's pages."""

from django import forms
from django.core.exceptions import ValidationError

from . import communes
from .plausibility import (
    validate_birth_date,
    validate_event_date,
    validate_free_text,
    validate_planned_end,
    validate_text,
)


class DateInput(forms.DateInput):
    """A native date picker; values travel as ISO dates (AAAA-MM-JJ)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required=True, help_text="", validators=()):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput,
        help_text=help_text,
        validators=list(validators),
    )


def birth_date_field(label, *, required=True, help_text=""):
    """A birth date: not after today, not before 1900 (`seuil.core.plausibility`)."""
    return date_field(
        label, required=required, help_text=help_text, validators=[validate_birth_date]
    )


def event_date_field(label, *, required=True, help_text=""):
    """The date of a dated fact: not before 1900, not more than a year after today."""
    return date_field(
        label, required=required, help_text=help_text, validators=[validate_event_date]
    )


def planned_end_field(label, *, required=True, help_text=""):
    """A planned end (a support contract's): not before 1900, not more than three years
    after today; the programme's cap bounds it more closely."""
    return date_field(
        label, required=required, help_text=help_text, validators=[validate_planned_end]
    )


def unknown_first(choices, unknown):
    """`choices` with the « Non renseigné » one (`unknown`) first: a select shows its first
    option, and a choice that feeds a computation must start at the safe one."""
    choices = list(choices)
    return [c for c in choices if c[0] == unknown] + [c for c in choices if c[0] != unknown]


def plausible_formfield(db_field, **kwargs):
    """A model field's form field with the plausibility rule (`seuil.core.plausibility`): a
    date is a dated event (not before 1900, nor more than a year after today), shown with the
    date picker; a text holds no control character (a multi-line one keeps its line breaks).
    A ModelForm names it as `Meta.formfield_callback`."""
    field = db_field.formfield(**kwargs)
    if isinstance(field, forms.DateField):
        field.validators.append(validate_event_date)
        field.widget = DateInput()
    elif isinstance(field, forms.CharField):
        multiline = isinstance(field.widget, forms.Textarea)
        field.validators.append(validate_free_text if multiline else validate_text)
    return field


class CommuneField(forms.CharField):
    """A commune chosen by its name (or its INSEE code): cleaned to its INSEE code ("" when
    left empty), shown as « Amiens (80021) ». Among communes of the same name, the one of
    `department` (set by the form: its organisation's) is taken; others need « Nom (80) »."""

    def __init__(self, *, department=None, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text", "Son nom, par exemple « Amiens » ; « Saint-Sauveur (80) » pour préciser."
        )
        super().__init__(**kwargs)
        self.validators.append(validate_text)
        self.department = department

    def prepare_value(self, value):
        commune = communes.by_code(value) if isinstance(value, str) else None
        return str(commune) if commune else value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return ""
        try:
            return communes.find(text, self.department).code
        except communes.UnknownCommune as error:
            raise ValidationError(str(error), code="unknown_commune") from None


class CommunesField(forms.CharField):
    """Several communes, one a line, each by its name or its INSEE code: cleaned to the
    list of their INSEE codes; every line that names no commune says so, in French."""

    widget = forms.Textarea(attrs={"rows": 6})

    def __init__(self, *, department=None, **kwargs):
        kwargs.setdefault("max_length", 20000)
        kwargs.setdefault(
            "help_text",
            "Une commune par ligne, par son nom (« Amiens ») ; « Saint-Sauveur (80) » pour "
            "préciser le département quand plusieurs communes portent ce nom.",
        )
        super().__init__(**kwargs)
        self.validators.append(validate_free_text)
        self.department = department

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(communes.describe(code) for code in value)
        return value

    def clean(self, value):
        text = super().clean(value)
        found, errors = communes.find_all(text, self.department)
        if errors:
            raise ValidationError(errors, code="unknown_commune")
        return [commune.code for commune in found]


def add_service_errors(form, error):
    """Show a service's ValidationError (French messages) on the form: an error the service
    gives for a field of the form goes to that field (marked invalid, linked from the error
    summary), any other to the form itself."""
    if hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            field = form.fields.get(name)
            for message in field_messages:
                if field is not None and not field.widget.is_hidden:
                    form.add_error(name, message)
                else:
                    form.add_error(None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def run_service(form, action):
    """Run a service call and return its result (True when it returns nothing).

    On the service's ValidationError, put its messages on the form and return None.
    """
    try:
        result = action()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return True if result is None else result
