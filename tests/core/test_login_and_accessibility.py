"""The public pages: login and the accessibility statement."""

from django.urls import reverse

from tests.core.factories import UserFactory


def test_login_page_is_in_french_with_labelled_fields(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Connexion à Seuil</h1>" in html
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert "Se connecter" in html
    assert 'class="skip-link" href="#contenu"' in html


def test_login_with_a_wrong_password_says_so_in_french(client, db):
    UserFactory(username="aicha")
    response = client.post(reverse("login"), {"username": "aicha", "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in (
        response.content.decode()
    )


def test_login_leads_to_the_page_asked_for(client, db):
    UserFactory(username="aicha")
    target = reverse("households:list")
    response = client.post(
        f"{reverse('login')}?next={target}",
        {"username": "aicha", "password": "motdepasse-solide-42"},
    )
    assert response.status_code == 302
    assert response.url == target


def test_accessibility_statement_has_the_usual_sections(client, db):
    html = client.get(reverse("accessibility")).content.decode()
    assert "partiellement conforme" in html
    assert "RGAA" in html
    for heading in (
        "État de conformité",
        "Contenus non accessibles",
        "Établissement de cette déclaration d'accessibilité",
        "Retour d'information et contact",
        "Voies de recours",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert "Défenseur des droits" in html
