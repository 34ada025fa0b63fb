"""API tokens expire a year after their creation; the page and `seuil token` show when; an
expired token is refused with a French 401 until its owner (or a manager) renews it, with
the same key."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError
from django.urls import reverse

from seuil.core.models import AccessLog, ApiToken
from tests.accounts.test_account_pages import api_status
from tests.accounts.test_commands import run
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

YEAR = datetime.timedelta(days=365)


def api_answer(key):
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/households/")


def test_a_new_token_is_valid_a_year_and_the_page_says_until_when(client_a, member_a, frozen_now):
    response = client_a.post(reverse("api_tokens"), {"name": "tableau de bord"})
    token = ApiToken.objects.get(user=member_a)
    assert abs(token.expires_at - (frozen_now + YEAR)) < datetime.timedelta(minutes=1)
    html = response.content.decode()
    assert "Jeton créé, valable jusqu'au 15/06/2026 à 12:" in html
    assert "Actif jusqu'au 15/06/2026 à 12:" in html


def test_an_expired_token_is_refused_in_french_then_renewed_with_the_same_key(
    client_a, member_a, frozen_now
):
    token, key = ApiToken.issue(member_a, name="export")
    with time_machine.travel(frozen_now + YEAR + datetime.timedelta(days=1), tick=False):
        response = api_answer(key)
        assert response.status_code == 401
        assert response.json()["detail"] == (
            "Jeton expiré le 15/06/2026 à 12:00 : son titulaire peut le renouveler "
            "(Mon compte › Mes jetons d'API, ou « seuil token renew »)."
        )
        page = client_a.get(reverse("api_tokens")).content.decode()
        assert "<strong>Expiré</strong> le 15/06/2026 à 12:00" in page
        account = client_a.get(reverse("account")).content.decode().replace("&#x27;", "'")
        assert "Vous avez 0 jeton d'API actif" in account

        url = reverse("api_token_renew", args=[token.uuid])
        confirm = client_a.get(url).content.decode()
        assert "Renouveler le jeton « export »" in confirm
        assert api_answer(key).status_code == 401  # a GET changes nothing
        response = client_a.post(url)
        assert response.status_code == 302 and response.url == reverse("api_tokens")
        message = client_a.get(response.url).content.decode().replace("&#x27;", "'")
        assert "est renouvelé : il ouvre l'API jusqu'au 16/06/2027 à 12:00" in message
        assert api_answer(key).status_code == 200
    [logged] = AccessLog.objects.filter(object_type="apitoken", object_uuid=token.uuid)
    assert (logged.user, logged.action) == (member_a, AccessLog.Action.CHANGE)


def test_a_token_still_valid_the_day_before_its_expiry(member_a, frozen_now):
    _, key = ApiToken.issue(member_a)
    with time_machine.travel(frozen_now + YEAR - datetime.timedelta(minutes=1), tick=False):
        assert api_status(key) == 200


def test_a_revoked_token_is_not_renewed(client_a, member_a):
    token, key = ApiToken.issue(member_a, name="ancien")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.created_at)
    html = client_a.get(reverse("api_tokens")).content.decode()
    assert reverse("api_token_renew", args=[token.uuid]) not in html
    response = client_a.post(reverse("api_token_renew", args=[token.uuid]), follow=True)
    assert "Ce jeton est révoqué : il ne peut plus être renouvelé." in response.content.decode()
    assert api_status(key) == 401


def test_a_manager_of_another_organisation_cannot_renew(client, member_a, member_b):
    token, _ = ApiToken.issue(member_a, valid_for=datetime.timedelta(days=1))
    expiry = token.expires_at
    client.force_login(member_b)
    url = reverse("api_token_renew", args=[token.uuid])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.expires_at == expiry


def test_the_command_shows_the_expiry_and_renews(member_a, frozen_now):
    out, err = run("token", "create", member_a.username, "--name", "export", "--days", "30")
    key = out.strip()
    assert "valable jusqu'au 15/07/2025 12:" in err
    listing, _ = run("token", "list", member_a.username)
    assert "actif, expire le 15/07/2025 12:" in listing

    with time_machine.travel(frozen_now + datetime.timedelta(days=31), tick=False):
        assert api_status(key) == 401
        assert "expiré le 15/07/2025 12:" in run("token", "list", member_a.username)[0]
        out, _ = run("token", "renew", key[6:14])
        assert f"Jeton {key[6:14]} de « {member_a.username} » renouvelé" in out
        assert "jusqu'au 16/07/2026" in out
        assert api_status(key) == 200


def test_the_command_refuses_a_validity_beyond_a_year(member_a):
    with pytest.raises(CommandError, match="Durée de validité de 400 jours : elle va de 1 à 365"):
        run("token", "create", member_a.username, "--days", "400")
    assert not ApiToken.objects.exists()
    token, _ = ApiToken.issue(member_a)
    with pytest.raises(CommandError, match="de 1 à 365 jours"):
        run("token", "renew", token.prefix, "--days", "0")


def test_the_api_clients_of_the_tests_have_a_valid_token(member_a):
    assert token_client(member_a).get("/api/v1/households/").status_code == 200
