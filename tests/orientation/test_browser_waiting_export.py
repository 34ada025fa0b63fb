"""In a real browser: a coordinator downloads waiting lists too large to make while the page
waits. The link opens the page of the file being prepared, which updates itself once
`seuil db_worker` has made it, then gives the file; the page passes axe at 320 px."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.notifications.conftest import run_worker
from tests.orientation.test_waiting_export import listed
from tests.test_browser_accessibility import PHONE, assert_accessible, page_width, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_large_export_is_prepared_then_downloaded(
    page, live_server, settings, siao, programme, coordinator
):
    settings.SEUIL_EXPORT_INLINE_MAX_ROWS = 1
    listed(siao, programme, coordinator)
    sign_in(page, live_server, coordinator.username)
    page.set_viewport_size(PHONE)
    page.goto(reverse("orientation:waiting_lists"))
    page.get_by_role("link", name="CSV").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Listes d'attente du jour")
    expect(page.get_by_role("status")).to_contain_text("En attente")
    assert page_width(page) <= PHONE["width"]
    assert_accessible(page)

    # While the worker writes, the page's next look (every 2 s) is held in the browser: an
    # SQLite database in memory shared with the test server refuses a write at once while
    # another connection reads it ("database schema is locked").
    held, released = [], []

    def hold(route):
        route.continue_() if released else held.append(route)

    page.route("**/telechargements/**", hold)
    page.wait_for_timeout(2500)  # a look asked before is answered; the next one is held
    assert held
    run_worker()  # what `seuil db_worker` does, its heartbeat beating in this thread
    released.append(True)
    for route in held:
        route.continue_()
    link = page.get_by_role("link", name="Télécharger « listes-d-attente-")
    expect(link).to_be_visible(timeout=10_000)  # the page asks every 2 s, then reloads
    expect(page.get_by_role("status")).to_contain_text("Le fichier est prêt (2 lignes)")
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("Dispositif;SIAO;Position") and "MARTIN Léa" in text
