"""Standard personas and the browser fixture shared by every test module."""

import os
import shutil

import pytest
from django.db import connections
from django.test.client import ClientMixin

from tests.core import two_factor
from tests.core.factories import OrganisationFactory, UserFactory

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def force_login_gives_the_second_factor(monkeypatch):
    """`client.force_login(user)` opens a session that has given its second factor too.

    Tests of the second-factor step itself log in with `two_factor.password_only_login`.
    """
    monkeypatch.setattr(ClientMixin, "force_login", two_factor.verified_force_login)


@pytest.fixture
def org_a(db):
    return OrganisationFactory(ref="asso-a", name="Association A")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(ref="asso-b", name="Association B")


@pytest.fixture
def member_a(org_a):
    """A service manager of organisation A."""
    return UserFactory(username="responsable-a", organisation=org_a)


@pytest.fixture
def member_b(org_b):
    """A service manager of organisation B."""
    return UserFactory(username="responsable-b", organisation=org_b)


@pytest.fixture
def client_a(client, member_a):
    client.force_login(member_a)
    return client


@pytest.fixture
def page(live_server):
    """A Playwright page on Debian's chromium; skips (saying so) where it is not installed."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed: browser test skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the
    # test itself are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(base_url=live_server.url, locale="fr-FR")
        yield context.new_page()
        # The test's own queries ran while Playwright's loop was alive: close them here.
        connections.close_all()
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
