"""An 18-month contract signed on the day of entry is what IML-Réfugiés allows: the
plausibility rule bounds planned ends at three years, the programme's cap at its months."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.core.enums import Role
from seuil.core.plausibility import check_event_date, check_planned_end
from seuil.support.models import Amendment, SupportContract
from seuil.support.services import sign_contract
from tests.core.factories import UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

D = datetime.date


@pytest.fixture
def entered_today(org_a, today):
    programme = ProgrammeFactory(organisation=org_a, name="IML-Réfugiés", max_support_months=18)
    stay = StayFactory(
        household=HouseholdFactory(organisation=org_a),
        unit=HousingUnitFactory(organisation=org_a),
        programme=programme,
        entered_on=today,
    )
    worker = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    return stay, worker


def _sign(client, stay, worker, ends_on):
    client.force_login(worker)
    return client.post(
        reverse("support:contract_sign", args=[stay.uuid]),
        {"signed_on": "2025-06-15", "starts_on": "2025-06-15", "ends_on": ends_on},
    )


def test_an_18_month_iml_r_contract_signed_today_is_accepted(client, entered_today):
    stay, worker = entered_today
    # Entered on 15/06/2025: 18 months end on 14/12/2026, 18 months after today.
    response = _sign(client, stay, worker, "2026-12-14")
    assert response.status_code == 302
    assert SupportContract.objects.get(stay=stay).ends_on == D(2026, 12, 14)


def test_a_19_month_contract_is_refused_with_the_caps_message(client, entered_today):
    stay, worker = entered_today
    response = _sign(client, stay, worker, "2027-01-14")
    assert response.status_code == 200
    page = response.content.decode()
    assert "au-delà de 18 mois après l" in page
    assert "fin au plus tard le 14/12/2026" in page
    assert not SupportContract.objects.filter(stay=stay).exists()


def test_an_amendment_up_to_the_cap_is_accepted(client, entered_today):
    stay, worker = entered_today
    contract = sign_contract(
        stay,
        signed_on=D(2025, 6, 15),
        starts_on=D(2025, 6, 15),
        ends_on=D(2025, 12, 14),
        by=worker,
    )
    client.force_login(worker)
    response = client.post(
        reverse("support:amendment_add", args=[contract.uuid]),
        {"signed_on": "2025-06-15", "ends_on": "2026-12-14", "reason": "objectifs en cours"},
    )
    assert response.status_code == 302
    assert Amendment.objects.get(contract=contract).ends_on == D(2026, 12, 14)


def test_without_a_cap_a_planned_end_stops_three_years_ahead(client, org_a, today):
    stay = StayFactory(
        household=HouseholdFactory(organisation=org_a),
        unit=HousingUnitFactory(organisation=org_a),
        programme=ProgrammeFactory(organisation=org_a, max_support_months=None),
        entered_on=today,
    )
    worker = UserFactory(organisation=org_a, role=Role.SOCIAL_WORKER)
    refused = _sign(client, stay, worker, "2028-06-16")
    assert "plus de 3 ans après aujourd" in refused.content.decode()
    assert "au plus tard le 15/06/2028" in refused.content.decode()
    assert _sign(client, stay, worker, "2028-06-15").status_code == 302


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_a_planned_end_is_bounded_later_than_a_dated_event(value):
    today = D(2025, 6, 15)
    # Whatever a dated event accepts, a planned end accepts; beyond, up to three years.
    if check_event_date(value, today) is None:
        assert check_planned_end(value, today) is None
    assert (check_planned_end(value, today) is None) == (value <= D(2028, 6, 15))
