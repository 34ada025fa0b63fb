"""The unit list: filters by state today, typology, sector and programme; vacancy days;
rooms shown with their shared dwelling; a fixed number of queries whatever the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seuil.housing.models import Landlord, Sector
from tests.conftest import days_ago
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.fixture
def stock(org_a):
    """Vacant, occupied, returned units and a shared flat with two rooms, in organisation A."""
    amiens = Sector.objects.create(organisation=org_a, ref="amiens", name="Grand Amiénois")
    abbeville = Sector.objects.create(organisation=org_a, ref="abbeville", name="Abbeville")
    iml = ProgrammeFactory(organisation=org_a, name="IML Réfugiés")
    mobility = ProgrammeFactory(organisation=org_a, name="Mobilité nationale", kind="mobility")
    opac = Landlord.objects.create(organisation=org_a, ref="opac", name="OPAC d'Amiens")

    def unit(ref, **fields):
        defaults = {"captured_on": days_ago(30), "sector": amiens, "programme": iml}
        return HousingUnitFactory(organisation=org_a, ref=ref, **{**defaults, **fields})

    units = {
        "left": unit("L001", typology="T2", landlord=opac),
        "never": unit("L002", typology="T2"),
        "occupied": unit("L003", typology="T3", sector=abbeville, programme=mobility),
        "returned": unit("L004", typology="T1", captured_on=days_ago(400), returned_on=days_ago(5)),
        "flat": unit("C01", typology="T4"),
    }
    units["room_a"] = unit("C01-A", typology="room", parent=units["flat"])
    units["room_b"] = unit("C01-B", typology="room", parent=units["flat"])
    StayFactory(
        household__organisation=org_a,
        unit=units["left"],
        entered_on=days_ago(25),
        exited_on=days_ago(10),
    )
    head = MembershipFactory(
        household__organisation=org_a, person__first_name="Aïcha", person__last_name="N'Diaye"
    )
    StayFactory(household=head.household, unit=units["occupied"], entered_on=days_ago(20))
    StayFactory(household__organisation=org_a, unit=units["room_a"], entered_on=days_ago(3))
    return units


def refs(response):
    return [row.unit.ref for row in response.context["rows"]]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("", ["C01", "C01-A", "C01-B", "L001", "L002", "L003", "L004"]),
        ("vacant", ["C01-B", "L001", "L002"]),
        ("occupied", ["C01-A", "L003"]),
        ("in_stock", ["C01-A", "C01-B", "L001", "L002", "L003"]),
        ("returned", ["L004"]),
    ],
)
def test_the_list_filters_units_by_their_state_today(client_a, stock, state, expected):
    response = client_a.get(reverse("housing:list"), {"state": state})
    assert response.status_code == 200
    assert refs(response) == expected


def test_the_state_filter_is_labelled_in_french(client_a, stock):
    html = client_a.get(reverse("housing:list")).content.decode()
    for label in ("Vacants", "Occupés", "Dans le parc", "Rendus"):
        assert f">{label}</option>" in html


def test_the_list_filters_units_by_typology(client_a, stock):
    response = client_a.get(reverse("housing:list"), {"typology": "room"})
    assert refs(response) == ["C01-A", "C01-B"]
    response = client_a.get(reverse("housing:list"), {"typology": "T2"})
    assert refs(response) == ["L001", "L002"]


def test_the_list_filters_units_by_sector_and_programme(client_a, stock):
    abbeville = Sector.objects.get(ref="abbeville")
    response = client_a.get(reverse("housing:list"), {"sector": str(abbeville.uuid)})
    assert refs(response) == ["L003"]
    mobility = stock["occupied"].programme
    response = client_a.get(reverse("housing:list"), {"programme": str(mobility.uuid)})
    assert refs(response) == ["L003"]


def test_filters_combine(client_a, stock):
    response = client_a.get(reverse("housing:list"), {"state": "vacant", "typology": "T2"})
    assert refs(response) == ["L001", "L002"]


def test_a_unit_is_vacant_since_the_later_of_its_capture_and_its_last_exit(client_a, stock):
    response = client_a.get(reverse("housing:list"), {"state": "vacant"})
    days = {row.unit.ref: row.vacant_days for row in response.context["rows"]}
    assert days == {"L001": 10, "L002": 30, "C01-B": 30}
    assert "depuis 10 jours" in response.content.decode()


def test_the_list_shows_the_head_of_the_present_household_with_a_link(client_a, stock):
    response = client_a.get(reverse("housing:list"), {"state": "occupied"})
    html = response.content.decode()
    household = stock["occupied"].stays.get().household
    assert "N&#x27;DIAYE Aïcha" in html
    assert reverse("households:detail", args=[household.uuid]) in html


def test_rooms_are_listed_under_their_shared_dwelling(client_a, stock):
    response = client_a.get(reverse("housing:list"))
    html = response.content.decode()
    assert refs(response).index("C01") + 1 == refs(response).index("C01-A")
    assert "chambre de" in html
    assert "en 2 chambres" in html


def test_rent_and_charges_are_shown(client_a, stock):
    html = client_a.get(reverse("housing:list")).content.decode()
    assert "420,00 € + 60,00 €" in html


def test_the_list_costs_the_same_number_of_queries_whatever_the_number_of_units(
    client_a, stock, org_a
):
    with CaptureQueriesContext(connection) as small:
        client_a.get(reverse("housing:list"))
    for n in range(10):
        unit = HousingUnitFactory(organisation=org_a, ref=f"Z{n:02d}", captured_on=days_ago(40))
        StayFactory(household__organisation=org_a, unit=unit, entered_on=days_ago(5))
        MembershipFactory(household=unit.stays.get().household)
    with CaptureQueriesContext(connection) as large:
        response = client_a.get(reverse("housing:list"))
    assert len(response.context["rows"]) == 17
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_list_does_not_show_units_of_another_organisation(client, stock, member_b):
    client.force_login(member_b)
    response = client.get(reverse("housing:list"))
    assert refs(response) == []
