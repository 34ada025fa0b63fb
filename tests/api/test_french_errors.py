"""Every error answer of the API speaks French, even to a client that asks for English."""

import json

import pytest
from rest_framework.test import APIClient

from seuil.core.api_errors import NOT_FOUND, UserRateThrottle
from seuil.core.concurrency import STALE_EDIT_MESSAGE
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def household_url(household):
    return f"/api/v1/households/{household.uuid}/"


def detail(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["detail"]


def test_400_names_the_fields_in_french(api_a):
    response = api_a.post(
        "/api/v1/households/",
        {"ref": "x" * 101, "prior_situation": "castle"},
        format="json",
        headers=ENGLISH,
    )
    assert response.status_code == 400
    assert response.json() == {
        "ref": ["Assurez-vous que ce champ comporte au plus 100\u00a0caractères."],
        "prior_situation": ["«\u00a0castle\u00a0» n'est pas un choix valide."],
    }


def test_400_a_required_field_and_a_wrong_date(api_a, stay_a):
    response = api_a.post(
        f"/api/v1/stays/{stay_a.uuid}/exit/", {"exited_on": "15/06/2025"}, headers=ENGLISH
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["exit_destination"] == ["Ce champ est obligatoire."]
    assert errors["exited_on"][0].startswith("La date n'a pas le bon format.")


def test_400_a_body_that_is_no_json(api_a):
    response = api_a.post(
        "/api/v1/households/", "{bad", content_type="application/json", headers=ENGLISH
    )
    assert detail(response, 400) == (
        "Corps de la requête illisible : JSON invalide (ligne 1, colonne 2)."
    )


def test_400_a_body_that_is_no_utf8(api_a):
    response = api_a.post(
        "/api/v1/households/", b'{"ref": "\xe9"}', content_type="application/json"
    )
    assert detail(response, 400) == (
        "Corps de la requête illisible : le texte n'est pas encodé en UTF-8."
    )


def test_401_without_credentials(anonymous):
    response = anonymous.get("/api/v1/households/", headers=ENGLISH)
    assert detail(response, 401) == "Informations d'authentification non fournies."


def test_401_with_an_unknown_token(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token seuil_inconnu")
    response = client.get("/api/v1/households/", headers=ENGLISH)
    assert detail(response, 401) == "Jeton invalide ou révoqué."


def test_403_a_role_that_may_not_write(api_as, household_a):
    response = api_as("tenancy_officer").patch(
        household_url(household_a), {"prior_situation": "other"}, format="json", headers=ENGLISH
    )
    assert detail(response, 403) == "Votre rôle ne vous permet pas de faire cette modification."


def test_403_a_session_write_without_its_csrf_token(member_a, household_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member_a)
    response = client.patch(
        household_url(household_a), {"prior_situation": "other"}, format="json", headers=ENGLISH
    )
    assert detail(response, 403).startswith("Requête refusée : le jeton CSRF de la session")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/households/00000000-0000-0000-0000-000000000000/",
        "/api/v1/households/pas-un-uuid/",
        "/api/v1/stays/00000000-0000-0000-0000-000000000000/exit/",
    ],
)
def test_404_an_object_out_of_reach(api_a, path):
    method = api_a.post if path.endswith("exit/") else api_a.get
    assert detail(method(path, headers=ENGLISH), 404) == NOT_FOUND


def test_404_another_organisations_object_answers_the_same(api_b, household_a):
    assert detail(api_b.get(household_url(household_a), headers=ENGLISH), 404) == NOT_FOUND


@pytest.mark.parametrize("client_name", ["api_a", "anonymous"])
def test_404_a_path_no_endpoint_serves_answers_json(request, client_name):
    client = request.getfixturevalue(client_name)
    response = client.get("/api/v1/nulle-part/", headers=ENGLISH)
    assert detail(response, 404) == "Adresse inconnue de l'API : /api/v1/nulle-part/."


def test_404_outside_the_api_stays_the_site_page(client_a):
    response = client_a.get("/nulle-part/")
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in response.content.decode()


def test_405_a_method_the_endpoint_does_not_take(api_a, household_a):
    response = api_a.delete(household_url(household_a), headers=ENGLISH)
    assert detail(response, 405) == "Méthode «\u00a0DELETE\u00a0» non autorisée."


def test_409_an_outdated_version(api_a, household_a):
    url = household_url(household_a)
    api_a.patch(url, {"prior_situation": "other", "version": 1}, format="json")
    response = api_a.patch(url, {"prior_situation": "unknown", "version": 1}, format="json")
    assert detail(response, 409) == STALE_EDIT_MESSAGE


def test_415_a_body_of_another_type(api_a):
    response = api_a.post(
        "/api/v1/households/", "ref=M-1", content_type="text/plain", headers=ENGLISH
    )
    assert detail(response, 415) == "Type de média «\u00a0text/plain\u00a0» non supporté."


def test_429_beyond_the_rate_of_the_account(api_a, member_b, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    assert api_a.get("/api/v1/households/").status_code == 200
    assert api_a.get("/api/v1/households/").status_code == 200
    response = api_a.get("/api/v1/households/", headers=ENGLISH)
    assert detail(response, 429).startswith("Trop de requêtes pour votre compte. Réessayez dans ")
    assert detail(response, 429).endswith(" secondes.")
    assert int(response["Retry-After"]) > 1
    # Counted per account: another account is not slowed down.
    assert token_client(member_b).get("/api/v1/households/").status_code == 200


def test_500_under_the_api_answers_json():
    from django.test import RequestFactory

    from seuil.core.error_views import server_error

    response = server_error(RequestFactory().get("/api/v1/households/"))
    assert response.status_code == 500
    detail = json.loads(response.content)["detail"]
    assert detail.startswith("Erreur du serveur : la requête n'a pas abouti")
    page = server_error(RequestFactory().get("/menages/"))
    assert "<h1>Erreur du serveur</h1>" in page.content.decode()


def test_400_before_any_view_answers_json(api_a):
    response = api_a.get("/api/v1/households/", headers={"Host": "ailleurs.example"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Requête refusée : adresse du serveur ou taille de la requête non admise."
    }
