"""« Mon compte »: identity and second factor, password change, personal API tokens listed,
created and revoked; managers see and revoke the tokens of their own organisation only."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from seuil.accounts import twofactor
from seuil.core.models import AccessLog, ApiToken
from tests.core.factories import UserFactory
from tests.core.two_factor import totp_device

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une phrase de passe bien longue"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def api_status(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/households/").status_code


# Mon compte ---------------------------------------------------------------------------


def test_the_header_links_to_my_account(client_a):
    html = client_a.get("/").content.decode()
    assert f'href="{reverse("account")}"' in html
    assert ">Mon compte</a>" in html


def test_my_account_shows_who_i_am_and_my_second_factor(client_a, member_a):
    twofactor.regenerate_recovery_codes(member_a)
    html = client_a.get(reverse("account")).content.decode()
    assert "<h1>Mon compte</h1>" in html
    assert "Camille Dupré" in html
    assert "Responsable de service" in html
    assert "Association A" in html
    assert "Activée depuis le" in html
    assert "Il vous reste 10 codes de secours" in html
    for name in ("password_change", "recovery_codes", "two_factor_setup", "api_tokens"):
        assert f'href="{reverse(name)}"' in html


def test_my_account_without_second_factor_offers_to_set_it_up(client, member_a, settings):
    settings.SEUIL_TWO_FACTOR = False
    client.force_login(member_a)
    member_a.totpdevice_set.all().delete()
    html = client.get(reverse("account")).content.decode()
    assert "Non activée." in html
    assert "Activer la double authentification" in html


# Password ----------------------------------------------------------------------------


def test_password_change_page_is_in_french_with_labelled_fields(client_a):
    html = client_a.get(reverse("password_change")).content.decode()
    assert "<h1>Changer mon mot de passe</h1>" in html
    for field in ("old_password", "new_password1", "new_password2"):
        assert f'<label for="id_{field}">' in html
    assert "Au moins 12 caractères" in html
    assert 'autocomplete="new-password"' in html


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court-42", "trop court"),
        ("password1234", "trop courant"),
        ("281946573018", "entièrement numérique"),
        ("responsable-a1", "trop semblable"),
    ],
)
def test_a_weak_new_password_is_refused(client_a, member_a, password, message):
    response = client_a.post(
        reverse("password_change"),
        {
            "old_password": "motdepasse-solide-42",
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    member_a.refresh_from_db()
    assert member_a.check_password("motdepasse-solide-42")


def test_the_old_password_is_checked(client_a, member_a):
    response = client_a.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Votre ancien mot de passe est incorrect" in response.content.decode()


def test_a_strong_password_is_changed_and_the_session_stays_verified(client_a, member_a):
    response = client_a.post(
        reverse("password_change"),
        {
            "old_password": "motdepasse-solide-42",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert "Mot de passe changé" in client_a.get(response.url).content.decode()
    member_a.refresh_from_db()
    assert member_a.check_password(NEW_PASSWORD)
    assert client_a.get("/").status_code == 200


# API tokens ----------------------------------------------------------------------------


def test_my_tokens_are_listed_with_their_state(client_a, member_a):
    active, _ = ApiToken.issue(member_a, name="tableau de bord")
    revoked, _ = ApiToken.issue(member_a, name="ancien export")
    ApiToken.objects.filter(pk=revoked.pk).update(revoked_at=revoked.created_at)
    html = client_a.get(reverse("api_tokens")).content.decode()
    assert "<h1>Mes jetons d'API</h1>" in html
    assert "tableau de bord" in html and f"seuil_{active.prefix}…" in html
    assert "ancien export" in html and "Révoqué le" in html
    assert "jamais" in html  # never used
    assert reverse("api_token_revoke", args=[active.uuid]) in html
    assert reverse("api_token_revoke", args=[revoked.uuid]) not in html


def test_a_new_token_is_shown_once_and_works(client_a, member_a):
    response = client_a.post(reverse("api_tokens"), {"name": "export SI-SIAO"})
    html = response.content.decode()
    assert response.status_code == 200
    key = re.search(r'<code id="nouvelle-cle">(seuil_[\w-]+)</code>', html).group(1)
    assert "elle ne sera plus jamais affichée" in html
    token = ApiToken.objects.get(user=member_a)
    assert token.name == "export SI-SIAO"
    assert token.digest == ApiToken.digest_of(key)
    assert api_status(key) == 200
    assert key not in client_a.get(reverse("api_tokens")).content.decode()


def test_a_token_needs_a_name(client_a):
    response = client_a.post(reverse("api_tokens"), {"name": ""})
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_asks_for_confirmation_then_revokes_on_post(client_a, member_a):
    token, key = ApiToken.issue(member_a, name="tableau de bord")
    url = reverse("api_token_revoke", args=[token.uuid])
    page = client_a.get(url)
    assert page.status_code == 200
    assert "Révoquer le jeton « tableau de bord »" in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # a GET changes nothing
    response = client_a.post(url)
    assert response.status_code == 302
    assert response.url == reverse("api_tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_status(key) in (401, 403)
    assert "est révoqué" in client_a.get(response.url).content.decode()
    # The revocation is in the access log: who, from which organisation, which token.
    [logged] = AccessLog.objects.filter(object_type="apitoken", object_uuid=token.uuid)
    assert (logged.user, logged.action) == (member_a, AccessLog.Action.CHANGE)
    # Twice is harmless (and logged once).
    assert client_a.post(url).status_code == 302
    assert AccessLog.objects.filter(object_uuid=token.uuid).count() == 1


def test_a_manager_sees_and_revokes_the_tokens_of_their_organisation(client_a, org_a):
    colleague = UserFactory(organisation=org_a, username="camille", social_worker=True)
    token, key = ApiToken.issue(colleague, name="script de camille")
    html = client_a.get(reverse("api_tokens")).content.decode()
    assert "Jetons des autres comptes d&#x27;Association A" in html
    assert "script de camille" in html and "(camille)" in html
    assert client_a.post(reverse("api_token_revoke", args=[token.uuid])).status_code == 302
    assert api_status(key) in (401, 403)


def test_a_social_worker_sees_only_their_own_tokens(client, org_a, member_a):
    worker = UserFactory(organisation=org_a, social_worker=True)
    managers_token, key = ApiToken.issue(member_a, name="jeton du responsable")
    client.force_login(worker)
    html = client.get(reverse("api_tokens")).content.decode()
    assert "jeton du responsable" not in html
    assert "Jetons des autres comptes" not in html
    url = reverse("api_token_revoke", args=[managers_token.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert api_status(key) == 200


def test_a_manager_of_another_organisation_gets_404(client, member_a, member_b):
    token, key = ApiToken.issue(member_a, name="jeton de A")
    client.force_login(member_b)
    assert "jeton de A" not in client.get(reverse("api_tokens")).content.decode()
    url = reverse("api_token_revoke", args=[token.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert api_status(key) == 200


def test_account_pages_need_login(client, db):
    for name in ("account", "api_tokens", "password_change", "recovery_codes"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_recovery_codes_page_without_application_leads_to_setup(client, member_a, settings):
    settings.SEUIL_TWO_FACTOR = False
    client.force_login(member_a)
    member_a.totpdevice_set.all().delete()
    assert client.get(reverse("recovery_codes")).url == reverse("two_factor_setup")


def test_recovery_codes_page_of_an_unverified_demo_session_asks_for_a_code(
    client, member_a, settings
):
    from tests.core.two_factor import password_only_login

    settings.SEUIL_TWO_FACTOR = False
    totp_device(member_a)
    password_only_login(client, member_a)
    response = client.post(reverse("recovery_codes"))
    assert response.url.startswith(reverse("two_factor_verify"))
