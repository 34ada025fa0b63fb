"""The e-mails of the notifications: after the commit, from the worker, in French, with no
personal data beyond a first name and an initial; immediate or in the daily digest, as each
user chose per kind; tried again when the SMTP server fails."""

import datetime
import smtplib

from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seuil.notifications.enums import Delivery
from seuil.notifications.models import MAX_ATTEMPTS, Notification
from seuil.notifications.services import notify, set_preferences
from tests.notifications.conftest import KIND, run_worker


def queued():
    return DBTaskResult.objects.filter(task_path__startswith="seuil.notifications.")


def test_the_email_leaves_after_the_commit_from_the_worker(
    manager, worker, settings, django_capture_on_commit_callbacks
):
    settings.SEUIL_BASE_URL = "https://seuil.asso-a.example"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(
            KIND,
            message="Le dossier M-1 de Zoé Secret a changé.",
            recipients=[worker],
            actor=manager,
            url="/menages/x/",
        )
        assert not queued().exists()  # nothing before the commit
    assert len(callbacks) == 1 and queued().count() == 1
    assert mail.outbox == []  # … and nothing sent by the web request itself
    run_worker()
    [message] = mail.outbox
    assert message.to == ["camille@asso-a.example"]
    assert message.subject == "Seuil : Événement de test"
    body = message.body
    assert body.startswith("Bonjour Camille,")
    assert "Quelque chose vous concerne dans Seuil." in body
    assert "De la part de Nadia B., le " in body
    link = "https://seuil.asso-a.example/menages/x/"
    assert f"Connectez-vous à Seuil pour en savoir plus :\n{link}" in body
    assert "https://seuil.asso-a.example/notifications/courriels/" in body
    for private in ("Benkhelifa", "Dewailly", "Zoé", "Secret", "M-1"):
        assert private not in body and private not in message.subject
    assert Notification.objects.get(recipient=worker).emailed_at is not None
    run_worker()
    assert len(mail.outbox) == 1  # sent once


def test_a_rolled_back_change_sends_nothing(worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(KIND, message="Annulé.", recipients=[worker])
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not queued().exists()


def test_no_email_for_who_chose_none_or_has_no_address(
    org_a, manager, worker, django_capture_on_commit_callbacks
):
    set_preferences(worker, {KIND: Delivery.NONE})
    manager.email = ""
    manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(KIND, message="Rien par courriel.", recipients=[worker, manager])
    assert not queued().exists()
    assert Notification.objects.count() == 2  # both still see it in Seuil


def test_a_failing_smtp_server_is_tried_again_later_then_given_up(
    worker, monkeypatch, django_capture_on_commit_callbacks, frozen_now
):
    from django.core.mail.backends.locmem import EmailBackend

    send_messages = EmailBackend.send_messages

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connexion perdue")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notify(KIND, message="Un.", recipients=[worker])
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    notification = Notification.objects.get()
    assert notification.email_attempts == 1
    assert notification.email_error == "SMTPServerDisconnected"
    retry = queued().filter(status="READY").get()
    assert retry.run_after >= frozen_now + datetime.timedelta(minutes=1)
    # The retries run when their time comes, up to MAX_ATTEMPTS; then Seuil gives up.
    for _ in range(MAX_ATTEMPTS):
        queued().filter(status="READY").update(run_after=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()
    notification.refresh_from_db()
    assert notification.email_attempts == MAX_ATTEMPTS and notification.emailed_at is None
    assert not queued().filter(status="READY").exists()
    # The server is back: a later notification leaves at once.
    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    with django_capture_on_commit_callbacks(execute=True):
        notify(KIND, message="Deux.", recipients=[worker])
    run_worker()
    assert len(mail.outbox) == 1


def test_the_daily_digest_gathers_what_waits_for_it_and_is_sent_once(
    manager, worker, django_capture_on_commit_callbacks, capsys
):
    set_preferences(worker, {KIND: Delivery.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        notify(KIND, message="Un.", recipients=[worker], actor=manager, url="/a/")
        notify(KIND, message="Deux.", recipients=[worker], url="/b/")
    assert not queued().exists()  # it waits for the digest
    for _ in range(2):  # `seuil daily` run twice before the worker
        with django_capture_on_commit_callbacks(execute=True):
            call_command("daily")
    assert "1 résumé quotidien de notifications mis en file d'envoi" in capsys.readouterr().out
    run_worker()
    [digest] = mail.outbox
    assert digest.to == ["camille@asso-a.example"]
    assert digest.subject == "Seuil : votre résumé quotidien (2 notifications)"
    assert digest.body.startswith("Bonjour Camille,")
    assert digest.body.count("- Événement de test") == 2
    assert "(de la part de Nadia B.)" in digest.body
    assert "http://127.0.0.1:8000/a/" in digest.body and "http://127.0.0.1:8000/b/" in digest.body
    assert "Benkhelifa" not in digest.body and "Dewailly" not in digest.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_preferences_page_offers_each_kind_and_keeps_the_choice(client, worker):
    client.force_login(worker)
    url = reverse("notifications:preferences")
    response = client.get(url)
    page = response.content.decode()
    assert "Mes courriels de notification" in page
    assert "camille@asso-a.example" in page
    assert "Événement de test" in page and "Dans le résumé quotidien" in page
    assert "Nouvelle demande à évaluer" not in page  # only a SIAO receives requests
    current = {name: field.initial for name, field in response.context["form"].fields.items()}
    assert current[KIND] == Delivery.IMMEDIATE  # the kind's default
    response = client.post(url, current | {KIND: "digest", "commission_decision": "none"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert f'name="{KIND}" value="digest" required id="id_{KIND}_1" checked' in page
    assert worker.notification_preferences.get(kind=KIND).delivery == Delivery.DIGEST
    assert worker.notification_preferences.get(kind="commission_decision").delivery == "none"
