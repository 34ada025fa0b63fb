"""Who may open which household page: anonymous → login, other organisation → 404,
read-only roles → 403 on writes, roles without households → 403 everywhere."""

import pytest
from django.urls import reverse

from seuil.households.models import Household, LegalStatusRecord, Membership, ResourceRecord
from tests.core.factories import UserFactory
from tests.households.factories import MembershipFactory

WRITE_PAGES = ["create", "edit", "add_member", "edit_member", "add_legal_status", "add_resources"]
READ_PAGES = ["list", "detail"]


@pytest.fixture
def head_a(org_a):
    return MembershipFactory(
        household__organisation=org_a, person__first_name="Aïcha", person__last_name="N'Diaye"
    )


def url_of(name, head):
    household = head.household
    args = {
        "list": [],
        "create": [],
        "detail": [household.uuid],
        "edit": [household.uuid],
        "add_member": [household.uuid],
        "add_resources": [household.uuid],
        "edit_member": [household.uuid, head.uuid],
        "add_legal_status": [household.uuid, head.person.uuid],
    }[name]
    return reverse(f"households:{name}", args=args)


def as_user(client, org, **traits):
    client.force_login(UserFactory(organisation=org, **traits))
    return client


@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES)
def test_anonymous_visitor_is_sent_to_login_from_every_household_page(client, head_a, name):
    url = url_of(name, head_a)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.post(url, {}).status_code == 302


@pytest.mark.parametrize(
    "name", [n for n in READ_PAGES + WRITE_PAGES if n not in {"list", "create"}]
)
def test_member_of_another_organisation_gets_404_on_a_household_of_organisation_a(
    client, head_a, org_b, name
):
    as_user(client, org_b)
    url = url_of(name, head_a)
    assert client.get(url).status_code == 404
    assert client.post(url, {"prior_situation": "other", "on": "2024-01-01"}).status_code == 404


def test_member_of_another_organisation_does_not_find_the_household_in_the_list(
    client, head_a, org_b
):
    as_user(client, org_b)
    response = client.get(reverse("households:list"), {"q": "aicha"})
    assert response.context["rows"] == []


@pytest.mark.parametrize("name", WRITE_PAGES)
@pytest.mark.parametrize("role", ["tenancy_officer", "state", "landlord"])
def test_roles_that_do_not_edit_households_get_403_on_write_pages(
    client, head_a, org_a, role, name
):
    as_user(client, org_a, **{role: True})
    url = url_of(name, head_a)
    assert client.get(url).status_code == 403
    response = client.post(url, {"prior_situation": "other", "types": ["rsa"], "on": "2024-01-01"})
    assert response.status_code == 403
    assert Household.objects.count() == 1
    assert Membership.objects.count() == 1
    assert not ResourceRecord.objects.exists()
    assert not LegalStatusRecord.objects.exists()


@pytest.mark.parametrize("name", READ_PAGES)
@pytest.mark.parametrize("role", ["state", "landlord"])
def test_roles_that_do_not_see_households_get_403_on_read_pages(client, head_a, org_a, role, name):
    as_user(client, org_a, **{role: True})
    assert client.get(url_of(name, head_a)).status_code == 403


@pytest.mark.parametrize("name", READ_PAGES)
def test_tenancy_officer_reads_household_pages(client, head_a, org_a, name):
    as_user(client, org_a, tenancy_officer=True)
    assert client.get(url_of(name, head_a)).status_code == 200


@pytest.mark.parametrize("name", READ_PAGES + WRITE_PAGES)
def test_social_worker_of_the_organisation_opens_every_household_page(client, head_a, org_a, name):
    as_user(client, org_a, social_worker=True)
    assert client.get(url_of(name, head_a)).status_code == 200


def test_navigation_shows_households_only_to_roles_that_see_them(client, org_a):
    as_user(client, org_a, social_worker=True)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("households:list")}"' in html
    assert f'href="{reverse("housing:list")}"' in html
    client.logout()
    as_user(client, org_a, landlord=True)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("households:list")}"' not in html
    assert f'href="{reverse("housing:list")}"' in html
    client.logout()
    as_user(client, org_a, state=True)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("households:list")}"' not in html
    assert f'href="{reverse("housing:list")}"' not in html
