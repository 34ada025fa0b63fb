"""Two-factor authentication: every account gives a TOTP code (or a recovery code) after
its password; the API refuses a session that has not; tokens are not affected."""

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from seuil.accounts import twofactor
from seuil.accounts.twofactor_views import PENDING_SECRET_KEY
from seuil.core.models import AccessLog, ApiToken
from tests.core.test_security_headers import production_env, run_django
from tests.core.two_factor import current_code, password_only_login, totp_device

pytestmark = pytest.mark.django_db

SETUP = "/double-authentification/activer/"
VERIFY = "/double-authentification/"


@pytest.fixture
def half_logged_in(client, member_a):
    """A session that has given the password of member_a, not the second factor yet."""
    password_only_login(client, member_a)
    return client


def enrol(client, user):
    """Set an application up through the pages; return (device, recovery codes)."""
    client.get(SETUP)
    secret = client.session[PENDING_SECRET_KEY]
    response = client.post(SETUP, {"code": current_code(bytes.fromhex(secret))})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return TOTPDevice.objects.get(user=user), codes


# Every page waits for the second factor -----------------------------------------------


def test_the_setting_is_on_by_default(settings):
    assert settings.SEUIL_TWO_FACTOR is True


def test_an_unverified_session_without_an_application_is_sent_to_set_one_up(half_logged_in):
    for url in ("/", "/menages/", reverse("account"), reverse("api_tokens")):
        response = half_logged_in.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{SETUP}?next={url}", url
    assert half_logged_in.post("/menages/nouveau/", {}).url.startswith(SETUP)


def test_an_unverified_session_with_an_application_is_asked_for_a_code(half_logged_in, member_a):
    totp_device(member_a)
    response = half_logged_in.get("/logements/")
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=/logements/"
    page = half_logged_in.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Double authentification</h1>" in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert "Navigation principale" not in html  # no menu before the second factor
    assert "Se déconnecter" in html


def test_an_htmx_request_of_an_unverified_session_is_redirected_whole(half_logged_in):
    response = half_logged_in.get("/menages/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == SETUP


def test_logout_and_public_pages_need_no_second_factor(half_logged_in):
    assert half_logged_in.get("/accessibilite/").status_code == 200
    assert half_logged_in.get(SETUP).status_code == 200
    response = half_logged_in.post("/deconnexion/")
    assert response.status_code == 302
    assert "_auth_user_id" not in half_logged_in.session


def test_an_unverified_session_cannot_use_the_api_but_a_token_can(half_logged_in, member_a):
    assert half_logged_in.get("/api/v1/households/").status_code in (401, 403)
    _, key = ApiToken.issue(member_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/households/").status_code == 200


def test_a_verified_session_uses_pages_and_api(client_a):
    assert client_a.get("/").status_code == 200
    assert client_a.get("/api/v1/households/").status_code == 200


# Setting an application up ---------------------------------------------------------


def test_setup_shows_a_qr_code_image_and_the_key_in_letters(half_logged_in, member_a):
    response = half_logged_in.get(SETUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Activer la double authentification</h1>" in html
    assert f'<img src="{reverse("two_factor_qr")}"' in html
    secret = half_logged_in.session[PENDING_SECRET_KEY]
    assert twofactor.secret_for_display(secret) in html
    assert "no-store" in response["Cache-Control"]
    image = half_logged_in.get(reverse("two_factor_qr"))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/svg+xml"
    assert "no-store" in image["Cache-Control"]
    svg = image.content.decode()
    assert svg.startswith("<svg") and "<script" not in svg and "style=" not in svg
    # The same secret until it is confirmed.
    assert half_logged_in.get(SETUP).content.decode().count(twofactor.secret_for_display(secret))


def test_setup_with_a_wrong_code_says_so_and_enrols_nothing(half_logged_in, member_a):
    half_logged_in.get(SETUP)
    response = half_logged_in.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert "Ce code ne correspond pas" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=member_a).exists()


def test_setup_confirmed_with_a_code_shows_ten_recovery_codes_once(half_logged_in, member_a):
    device, codes = enrol(half_logged_in, member_a)
    assert device.confirmed
    assert len(codes) == 10 == len(set(codes))
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    assert half_logged_in.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_SECRET_KEY not in half_logged_in.session
    # Verified now: every page opens.
    assert half_logged_in.get("/").status_code == 200
    # The codes are never shown again.
    page = half_logged_in.get(reverse("recovery_codes")).content.decode()
    assert "Il vous reste <strong>10 codes de secours</strong>" in page
    assert not any(code in page for code in codes)


def test_setup_leads_on_to_the_page_first_asked_for(half_logged_in, member_a):
    half_logged_in.get(f"{SETUP}?next=/logements/")
    secret = half_logged_in.session[PENDING_SECRET_KEY]
    response = half_logged_in.post(
        f"{SETUP}?next=/logements/", {"code": current_code(bytes.fromhex(secret))}
    )
    assert 'href="/logements/"' in response.content.decode()


def test_an_unverified_session_cannot_replace_the_application(half_logged_in, member_a):
    device = totp_device(member_a)
    assert half_logged_in.get(SETUP).url == VERIFY
    assert half_logged_in.post(SETUP, {"code": "123456"}).url == VERIFY
    assert half_logged_in.get(reverse("two_factor_qr")).status_code == 404
    assert list(TOTPDevice.objects.filter(user=member_a)) == [device]


def test_a_verified_user_replaces_the_application_and_the_recovery_codes(client_a, member_a):
    old = totp_device(member_a)
    old_codes = twofactor.regenerate_recovery_codes(member_a)
    assert "déjà enregistrée" in client_a.get(SETUP).content.decode()
    device, codes = enrol(client_a, member_a)
    assert device.pk != old.pk
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert set(codes).isdisjoint(old_codes)
    assert client_a.get("/").status_code == 200  # verified by the new application


# Giving a code ---------------------------------------------------------------------------


def test_the_application_code_verifies_the_session_once(half_logged_in, client, member_a):
    device = totp_device(member_a)
    code = current_code(device)
    response = half_logged_in.post(f"{VERIFY}?next=/logements/", {"code": code})
    assert response.status_code == 302
    assert response.url == "/logements/"
    assert half_logged_in.get("/logements/").status_code == 200
    # The same code cannot serve twice (another session, same user).
    other = type(client)()
    password_only_login(other, member_a)
    refused = other.post(VERIFY, {"code": code})
    assert refused.status_code == 200
    assert "Ce code n&#x27;est pas le bon" in refused.content.decode()


def test_next_must_stay_on_this_site(half_logged_in, member_a):
    device = totp_device(member_a)
    response = half_logged_in.post(
        f"{VERIFY}?next=https://ailleurs.example/", {"code": current_code(device)}
    )
    assert response.url == "/"


def test_a_recovery_code_verifies_the_session_and_is_used_up(half_logged_in, client, member_a):
    totp_device(member_a)
    codes = twofactor.regenerate_recovery_codes(member_a)
    response = half_logged_in.post(VERIFY, {"recovery_code": f"  {codes[3].upper()} "})
    assert response.status_code == 302
    assert half_logged_in.get("/").status_code == 200
    assert StaticToken.objects.count() == 9
    other = type(client)()
    password_only_login(other, member_a)
    refused = other.post(VERIFY, {"recovery_code": codes[3]})
    assert "Ce code de secours n&#x27;est pas valable" in refused.content.decode()


def test_repeated_wrong_codes_are_throttled(half_logged_in, member_a, frozen_now):
    device = totp_device(member_a)
    for _ in range(3):
        response = half_logged_in.post(VERIFY, {"code": "000000"})
        assert response.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    # Even the right code is refused while the device waits.
    refused = half_logged_in.post(VERIFY, {"code": current_code(device)})
    assert refused.status_code == 200
    assert "Trop de codes erronés à la suite : patientez" in refused.content.decode()
    assert DEVICE_ID_SESSION_KEY not in half_logged_in.session
    # Once the wait is over, the right code is accepted.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=frozen_now - timedelta(hours=1)
    )
    assert half_logged_in.post(VERIFY, {"code": current_code(device)}).status_code == 302


def test_wrong_recovery_codes_are_throttled_too(half_logged_in, member_a):
    totp_device(member_a)
    codes = twofactor.regenerate_recovery_codes(member_a)
    for _ in range(3):
        half_logged_in.post(VERIFY, {"recovery_code": "zzzzzzzz"})
    refused = half_logged_in.post(VERIFY, {"recovery_code": codes[0]})
    assert "patientez" in refused.content.decode()
    assert StaticToken.objects.count() == 10


def test_verify_without_an_application_leads_to_setup(half_logged_in):
    assert half_logged_in.get(VERIFY).url == SETUP


# Recovery codes, reset -----------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(client_a, member_a):
    old_codes = twofactor.regenerate_recovery_codes(member_a)
    response = client_a.post(reverse("recovery_codes"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Conservez ces codes en lieu sûr" in html
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", html)
    assert len(new_codes) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new_codes)
    assert set(new_codes).isdisjoint(old_codes)
    assert StaticDevice.objects.filter(user=member_a).count() == 1
    assert client_a.get("/").status_code == 200


def test_reset_2fa_command_removes_the_devices(member_a):
    totp_device(member_a)
    twofactor.regenerate_recovery_codes(member_a)
    out = io.StringIO()
    call_command("user", "reset-2fa", member_a.username, stdout=out)
    assert "Double authentification de « responsable-a » réinitialisée" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=member_a).exists()
    assert not StaticDevice.objects.filter(user=member_a).exists()
    [logged] = AccessLog.objects.filter(object_type="user", object_uuid=member_a.uuid)
    assert logged.user is None and logged.action == AccessLog.Action.CHANGE


def test_after_a_reset_the_next_login_sets_an_application_up(half_logged_in, member_a):
    totp_device(member_a)
    call_command("user", "reset-2fa", member_a.username, stdout=io.StringIO())
    assert half_logged_in.get("/").url == f"{SETUP}?next=/"


def test_reset_2fa_of_an_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="Utilisateur inconnu : « personne »"):
        call_command("user", "reset-2fa", "personne")


def test_a_reset_ends_the_verified_sessions(client_a, member_a):
    assert client_a.get("/").status_code == 200
    call_command("user", "reset-2fa", member_a.username, stdout=io.StringIO())
    assert client_a.get("/").url.startswith(SETUP)


# The demo switch --------------------------------------------------------------------


def test_with_the_setting_off_the_password_is_enough_and_every_page_says_so(
    half_logged_in, settings
):
    settings.SEUIL_TWO_FACTOR = False
    response = half_logged_in.get("/")
    assert response.status_code == 200
    assert "Démonstration : double authentification désactivée" in response.content.decode()
    assert half_logged_in.get("/api/v1/households/").status_code == 200
    login_page = type(half_logged_in)().get("/connexion/").content.decode()
    assert "Démonstration : double authentification désactivée" in login_page


def test_with_the_setting_on_no_banner(client_a):
    assert "double authentification désactivée" not in client_a.get("/").content.decode()


def test_the_demo_server_runs_without_second_factor(settings, monkeypatch):
    from seuil.demo.management.commands import demo as demo_command

    settings.SEUIL_TWO_FACTOR = True
    calls = []

    def fake_call_command(name, *args, **kwargs):
        calls.append((name, settings.SEUIL_TWO_FACTOR))

    monkeypatch.setattr(demo_command, "call_command", fake_call_command)
    monkeypatch.setattr(demo_command, "load_demo", lambda: None)
    monkeypatch.setattr(demo_command, "demo_logins", lambda: [])
    monkeypatch.setattr(demo_command, "format_logins", lambda logins: "")
    monkeypatch.setenv("SEUIL_TWO_FACTOR", "1")
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert settings.SEUIL_TWO_FACTOR is True
    call_command("demo", stdout=out)
    assert calls[-1] == ("runserver", False)
    assert "Double authentification désactivée pour cette démonstration" in out.getvalue()


def test_the_demo_cannot_turn_it_off_in_production(settings):
    settings.DEBUG = False
    settings.HTTPS = True
    settings.PRODUCTION = True
    settings.SEUIL_TWO_FACTOR = True
    with pytest.raises(ImproperlyConfigured):
        twofactor.disable_for_demo()
    assert settings.SEUIL_TWO_FACTOR is True


def test_production_refuses_to_start_without_second_factor(tmp_path):
    result = run_django("pass", production_env(SEUIL_TWO_FACTOR="0"), tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SEUIL_TWO_FACTOR" in result.stderr
