"""The tenancy pages as the tenancy officer, the social worker and the others use them."""

import datetime
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse

from seuil.core.models import AccessLog
from seuil.tenancy.models import Inspection, Payment, RentCall, RepaymentPlan, SubLease
from tests.core.factories import UserFactory
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.tenancy.factories import SubLeaseFactory, call, pay, term

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def officer(client, org_a):
    client.force_login(UserFactory(organisation=org_a, tenancy_officer=True))
    return client


@pytest.fixture
def stay(org_a, today):
    unit = HousingUnitFactory(organisation=org_a, ref="L-T1", rent=420, charges=60)
    return StayFactory(
        household__organisation=org_a, household__ref="M-T1", unit=unit, entered_on=D(2025, 3, 10)
    )


@pytest.fixture
def sub_lease(stay):
    sub_lease = SubLeaseFactory(stay=stay, ref="B-T1", due_day=5)
    term(sub_lease, stay.entered_on, 420, 60, 310)
    return sub_lease


def page_of(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content)


def text_of(response):
    return " ".join(page_of(response).text_content().split())


def test_after_an_entry_the_unit_and_household_pages_offer_the_sub_lease(officer, stay):
    unit_page = text_of(officer.get(reverse("housing:detail", args=[stay.unit.uuid])))
    assert "Gestion locative" in unit_page
    assert "Établir la sous-location" in unit_page
    household_page = page_of(officer.get(reverse("households:detail", args=[stay.household.uuid])))
    (link,) = household_page.xpath('//a[text()="Établir la sous-location"]')
    assert link.get("href") == reverse("tenancy:sub_lease_create", args=[stay.uuid])


def test_the_officer_sets_up_the_sub_lease_then_records_a_payment(officer, stay):
    form = page_of(officer.get(reverse("tenancy:sub_lease_create", args=[stay.uuid])))
    assert form.xpath('//input[@name="rent"]/@value') == ["420,00"]
    response = officer.post(
        reverse("tenancy:sub_lease_create", args=[stay.uuid]),
        {
            "signed_on": "2025-03-10",
            "tripartite": "on",
            "due_day": "5",
            "deposit": "420",
            "term_from": "2025-03-10",
            "rent": "420",
            "charges": "60",
            "housing_benefit": "310",
        },
    )
    sub_lease = SubLease.objects.get(stay=stay)
    assert response.url == reverse("tenancy:account", args=[sub_lease.uuid])
    assert sub_lease.tripartite and sub_lease.deposit == 420
    assert sub_lease.terms.get().share == 170
    response = officer.post(
        reverse("tenancy:payment_create", args=[sub_lease.uuid]),
        {"paid_on": "2025-06-02", "amount": "170,00", "method": "cash"},
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.method) == (170, "cash")
    account = text_of(officer.get(reverse("tenancy:account", args=[sub_lease.uuid])))
    assert "Paiement – Espèces (au guichet)" in account
    assert "170,00 € d'avance" in account


def test_a_stay_in_a_unit_under_mandate_has_no_sub_lease(officer, org_a):
    unit = HousingUnitFactory(organisation=org_a, management_mode="mandate")
    stay = StayFactory(household__organisation=org_a, unit=unit)
    page = text_of(officer.get(reverse("tenancy:sub_lease_create", args=[stay.uuid])))
    assert "mandat de gestion" in page
    response = officer.post(
        reverse("tenancy:sub_lease_create", args=[stay.uuid]),
        {"signed_on": "2022-01-01", "due_day": "5", "term_from": "2022-01-01", "rent": "1"},
    )
    assert response.status_code == 200
    assert not SubLease.objects.exists()


def test_the_account_as_of_a_day_settles_the_oldest_rents_first(officer, sub_lease):
    call(sub_lease, D(2025, 4, 1), 170)  # due 5 April
    call(sub_lease, D(2025, 5, 1), 170)  # due 5 May
    call(sub_lease, D(2025, 6, 1), 170)  # due 5 June
    pay(sub_lease, D(2025, 4, 5), 100)
    response = officer.get(reverse("tenancy:account", args=[sub_lease.uuid]), {"au": "2025-06-15"})
    page = page_of(response)
    rows = [
        [" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]
        for row in page.xpath('//caption[contains(., "Loyers restant dus")]/../tbody/tr')
    ]
    assert rows == [
        ["04/2025", "05/04/2025", "70,00 €", "71 jours", "Oui"],
        ["05/2025", "05/05/2025", "170,00 €", "41 jours", "Oui"],
        ["06/2025", "05/06/2025", "170,00 €", "10 jours", "Non"],
    ]
    assert "410,00 € dus" in text_of(response)
    assert AccessLog.objects.filter(object_uuid=sub_lease.uuid, action="view").exists()


def test_a_repayment_plan_is_spread_in_monthly_instalments(officer, sub_lease):
    response = officer.post(
        reverse("tenancy:plan_create", args=[sub_lease.uuid]),
        {"agreed_on": "2025-06-10", "debt": "100", "first_due_on": "2025-07-10", "count": "3"},
    )
    assert response.status_code == 302
    plan = RepaymentPlan.objects.get()
    assert [(i.due_on, i.amount) for i in plan.instalments.all()] == [
        (D(2025, 7, 10), Decimal("33.33")),
        (D(2025, 8, 10), Decimal("33.33")),
        (D(2025, 9, 10), Decimal("33.34")),
    ]


def test_the_month_page_calls_the_month_and_shows_the_late_rents(officer, sub_lease, org_a):
    call(sub_lease, D(2025, 5, 1), 170)  # due 5 May: late on 15 June
    url = reverse("tenancy:month")
    response = officer.post(f"{url}?mois=2025-06")
    assert response.status_code == 302
    june = RentCall.objects.get(month=D(2025, 6, 1))
    assert (june.due_on, june.share) == (D(2025, 6, 5), 170)
    page = page_of(officer.get(url, {"mois": "2025-06"}))  # the late rents first
    late = page.xpath('//caption[contains(., "Loyers en retard")]/../tbody/tr')
    assert len(late) == 1
    cells = [c.text_content().strip() for c in late[0].xpath("th|td")]
    assert cells[1:5] == ["05/2025", "05/05/2025", "41", "1"]
    calls = text_of(officer.get(url, {"mois": "2025-06", "vue": "appels"}))
    assert "Appels de loyer du mois et ce qu'il en reste dû" in calls
    payments = text_of(officer.get(url, {"mois": "2025-06", "vue": "paiements"}))
    assert "Aucun paiement reçu ce mois-ci." in payments
    ages = page.xpath('//caption[contains(., "Sous-locations en impayé")]/../tbody/tr')
    cells = [[c.text_content().strip() for c in r.xpath("th|td")] for r in ages]
    assert cells[1][:2] == ["31 à 60 jours", "1"]
    assert cells[1][2].startswith("170,00")


def test_the_month_page_lists_the_inspections_to_do(officer, stay):
    page = text_of(officer.get(reverse("tenancy:month"), {"mois": "2025-03"}))
    assert "État des lieux d'entrée" in page
    response = officer.post(
        reverse("tenancy:inspection_create", args=[stay.unit.uuid]),
        {"kind": "entry", "done_on": "2025-03-10"},
    )
    assert response.status_code == 302
    assert Inspection.objects.get().stay == stay
    page = text_of(officer.get(reverse("tenancy:month"), {"mois": "2025-03"}))
    assert "Aucun état des lieux à faire." in page


def test_a_rent_call_is_corrected_by_hand(officer, sub_lease):
    rent_call = call(sub_lease, D(2025, 5, 1), 170)
    response = officer.post(
        reverse("tenancy:rent_call_edit", args=[rent_call.uuid]),
        {"due_on": "2025-05-06", "rent": "420", "charges": "60", "housing_benefit": "300"},
    )
    assert response.status_code == 302
    rent_call.refresh_from_db()
    assert (rent_call.due_on, rent_call.share) == (D(2025, 5, 6), 180)


def test_the_social_worker_sees_the_account_but_changes_nothing(client, org_a, sub_lease):
    client.force_login(UserFactory(organisation=org_a, social_worker=True))
    household = text_of(
        client.get(reverse("households:detail", args=[sub_lease.stay.household.uuid]))
    )
    assert "Compte du ménage" in household
    account = text_of(client.get(reverse("tenancy:account", args=[sub_lease.uuid])))
    assert "Enregistrer un paiement" not in account
    response = client.post(
        reverse("tenancy:payment_create", args=[sub_lease.uuid]),
        {"paid_on": "2025-06-02", "amount": "10", "method": "cash"},
    )
    assert response.status_code == 403
    assert not Payment.objects.exists()


@pytest.mark.parametrize("role", ["landlord", "state", "psychologist"])
def test_the_other_roles_see_nothing_of_the_money(client, org_a, sub_lease, role):
    client.force_login(UserFactory(organisation=org_a, role=role))
    assert client.get(reverse("tenancy:account", args=[sub_lease.uuid])).status_code == 403
    assert client.get(reverse("tenancy:month")).status_code == 403


def test_another_organisation_reaches_nothing(client, org_b, sub_lease):
    client.force_login(UserFactory(organisation=org_b, tenancy_officer=True))
    assert client.get(reverse("tenancy:account", args=[sub_lease.uuid])).status_code == 404
    page = text_of(client.get(reverse("tenancy:month")))
    assert "B-T1" not in page and "M-T1" not in page
