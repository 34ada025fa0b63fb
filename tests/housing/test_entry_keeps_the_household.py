"""« Faire entrer dans un logement » from a household file: the household stays chosen
through the vacant units to the entry form; a unit too large or too small for the household
is a warning the person confirms, not a silent entry."""

import pytest
from django.urls import reverse

from seuil.housing.models import Stay
from tests.conftest import TODAY, days_ago
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory

pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def household(org_a):
    return MembershipFactory(
        household__organisation=org_a, person__first_name="Aïcha", person__last_name="Diallo"
    ).household


@pytest.fixture
def big_unit(org_a):
    return HousingUnitFactory(
        organisation=org_a, ref="GRAND-T5", typology="T5", captured_on=days_ago(30)
    )


def test_the_household_is_kept_from_its_file_to_the_entry_form(client_a, household, big_unit):
    file = client_a.get(reverse("households:detail", args=[household.uuid])).content.decode()
    link = f"{reverse('housing:list')}?state=vacant&amp;menage={household.uuid}"
    assert link in file
    units = client_a.get(link.replace("&amp;", "&")).content.decode()
    assert "Recherche d'un logement pour" in units
    entry_url = f"{reverse('housing:enter', args=[big_unit.uuid])}?menage={household.uuid}"
    assert entry_url in units
    # The unit page keeps it too.
    detail = client_a.get(f"{big_unit.get_absolute_url()}?menage={household.uuid}")
    assert entry_url in detail.content.decode()
    form = client_a.get(entry_url).context["form"]
    assert form["household"].value() == str(household.uuid)


def test_a_one_person_household_into_a_t5_is_said_and_must_be_confirmed(
    client_a, household, big_unit
):
    url = reverse("housing:enter", args=[big_unit.uuid])
    page = client_a.get(f"{url}?menage={household.uuid}").content.decode()
    assert "un ménage de 1 personne dans un logement prévu pour 4 personnes ou plus" in page
    data = {
        "household": str(household.uuid),
        "entered_on": TODAY.isoformat(),
        "programme": "",
        "support_intensity": "standard",
    }
    refused = client_a.post(url, data)
    assert refused.status_code == 200
    errors = refused.context["form"].errors["confirm_size"]
    assert "Cochez la case pour confirmer" in errors[0]
    assert not Stay.objects.filter(household=household).exists()
    confirmed = client_a.post(url, {**data, "confirm_size": "on"})
    assert confirmed.status_code == 302
    assert Stay.objects.get(household=household).unit == big_unit


def test_a_household_of_the_right_size_is_asked_nothing(client_a, household, org_a):
    t1 = HousingUnitFactory(organisation=org_a, typology="T1", captured_on=days_ago(30))
    url = reverse("housing:enter", args=[t1.uuid])
    form = client_a.get(f"{url}?menage={household.uuid}").context["form"]
    assert "confirm_size" not in form.fields


def test_another_organisations_household_is_not_pre_selected(client_a, org_b, big_unit):
    stranger = MembershipFactory(household__organisation=org_b).household
    url = f"{reverse('housing:enter', args=[big_unit.uuid])}?menage={stranger.uuid}"
    assert client_a.get(url).context["form"]["household"].value() in (None, "")
