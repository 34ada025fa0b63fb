"""Sessions end after 30 minutes of inactivity and 12 hours after login (ASVS 3.3)."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from seuil.core.middleware import LOGIN_TIME_KEY, SESSION_TOO_OLD_MESSAGE

pytestmark = pytest.mark.django_db

PASSWORD = "un mot de passe assez long"


def test_session_settings():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_AGE == 12 * 3600
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_each_request_pushes_the_inactivity_deadline(client_a, frozen_now):
    assert client_a.get("/").status_code == 200
    session = Session.objects.get()
    Session.objects.update(expire_date=frozen_now + timedelta(minutes=5))
    assert client_a.get("/").status_code == 200
    session.refresh_from_db()
    assert session.expire_date > frozen_now + timedelta(minutes=29)


def test_session_expires_after_30_minutes_of_inactivity(client_a, frozen_now):
    assert client_a.get("/").status_code == 200
    # 31 minutes later: the session's expiry date is past.
    Session.objects.update(expire_date=frozen_now - timedelta(minutes=1))
    response = client_a.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_login_records_the_login_time(client, member_a):
    member_a.set_password(PASSWORD)
    member_a.save()
    response = client.post("/connexion/", {"username": member_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert abs(client.session[LOGIN_TIME_KEY] - time.time()) < 60


def age_login(client, seconds):
    session = client.session
    session[LOGIN_TIME_KEY] = int(time.time()) - seconds
    session.save()


def test_session_still_valid_just_before_12_hours(client_a):
    assert client_a.get("/").status_code == 200
    age_login(client_a, 12 * 3600 - 60)
    assert client_a.get("/").status_code == 200


def test_session_ends_12_hours_after_login_even_when_active(client_a):
    assert client_a.get("/").status_code == 200
    age_login(client_a, 12 * 3600 + 60)
    response = client_a.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
    page = client_a.get(response["Location"])
    assert page.status_code == 200
    assert SESSION_TOO_OLD_MESSAGE in page.content.decode()
    assert "_auth_user_id" not in client_a.session
    # Still logged out on the next request.
    assert client_a.get("/").status_code == 302


def test_api_session_is_refused_after_12_hours(client_a):
    assert client_a.get("/api/v1/households/").status_code == 200
    age_login(client_a, 12 * 3600 + 60)
    assert client_a.get("/api/v1/households/").status_code in {401, 403}
