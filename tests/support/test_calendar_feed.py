"""A worker's own calendar feed: an unguessable address a diary application subscribes to,
created, renewed and revoked from « Mon agenda »; it serves the worker's contacts of the
last 30 days and the next 90, with the household's initials and reference, nothing more."""

import datetime
import re

import pytest
from django.urls import reverse

from seuil.core.enums import Role
from seuil.core.models import AccessLog, ChangeRecord
from seuil.support.enums import ContactKind
from seuil.support.models import CalendarFeed
from seuil.support.services import record_contact
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def diary(org_a, today):
    worker = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER, first_name="Inès")
    household = HouseholdFactory(organisation=org_a, ref="M-AGENDA")
    MembershipFactory(
        household=household, role="head", person__first_name="Awa", person__last_name="Kone"
    )
    for days, kind in ((-31, "phone"), (-30, "phone"), (10, "home_visit"), (90, "phone")):
        record_contact(
            household, on=today + days * DAY, kind=kind, worker=worker, planned=days > 0, by=worker
        )
    record_contact(household, on=today + 91 * DAY, kind="phone", worker=worker, by=worker)
    other = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    record_contact(household, on=today, kind=ContactKind.OFFICE_APPOINTMENT, worker=other, by=other)
    return worker, household


def _create_address(client, worker):
    client.force_login(worker)
    page = client.post(reverse("support:my_calendar"), {"action": "renew"}).content.decode()
    return re.search(r'value="(http[^"]+\.ics)"', page).group(1)


def test_a_worker_subscribes_and_sees_the_window_without_personal_data(client, diary, today):
    worker, household = diary
    week = client
    week.force_login(worker)
    assert "Mon agenda" in week.get(reverse("support:week")).content.decode()
    address = _create_address(client, worker)
    client.logout()
    response = client.get(address)  # a diary application, without an account
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode().replace("\r\n ", "")
    # From 30 days ago to 90 days ahead: three of the worker's five, none of the other's.
    assert text.count("BEGIN:VEVENT") == 3
    assert "Visite à domicile – A. K. (M-AGENDA)" in text
    assert "Rendez-vous au bureau" not in text
    assert "Awa" not in text and "Kone" not in text and "Inès" not in text
    assert str(household.uuid) in text  # the link to the file, which asks to sign in
    # The fetch is counted and each contact served is in the access log, under the worker.
    feed = CalendarFeed.objects.get(user=worker)
    assert feed.fetches == 1 and feed.last_fetched_at is not None
    assert AccessLog.objects.filter(user=worker, action="export").count() == 3


def test_the_key_is_stored_hashed_and_shown_once(client, diary):
    worker, _ = diary
    address = _create_address(client, worker)
    key = address.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=worker)
    assert len(key) >= 40 and key not in feed.digest
    page = client.get(reverse("support:my_calendar")).content.decode()
    assert key not in page and "Créer une nouvelle adresse" in page
    # The creation is in the history, without the key nor its digest.
    record = ChangeRecord.objects.get(object_uuid=feed.uuid)
    assert key not in str(record.changes) and feed.digest not in str(record.changes)


def test_a_new_address_replaces_the_old_and_a_revoked_one_stops(client, diary):
    worker, _ = diary
    first = _create_address(client, worker)
    second = _create_address(client, worker)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.post(reverse("support:my_calendar"), {"action": "revoke"})
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.filter(user=worker).exists()
    assert ChangeRecord.objects.filter(action="delete").exists()


def test_a_guessed_or_deactivated_address_says_nothing(client, diary):
    worker, _ = diary
    address = _create_address(client, worker)
    client.logout()
    assert client.get(reverse("support:calendar_feed", args=["devine"])).status_code == 404
    worker.is_active = False
    worker.save()
    assert client.get(address).status_code == 404
    assert client.post(address).status_code == 405
