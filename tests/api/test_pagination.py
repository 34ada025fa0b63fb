"""Lists are paginated: a huge or odd `limit` is capped, never a server error."""

import pytest

from tests.households.factories import HouseholdFactory


@pytest.mark.parametrize("limit", ["99999999999999999999999", "5000", "-1", "abc"])
def test_a_huge_or_odd_limit_is_answered_with_at_most_a_thousand_rows(api_a, org_a, limit):
    HouseholdFactory.create_batch(3, organisation=org_a)
    for path in ("/api/v1/households/", "/api/v1/persons/", "/api/v1/landlords/"):
        response = api_a.get(path, {"limit": limit})
        assert response.status_code == 200, (path, limit)
    response = api_a.get("/api/v1/households/", {"limit": limit})
    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 3
