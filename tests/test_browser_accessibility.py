"""In a real browser, on the demo: the main pages fit a 320 px screen (no sideways scroll of
the page, the menu folded behind a button that opens it), a failed form guides to its errors,
the error pages speak French in the site's layout; axe-core (WCAG 2.1 A and AA) finds nothing.

One browser for the module (`browser` in tests/conftest.py); each test signs in by a session
cookie rather than through the sign-in page, which has its own tests."""

import json
import re
import uuid

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import Http404
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from seuil.core.enums import Role
from seuil.core.models import User
from seuil.core.views_policy import policy_of
from seuil.households.models import Household
from seuil.housing.models import HousingUnit
from seuil.orientation.models import Proposal, Referral, Request
from tests.core.factories import UserFactory
from tests.test_every_url_is_scoped import data_of_a  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
axe = Axe()
# Roles that open no page of an operator's objects: none today (each has at least its home).
ROLES_WITHOUT_PAGES_OF_A = set()


def sign_in(page, live_server, username):
    """The browser of `page` signed in as `username` (password and second factor given)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def violations_of(page, options):
    """axe-core's violations on the page, as `axe.run` lists them under "violations": only
    these come back from the browser, not what passed, was inapplicable or incomplete (with
    `resultTypes`, one node of each such rule): what the protocol carries and Playwright
    checks and decodes for every page of the sweep was mostly that."""
    return page.evaluate(f"axe.run(document, {json.dumps(options)}).then(r => r.violations)")


def assert_accessible(page):
    # axe-core (half a megabyte of script) is put into a document only once, however many
    # times its state is checked.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)
    results = AxeResults({"violations": violations_of(page, AXE_OPTIONS)})
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
    with page.expect_navigation():
        page.get_by_role("button", name="Créer le ménage").click()

    assert page.title() == "Erreur : Créer un ménage – Seuil"
    summary = page.locator(".error-summary")
    # The summary is the first thing of the page's content, and it has the focus (given by
    # `autofocus`, which the browser applies when it next renders: waited for).
    expect(summary).to_be_focused()
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
    expect(page.locator("#id_birth_date")).to_be_focused()
    assert page_width(page) <= PHONE["width"]
    assert_accessible(page)


def test_a_failed_sign_in_is_not_a_form_left_unsaved(page, live_server, db):
    page.goto(reverse("login"))
    page.get_by_label("Nom d’utilisateur").fill("personne")
    page.get_by_label("Mot de passe").fill("mauvais")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
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
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()
    assert page.title() == "Formulaire expiré – Seuil"
    assert page.get_by_role("link", name="Revenir à l'accueil").is_visible()
    assert_accessible(page)


# ---- every page of the permission map, in every role, at two widths ----------------------

WIDTHS = (DESKTOP, PHONE)
# What a browser downloads rather than shows (PDF, spreadsheets, calendars, QR code image).
NOT_A_PAGE = ("application/", "text/calendar", "image/", "text/csv")


def pages_of(user, data):
    """The HTML pages of the permission map `user` opens (200), with the objects of `data`,
    as (url, markup) pairs: every URL name but the API, sign-out and the public pages
    (walked anonymously).

    Asked of Django's test client rather than learned from the browser's own navigation,
    though a page is then rendered twice: most URLs are refused to a role (403, 404, 405)
    or are files, and each the browser went to would cost it a page load with axe-core
    injected, far more than rendering the page again (measured on two roles: 2.7 times
    the browser's CPU time, and no less of the server's).

    A URL whose view's guard refuses the role (`refused_up_front`) is not asked: it is no
    page of the role's whatever the view would do. Documents are "printed" as their HTML
    (`pdfs_as_their_html`, asked by the test): a PDF is left out by its content type alone,
    and laying it out was a third of this walk's time."""
    from tests.test_permission_battery import PUBLIC, URL_MAP, callbacks, url_names

    client = Client()
    client.force_login(user)
    declared = {name: policy_of(view) for name, view in callbacks().items()}
    urls = []
    for name in sorted(set(url_names()) - PUBLIC):
        if declared.get(name) is None:
            continue
        params = URL_MAP[name]
        url = reverse(name, kwargs={p: data[kind].uuid for p, kind in params.items()})
        if url.startswith("/api/") or refused_up_front(declared[name], user):
            continue
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and not content_type.startswith(NOT_A_PAGE):
            urls.append((url, response.content.decode()))
    return urls


def refused_up_front(declared, user):
    """Whether the policy a view declares (`policy`, its outermost decorator) refuses a GET
    by `user` before the view runs: 403, or 404 when hidden, whatever the URL's object.
    The same check as the view's guard, without a request through the middleware and the
    error page."""
    request = RequestFactory().get("/")
    request.user = user
    try:
        declared.check(request)
    except (PermissionDenied, Http404):
        return True
    return False


# The sweep first asks axe-core whether a page has any violation, without what only names
# them: the CSS selector of every node checked and a look into frames (Seuil's pages have
# none). A fifth of axe's time. A page with a violation is checked again with them.
SWEEP_OPTIONS = {**AXE_OPTIONS, "iframes": False, "selectors": False}


def axe_and_reflow(page, url):
    """(axe-core's violations at each width, the page's width at 320 px when wider)."""
    found = {}
    for width in WIDTHS:
        page.set_viewport_size(width)
        violations = violations_of(page, SWEEP_OPTIONS)
        if violations:
            violations = violations_of(page, AXE_OPTIONS)
        for violation in violations:
            targets = [" ".join(node["target"]) for node in violation["nodes"]][:3]
            found[f"{violation['id']} @{width['width']}"] = targets
    too_wide = page_width(page)  # at 320 px, the last width
    return found, (too_wide if too_wide > PHONE["width"] else None)


def walk(browser, live_server, user, urls):
    """Open each url once in one context signed in as `user`; axe at both widths, reflow."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.add_init_script(axe.axe_script)  # axe-core in every page, injected once
    try:
        page = context.new_page()
        sign_in(page, live_server, user.username)
        violations, too_wide, not_shown = {}, {}, {}
        for url in urls:
            response = page.goto(url)
            if response.status != 200:
                not_shown[url] = response.status
                continue
            found, width = axe_and_reflow(page, url)
            if found:
                violations[url] = found
            if width is not None:
                too_wide[url] = width
        return violations, too_wide, not_shown
    finally:
        connections.close_all()
        context.close()


# What differs between two renderings of the same content: the form's CSRF token (masked
# anew each time) and the scripts' nonce.
PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')
MAIN = re.compile(r"<main\b.*?</main>", re.S)
ID = re.compile(r'\sid="([^"]*)"')


def content_of(markup):
    """The page's own content (`<main>`; the whole markup of a page without one), without
    what changes at each request."""
    main = MAIN.search(markup)
    return PER_REQUEST.sub("", main.group(0) if main else markup)


def duplicate_ids(markup):
    ids = ID.findall(markup)
    return sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.runs_first
@pytest.mark.usefixtures("pdfs_as_their_html")
def test_every_page_of_each_role_passes_axe_at_1280_and_320px_and_fits_320px(
    browser,
    live_server,
    org_a,
    data_of_a,  # noqa: F811 (the imported fixture)
):
    """Every page of every role, each content once.

    Roles share many pages (measured: the ten roles' 616 pages show 290 contents). A page
    is one role's frame (header, menu, footer: the same on each of the role's pages but for
    its title and the menu's current entry) around a content (`<main>`). The browser opens a
    page only when its content is new: a page whose content another role's page showed is
    that content, checked, in this role's frame, checked on this role's other pages (each
    role opens one page at least). What could still tie the frame to the content is an
    `id` given twice (an ARIA reference would then find another element): every page,
    opened or not, is asserted to have none."""
    shown = set()
    violations, too_wide, not_shown, twice = {}, {}, {}, {}
    for role in Role:
        user = UserFactory(organisation=org_a, role=role, username=f"role-{role}")
        pages = pages_of(user, data_of_a)
        assert pages or role in ROLES_WITHOUT_PAGES_OF_A
        urls = []
        for url, markup in pages:
            if given_twice := duplicate_ids(markup):
                twice[(role, url)] = given_twice
            content = content_of(markup)
            if content not in shown:
                shown.add(content)
                urls.append(url)
        urls = urls or [url for url, _ in pages[:1]]
        found = walk(browser, live_server, user, urls)
        for result, pages_found in zip((violations, too_wide, not_shown), found, strict=True):
            result.update({(role, url): value for url, value in pages_found.items()})
    assert twice == {}
    assert not_shown == {}
    assert violations == {}
    assert too_wide == {}


def test_the_public_pages_pass_axe_and_fit_320px(browser, live_server, data_of_a):  # noqa: F811
    """The sign-in page, the accessibility statement, the household's one-time answer page
    and what Seuil keeps of that answer, for someone not signed in."""
    from tests.test_permission_battery import PUBLIC, URL_MAP

    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.add_init_script(axe.axe_script)
    try:
        page = context.new_page()
        violations, too_wide = {}, {}
        # The single sign-on pages answer 404 on an instance without it (their own tests
        # configure a provider).
        for name in sorted(n for n in PUBLIC - {"logout"} if not n.startswith("oidc_")):
            params = URL_MAP[name]
            url = reverse(name, kwargs={p: data_of_a[kind].uuid for p, kind in params.items()})
            assert page.goto(url).status == 200, url
            found, width = axe_and_reflow(page, url)
            if found:
                violations[url] = found
            if width is not None:
                too_wide[url] = width
    finally:
        connections.close_all()
        context.close()
    assert violations == {}
    assert too_wide == {}


def test_the_walk_sees_a_violation_and_a_page_too_wide(page):
    """The checks above can fail: an image without text and a block wider than the phone."""
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body><main>'
        '<h1>Essai</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<div style="width: 600px">Large</div></main></body></html>'
    )
    page.evaluate(axe.axe_script)
    found, width = axe_and_reflow(page, "essai")
    assert set(found) == {"image-alt @1280", "image-alt @320"}
    assert width == 600 + 8  # the block and the body's left margin


# ---- the main forms by keyboard ----------------------------------------------------------

# The form of each (URL name, its object in the map), as a service manager opens it.
MAIN_FORMS = [
    ("households:create", {}),
    ("households:add_member", {"uuid": "household"}),
    ("households:add_resources", {"uuid": "household"}),
    ("housing:create", {}),
    ("housing:enter", {"uuid": "unit"}),
    ("housing:exit", {"stay": "stay"}),
    ("orientation:request_create", {}),
    ("support:contact_add", {"uuid": "household"}),
    ("tenancy:payment_create", {"uuid": "sub_lease"}),
]
FIELDS_OF_THE_FORM = """
() => {
  const form = document.querySelector('main form[method="post"]');
  const stops = [];
  const radios = new Set();
  for (const el of form.querySelectorAll('input, select, textarea, button')) {
    if (el.type === 'hidden' || el.disabled || el.getClientRects().length === 0) continue;
    if (el.type === 'radio') {
      if (radios.has(el.name)) continue;  // Tab stops once in a group of radios
      radios.add(el.name);
      stops.push('radio:' + el.name);
    } else {
      stops.push(el.id || el.name || el.textContent.trim());
    }
  }
  return stops;
}
"""
FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  if (el.type === 'radio') return 'radio:' + el.name;
  return el.id || el.name || el.textContent.trim();
}
"""


@pytest.mark.parametrize(("name", "params"), MAIN_FORMS, ids=[n for n, _ in MAIN_FORMS])
def test_the_tab_key_reaches_every_field_then_a_failed_submit_focuses_the_errors(
    page,
    live_server,
    org_a,
    data_of_a,  # noqa: F811 (the imported fixture)
    name,
    params,
):
    user = UserFactory(organisation=org_a, role=Role.SERVICE_MANAGER, username="responsable-kb")
    sign_in(page, live_server, user.username)
    url = reverse(name, kwargs={p: data_of_a[kind].uuid for p, kind in params.items()})
    assert page.goto(url).status == 200
    expected = page.evaluate(FIELDS_OF_THE_FORM)
    reached = []
    for _ in range(len(expected) + 80):  # the header's links, then the form
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused in expected and focused not in reached:
            reached.append(focused)
        if len(reached) == len(expected):
            break
    # Every field and the submit button, in the order of the form.
    assert reached == expected

    # Empty the fields a person types in, then submit with the keyboard.
    page.evaluate(
        'document.querySelectorAll(\'main form[method="post"] input:not([type=hidden])'
        ":not([type=radio]):not([type=checkbox]):not([type=submit]), main form textarea')"
        ".forEach(el => { el.value = ''; el.removeAttribute('required'); })"
    )
    assert page.evaluate(FOCUSED) == expected[-1]  # the submit button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Erreur : ")
    expect(page.locator(".error-summary")).to_be_focused()
