"""Housing units through the API: listing by state, creating and editing via save_unit."""

import datetime

import pytest

from seuil.housing.models import HousingUnit, Landlord, Sector
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 1)


@pytest.fixture
def stock(org_a, household_a):
    """Four units of A on 2024-06-01: vacant, occupied, returned, not yet captured."""
    sector = Sector.objects.create(organisation=org_a, ref="amiens", name="Grand Amiénois")
    vacant = HousingUnitFactory(organisation=org_a, ref="L1", typology="T2", sector=sector)
    occupied = HousingUnitFactory(organisation=org_a, ref="L2", typology="T3")
    StayFactory(household=household_a, unit=occupied, entered_on=datetime.date(2023, 1, 1))
    returned = HousingUnitFactory(
        organisation=org_a, ref="L3", returned_on=datetime.date(2024, 1, 1)
    )
    later = HousingUnitFactory(organisation=org_a, ref="L4", captured_on=datetime.date(2025, 1, 1))
    return {
        "sector": sector,
        "vacant": vacant,
        "occupied": occupied,
        "returned": returned,
        "later": later,
    }


def refs(response):
    assert response.status_code == 200, response.data
    return [unit["ref"] for unit in response.data["results"]]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("vacant", ["L1"]),
        ("occupied", ["L2"]),
        ("in_stock", ["L1", "L2"]),
        ("returned", ["L3"]),
    ],
)
def test_units_are_filtered_by_state_on_a_date(api_a, stock, state, expected):
    assert refs(api_a.get(f"/api/v1/housing-units/?state={state}&on={TODAY}")) == expected


def test_units_are_filtered_by_typology_and_sector(api_a, stock):
    assert refs(api_a.get("/api/v1/housing-units/?typology=T2")) == ["L1"]
    sector = stock["sector"].uuid
    assert refs(api_a.get(f"/api/v1/housing-units/?sector={sector}")) == ["L1"]
    assert refs(api_a.get("/api/v1/housing-units/")) == ["L1", "L2", "L3", "L4"]


def test_units_are_filtered_by_programme_as_on_the_unit_list_page(api_a, client_a, stock, org_a):
    programme = ProgrammeFactory(organisation=org_a, name="IML réfugiés")
    HousingUnit.objects.filter(pk=stock["occupied"].pk).update(programme=programme)
    assert refs(api_a.get(f"/api/v1/housing-units/?programme={programme.uuid}")) == ["L2"]
    page = client_a.get(f"/logements/?programme={programme.uuid}")
    assert [row.unit.ref for row in page.context["rows"]] == ["L2"]


def test_an_invalid_filter_is_refused(api_a, stock):
    response = api_a.get("/api/v1/housing-units/?state=haunted&on=tomorrow")
    assert response.status_code == 400
    assert set(response.data) == {"state", "on"}


def test_member_reads_a_unit_with_its_references_by_uuid(api_a, unit_a, programme_a):
    response = api_a.get(f"/api/v1/housing-units/{unit_a.uuid}/")
    assert response.status_code == 200
    assert response.data["programme"] == str(programme_a.uuid)
    assert response.data["rent"] == 420
    assert response.data["captured_on"] == "2020-01-01"
    assert "id" not in response.data and "organisation" not in response.data


def test_member_creates_a_unit_with_references_of_their_organisation(api_a, org_a, programme_a):
    sector = Sector.objects.create(organisation=org_a, ref="amiens", name="Amiens")
    landlord = Landlord.objects.create(organisation=org_a, ref="opac80", name="OPAC")
    payload = {
        "ref": "L-NEW",
        "programme": str(programme_a.uuid),
        "typology": "T3",
        "address": "3 rue Gresset",
        "commune": "80021",
        "sector": str(sector.uuid),
        "landlord": str(landlord.uuid),
        "rent": 420.5,
        "charges": 60,
        "surface_m2": 62,
        "accessible": True,
        "captured_on": "2022-03-01",
        "returned_on": None,
    }
    response = api_a.post("/api/v1/housing-units/", payload, format="json")
    assert response.status_code == 201, response.data
    for key, value in payload.items():
        assert response.data[key] == value, key
    unit = HousingUnit.objects.get(uuid=response.data["uuid"])
    assert unit.organisation == org_a and unit.landlord == landlord


def test_member_updates_a_unit(api_a, unit_a):
    url = f"/api/v1/housing-units/{unit_a.uuid}/"
    response = api_a.patch(url, {"rent": 450.0, "returned_on": "2024-12-31"}, format="json")
    assert response.status_code == 200, response.data
    unit_a.refresh_from_db()
    assert (unit_a.rent, unit_a.returned_on) == (450, datetime.date(2024, 12, 31))


def test_a_unit_returned_before_its_stays_end_is_refused_in_french(api_a, unit_a, stay_a):
    response = api_a.patch(
        f"/api/v1/housing-units/{unit_a.uuid}/", {"returned_on": "2023-06-01"}, format="json"
    )
    assert response.status_code == 400
    assert "le séjour doit se terminer au plus tard ce jour-là" in str(response.data)
    unit_a.refresh_from_db()
    assert unit_a.returned_on is None


def test_a_duplicate_unit_ref_is_refused_in_french(api_a, unit_a):
    response = api_a.post(
        "/api/v1/housing-units/",
        {"ref": "L-A1", "typology": "T1", "captured_on": "2022-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "Cette référence existe déjà dans l'organisation." in str(response.data)


def test_a_room_of_a_shared_dwelling_of_the_organisation(api_a, org_a):
    flat = HousingUnitFactory(organisation=org_a, ref="COLOC", typology="T4")
    response = api_a.post(
        "/api/v1/housing-units/",
        {"typology": "room", "parent": str(flat.uuid), "captured_on": "2022-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["parent"] == str(flat.uuid)
    assert response.data["ref"].startswith("L-")
    response = api_a.patch(
        f"/api/v1/housing-units/{flat.uuid}/", {"parent": str(flat.uuid)}, format="json"
    )
    assert response.status_code == 400


def test_references_of_another_organisation_are_refused(api_a, org_b):
    foreign_programme = ProgrammeFactory(organisation=org_b)
    foreign_flat = HousingUnitFactory(organisation=org_b, typology="T4")
    response = api_a.post(
        "/api/v1/housing-units/",
        {
            "typology": "room",
            "captured_on": "2022-01-01",
            "programme": str(foreign_programme.uuid),
            "parent": str(foreign_flat.uuid),
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.data) == {"programme", "parent"}
    assert "dans votre organisation" in str(response.data["programme"][0])
    assert not HousingUnit.objects.filter(organisation=org_b, typology="room").exists()


def test_reference_data_lists_give_the_uuids_to_refer_to(api_a, api_b, programme_a):
    response = api_a.get("/api/v1/programmes/")
    assert response.data["results"] == [
        {"uuid": str(programme_a.uuid), "ref": "iml-r", "name": "IML Réfugiés", "kind": "iml"}
    ]
    assert api_b.get("/api/v1/programmes/").data["count"] == 0
    assert api_b.get(f"/api/v1/programmes/{programme_a.uuid}/").status_code == 404
    assert api_a.get("/api/v1/sectors/").status_code == 200
    assert api_a.get("/api/v1/landlords/").status_code == 200
