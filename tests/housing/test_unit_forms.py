"""Creating and editing a unit: French labels, choices of the user's organisation only,
the service's refusals shown on the form with nothing saved."""

import datetime

import pytest
from django.urls import reverse

from seuil.core import refs
from seuil.housing.models import HousingUnit, Landlord, Sector
from tests.core.factories import UserFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory


@pytest.fixture
def references(org_a, org_b):
    """A sector, landlord and programme in each organisation."""
    made = {}
    for key, org in (("a", org_a), ("b", org_b)):
        made[key] = {
            "sector": Sector.objects.create(organisation=org, ref="s", name=f"Secteur {key}"),
            "landlord": Landlord.objects.create(organisation=org, ref="b", name=f"Bailleur {key}"),
            "programme": ProgrammeFactory(organisation=org, name=f"Dispositif {key}"),
            "unit": HousingUnitFactory(organisation=org, ref=f"PARENT-{key}", typology="T4"),
        }
    return made


def unit_data(**fields):
    return {
        "ref": "AMI-100",
        "typology": "T2",
        "address": "3 place Gambetta",
        "commune": "80021",
        "management_mode": "sublease",
        "rent": "390.50",
        "charges": "45",
        "surface_m2": "41",
        "captured_on": "2024-03-01",
        **fields,
    }


def test_the_unit_form_is_labelled_in_french(client_a, references):
    html = client_a.get(reverse("housing:create")).content.decode()
    for label in (
        "Référence du logement",
        "Typologie",
        "Adresse",
        "Commune (code INSEE)",
        "Secteur géographique",
        "Bailleur",
        "Dispositif",
        "Mode de gestion",
        "Loyer hors charges (€ par mois)",
        "Charges (€ par mois)",
        "Surface (m²)",
        "Accessible aux personnes à mobilité réduite",
        "Capté le",
        "Rendu au bailleur le",
        "Chambre du logement partagé (colocation)",
    ):
        assert label in html, label


def test_the_choices_come_from_the_user_organisation_only(client_a, references):
    form = client_a.get(reverse("housing:create")).context["form"]
    for name in ("sector", "landlord", "programme", "parent"):
        choices = list(form.fields[name].queryset)
        key = "unit" if name == "parent" else name
        assert choices == [references["a"][key]], name


def test_a_tenancy_officer_creates_a_unit(client, references, org_a):
    client.force_login(UserFactory(organisation=org_a, tenancy_officer=True))
    response = client.post(
        reverse("housing:create"),
        unit_data(
            sector=references["a"]["sector"].uuid,
            landlord=references["a"]["landlord"].uuid,
            programme=references["a"]["programme"].uuid,
            accessible="on",
        ),
    )
    unit = HousingUnit.objects.get(ref="AMI-100")
    assert response.status_code == 302
    assert response.url == reverse("housing:detail", args=[unit.uuid])
    assert unit.organisation == org_a
    assert unit.rent == 390.5
    assert unit.accessible is True
    assert unit.sector == references["a"]["sector"]
    assert "a été ajouté au parc" in client.get(response.url).content.decode()


def test_the_edit_form_keeps_the_unit_choices_by_uuid(client_a, references):
    a = references["a"]
    unit = HousingUnitFactory(
        organisation=a["unit"].organisation,
        ref="CHAMBRE-1",
        typology="room",
        parent=a["unit"],
        sector=a["sector"],
        landlord=a["landlord"],
        programme=a["programme"],
    )
    html = client_a.get(reverse("housing:edit", args=[unit.uuid])).content.decode()
    for name in ("parent", "sector", "landlord", "programme"):
        key = "unit" if name == "parent" else name
        assert f'<option value="{a[key].uuid}" selected>' in html, name
    # Saved again as shown, the unit keeps them.
    response = client_a.post(
        reverse("housing:edit", args=[unit.uuid]),
        unit_data(
            ref="CHAMBRE-1",
            typology="room",
            parent=a["unit"].uuid,
            sector=a["sector"].uuid,
            landlord=a["landlord"].uuid,
            programme=a["programme"].uuid,
        ),
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.parent, unit.sector, unit.landlord, unit.programme) == (
        a["unit"],
        a["sector"],
        a["landlord"],
        a["programme"],
    )


def test_a_room_is_created_in_a_shared_dwelling(client_a, references):
    parent = references["a"]["unit"]
    client_a.post(reverse("housing:create"), unit_data(typology="room", parent=parent.uuid))
    assert HousingUnit.objects.get(ref="AMI-100").parent == parent


def test_a_sector_of_another_organisation_is_refused(client_a, references):
    response = client_a.post(
        reverse("housing:create"), unit_data(sector=references["b"]["sector"].uuid)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["sector"]
    assert not HousingUnit.objects.filter(ref="AMI-100").exists()


def test_a_reference_already_used_in_the_organisation_is_refused(client_a, references):
    response = client_a.post(reverse("housing:create"), unit_data(ref="PARENT-a"))
    assert "déjà cette référence" in str(response.context["form"].errors["ref"])
    assert HousingUnit.objects.filter(ref="PARENT-a").count() == 1


def test_a_unit_created_without_a_reference_gets_one_of_seuils_format(client_a, references):
    response = client_a.post(reverse("housing:create"), unit_data(ref=""))
    assert response.status_code == 302
    unit = HousingUnit.objects.get(address="3 place Gambetta")
    assert refs.FORMAT.match(unit.ref)["prefix"] == HousingUnit.REF_PREFIX == "L"
    # Editing it keeps the reference asked for.
    edit = client_a.post(reverse("housing:edit", args=[unit.uuid]), unit_data(ref=""))
    assert "ref" in edit.context["form"].errors
    unit.refresh_from_db()
    assert refs.FORMAT.match(unit.ref)


def test_a_return_before_the_capture_is_refused(client_a, references):
    response = client_a.post(reverse("housing:create"), unit_data(returned_on="2024-01-01"))
    assert "rendu avant d&#x27;avoir été capté" in response.content.decode()
    assert not HousingUnit.objects.filter(ref="AMI-100").exists()


def test_a_dwelling_already_occupied_whole_cannot_get_rooms(client_a, references, org_a):
    parent = references["a"]["unit"]
    StayFactory(household__organisation=org_a, unit=parent)
    response = client_a.post(
        reverse("housing:create"), unit_data(typology="room", parent=parent.uuid)
    )
    assert "a déjà été occupé en entier" in str(response.context["form"].non_field_errors())
    assert not HousingUnit.objects.filter(ref="AMI-100").exists()


def test_editing_a_unit_keeps_its_stays_within_the_stock(client_a, references, org_a):
    unit = references["a"]["unit"]
    StayFactory(household__organisation=org_a, unit=unit, entered_on=datetime.date(2022, 1, 1))
    response = client_a.post(
        reverse("housing:edit", args=[unit.uuid]),
        unit_data(ref=unit.ref, typology="T4", captured_on="2023-01-01"),
    )
    errors = str(response.context["form"].non_field_errors())
    assert "on ne peut y entrer avant" in errors
    unit.refresh_from_db()
    assert unit.captured_on == datetime.date(2020, 1, 1)


def test_editing_a_unit_saves_the_changes(client_a, references):
    unit = references["a"]["unit"]
    form = client_a.get(reverse("housing:edit", args=[unit.uuid])).context["form"]
    assert form["ref"].value() == "PARENT-a"
    response = client_a.post(
        reverse("housing:edit", args=[unit.uuid]),
        unit_data(ref=unit.ref, typology="T5", rent="510"),
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.typology, unit.rent) == ("T5", 510)


def test_a_dwelling_with_rooms_cannot_become_a_room(client_a, references, org_a):
    flat = references["a"]["unit"]
    HousingUnitFactory(organisation=org_a, typology="room", parent=flat)
    other = HousingUnitFactory(organisation=org_a, ref="OTHER", typology="T5")
    response = client_a.post(
        reverse("housing:edit", args=[flat.uuid]),
        unit_data(ref=flat.ref, typology="T4", parent=other.uuid),
    )
    assert response.context["form"].errors["parent"]
    flat.refresh_from_db()
    assert flat.parent is None
