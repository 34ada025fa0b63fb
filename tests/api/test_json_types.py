"""Request bodies are read with their JSON types, as the schema gives them: a number where
a text is expected, a text for a number, a boolean or a list are refused (400, in French),
never converted. Every serializer of a request body reads them so."""

import pytest
from rest_framework import serializers

from seuil.core.api import StrictJson
from seuil.households.models import Household
from tests.core.test_plausibility_everywhere import seuil_classes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "body", "field", "expected"),
    [
        ("households/", {"ref": 12}, "ref", "texte"),
        ("households/", {"ref": "M-1", "version": "1"}, "version", "nombre entier"),
        ("households/", {"ref": "M-1", "version": True}, "version", "nombre entier"),
        ("housing-units/", {"typology": "T2", "rent": "450.00"}, "rent", "nombre"),
        ("housing-units/", {"typology": "T2", "accessible": "true"}, "accessible", "booléen"),
        ("housing-units/", {"typology": "T2", "accessible": 1}, "accessible", "booléen"),
        ("housing-units/", {"typology": "T2", "captured_on": 20240101}, "captured_on", "texte"),
    ],
)
def test_a_value_of_another_json_type_is_refused(api_a, path, body, field, expected):
    response = api_a.post(f"/api/v1/{path}", body)
    assert response.status_code == 400
    [message] = response.json()[field]
    assert message.startswith(f"Type invalide : {expected}") and message.endswith(" attendu.")
    assert not Household.objects.filter(ref__in=["12", "M-1"]).exists()


def test_nested_lists_and_objects_are_typed_too(api_a, household_a):
    url = f"/api/v1/households/{household_a.uuid}/members/"
    response = api_a.post(url, {"role": "child", "initial_legal_status": {"since": "2024-01-01"}})
    assert response.json()["initial_legal_status"] == ["Type invalide : liste attendu."]
    response = api_a.post(
        url, {"role": "child", "initial_legal_status": [{"since": "2024-01-01", "status": 3}]}
    )
    assert response.status_code == 400
    assert household_a.memberships.count() == 1


def test_every_request_serializer_reads_json_types_strictly():
    lax = []
    for cls in seuil_classes(serializers.Serializer):
        if issubclass(cls, StrictJson) or cls.__name__.endswith("Filters"):
            continue  # strict, or a query string (texts only)
        if any(not field.read_only for field in cls().fields.values()):
            lax.append(f"{cls.__module__}.{cls.__name__}")
    assert lax == []
