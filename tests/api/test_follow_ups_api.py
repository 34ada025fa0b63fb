"""Follow-ups after exit through the API: recorded on ended stays only, scoped to the
organisation, corrected with optimistic locking, and the follow-ups due."""

import datetime

import pytest

from seuil.core.models import AccessLog, ChangeRecord
from seuil.outcomes.models import FollowUp
from tests.api.conftest import token_client
from tests.conftest import days_ago
from tests.core.factories import UserFactory
from tests.housing.factories import StayFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/follow-ups/"


@pytest.fixture
def ended(stay_a):
    stay_a.exited_on = datetime.date(2024, 3, 1)
    stay_a.exit_destination = "social_landlord"
    stay_a.save()
    return stay_a


def payload(stay, on="2025-02-20", **answers):
    return {"stay": str(stay.uuid), "on": on, **answers}


def test_a_social_worker_records_a_follow_up(org_a, ended):
    client = token_client(UserFactory(organisation=org_a, social_worker=True))
    response = client.post(
        URL,
        payload(
            ended, housed=True, same_home=False, satisfaction=4, reason_for_leaving="too_small"
        ),
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["housed"] is True and response.data["employed"] is None
    assert response.data["answered_by"] == "worker"
    follow_up = FollowUp.objects.get(uuid=response.data["uuid"])
    assert (follow_up.organisation, follow_up.reason_for_leaving) == (org_a, "too_small")
    assert ChangeRecord.objects.filter(object_uuid=follow_up.uuid, action="create").exists()
    assert AccessLog.objects.filter(object_uuid=follow_up.uuid, action="create").exists()


def test_a_follow_up_is_after_the_exit_of_an_ended_stay(api_a, stay_a, ended):
    response = api_a.post(URL, payload(ended, on="2024-03-01"), format="json")
    assert response.status_code == 400
    assert response.data["non_field_errors"] == [
        "Le suivi doit être daté après la sortie (le 01/03/2024)."
    ]
    open_stay = StayFactory(
        household__organisation=stay_a.organisation, entered_on=datetime.date(2024, 1, 1)
    )
    response = api_a.post(URL, payload(open_stay), format="json")
    assert response.status_code == 400
    assert "n'est pas terminé" in response.data["non_field_errors"][0]
    response = api_a.post(URL, payload(ended, satisfaction=6), format="json")
    assert response.status_code == 400 and "satisfaction" in response.data
    assert FollowUp.objects.count() == 0


def test_another_organisation_sees_and_reaches_nothing(api_a, api_b, ended):
    created = api_a.post(URL, payload(ended), format="json").data
    assert api_b.get(URL).data["results"] == []
    assert api_b.get(f"{URL}{created['uuid']}/").status_code == 404
    assert api_b.patch(f"{URL}{created['uuid']}/", {"housed": False}).status_code == 404
    response = api_b.post(URL, payload(ended), format="json")
    assert response.status_code == 400 and "stay" in response.data
    assert FollowUp.objects.count() == 1


def test_roles_without_the_action_may_not_record(api_as, ended):
    for role in ("tenancy_officer", "state", "landlord"):
        assert api_as(role).post(URL, payload(ended), format="json").status_code == 403


def test_a_correction_with_an_old_version_is_refused(api_a, ended):
    created = api_a.post(URL, payload(ended, housed=True), format="json").data
    first = api_a.patch(f"{URL}{created['uuid']}/", {"housed": False, "version": 1}, format="json")
    assert first.status_code == 200 and first.data["housed"] is False
    assert first.data["on"] == "2025-02-20" and first.data["version"] == 2
    stale = api_a.patch(f"{URL}{created['uuid']}/", {"housed": True, "version": 1}, format="json")
    assert stale.status_code == 409
    assert FollowUp.objects.get().housed is False


def test_the_list_filters_by_stay_and_household(api_a, ended, household_a):
    api_a.post(URL, payload(ended), format="json")
    assert len(api_a.get(URL, {"household": str(household_a.uuid)}).data["results"]) == 1
    assert api_a.get(URL, {"stay": "00000000-0000-0000-0000-000000000000"}).data["results"] == []


def test_the_follow_ups_due_today(api_a, ended, today):
    ended.exited_on = days_ago(360)
    ended.save()
    (due,) = api_a.get(f"{URL}due/").data
    assert due["stay"] == str(ended.uuid) and due["months"] == 12
    assert due["due_on"] == (ended.exited_on + datetime.timedelta(days=365)).isoformat()
    api_a.post(URL, payload(ended, on=today.isoformat()), format="json")
    assert api_a.get(f"{URL}due/").data == []
