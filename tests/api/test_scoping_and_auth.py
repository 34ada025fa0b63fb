"""The permission battery every endpoint goes through.

Anonymous → 401; revoked token → 401; a member of B → empty lists, 404 on A's objects
(read and write) and 400 when referring to them; roles without the right → 403 on writes.
"""

import pytest
from rest_framework.test import APIClient

from seuil.core.models import AccessLog, ApiToken
from seuil.households.models import Household
from seuil.housing.models import HousingUnit, Landlord, Sector, Stay
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

LISTS = ["households", "persons", "housing-units", "stays", "programmes", "sectors", "landlords"]


@pytest.fixture
def a(household_a, unit_a, stay_a, programme_a):
    """A's objects, by the name the URLs below use."""
    membership = household_a.memberships.get()
    org = household_a.organisation
    return {
        "sector": Sector.objects.create(organisation=org, ref="amiens", name="Amiens"),
        "landlord": Landlord.objects.create(organisation=org, ref="opac80", name="OPAC"),
        "household": household_a,
        "person": membership.person,
        "membership": membership,
        "unit": unit_a,
        "stay": stay_a,
        "programme": programme_a,
    }


DETAILS = [
    "households/{household}/",
    "persons/{person}/",
    "memberships/{membership}/",
    "housing-units/{unit}/",
    "stays/{stay}/",
    "programmes/{programme}/",
    "sectors/{sector}/",
    "landlords/{landlord}/",
]

WRITES = [
    ("patch", "households/{household}/", {"prior_situation": "other"}),
    ("put", "households/{household}/", {"ref": "M-HACK"}),
    ("post", "households/{household}/members/", {"role": "child"}),
    ("post", "households/{household}/resources/", {"on": "2024-01-01", "types": ["rsa"]}),
    ("post", "persons/{person}/legal-status/", {"since": "2024-01-01", "status": "other"}),
    ("patch", "memberships/{membership}/", {"first_name": "Piraté"}),
    ("patch", "housing-units/{unit}/", {"rent": 1}),
    ("put", "housing-units/{unit}/", {"typology": "T1", "captured_on": "2020-01-01"}),
    ("post", "stays/{stay}/exit/", {"exited_on": "2024-01-01", "exit_destination": "other"}),
]


def url(template, objects):
    return "/api/v1/" + template.format(**{k: v.uuid for k, v in objects.items()})


def snapshot():
    """Everything the writes above could change, to check that nothing did."""
    return (
        list(Household.objects.values_list("ref", "prior_situation", "organisation_id")),
        list(HousingUnit.objects.values_list("ref", "rent", "typology", "organisation_id")),
        list(Stay.objects.values_list("exited_on", "organisation_id")),
        AccessLog.objects.exclude(action=AccessLog.Action.VIEW).count(),
    )


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_gets_401_on_lists(anonymous, name, db):
    response = anonymous.get(f"/api/v1/{name}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(("method", "template", "payload"), WRITES)
def test_anonymous_cannot_write(anonymous, a, method, template, payload):
    before = snapshot()
    response = getattr(anonymous, method)(url(template, a), payload, format="json")
    assert response.status_code == 401
    assert snapshot() == before


def test_anonymous_cannot_create(anonymous, db):
    assert anonymous.post("/api/v1/households/", {}, format="json").status_code == 401
    assert Household.objects.count() == 0


def test_a_revoked_token_is_refused(api_a, member_a, household_a):
    assert api_a.get("/api/v1/households/").status_code == 200
    ApiToken.objects.filter(user=member_a).update(revoked_at="2024-01-01T00:00Z")
    response = api_a.get("/api/v1/households/")
    assert response.status_code == 401
    assert response.data["detail"] == "Jeton invalide ou révoqué."


def test_an_unknown_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token seuil_not-a-real-key")
    assert client.get("/api/v1/households/").status_code == 401


def test_the_token_of_a_deactivated_account_is_refused(api_a, member_a):
    member_a.is_active = False
    member_a.save()
    assert api_a.get("/api/v1/households/").status_code == 401


def test_a_session_also_authenticates(member_a, household_a):
    client = APIClient()
    client.force_login(member_a)
    assert client.get("/api/v1/households/").data["count"] == 1


@pytest.mark.parametrize("name", LISTS)
def test_outsider_lists_nothing_of_another_organisation(api_a, api_b, a, name):
    assert api_a.get(f"/api/v1/{name}/").data["count"] >= 1
    response = api_b.get(f"/api/v1/{name}/")
    assert response.status_code == 200
    assert response.data["count"] == 0


@pytest.mark.parametrize("template", DETAILS)
def test_outsider_gets_404_on_another_organisations_objects(api_a, api_b, a, template):
    assert api_a.get(url(template, a)).status_code == 200
    assert api_b.get(url(template, a)).status_code == 404


@pytest.mark.parametrize(("method", "template", "payload"), WRITES)
def test_outsider_gets_404_on_writes_to_another_organisations_objects(
    api_b, a, method, template, payload
):
    before = snapshot()
    response = getattr(api_b, method)(url(template, a), payload, format="json")
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(("method", "template", "payload"), WRITES)
def test_member_of_the_organisation_may_do_these_writes(api_a, a, method, template, payload):
    response = getattr(api_a, method)(url(template, a), payload, format="json")
    assert response.status_code in (200, 201), response.data


def test_outsider_cannot_enter_a_household_into_another_organisations_unit(api_b, org_b, a, stay_a):
    from tests.households.factories import HouseholdFactory

    own = HouseholdFactory(organisation=org_b)
    response = api_b.post(
        "/api/v1/stays/",
        {"household": str(own.uuid), "unit": str(a["unit"].uuid), "entered_on": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.data) == ["unit"]
    response = api_b.post(
        "/api/v1/stays/",
        {"household": str(a["household"].uuid), "unit": str(a["unit"].uuid), "entered_on": "2025"},
        format="json",
    )
    assert response.status_code == 400
    assert Stay.objects.count() == 1


def test_outsider_cannot_create_into_another_organisation(api_b, org_a, org_b, a):
    response = api_b.post(
        "/api/v1/households/",
        {"ref": "M-INTRUS", "organisation": str(org_a.uuid)},
        format="json",
    )
    assert response.status_code == 201
    assert Household.objects.get(ref="M-INTRUS").organisation == org_b
    response = api_b.post(
        "/api/v1/housing-units/",
        {
            "typology": "room",
            "captured_on": "2022-01-01",
            "parent": str(a["unit"].uuid),
            "programme": str(a["programme"].uuid),
        },
        format="json",
    )
    assert response.status_code == 400
    assert not HousingUnit.objects.filter(typology="room").exists()


def test_invalid_uuids_in_urls_are_404(api_a):
    assert api_a.get("/api/v1/households/not-a-uuid/").status_code == 404
    assert api_a.patch("/api/v1/housing-units/42/", {}).status_code == 404


HOUSEHOLD_WRITES = [w for w in WRITES if not w[1].startswith(("housing-units", "stays"))]


@pytest.mark.parametrize("role", ["state", "landlord", "tenancy_officer", "psychologist"])
@pytest.mark.parametrize(("method", "template", "payload"), HOUSEHOLD_WRITES)
def test_roles_without_the_right_get_403_on_household_writes(
    api_as, a, role, method, template, payload
):
    before = snapshot()
    response = getattr(api_as(role), method)(url(template, a), payload, format="json")
    assert response.status_code == 403
    assert response.data["detail"] == "Votre rôle ne vous permet pas de faire cette modification."
    assert snapshot() == before


@pytest.mark.parametrize("role", ["state", "landlord", "tenancy_officer"])
def test_roles_without_the_right_cannot_create_households(api_as, role, db):
    assert api_as(role).post("/api/v1/households/", {}, format="json").status_code == 403
    assert Household.objects.count() == 0


@pytest.mark.parametrize("role", ["state", "landlord", "psychologist", "administrator"])
@pytest.mark.parametrize("name", ["households", "persons", "stays"])
def test_roles_that_see_no_household_get_empty_lists(api_as, a, role, name):
    response = api_as(role).get(f"/api/v1/{name}/")
    assert response.status_code == 200
    assert response.data["count"] == 0
    assert api_as(role).get(url("households/{household}/", a)).status_code == 404


@pytest.mark.parametrize("role", ["state", "landlord", "social_worker"])
def test_roles_without_the_right_get_403_on_unit_writes(api_as, a, role):
    client = api_as(role)
    before = snapshot()
    assert client.patch(url("housing-units/{unit}/", a), {"rent": 1}).status_code == 403
    response = client.post(
        "/api/v1/housing-units/", {"typology": "T1", "captured_on": "2022-01-01"}
    )
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("role", ["state", "landlord", "siao_evaluator"])
def test_roles_without_the_right_get_403_on_stay_writes(api_as, a, role):
    client = api_as(role)
    before = snapshot()
    response = client.post(
        "/api/v1/stays/",
        {
            "household": str(a["household"].uuid),
            "unit": str(a["unit"].uuid),
            "entered_on": "2025-01-01",
        },
        format="json",
    )
    assert response.status_code == 403
    response = client.post(
        url("stays/{stay}/exit/", a), {"exited_on": "2024-01-01", "exit_destination": "other"}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_a_landlord_sees_only_its_own_units(api_as, org_a, org_b, a):
    from seuil.core.enums import OrganisationKind
    from tests.core.factories import OrganisationFactory
    from tests.housing.factories import HousingUnitFactory

    from .conftest import token_client

    landlord_org = OrganisationFactory(kind=OrganisationKind.LANDLORD)
    record = Landlord.objects.create(
        organisation=org_a, ref="opac", name="OPAC", account=landlord_org
    )
    own = HousingUnitFactory(organisation=org_a, landlord=record)
    client = token_client(UserFactory(organisation=landlord_org, landlord=True))
    response = client.get("/api/v1/housing-units/")
    assert [u["uuid"] for u in response.data["results"]] == [str(own.uuid)]
    assert client.get(url("housing-units/{unit}/", a)).status_code == 404
