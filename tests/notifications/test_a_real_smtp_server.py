"""The notification e-mails reach a real SMTP server (started by the test on 127.0.0.1): in
French, with no surname; when the server is down, they leave once it is back."""

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seuil.notifications.models import Notification
from seuil.notifications.services import notify
from tests.notifications.conftest import KIND, run_worker


def test_the_email_arrives_in_french_without_a_surname(
    smtp_server, manager, worker, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "Seuil <seuil@asso-a.example>"
    with django_capture_on_commit_callbacks(execute=True):
        notify(KIND, message="Dossier M-1.", recipients=[worker], actor=manager, url="/x/")
    run_worker()
    [message] = smtp_server
    assert message.envelope_recipients == ["camille@asso-a.example"]
    assert message["From"] == "Seuil <seuil@asso-a.example>"
    assert message["Subject"] == "Seuil : Événement de test"
    assert message["Content-Language"] == "fr"
    body = message.get_content()
    assert body.startswith("Bonjour Camille,")
    assert "De la part de Nadia B." in body
    assert "Connectez-vous à Seuil pour en savoir plus" in body
    for surname in ("Dewailly", "Benkhelifa"):
        assert surname not in body and surname not in message.as_string()
    assert Notification.objects.get().emailed_at is not None


def test_a_server_down_is_tried_again_and_the_email_arrives_once_it_is_back(
    smtp_server, worker, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        notify(KIND, message="Un.", recipients=[worker])
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    notification = Notification.objects.get()
    assert notification.emailed_at is None and notification.email_attempts == 1
    smtp_server.start()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    assert len(smtp_server) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
