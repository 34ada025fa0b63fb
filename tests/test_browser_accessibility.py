"""In a real browser, on the demo: the main pages fit a 320 px screen (no sideways scroll of
the page, the menu folded behind a button that opens it), a failed form guides to its errors,
the error pages speak French in the site's layout; axe-core (WCAG 2.1 A and AA) finds nothing.

One browser for the module (`browser` in tests/conftest.py); each test signs in by a session
cookie rather than through the sign-in page, which has its own tests."""

import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from seuil.core.models import User
from seuil.households.models import Household
from seuil.housing.models import HousingUnit
from seuil.orientation.models import Proposal, Referral, Request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
axe = Axe()


def sign_in(page, live_server, username):
    """The browser of `page` signed in as `username` (password and second factor given)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def assert_accessible(page):
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def main_pages(username):
    """The pages a person of the demo opens most, by role."""
    user = User.objects.get(username=username)
    if username == "responsable":
        household = Household.objects.filter(organisation=user.organisation).first()
        unit = HousingUnit.objects.filter(organisation=user.organisation).first()
        return [
            reverse("home"),
            reverse("households:list"),
            household.get_absolute_url(),
            reverse("households:history", args=[household.uuid]),
            reverse("households:create"),
            reverse("housing:list"),
            reverse("housing:detail", args=[unit.uuid]),
            reverse("orientation:vacancies"),
            reverse("reports:activity"),
            reverse("account"),
        ]
    if username == "coordinatrice-siao":
        programme = Referral.objects.order_by("pk").first().programme
        return [
            reverse("home"),
            reverse("orientation:index"),
            reverse("orientation:requests"),
            reverse("orientation:request_detail", args=[Request.objects.first().uuid]),
            reverse("orientation:meetings"),
            reverse("orientation:waiting_list", args=[programme.uuid]),
            reverse("orientation:proposals"),
            reverse("orientation:dashboard"),
            reverse("matching:runs"),
        ]
    return [
        reverse("orientation:proposals"),
        reverse("orientation:proposal_detail", args=[Proposal.objects.first().uuid]),
    ]


@pytest.mark.parametrize("username", ["responsable", "coordinatrice-siao", "bailleur-opac"])
def test_the_main_pages_fit_a_320px_screen(page, live_server, demo_loaded, username):
    sign_in(page, live_server, username)
    page.set_viewport_size(PHONE)
    too_wide = {}
    for url in main_pages(username):
        response = page.goto(url)
        assert response.status == 200, url
        if page_width(page) > PHONE["width"]:
            too_wide[url] = page_width(page)
        assert_accessible(page)
    assert too_wide == {}
    page.locator("summary", has_text="Menu").click()  # the menu opened, too
    assert page_width(page) <= PHONE["width"]
    assert_accessible(page)


def test_the_menu_folds_behind_a_button_on_a_phone_and_opens_without_javascript(
    browser, live_server, demo_loaded
):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False, viewport=PHONE
    )
    try:
        page = context.new_page()
        sign_in(page, live_server, "responsable")
        page.goto(reverse("home"))
        menu_button = page.locator("summary", has_text="Menu")
        households = page.get_by_role("link", name="Ménages", exact=True)
        assert menu_button.is_visible() and not households.is_visible()
        menu_button.click()
        assert households.is_visible()
        assert page_width(page) <= PHONE["width"]
        households.click()
        page.wait_for_url("**/menages/")
        # On a wide screen the menu is unfolded, its button hidden.
        page.set_viewport_size(DESKTOP)
        assert not menu_button.is_visible() and households.is_visible()
    finally:
        context.close()


def test_a_failed_submit_says_so_in_the_title_and_focuses_a_summary_linking_to_the_fields(
    page, live_server, demo_loaded
):
    sign_in(page, live_server, "responsable")
    page.set_viewport_size(PHONE)
    page.goto(reverse("households:create"))
    page.get_by_label("Date de naissance").fill("2031-03-15")
    page.get_by_role("button", name="Créer le ménage").click()
    page.wait_for_load_state()

    assert page.title() == "Erreur : Créer un ménage – Seuil"
    summary = page.locator(".error-summary")
    # The summary is the first thing of the page's content, and it has the focus.
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert page.evaluate("document.querySelector('main').firstElementChild.className") == (
        "error-summary"
    )
    assert summary.get_by_role("heading").inner_text() == "Le formulaire contient 5 erreurs"
    links = summary.get_by_role("link")
    assert links.count() == 5
    invalid = page.locator("[aria-invalid='true']")
    assert invalid.count() == 5
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")
        assert page.locator(target).get_attribute("aria-invalid") == "true"
    # A text input, a date and a select in error all wear the same red border.
    borders = page.evaluate(
        "['id_last_name', 'id_birth_date', 'id_sex'].map("
        "id => getComputedStyle(document.getElementById(id)).borderTopColor)"
    )
    assert borders == ["rgb(164, 22, 26)"] * 3
    summary.get_by_role("link", name="Date de naissance : Date de naissance postérieure").click()
    assert page.evaluate("document.activeElement.id") == "id_birth_date"
    assert page_width(page) <= PHONE["width"]
    assert_accessible(page)


def test_a_failed_sign_in_is_not_a_form_left_unsaved(page, live_server, db):
    page.goto(reverse("login"))
    page.get_by_label("Nom d’utilisateur").fill("personne")
    page.get_by_label("Mot de passe").fill("mauvais")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert page.title() == "Erreur : Connexion – Seuil"
    assert page.locator(".error-summary h2").inner_text() == "Connexion refusée"
    assert "enregistré" not in page.locator(".error-summary").inner_text()
    assert_accessible(page)


def serve_as(page, path, status, template):
    """Answer `path` with `template` rendered as Django renders it without a request."""
    body = render_to_string(template)
    page.route(f"**{path}", lambda route: route.fulfill(status=status, body=body))


def test_the_error_pages_speak_french_in_the_layout_with_a_way_back(page, live_server, demo_loaded):
    serve_as(page, "/erreur-400/", 400, "400.html")
    serve_as(page, "/erreur-500/", 500, "500.html")
    sign_in(page, live_server, "bailleur-opac")
    pages = {
        "/erreur-400/": (400, "Demande incorrecte"),
        reverse("households:create"): (403, "Accès refusé"),
        reverse("orientation:proposal_detail", args=[uuid.uuid4()]): (404, "Page introuvable"),
        "/cette-page-n-existe-pas/": (404, "Page introuvable"),
        "/erreur-500/": (500, "Erreur du serveur"),
    }
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        for url, (status, title) in pages.items():
            response = page.goto(url)
            assert response.status == status, url
            assert page.title() == f"{title} – Seuil"
            assert page.get_attribute("html", "lang") == "fr"
            assert page.get_by_role("heading", level=1).inner_text() == title
            back = page.get_by_role("link", name="Revenir à l'accueil")
            assert back.is_visible()
            assert page_width(page) <= width["width"]
            assert_accessible(page)
    back.click()
    page.wait_for_url(f"{live_server.url}/")

    # A form posted without its CSRF cookie (expired session, blocked cookies).
    page.goto(reverse("home"))
    page.context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    assert page.title() == "Formulaire expiré – Seuil"
    assert page.get_by_role("link", name="Revenir à l'accueil").is_visible()
    assert_accessible(page)
