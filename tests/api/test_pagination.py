"""Lists are paginated, 100 rows by default, at most 1,000: `limit` and `offset` are read
strictly, an odd value answers 400 in French, never a server error."""

import pytest

from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

PATHS = ("/api/v1/households/", "/api/v1/persons/", "/api/v1/landlords/")


@pytest.mark.parametrize(
    "limit", ["99999999999999999999999", "1001", "0", "-1", "abc", "", "1.5", "٣", " 5"]
)
def test_an_odd_limit_is_refused_in_french(api_a, org_a, limit):
    for path in PATHS:
        response = api_a.get(path, {"limit": limit})
        assert response.status_code == 400, (path, limit)
        assert response.json() == {"limit": ["Un nombre entier de 1 à 1000 est attendu."]}


@pytest.mark.parametrize("offset", ["99999999999999999999999", "2147483648", "-1", "x", ""])
def test_an_odd_offset_is_refused_in_french(api_a, offset):
    response = api_a.get("/api/v1/households/", {"offset": offset})
    assert response.status_code == 400
    assert response.json() == {"offset": ["Un nombre entier de 0 à 2147483647 est attendu."]}


def test_limit_and_offset_within_their_bounds_page_the_list(api_a, org_a):
    HouseholdFactory.create_batch(3, organisation=org_a)
    body = api_a.get("/api/v1/households/", {"limit": "1000"}).json()
    assert body["count"] == 3 and len(body["results"]) == 3
    body = api_a.get("/api/v1/households/", {"limit": "2", "offset": "2"}).json()
    assert len(body["results"]) == 1 and body["next"] is None
    assert len(api_a.get("/api/v1/households/", {"offset": "2147483647"}).json()["results"]) == 0


def test_the_schema_documents_the_bounds(api_a):
    parameters = {
        p["name"]: p["schema"]
        for p in api_a.get("/api/v1/schema/?format=json").json()["paths"]["/api/v1/households/"][
            "get"
        ]["parameters"]
    }
    assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": 1000}
    assert parameters["offset"] == {"type": "integer", "minimum": 0, "maximum": 2147483647}
