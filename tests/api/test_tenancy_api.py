"""The tenancy through the API v1: sub-leases and their account, rent calls, payments,
repayment plans; scoped to the organisation, written by the roles that change the tenancy."""

import datetime
import json

import pytest
from drf_spectacular.validation import validate_schema

from seuil.core.models import AccessLog, ChangeRecord
from seuil.tenancy.models import Payment, RentCall, SubLease
from tests.api.conftest import token_client
from tests.core.factories import UserFactory
from tests.tenancy.factories import SubLeaseFactory, call, pay, term

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def officer(org_a):
    return token_client(UserFactory(organisation=org_a, tenancy_officer=True))


@pytest.fixture
def sub_lease_a(stay_a):
    sub_lease = SubLeaseFactory(stay=stay_a, ref="B-A1", due_day=5)
    term(sub_lease, stay_a.entered_on, 420.5, 60, 310)
    return sub_lease


def test_an_officer_sets_up_a_sub_lease_with_its_terms(officer, stay_a):
    response = officer.post(
        "/api/v1/sub-leases/",
        {
            "stay": str(stay_a.uuid),
            "signed_on": "2023-03-01",
            "tripartite": True,
            "due_day": 5,
            "deposit": 420,
            "terms": [
                {"starts_on": "2023-03-01", "rent": 420.5, "charges": 60, "housing_benefit": 310}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["terms"] == [
        {"starts_on": "2023-03-01", "rent": 420.5, "charges": 60.0, "housing_benefit": 310.0}
    ]
    sub_lease = SubLease.objects.get(uuid=response.data["uuid"])
    assert sub_lease.organisation == stay_a.organisation
    assert ChangeRecord.objects.filter(object_uuid=sub_lease.uuid).exists()
    again = officer.post(
        "/api/v1/sub-leases/",
        {"stay": str(stay_a.uuid), "signed_on": "2023-03-01"},
        format="json",
    )
    assert again.status_code == 400
    assert "déjà une sous-location" in json.dumps(again.data, ensure_ascii=False)


def test_the_due_day_goes_from_1_to_28(officer, stay_a):
    response = officer.post(
        "/api/v1/sub-leases/",
        {"stay": str(stay_a.uuid), "signed_on": "2023-03-01", "due_day": 29},
        format="json",
    )
    assert response.status_code == 400
    assert "due_day" in response.data


def test_the_account_as_of_a_day(officer, sub_lease_a):
    call(sub_lease_a, D(2024, 1, 1), 170.5)  # due 5 Jan
    call(sub_lease_a, D(2024, 2, 1), 170.5)  # due 5 Feb
    pay(sub_lease_a, D(2024, 1, 5), 100)
    response = officer.get(f"/api/v1/sub-leases/{sub_lease_a.uuid}/account/?on=2024-02-28")
    assert response.status_code == 200
    data = response.data
    assert data["balance"] == 241.0
    assert [line["balance"] for line in data["lines"]] == [170.5, 70.5, 241.0]
    assert [(u["month"], u["amount"], u["age"], u["band"]) for u in data["unpaid"]] == [
        ("2024-01", 70.5, 54, "31-60"),
        ("2024-02", 170.5, 23, "0-30"),
    ]
    assert [u["month"] for u in data["late"]] == ["2024-01", "2024-02"]
    assert AccessLog.objects.filter(object_uuid=sub_lease_a.uuid, action="view").exists()


def test_rent_calls_are_one_per_month_and_corrected_by_hand(officer, sub_lease_a):
    payload = {
        "sub_lease": str(sub_lease_a.uuid),
        "month": "2024-03",
        "due_on": "2024-03-05",
        "rent": 420.5,
        "charges": 60,
        "housing_benefit": 310,
    }
    response = officer.post("/api/v1/rent-calls/", payload, format="json")
    assert response.status_code == 201, response.data
    assert (response.data["month"], response.data["share"]) == ("2024-03", 170.5)
    assert officer.post("/api/v1/rent-calls/", payload, format="json").status_code == 400
    too_much = officer.post(
        "/api/v1/rent-calls/", payload | {"month": "2024-04", "housing_benefit": 481}, format="json"
    )
    assert too_much.status_code == 400
    assert "housing_benefit" in too_much.data
    uuid = response.data["uuid"]
    patched = officer.patch(f"/api/v1/rent-calls/{uuid}/", {"housing_benefit": 0}, format="json")
    assert patched.status_code == 200, patched.data
    assert RentCall.objects.get(uuid=uuid).share == 480.5
    listed = officer.get(f"/api/v1/rent-calls/?sub_lease={sub_lease_a.uuid}")
    assert [c["month"] for c in listed.data["results"]] == ["2024-03"]


def test_a_payment_is_strictly_positive(officer, sub_lease_a):
    payload = {"sub_lease": str(sub_lease_a.uuid), "paid_on": "2024-03-07", "method": "cash"}
    assert (
        officer.post("/api/v1/payments/", payload | {"amount": 0}, format="json").status_code == 400
    )
    response = officer.post("/api/v1/payments/", payload | {"amount": 170.5}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["ref"].startswith("R-")
    assert Payment.objects.get(uuid=response.data["uuid"]).organisation == sub_lease_a.organisation


def test_a_repayment_plan_shows_its_instalments_kept_or_broken(officer, sub_lease_a, today):
    call(sub_lease_a, D(2025, 4, 1), 100)  # due 5 April
    call(sub_lease_a, D(2025, 5, 1), 100)  # due 5 May
    pay(sub_lease_a, D(2025, 4, 4), 150)  # April's rent and the first instalment
    response = officer.post(
        "/api/v1/repayment-plans/",
        {
            "sub_lease": str(sub_lease_a.uuid),
            "agreed_on": "2025-03-20",
            "debt": 150,
            "instalments": [
                {"due_on": "2025-04-20", "amount": 50},
                {"due_on": "2025-05-20", "amount": 50},
                {"due_on": "2025-06-20", "amount": 50},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["state"] == "broken"
    assert [i["state"] for i in response.data["instalments"]] == ["kept", "broken", "upcoming"]
    empty = officer.post(
        "/api/v1/repayment-plans/",
        {
            "sub_lease": str(sub_lease_a.uuid),
            "agreed_on": "2025-03-20",
            "debt": 1,
            "instalments": [],
        },
        format="json",
    )
    assert empty.status_code == 400


def test_a_social_worker_reads_the_account_but_writes_nothing(api_as, sub_lease_a):
    worker = api_as("social_worker")
    assert worker.get(f"/api/v1/sub-leases/{sub_lease_a.uuid}/account/").status_code == 200
    response = worker.post(
        "/api/v1/payments/",
        {"sub_lease": str(sub_lease_a.uuid), "paid_on": "2024-03-07", "amount": 10},
        format="json",
    )
    assert response.status_code == 403
    assert not Payment.objects.exists()


@pytest.mark.parametrize("role", ["landlord", "state", "psychologist", "siao_evaluator"])
def test_the_other_roles_see_nothing_of_the_money(api_as, sub_lease_a, role):
    client = api_as(role)
    pay(sub_lease_a, D(2024, 1, 5), 100)
    for path in ("sub-leases", "rent-calls", "payments", "repayment-plans"):
        response = client.get(f"/api/v1/{path}/")
        assert response.status_code == 200
        assert response.data["results"] == [], (role, path)
    assert client.get(f"/api/v1/sub-leases/{sub_lease_a.uuid}/account/").status_code == 404


def test_another_organisation_reaches_nothing(api_b, sub_lease_a):
    assert api_b.get(f"/api/v1/sub-leases/{sub_lease_a.uuid}/").status_code == 404
    response = api_b.post(
        "/api/v1/payments/",
        {"sub_lease": str(sub_lease_a.uuid), "paid_on": "2024-03-07", "amount": 10},
        format="json",
    )
    assert response.status_code == 400  # no such sub-lease in its organisation
    assert not Payment.objects.exists()


def test_the_schema_documents_the_tenancy_endpoints(api_a):
    response = api_a.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    validate_schema(schema)
    for path in (
        "/api/v1/sub-leases/",
        "/api/v1/sub-leases/{uuid}/account/",
        "/api/v1/rent-calls/{uuid}/",
        "/api/v1/payments/",
        "/api/v1/repayment-plans/",
    ):
        assert path in schema["paths"], path
