"""The demo's users find a few unread notifications, and tasks to do, as they log in; the
demo sends no e-mail about the past it writes."""

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from seuil.core.models import User
from seuil.notifications.enums import Delivery
from seuil.notifications.models import Notification


def test_the_demo_users_have_a_few_unread_notifications_and_no_email_left(demo_loaded):
    unread = Notification.objects.filter(read_at__isnull=True)
    users = set(unread.values_list("recipient__username", flat=True))
    assert {"bailleur-opac", "coordinatrice-siao", "evaluateur-siao", "responsable"} <= users
    for username in users:
        assert 1 <= unread.filter(recipient__username=username).count() <= 3
    assert Notification.objects.filter(read_at__isnull=False).exists()
    assert set(Notification.objects.values_list("delivery", flat=True)) == {Delivery.NONE}
    assert not DBTaskResult.objects.filter(task_path__startswith="seuil.notifications").exists()


def test_the_landlord_of_the_demo_sees_its_proposal_in_its_inbox_and_tasks(client, demo_loaded):
    client.force_login(User.objects.get(username="bailleur-opac"))
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "Le logement L19 est proposé à un ménage" in inbox
    tasks = client.get(reverse("notifications:todo")).content.decode()
    assert "Répondre à la proposition" in tasks and "(logement L19)" in tasks
