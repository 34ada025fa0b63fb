"""Vacancy dates follow the plausibility rule on the pages: not before 1900, not more than
a year after today. Nothing is saved; a period filter out of bounds is refused, not a 500."""

import pytest
from django.urls import reverse

from seuil.orientation.models import Vacancy
from seuil.orientation.services.vacancies import declare_vacancy
from tests.orientation.flow import DAY, today

TOO_EARLY = "Date antérieure au 01/01/1900."
TOO_LATE = "Date plus d'un an après aujourd'hui (au plus tard le 15/06/2026)."
IMPLAUSIBLE = [("2031-01-01", TOO_LATE), ("0001-01-01", TOO_EARLY)]


@pytest.mark.parametrize(("value", "message"), IMPLAUSIBLE)
def test_declaring_a_vacancy_refuses_it(client, manager, unit, value, message):
    client.force_login(manager)
    response = client.post(
        reverse("orientation:vacancy_declare"), {"unit": unit.uuid, "opened_on": value}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["opened_on"] == [message]
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize(("value", "message"), IMPLAUSIBLE)
def test_closing_a_vacancy_refuses_it(client, manager, unit, value, message):
    vacancy = declare_vacancy(unit, opened_on=today() - 5 * DAY, acting_user=manager)
    client.force_login(manager)
    response = client.post(
        reverse("orientation:vacancy_close", args=[vacancy.uuid]),
        {"closed_on": value, "reason": "returned"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closed_on"] == [message]
    vacancy.refresh_from_db()
    assert vacancy.closed_on is None


@pytest.mark.parametrize(("value", "message"), IMPLAUSIBLE)
def test_the_period_of_the_vacancy_list_refuses_it(client, manager, unit, value, message):
    client.force_login(manager)
    response = client.get(reverse("orientation:vacancies"), {"end": value})
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == [message]
