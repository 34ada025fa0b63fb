"""An edit sent with the version the client read: applied and bumped, or 409 if outdated."""

import pytest

from seuil.core.concurrency import STALE_EDIT_MESSAGE

pytestmark = pytest.mark.django_db


def household_url(household):
    return f"/api/v1/households/{household.uuid}/"


def test_versions_are_shown(api_a, household_a, stay_a):
    body = api_a.get(household_url(household_a)).json()
    assert body["version"] == 1
    assert body["members"][0]["version"] == 1
    assert api_a.get(f"/api/v1/stays/{stay_a.uuid}/").json()["version"] == 1


def test_a_fresh_household_patch_passes_and_bumps_the_version(api_a, household_a):
    response = api_a.patch(
        household_url(household_a), {"prior_situation": "other", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    household_a.refresh_from_db()
    assert (household_a.prior_situation, household_a.version) == ("other", 2)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_stale_household_edit_answers_409_and_changes_nothing(api_a, household_a, method):
    url = household_url(household_a)
    fresh = api_a.patch(url, {"prior_situation": "other", "version": 1}, format="json")
    assert fresh.status_code == 200
    response = getattr(api_a, method)(
        url, {"ref": "M-A1", "prior_situation": "unknown", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == STALE_EDIT_MESSAGE
    household_a.refresh_from_db()
    assert (household_a.prior_situation, household_a.version) == ("other", 2)


def test_an_edit_without_a_version_is_not_checked(api_a, household_a):
    response = api_a.patch(household_url(household_a), {"prior_situation": "other"}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_a_stale_member_edit_answers_409_and_changes_nothing(api_a, household_a):
    membership = household_a.memberships.get()
    url = f"/api/v1/memberships/{membership.uuid}/"
    fresh = api_a.patch(url, {"last_name": "Diallo", "version": 1}, format="json")
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 2
    response = api_a.patch(url, {"last_name": "Kaboré", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == STALE_EDIT_MESSAGE
    membership.person.refresh_from_db()
    assert (membership.person.last_name, membership.person.version) == ("Diallo", 2)


def test_a_stale_stay_exit_answers_409_and_changes_nothing(api_a, stay_a):
    url = f"/api/v1/stays/{stay_a.uuid}/exit/"
    fresh = api_a.post(
        url, {"exited_on": "2024-02-01", "exit_destination": "other", "version": 1}, format="json"
    )
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 2
    response = api_a.post(
        url,
        {"exited_on": "2024-03-01", "exit_destination": "social_landlord", "version": 1},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["detail"] == STALE_EDIT_MESSAGE
    stay_a.refresh_from_db()
    assert (str(stay_a.exited_on), stay_a.exit_destination, stay_a.version) == (
        "2024-02-01",
        "other",
        2,
    )
