"""Every file a list shows is traced: a page of an API list (households, persons, stays, up
to 1,000 rows) and a page of the household list or search write one access-log row per file
shown, and none for the files of the other pages."""

import datetime

import pytest
from django.urls import reverse

from seuil.core.models import AccessLog
from seuil.households import views as household_views
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(org_a):
    """Five households of A, one member each, each with a stay (refs M-0 … M-4)."""
    made = []
    for n in range(5):
        household = HouseholdFactory(organisation=org_a, ref=f"M-{n}")
        MembershipFactory(household=household, person__ref=f"P-{n}", person__last_name=f"Nom{n}")
        StayFactory(
            household=household,
            unit=HousingUnitFactory(organisation=org_a),
            entered_on=datetime.date(2024, 1, 1 + n),
        )
        made.append(household)
    return made


def logged(user, object_type):
    """{uuid} of the objects of `object_type` `user` read, each logged exactly once."""
    rows = list(
        AccessLog.objects.filter(user=user, action="view", object_type=object_type).values_list(
            "object_uuid", flat=True
        )
    )
    assert len(rows) == len(set(rows)), "an object shown once is logged once"
    return set(rows)


@pytest.mark.parametrize(
    ("url", "object_type"),
    [
        ("/api/v1/households/", "household"),
        ("/api/v1/persons/", "person"),
        ("/api/v1/stays/", "stay"),
    ],
)
def test_an_api_page_logs_exactly_the_files_it_shows(api_a, member_a, households, url, object_type):
    response = api_a.get(url, {"limit": 2, "offset": 1})
    assert response.status_code == 200 and response.data["count"] == 5
    shown = {row["uuid"] for row in response.data["results"]}
    assert len(shown) == 2
    assert {str(uuid) for uuid in logged(member_a, object_type)} == shown
    # The next page adds its own rows, and only those.
    response = api_a.get(url, {"limit": 2, "offset": 3})
    shown |= {row["uuid"] for row in response.data["results"]}
    assert {str(uuid) for uuid in logged(member_a, object_type)} == shown
    assert len(shown) == 4


def test_an_api_page_of_another_organisation_logs_nothing(api_b, member_b, households):
    assert api_b.get("/api/v1/households/").data["count"] == 0
    assert not AccessLog.objects.filter(user=member_b).exists()


def test_a_thousand_row_page_is_logged_in_full(api_a, member_a, org_a):
    HouseholdFactory.create_batch(1000, organisation=org_a)
    response = api_a.get("/api/v1/households/", {"limit": 1000})
    assert len(response.data["results"]) == 1000
    assert len(logged(member_a, "household")) == 1000


def test_the_household_list_logs_the_households_of_its_page_only(
    client, org_a, households, monkeypatch
):
    monkeypatch.setattr(household_views, "PAGE_SIZE", 2)
    worker = UserFactory(organisation=org_a, social_worker=True)
    client.force_login(worker)
    response = client.get(reverse("households:list"), {"page": 2})
    shown = {row.household.uuid for row in response.context["rows"]}
    assert len(shown) == 2
    assert logged(worker, "household") == shown
    # A search logs the households it finds, and no other.
    AccessLog.objects.all().delete()
    response = client.get(reverse("households:list"), {"q": "Nom3"})
    assert [row.household.ref for row in response.context["rows"]] == ["M-3"]
    assert logged(worker, "household") == {households[3].uuid}


def test_the_unit_list_logs_the_households_it_names(client_a, member_a, households):
    response = client_a.get(reverse("housing:list"))
    named = {row.current_stay.household.uuid for row in response.context["rows"]}
    assert named == {h.uuid for h in households}
    assert logged(member_a, "household") == named
