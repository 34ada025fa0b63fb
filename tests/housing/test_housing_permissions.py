"""Who may open which housing page: anonymous → login, other organisation → 404 (GET and
POST), roles without the right → 403, the state never sees units."""

import pytest
from django.urls import reverse

from seuil.core.models import AccessLog
from seuil.housing.models import HousingUnit, Landlord, Stay
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

OBJECT_PAGES = ["detail", "edit", "enter", "exit"]
ALL_PAGES = ["list", "create", *OBJECT_PAGES]
WRITE_PAGES = {"create": "units", "edit": "units", "enter": "stays", "exit": "stays"}


@pytest.fixture
def stay_a(org_a):
    household = MembershipFactory(household__organisation=org_a).household
    return StayFactory(household=household, unit__ref="L100")


def url_of(name, stay):
    args = {
        "list": [],
        "create": [],
        "detail": [stay.unit.uuid],
        "edit": [stay.unit.uuid],
        "enter": [stay.unit.uuid],
        "exit": [stay.uuid],
    }[name]
    return reverse(f"housing:{name}", args=args)


def as_user(client, org, **traits):
    client.force_login(UserFactory(organisation=org, **traits))
    return client


POST_DATA = {
    "ref": "X1",
    "typology": "T2",
    "management_mode": "sublease",
    "captured_on": "2020-01-01",
    "entered_on": "2030-01-01",
    "support_intensity": "standard",
    "exited_on": "2030-01-01",
    "destination": "other",
}


def nothing_written(stay):
    stay.refresh_from_db()
    return (
        stay.exited_on is None
        and Stay.objects.count() == 1
        and not HousingUnit.objects.filter(ref="X1").exists()
        and not AccessLog.objects.exists()
    )


@pytest.mark.parametrize("name", ALL_PAGES)
def test_anonymous_visitor_is_sent_to_login_from_every_housing_page(client, stay_a, name):
    url = url_of(name, stay_a)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.post(url, POST_DATA).status_code == 302
    assert nothing_written(stay_a)


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_member_of_another_organisation_gets_404_on_every_housing_page(client, stay_a, org_b, name):
    as_user(client, org_b)
    url = url_of(name, stay_a)
    assert client.get(url).status_code == 404
    assert client.post(url, POST_DATA).status_code == 404
    assert nothing_written(stay_a)


def test_a_unit_of_another_organisation_cannot_receive_a_household_of_mine(client, stay_a, org_b):
    as_user(client, org_b)
    mine = MembershipFactory(household__organisation=org_b).household
    response = client.post(url_of("enter", stay_a), {**POST_DATA, "household": str(mine.uuid)})
    assert response.status_code == 404
    assert Stay.objects.count() == 1


@pytest.mark.parametrize("name", ["list", "detail"])
def test_every_role_that_reads_the_stock_opens_the_read_pages(client, stay_a, org_a, name):
    for traits in ({}, {"social_worker": True}, {"tenancy_officer": True}):
        as_user(client, org_a, **traits)
        assert client.get(url_of(name, stay_a)).status_code == 200


@pytest.mark.parametrize("name", ["create", "edit"])
def test_a_social_worker_cannot_create_or_edit_units(client, stay_a, org_a, name):
    as_user(client, org_a, social_worker=True)
    url = url_of(name, stay_a)
    assert client.get(url).status_code == 403
    assert client.post(url, POST_DATA).status_code == 403
    assert nothing_written(stay_a)


@pytest.mark.parametrize("name", ["enter", "exit"])
def test_a_social_worker_records_entries_and_exits(client, stay_a, org_a, name):
    as_user(client, org_a, social_worker=True)
    assert client.get(url_of(name, stay_a)).status_code == 200


@pytest.mark.parametrize("name", ALL_PAGES)
def test_a_state_user_cannot_see_units(client, stay_a, org_a, name):
    as_user(client, org_a, state=True)
    url = url_of(name, stay_a)
    assert client.get(url).status_code == 403
    assert client.post(url, POST_DATA).status_code == 403
    assert nothing_written(stay_a)


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_a_landlord_cannot_change_anything(client, stay_a, org_a, name):
    as_user(client, org_a, landlord=True)
    url = url_of(name, stay_a)
    assert client.get(url).status_code == 403
    assert client.post(url, POST_DATA).status_code == 403
    assert nothing_written(stay_a)


def test_a_landlord_sees_only_the_units_it_entrusted(client, org_a):
    landlord_org = type(org_a).objects.create(ref="opac", name="OPAC", kind="landlord")
    record = Landlord.objects.create(
        organisation=org_a, ref="opac", name="OPAC", account=landlord_org
    )
    mine = HousingUnitFactory(organisation=org_a, ref="MINE", landlord=record)
    HousingUnitFactory(organisation=org_a, ref="NOT-MINE")
    as_user(client, landlord_org, landlord=True)
    response = client.get(reverse("housing:list"))
    assert [row.unit for row in response.context["rows"]] == [mine]
