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
