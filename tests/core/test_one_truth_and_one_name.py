"""One truth for each figure and one name for each thing, on the demo as a user sees it:
a unit's vacancy says the same date and days on the home page, the unit list and the
vacancies page; the pages name programmes and organisations, never by their codes; a
period always says its years."""

import datetime
import re

import pytest
from django.urls import reverse

from seuil.core.models import Organisation, User
from seuil.core.wording import long_date, period
from seuil.housing.models import HousingUnit, Programme
from seuil.housing.vacant_units import vacant_units_on
from seuil.orientation.models import Vacancy
from tests.conftest import TODAY


@pytest.fixture
def loaded(demo_loaded):
    """The demo of TODAY, the clock on TODAY."""


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def text_of(response):
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_vacancy_says_the_same_date_and_days_on_every_page(client, loaded):
    login(client, "responsable")
    units = HousingUnit.objects.filter(organisation__ref="apremis")
    vacant = {v.unit.pk: v for v in vacant_units_on(units, TODAY)}
    declared = Vacancy.objects.filter(closed_on__isnull=True, unit_id__in=vacant)
    assert declared.exists()
    # The demo declares some vacancies later than the units became vacant: the very case
    # where two rules used to give two answers.
    assert any(v.opened_on != vacant[v.unit_id].vacant_since for v in declared)
    home = text_of(client.get(reverse("home")))
    vacancies = text_of(client.get(reverse("orientation:vacancies")))
    for record in declared:
        truth = vacant[record.unit_id]
        since = truth.vacant_since.strftime("%d/%m/%Y")
        assert f"Vacant depuis le {since} ({truth.days} jour" in home or since in home
        row = re.search(
            rf"{re.escape(record.unit.ref)} – .*?Aucune|{re.escape(record.unit.ref)} – .*?réponse",
            vacancies,
        )
        assert row, record.unit.ref
        assert f"{since} " in row.group() and f" {truth.days} " in row.group()
        detail = text_of(client.get(reverse("orientation:vacancy_detail", args=[record.uuid])))
        assert f"Vacant depuis le {since}" in detail
        assert f"{truth.days} jour" in detail


PAGES = [
    ("responsable", "home", ()),
    ("responsable", "housing:list", ()),
    ("responsable", "households:list", ()),
    ("responsable", "orientation:vacancies", ()),
    ("responsable", "reports:activity", ()),
    ("coordinatrice-siao", "orientation:waiting_lists", ()),
    ("coordinatrice-siao", "orientation:requests", ()),
    ("coordinatrice-siao", "orientation:meetings", ()),
    ("coordinatrice-siao", "orientation:proposals", ()),
]


def codes():
    """The codes of the demo's programmes and organisations, as whole words."""
    refs = set(Programme.objects.values_list("ref", flat=True))
    refs |= set(Organisation.objects.values_list("ref", flat=True))
    return {ref for ref in refs if ref}


@pytest.mark.parametrize(("username", "name", "args"), PAGES)
def test_no_programme_or_organisation_code_shows_on_the_main_pages(
    client, loaded, username, name, args
):
    login(client, username)
    text = text_of(client.get(reverse(name, args=args)))
    shown = {
        code for code in codes() if re.search(rf"(?<![\w/-]){re.escape(code)}(?![\w/-])", text)
    }
    assert shown == set()


def test_the_report_names_its_organisation_and_programmes_and_says_the_years(client, loaded):
    login(client, "responsable")
    programme = Programme.objects.filter(organisation__ref="apremis").order_by("ref").first()
    start, end = datetime.date(TODAY.year - 2, 11, 1), datetime.date(TODAY.year - 1, 10, 31)
    response = client.get(
        reverse("reports:activity"),
        {
            "preset": "personnalisee",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "programmes": programme.ref,
        },
    )
    text = text_of(response)
    organisation = Organisation.objects.get(ref="apremis")
    assert f"{organisation.name} ·" in text
    assert f"dispositif : {programme.name}".lower() in text.lower()
    assert "1er novembre" in text and period(start, end) in text
    assert "Sommaire" in text
    html = response.content.decode()
    for anchor in ("rapport-chiffres-cles", "rapport-sorties", "rapport-manquantes"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html


def test_a_period_always_says_both_years():
    assert period(datetime.date(2025, 11, 1), datetime.date(2026, 10, 31)) == (
        "1er novembre 2025 – 31 octobre 2026"
    )
    assert long_date(datetime.date(2026, 2, 14)) == "14 février 2026"
