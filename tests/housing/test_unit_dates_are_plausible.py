"""A unit's capture and return dates follow the plausibility rule through the page: not
before 1900, not more than a year after today; its texts hold no control character. Nothing
is saved. (The API: tests/api/test_plausible_unit_dates.py; the import:
tests/exchange/test_validation.py.)"""

import pytest
from django.urls import reverse

from seuil.housing.models import HousingUnit
from tests.housing.test_unit_forms import unit_data

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
        ("ref", "AMI\x1b-100", "Caractère de contrôle interdit (U+001B)."),
    ],
)
def test_the_unit_page_refuses_it(client_a, today, field, value, message):
    response = client_a.post(reverse("housing:create"), unit_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not HousingUnit.objects.exists()


def test_a_capture_a_year_ahead_is_saved(client_a, today):
    response = client_a.post(reverse("housing:create"), unit_data(captured_on="2026-06-15"))
    assert response.status_code == 302
    assert str(HousingUnit.objects.get().captured_on) == "2026-06-15"
