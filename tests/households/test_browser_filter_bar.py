"""In a real browser, on the demo: the households list's filter bar holds on one row at a
desktop width, and on a 320 px screen it wraps, field under field, without sideways scroll."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from seuil.core.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}
# Each part of the bar (a field, the buttons): its box in the page.
PARTS = """() => [...document.querySelector("form.filters").children].map(part => {
    const box = part.getBoundingClientRect();
    return {top: box.top, bottom: box.bottom, left: box.left, right: box.right};
})"""


def sign_in(page, live_server, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def rows(parts):
    """The parts grouped by the row they sit on (a part whose box overlaps the row's)."""
    found = []
    for part in sorted(parts, key=lambda p: p["top"]):
        if found and part["top"] < found[-1][0]["bottom"]:
            found[-1].append(part)
        else:
            found.append([part])
    return found


def test_the_households_filter_bar_holds_on_one_row_and_wraps_on_a_phone(
    page, live_server, demo_loaded
):
    sign_in(page, live_server, "travailleur-social")
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("households:list"))
    parts = page.evaluate(PARTS)
    assert len(parts) >= 3  # the search, at least one filter, the buttons
    assert len(rows(parts)) == 1, parts

    page.set_viewport_size(PHONE)
    page.goto(reverse("households:list"))
    parts = page.evaluate(PARTS)
    assert len(rows(parts)) > 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert all(0 <= p["left"] and p["right"] <= PHONE["width"] for p in parts), parts
    assert page.evaluate(
        "(() => { const bar = document.querySelector('form.filters');"
        " return bar.scrollWidth <= bar.clientWidth; })()"
    )
