"""No form of the site names an object by its primary key: every page is opened with A's
data by the roles that see forms, and no option, radio button or check box may carry a
number as its value (a primary key tells how many rows the instance holds, and lets one
try the neighbours)."""

import re
from html.parser import HTMLParser

import pytest

from seuil.core.enums import Role
from tests.core.factories import UserFactory
from tests.test_every_url_is_scoped import data_of_a, urls_for  # noqa: F401 (a fixture)

NUMBER = re.compile(r"\s*[0-9]+\s*")


class ChoiceValues(HTMLParser):
    """(field name, value) of every option, radio button and check box of a page."""

    def __init__(self):
        super().__init__()
        self.select = None
        self.values = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and "value" in attrs:
            self.values.append((self.select, attrs["value"]))
        elif tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            self.values.append((attrs.get("name"), attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def choice_values(html):
    parser = ChoiceValues()
    parser.feed(html)
    return parser.values


# Between them, they open every form of the site (the other roles see fewer).
ROLES = [Role.SERVICE_MANAGER, Role.SIAO_COORDINATOR]


def test_the_scanner_sees_a_numeric_option():
    html = '<select name="programme"><option value="">Choisir…</option><option value="12">'
    assert [value for _, value in choice_values(html) if NUMBER.fullmatch(value)] == ["12"]


@pytest.mark.parametrize("role", ROLES)
def test_no_option_names_an_object_by_its_primary_key(client, data_of_a, role):  # noqa: F811
    client.force_login(UserFactory(organisation=data_of_a["household"].organisation, role=role))
    seen, numeric = 0, []
    for name, url in urls_for(data_of_a):
        if url.startswith("/api/"):
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        values = choice_values(response.content.decode())
        seen += len(values)
        numeric += [(name, field, value) for field, value in values if NUMBER.fullmatch(value)]
    assert seen, "no choice at all: the pages were not reached"
    assert numeric == []
