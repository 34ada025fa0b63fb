"""The state's steering dashboard: counts per operator of its département, small cells hidden."""

import datetime
import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from seuil.housing.models import HousingUnit
from seuil.reports.steering import SMALL_CELL, steering_table, suppress_small_cells
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory, MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

DAY = datetime.date(2026, 6, 30)


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=12))
def test_no_count_from_1_to_4_is_ever_shown_nor_deducible_from_the_total(values):
    shown = suppress_small_cells(values)
    assert len(shown) == len(values)
    hidden = [i for i, value in enumerate(shown) if value is None]
    for value, cell in zip(values, shown, strict=True):
        assert cell is None or cell == value
        if 0 < value < SMALL_CELL:
            assert cell is None
        if value == 0:
            assert cell == 0  # a zero tells nothing about a person
    # The total is shown: a single hidden non-zero cell would be total minus the others.
    assert len(hidden) != 1 or all(v == 0 for i, v in enumerate(values) if i != hidden[0])
    # Only the one secondary cell is hidden beyond the small ones.
    assert sum(1 for i in hidden if values[i] >= SMALL_CELL) <= 1


def test_secondary_suppression_hides_the_smallest_other_cell():
    assert suppress_small_cells([3, 12, 7, 0]) == [None, 12, None, 0]
    assert suppress_small_cells([3, 2, 12]) == [None, None, 12]
    assert suppress_small_cells([9, 12]) == [9, 12]


def _present_households(organisation, count, *, persons=1, entered_on=DAY):
    for _ in range(count):
        household = HouseholdFactory(organisation=organisation)
        for _ in range(persons):
            MembershipFactory(household=household, joined_on=datetime.date(2020, 1, 1))
        unit = HousingUnitFactory(organisation=organisation)
        StayFactory(household=household, unit=unit, entered_on=entered_on)


@pytest.fixture
def department_80(db):
    big = OrganisationFactory(name="Grande association", department="80")
    small = OrganisationFactory(name="Petite association", department="80")
    elsewhere = OrganisationFactory(name="Association de l'Oise", department="60")
    _present_households(big, 7, persons=2, entered_on=datetime.date(2026, 1, 10))
    _present_households(small, 2, entered_on=datetime.date(2024, 3, 1))
    _present_households(elsewhere, 6)
    HousingUnitFactory(organisation=big)  # one vacant unit
    ddets = OrganisationFactory(name="DDETS de la Somme", kind="state", department="80")
    return {"big": big, "small": small, "ddets": ddets}


def test_a_state_user_sees_the_operators_of_its_departement_with_small_cells_hidden(
    department_80,
):
    user = UserFactory(organisation=department_80["ddets"], state=True)
    table = steering_table(user, DAY)
    rows = dict(table.rows)
    assert set(rows) == {"Grande association", "Petite association"}
    keys = [key for key, _ in table.columns]
    big = dict(zip(keys, rows["Grande association"], strict=True))
    small = dict(zip(keys, rows["Petite association"], strict=True))
    assert big["households_present"] is None  # hidden so that the total keeps small's secret
    assert small["households_present"] is None
    assert big["persons_present"] is None and small["persons_present"] is None
    assert big["exits"] == 0 and small["exits"] == 0  # a zero is shown
    assert big["entries"] == 7 and small["entries"] == 0
    totals = dict(zip(keys, table.totals, strict=True))
    assert totals["households_present"] == 9
    assert totals["persons_present"] == 16
    assert totals["units_in_stock"] == 10
    assert totals["units_vacant"] is None  # 1 vacant unit in all: hidden


def test_a_national_state_user_sees_every_operator(department_80):
    dihal = OrganisationFactory(name="DIHAL", kind="state", department="")
    table = steering_table(UserFactory(organisation=dihal, state=True), DAY)
    assert {name for name, _ in table.rows} >= {
        "Grande association",
        "Petite association",
        "Association de l'Oise",
    }


def test_the_dashboard_page_shows_no_name_and_is_refused_to_other_roles(client, department_80):
    state = UserFactory(organisation=department_80["ddets"], state=True)
    client.force_login(state)
    response = client.get(reverse("reports:steering"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Grande association" in html and "&lt; 5" in html
    # No person's name and no unit reference, as a word of its own (a random CSRF
    # token may hold the letters of a reference).
    shown = set(re.findall(r"\w+", html))
    units = set(HousingUnit.objects.values_list("ref", flat=True))
    assert units and not units & shown
    assert not {"Aïcha", "Diaye"} & shown
    assert client.get(reverse("households:list")).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert "Voir le détail par opérateur" in home
    for role in ("social_worker", "landlord", "tenancy_officer"):
        client.force_login(UserFactory(organisation=department_80["big"], **{role: True}))
        assert client.get(reverse("reports:steering")).status_code == 403
