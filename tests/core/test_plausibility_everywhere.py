"""Every date and text a page form or an API serializer of Seuil takes follows the one
plausibility rule (`seuil.core.plausibility`): each date field carries the birth or the
event validator, each text field the one-line or the free-text one. A new field without
it fails here, unless it is listed below with the reason it needs none."""

import importlib
import pkgutil

from django import forms
from rest_framework import serializers

import seuil
from seuil.core.plausibility import (
    validate_birth_date,
    validate_event_date,
    validate_free_text,
    validate_planned_end,
    validate_text,
)

DATE_RULES = (validate_birth_date, validate_event_date, validate_planned_end)
TEXT_RULES = (validate_text, validate_free_text)

# (class name, field name): why the field needs no plausibility validator.
EXEMPT = {
    # A last day of validity, not a dated event: checked against the consent's date.
    ("ConsentForm", "expires_on"): "fin de validité, postérieure à la date du consentement",
    # The last day of validity of an identity document or a residence permit: up to ten
    # years ahead (a carte de résident), long past for an expired one kept in the file.
    ("DocumentForm", "expires_on"): "fin de validité d'une pièce, jusqu'à dix ans plus tard",
    # The last day of a home insurance certificate: checked against the certificate's date.
    ("InsuranceForm", "expires_on"): "fin de validité de l'assurance, après l'attestation",
    # An instalment of a repayment plan (up to 60 monthly ones): the plan's date is checked.
    ("InstalmentSerializer", "due_on"): "échéance d'un échéancier, jusqu'à 60 mois après l'accord",
    # A username, one-time codes and passwords: compared at sign-in, never stored nor shown.
    ("LoginForm", "username"): "identifiant comparé à la connexion",
    ("AuthenticatorCodeForm", "code"): "code à usage unique",
    ("RecoveryCodeForm", "recovery_code"): "code de secours",
}


def _import_every_module():
    for module in pkgutil.walk_packages(seuil.__path__, "seuil."):
        name = module.name
        if ".migrations" in name or ".management" in name or name.endswith(("wsgi", "cli")):
            continue
        importlib.import_module(name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def seuil_classes(base):
    _import_every_module()
    found = {cls for cls in _subclasses(base) if cls.__module__.startswith("seuil.")}
    return sorted(found, key=lambda cls: (cls.__module__, cls.__name__))


def missing_rule(cls, name, field, *, date_class, text_class):
    """The rule a field lacks ("date" or "texte"), None when it has it or needs none."""
    if (cls.__name__, name) in EXEMPT:
        return None
    if isinstance(field, date_class) and not any(v in DATE_RULES for v in field.validators):
        return "date"
    if isinstance(field, text_class) and not any(v in TEXT_RULES for v in field.validators):
        return "texte"
    return None


def test_every_form_field_follows_the_rule():
    lacking, seen = [], 0
    for cls in seuil_classes(forms.BaseForm):
        for name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field.widget, (forms.PasswordInput, forms.HiddenInput)):
                continue
            seen += 1
            rule = missing_rule(
                cls, name, field, date_class=forms.DateField, text_class=forms.CharField
            )
            if rule:
                lacking.append(f"{cls.__module__}.{cls.__name__}.{name} ({rule})")
    assert seen > 100
    assert lacking == []


def test_every_writable_serializer_field_follows_the_rule():
    lacking, seen = [], 0
    for cls in seuil_classes(serializers.Serializer):
        if issubclass(cls, serializers.ModelSerializer) and not hasattr(cls, "Meta"):
            continue  # a base class
        for name, field in cls().fields.items():
            if field.read_only:
                continue
            seen += 1
            rule = missing_rule(
                cls,
                name,
                field,
                date_class=serializers.DateField,
                text_class=serializers.CharField,
            )
            if rule:
                lacking.append(f"{cls.__module__}.{cls.__name__}.{name} ({rule})")
    assert seen > 20
    assert lacking == []
