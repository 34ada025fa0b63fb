"""Error pages speak French, in the site's layout."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_unknown_page_answers_in_french_with_the_menu(client_a):
    response = client_a.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page introuvable</h1>" in page
    assert 'lang="fr"' in page and "Navigation principale" in page


def test_a_refused_page_says_why_in_french(client, org_a):
    from tests.core.factories import UserFactory

    landlord = UserFactory(organisation=org_a, role="landlord")
    client.force_login(landlord)
    response = client.get(reverse("households:create"))
    assert response.status_code == 403
    assert "<h1>Accès refusé</h1>" in response.content.decode()


def test_a_form_posted_without_its_token_says_what_to_do(member_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_a)
    response = client.post(reverse("households:create"), {})
    assert response.status_code == 403
    assert "<h1>Formulaire expiré</h1>" in response.content.decode()


def test_the_server_error_page_needs_no_request():
    page = render_to_string("500.html")
    assert "<h1>Erreur du serveur</h1>" in page and 'lang="fr"' in page


def test_a_bad_request_answers_in_french_with_a_way_back(client):
    # A host Seuil does not serve is refused as a bad request (400), rendered without one.
    response = client.get("/", HTTP_HOST="ailleurs.invalid")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Demande incorrecte</h1>" in page and 'lang="fr"' in page
    assert "<title>Demande incorrecte – Seuil</title>" in page


@pytest.mark.parametrize("name", ["400.html", "403.html", "403_csrf.html", "404.html", "500.html"])
def test_every_error_page_is_french_in_the_layout_with_a_way_back(rf, name):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    page = render_to_string(name, request=request if name.startswith(("403", "404")) else None)
    assert 'lang="fr"' in page
    assert 'class="site-header"' in page and 'href="/static/seuil/seuil.css"' in page
    assert "Revenir à l&#x27;accueil" in page or "Revenir à l'accueil" in page
