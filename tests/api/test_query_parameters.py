"""Query parameters are read as the schema types them: an empty one is refused (400, in
French) rather than ignored; the unit list page, which reads the same FilterSet, keeps its
empty selects ("Tous")."""

import pytest
from django.urls import reverse

from seuil.core.api import EMPTY_PARAMETER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("stays/", "unit"),
        ("stays/", "present_on"),
        ("housing-units/", "typology"),
        ("housing-units/", "sector"),
        ("housing-units/", "on"),
    ],
)
def test_an_empty_parameter_is_refused(api_a, path, name):
    response = api_a.get(f"/api/v1/{path}", {name: ""})
    assert response.status_code == 400
    assert response.json() == {name: [EMPTY_PARAMETER]}


def test_an_implausible_day_is_refused(api_a):
    response = api_a.get("/api/v1/housing-units/", {"state": "vacant", "on": "0001-01-01"})
    assert response.json() == {"on": ["Date antérieure au 01/01/1900."]}


def test_the_unit_list_page_keeps_its_empty_selects(client_a, unit_a):
    response = client_a.get(reverse("housing:list"), {"typology": "", "state": ""})
    assert response.status_code == 200
    assert unit_a.ref in response.content.decode()
