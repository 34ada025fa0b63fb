"""A unit's capture and return dates follow the plausibility rule through the API: not
before 1900, not more than a year after today; its texts hold no control character."""

import pytest

from seuil.housing.models import HousingUnit

pytestmark = pytest.mark.django_db

TOO_EARLY = "Date antérieure au 01/01/1900."
TOO_LATE = "Date plus d'un an après aujourd'hui (au plus tard le 15/06/2026)."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("captured_on", "2031-01-01", TOO_LATE),
        ("captured_on", "0001-01-01", TOO_EARLY),
        ("returned_on", "2031-01-01", TOO_LATE),
        ("returned_on", "0001-01-01", TOO_EARLY),
        ("address", "3 place\x00 Gambetta", "Caractère de contrôle interdit (U+0000)."),
    ],
)
def test_the_api_refuses_it(api_a, unit_a, today, field, value, message):
    created = api_a.post(
        "/api/v1/housing-units/",
        {"typology": "T2", "captured_on": "2024-01-01", field: value},
        format="json",
    )
    assert created.status_code == 400
    assert message in created.json()[field]
    changed = api_a.patch(f"/api/v1/housing-units/{unit_a.uuid}/", {field: value}, format="json")
    assert message in changed.json()[field]
    assert HousingUnit.objects.count() == 1
    unit_a.refresh_from_db()
    assert str(getattr(unit_a, field)) != value
