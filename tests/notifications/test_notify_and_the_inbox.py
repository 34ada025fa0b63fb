"""`notify` tells the right people once, and each user sees, counts and marks read only
their own notifications."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from seuil.core.enums import Role
from seuil.notifications.models import Notification
from seuil.notifications.services import notify
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory
from tests.notifications.conftest import KIND

INBOX = reverse("notifications:inbox")
DAY = datetime.timedelta(days=1)


def test_an_organisation_and_roles_reach_their_active_users_but_not_the_one_who_acted(
    org_a, org_b, manager, worker
):
    other_manager = UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER)
    UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER, is_active=False)
    UserFactory(organisation=org_a, role=Role.TENANCY_OFFICER)
    UserFactory(organisation=org_b, role=Role.SERVICE_MANAGER)
    household = HouseholdFactory(organisation=org_a)
    made = notify(
        KIND,
        household,
        message="Le dossier M-1 a changé.",
        organisation=org_a,
        roles=[Role.SERVICE_MANAGER, Role.SOCIAL_WORKER],
        actor=manager,
    )
    assert {n.recipient for n in made} == {other_manager, worker}
    row = Notification.objects.get(recipient=worker)
    assert row.object_type == "household" and row.object_uuid == household.uuid
    assert row.url == household.get_absolute_url() and row.read_at is None
    assert row.actor == manager


def test_once_tells_nobody_twice_about_the_same_object(org_a, worker):
    household = HouseholdFactory(organisation=org_a)
    notify(KIND, household, message="Rappel.", recipients=[worker], once=True)
    assert notify(KIND, household, message="Rappel.", recipients=[worker], once=True) == []
    assert Notification.objects.filter(recipient=worker).count() == 1


def test_an_unknown_kind_is_a_bug():
    with pytest.raises(LookupError):
        notify("no_such_kind", message="?", recipients=[])


def test_the_header_counts_the_unread_ones_and_the_inbox_lists_only_mine(
    client, org_a, manager, worker
):
    notify(KIND, message="Pour Camille, un.", recipients=[worker])
    notify(KIND, message="Pour Camille, deux.", recipients=[worker])
    notify(KIND, message="Pour Nadia seulement.", recipients=[manager])
    client.force_login(worker)
    page = client.get(INBOX).content.decode()
    assert "Pour Camille, un." in page and "Pour Camille, deux." in page
    assert "Pour Nadia seulement." not in page
    assert '<span class="badge">2<span class="visually-hidden"> non lues</span>' in page
    assert "2 notifications non lues." in page
    home = client.get(reverse("home")).content.decode()
    assert 'Notifications <span class="badge">2' in home


def test_marking_one_read_then_all(client, worker):
    first = notify(KIND, message="Un.", recipients=[worker])[0]
    notify(KIND, message="Deux.", recipients=[worker])
    notify(KIND, message="Trois.", recipients=[worker])
    client.force_login(worker)
    response = client.post(INBOX, {"read": str(first.uuid)})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(recipient=worker, read_at__isnull=True).count() == 2
    unread_page = client.get(INBOX, {"non_lues": "1"}).content.decode()
    assert "Un." not in unread_page and "Deux." in unread_page
    response = client.post(INBOX, {"read": "all"}, follow=True)
    assert "2 notifications marquées comme lues." in response.content.decode()
    assert not Notification.objects.filter(recipient=worker, read_at__isnull=True).exists()
    assert "Aucune notification non lue." in response.content.decode()


def test_nobody_marks_or_reads_another_users_notification(client, manager, worker):
    theirs = notify(KIND, message="Pour Nadia.", recipients=[manager])[0]
    client.force_login(worker)
    assert client.post(INBOX, {"read": str(theirs.uuid)}).status_code == 404
    assert client.post(INBOX, {"read": "pas-un-uuid"}).status_code == 404
    client.post(INBOX, {"read": "all"})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notifications_are_kept_180_days(worker, frozen_now, capsys):
    old, recent = (
        notify(KIND, message=text, recipients=[worker])[0] for text in ("Vieille.", "Récente.")
    )
    Notification.objects.filter(pk=old.pk).update(created_at=frozen_now - 181 * DAY)
    Notification.objects.filter(pk=recent.pk).update(created_at=frozen_now - 179 * DAY)
    call_command("daily", "--dry-run")
    assert "1 notification de plus de 180 jours serait supprimée (simulation)." in (
        capsys.readouterr().out
    )
    assert Notification.objects.count() == 2
    call_command("daily")
    assert list(Notification.objects.all()) == [recent]
