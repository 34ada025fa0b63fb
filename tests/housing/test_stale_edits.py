"""Two people open the exit form of the same stay; the second to save is refused.
An import changing a stay or a person bumps its version too."""

import pytest
from django.urls import reverse

from seuil.core.concurrency import STALE_EDIT_MESSAGE
from seuil.exchange.importer import import_exchange
from seuil.households.models import Person
from seuil.housing.models import Stay
from tests.conftest import days_ago
from tests.exchange.samples import rich
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

pytestmark = pytest.mark.usefixtures("today")  # the clock on the fixed day, TODAY


@pytest.fixture
def stay(org_a):
    household = MembershipFactory(household__organisation=org_a).household
    unit = HousingUnitFactory(organisation=org_a, captured_on=days_ago(60))
    return StayFactory(household=household, unit=unit, entered_on=days_ago(30))


def exit_data(version, **fields):
    return {
        "exited_on": days_ago(1).isoformat(),
        "destination": "social_landlord",
        "version": version,
        **fields,
    }


def loaded_version(client, url):
    response = client.get(url)
    version = response.context["form"].initial["version"]
    assert f'name="version" value="{version}"' in response.content.decode()
    return version


def test_a_fresh_exit_passes_and_bumps_the_version(client_a, stay):
    url = reverse("housing:exit", args=[stay.uuid])
    response = client_a.post(url, exit_data(loaded_version(client_a, url)))
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.exited_on, stay.version) == (days_ago(1), 2)


def test_a_stale_exit_is_refused_and_the_input_is_shown_again(client_a, stay):
    url = reverse("housing:exit", args=[stay.uuid])
    first, second = loaded_version(client_a, url), loaded_version(client_a, url)
    assert client_a.post(url, exit_data(first)).status_code == 302
    response = client_a.post(
        url, exit_data(second, exited_on=days_ago(3).isoformat(), destination="other")
    )
    assert response.status_code == 200
    assert list(response.context["form"].non_field_errors()) == [STALE_EDIT_MESSAGE]
    page = response.content.decode()
    assert f'value="{days_ago(3).isoformat()}"' in page
    assert 'value="other" selected' in page
    stay.refresh_from_db()
    assert (stay.exited_on, stay.exit_destination, stay.version) == (
        days_ago(1),
        "social_landlord",
        2,
    )


@pytest.mark.django_db
def test_an_import_bumps_the_version_of_what_it_changes_only():
    import_exchange(rich())
    data = rich()
    data["households"][1]["members"][0]["first_name"] = "Gökhan Emre"
    data["stays"][0]["exited_on"] = "2024-10-31"
    data["stays"][0]["exit_destination"] = "private_landlord"
    import_exchange(data)
    assert Person.objects.get(ref="P04").version == 2
    assert Stay.objects.get(ref="S01").version == 2
    assert set(Person.objects.exclude(ref="P04").values_list("version", flat=True)) == {1}
    assert set(Stay.objects.exclude(ref="S01").values_list("version", flat=True)) == {1}
