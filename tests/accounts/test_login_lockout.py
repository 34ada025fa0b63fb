"""Brute-force lock: 5 wrong passwords lock one username from one address for 15 minutes;
the same username from elsewhere, and other usernames from the same address, still log in."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from seuil.accounts.lockout import client_ip_address, normalised_username
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"
SHELTER = "192.0.2.10"
ELSEWHERE = "198.51.100.7"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Dozens of logins here: a fast hasher (the real one takes a third of a second)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


def log_in(client, username, password, address=SHELTER, **headers):
    return client.post(
        "/connexion/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, times, username="alice", address=SHELTER):
    for _ in range(times):
        response = log_in(client, username, "pas-le-bon-mot-de-passe", address)
        assert response.status_code in (200, 429)


def test_settings():
    from django.conf import settings

    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_four_failures_do_not_lock(client, alice):
    fail(client, 4)
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_five_failures_lock_that_username_from_that_address(client, alice):
    fail(client, 5)
    response = log_in(client, "alice", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Trop de tentatives de connexion échouées pour cet identifiant" in html
    assert "réessayez dans 15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_the_same_username_from_another_address_is_not_locked(client, alice):
    fail(client, 5)
    assert log_in(client, "alice", PASSWORD, address=ELSEWHERE).status_code == 302


def test_another_username_from_the_same_address_is_not_locked(client, alice):
    UserFactory(username="bertrand")
    fail(client, 5)
    assert log_in(client, "bertrand", PASSWORD).status_code == 302


def test_spaces_and_case_do_not_make_another_username(client, alice):
    fail(client, 2, username="  Alice ")
    fail(client, 2, username="ALICE")
    fail(client, 1, username="alice")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"alice"}
    assert log_in(client, "alice", PASSWORD).status_code == 429


def test_the_lock_ends_after_15_minutes(client, alice):
    fail(client, 5)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, alice):
    fail(client, 4)
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.post("/deconnexion/")
    fail(client, 4)
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, alice, settings):
    settings.SEUIL_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    for forged in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"):
        log_in(
            client,
            "alice",
            "pas-le-bon-mot-de-passe",
            address=proxy,
            HTTP_X_FORWARDED_FOR=f"{forged}, {SHELTER}",
        )
    # A forged left part does not escape the lock of the real address…
    locked = log_in(client, "alice", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=SHELTER)
    assert locked.status_code == 429
    # …and another real address behind the same proxy is not locked.
    other = log_in(client, "alice", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert other.status_code == 302


def test_without_a_proxy_x_forwarded_for_is_ignored(settings):
    settings.SEUIL_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR=SHELTER, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip_address(request) == SHELTER


def test_proxy_count_reads_the_header_from_the_right(settings):
    settings.SEUIL_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.10, 10.0.0.2"
    )
    assert client_ip_address(request) == "192.0.2.10"
    short = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.2")
    assert client_ip_address(short) == "127.0.0.1"


def test_username_normalisation():
    assert normalised_username(None, {"username": "  Élodie.MARTIN "}) == "élodie.martin"
    assert normalised_username(None, {"username": None}) == ""
    request = RequestFactory().post("/connexion/", {"username": " Bob "})
    assert normalised_username(request, None) == "bob"
