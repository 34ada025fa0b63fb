"""Single sign-on with OpenID Connect (ProConnect), optional per instance: the provider's
answer opens the one active account with the same e-mail address, without Seuil's own
second factor; local passwords keep asking for it.

The provider is faked at the library's hooks (`get_token`, `verify_token`, `get_userinfo`
of mozilla-django-oidc's backend): no network."""

import html
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from seuil.accounts import sso
from seuil.core.enums import Role
from seuil.core.models import User
from tests.core.factories import UserFactory
from tests.core.two_factor import password_only_login

pytestmark = pytest.mark.django_db

ISSUER = "https://identite.example/api/v2"
INIT = "/connexion/sso/"
CALLBACK = "/connexion/sso/retour/"
SETUP = "/double-authentification/activer/"


@pytest.fixture
def proconnect(settings):
    """The instance configured for ProConnect (as the settings read it from SEUIL_OIDC_*)."""
    settings.SEUIL_SSO = True
    settings.SEUIL_SSO_NAME = "ProConnect"
    settings.OIDC_RP_CLIENT_ID = "seuil-test"
    settings.OIDC_RP_CLIENT_SECRET = "secret-de-test"  # noqa: S105 (a test value)
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{ISSUER}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{ISSUER}/jwks"


@pytest.fixture
def camille(org_a):
    return UserFactory(
        username="camille",
        email="camille.dewailly@asso-a.example",
        organisation=org_a,
        role=Role.SOCIAL_WORKER,
    )


def _text(response):
    return html.unescape(response.content.decode())


def sign_in_through_the_provider(client, claims, *, next_url=None):
    """Go to the provider and back, the provider answering `claims` from its userinfo."""
    started = client.get(INIT + (f"?next={next_url}" if next_url else ""))
    assert started.status_code == 302
    target = urlsplit(started.url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ISSUER}/authorize"
    query = parse_qs(target.query)
    assert query["scope"] == ["openid email given_name usual_name"]
    assert query["client_id"] == ["seuil-test"]
    assert query["redirect_uri"] == [f"http://testserver{CALLBACK}"]
    state, nonce = query["state"][0], query["nonce"][0]
    with (
        mock.patch.object(
            sso.Backend, "get_token", return_value={"id_token": "id", "access_token": "acces"}
        ) as get_token,
        mock.patch.object(sso.Backend, "verify_token", return_value={"nonce": nonce}),
        mock.patch.object(sso.Backend, "get_userinfo", return_value=claims),
    ):
        response = client.get(CALLBACK, {"code": "code-du-fournisseur", "state": state})
    get_token.assert_called_once()
    assert get_token.call_args.args[0]["code"] == "code-du-fournisseur"
    return response


def test_without_configuration_there_is_no_button_and_no_route(client, settings):
    settings.SEUIL_SSO = False
    assert "Se connecter avec" not in _text(client.get(reverse("login")))
    assert client.get(INIT).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404


def test_the_login_page_offers_the_provider_when_configured(proconnect, client):
    page = _text(client.get(reverse("login") + "?next=/menages/"))
    assert "Se connecter avec ProConnect" in page
    assert f'href="{INIT}?next=/menages/"' in page


def test_the_provider_opens_the_account_of_that_address_without_a_local_second_factor(
    proconnect, client, camille
):
    assert not TOTPDevice.objects.filter(user=camille).exists()
    response = sign_in_through_the_provider(
        client,
        {"email": "Camille.Dewailly@ASSO-A.example", "given_name": "Camille"},
        next_url="/menages/",
    )
    assert response.status_code == 302 and response.url == "/menages/"
    # The provider checked the second factor: no step of Seuil's own, on any page.
    assert client.get("/").status_code == 200
    assert client.get("/menages/").status_code == 200
    assert int(client.session["_auth_user_id"]) == camille.pk
    camille.refresh_from_db()
    assert camille.last_login is not None


def test_an_unknown_address_is_refused_in_french_and_no_account_is_created(
    proconnect, client, camille
):
    response = sign_in_through_the_provider(client, {"email": "inconnu@ailleurs.example"})
    assert response.url == reverse("login")
    page = _text(client.get(response.url))
    assert "Aucun compte actif de Seuil n'a l'adresse inconnu@ailleurs.example" in page
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == 1


def test_a_deactivated_account_is_not_opened(proconnect, client, camille):
    camille.is_active = False
    camille.save()
    response = sign_in_through_the_provider(client, {"email": camille.email})
    assert response.url == reverse("login")
    assert "Aucun compte actif de Seuil" in _text(client.get(response.url))
    assert "_auth_user_id" not in client.session


def test_two_accounts_with_the_address_open_neither(proconnect, client, camille, org_b):
    UserFactory(username="camille-b", email="CAMILLE.dewailly@asso-a.example", organisation=org_b)
    response = sign_in_through_the_provider(client, {"email": camille.email})
    assert "Plusieurs comptes de Seuil ont l'adresse" in _text(client.get(response.url))
    assert "_auth_user_id" not in client.session


def test_a_provider_that_says_no_sends_back_to_the_login_page(proconnect, client):
    started = client.get(INIT)
    state = parse_qs(urlsplit(started.url).query)["state"][0]
    response = client.get(CALLBACK, {"error": "access_denied", "state": state})
    assert response.url == reverse("login")
    assert "La connexion avec ProConnect n'a pas abouti" in _text(client.get(response.url))


def test_a_local_password_still_asks_for_the_second_factor(proconnect, client, camille):
    password_only_login(client, camille)
    assert client.get("/").url == f"{SETUP}?next=/"


def test_a_session_from_the_provider_ends_when_the_account_is_deactivated(
    proconnect, client, camille
):
    sign_in_through_the_provider(client, {"email": camille.email})
    assert client.get("/").status_code == 200
    camille.is_active = False
    camille.save()
    assert client.get("/").url.startswith(reverse("login"))


def test_a_session_from_the_provider_ends_when_the_instance_turns_it_off(
    proconnect, client, camille, settings
):
    sign_in_through_the_provider(client, {"email": camille.email})
    settings.SEUIL_SSO = False
    assert client.get("/").url.startswith(reverse("login"))


def test_the_settings_read_the_issuer_and_refuse_a_half_configuration(tmp_path):
    from tests.core.test_security_headers import production_env, run_django

    configured = run_django(
        "from django.conf import settings as s; "
        "print(s.SEUIL_SSO, s.OIDC_OP_AUTHORIZATION_ENDPOINT, s.OIDC_OP_JWKS_ENDPOINT, "
        "s.OIDC_OP_LOGOUT_ENDPOINT, s.OIDC_RP_SCOPES, s.OIDC_CREATE_USER)",
        production_env(
            SEUIL_OIDC_CLIENT_ID="seuil",
            SEUIL_OIDC_CLIENT_SECRET="secret",
            SEUIL_OIDC_ISSUER=ISSUER + "/",
        ),
        tmp_path,
    )
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout.split() == [
        "True",
        f"{ISSUER}/authorize",
        f"{ISSUER}/jwks",
        f"{ISSUER}/session/end",
        "openid",
        "email",
        "given_name",
        "usual_name",
        "False",
    ]
    half = run_django("pass", production_env(SEUIL_OIDC_CLIENT_ID="seuil"), tmp_path)
    assert half.returncode != 0
    assert "Connexion unique (OpenID Connect) incomplète" in half.stderr
    assert "SEUIL_OIDC_CLIENT_SECRET" in half.stderr
    plain = run_django(
        "pass",
        production_env(
            SEUIL_OIDC_CLIENT_ID="seuil",
            SEUIL_OIDC_CLIENT_SECRET="secret",
            SEUIL_OIDC_ISSUER="http://identite.example",
        ),
        tmp_path,
    )
    assert plain.returncode != 0 and "doivent commencer par https://" in plain.stderr


def test_signing_out_of_a_provider_session_ends_the_providers_session_too(
    proconnect, client, camille, settings
):
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{ISSUER}/session/end"
    sign_in_through_the_provider(client, {"email": camille.email})
    assert client.get("/").status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ISSUER}/session/end"
    query = parse_qs(target.query)
    # The id token the provider gave at the sign-in (faked as "id"), and the way back.
    assert query["id_token_hint"] == ["id"]
    assert query["post_logout_redirect_uri"] == [f"http://testserver{reverse('login')}"]
    assert query["state"][0]
    # Seuil's own session is over.
    assert "_auth_user_id" not in client.session
    assert client.get("/").url.startswith(reverse("login"))


def test_signing_out_of_a_password_session_stays_in_seuil(proconnect, client, camille, settings):
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{ISSUER}/session/end"
    client.force_login(camille)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    # A sign-out is a POST (a link followed by a crawler signs no one out).
    client.force_login(camille)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
