"""Pages and API answers that show a person are never kept by a browser or a proxy."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_not_stored(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_household_file_and_the_households_list_are_not_stored(client_a, household_a):
    assert_not_stored(client_a.get(reverse("households:detail", args=[household_a.uuid])))
    assert_not_stored(client_a.get(reverse("households:list")))


def test_the_waiting_list_export_is_not_stored(client_a):
    assert_not_stored(client_a.get(reverse("orientation:waiting_export") + "?format=csv"))


def test_api_answers_are_not_stored(api_a, household_a):
    assert_not_stored(api_a.get(f"/api/v1/households/{household_a.uuid}/"))
    assert_not_stored(api_a.get("/api/v1/households/"))


def test_the_login_page_is_not_stored_either(client):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
