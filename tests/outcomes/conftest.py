"""Stays that ended to housing, for the outcomes tests (the clock on TODAY)."""

import pytest

from tests.conftest import days_ago
from tests.households.factories import MembershipFactory
from tests.housing.factories import HousingUnitFactory, StayFactory


@pytest.fixture
def household(org_a):
    return MembershipFactory(
        household__organisation=org_a,
        household__ref="M-SUIVI",
        person__first_name="Aïcha",
        person__last_name="Diallo",
    ).household


@pytest.fixture
def exited(today, org_a, household):
    """A's stay that ended to a social tenancy 360 days ago: its 12-month follow-up is due."""
    unit = HousingUnitFactory(organisation=org_a, ref="L-SUIVI")
    return StayFactory(
        household=household,
        unit=unit,
        entered_on=days_ago(900),
        exited_on=days_ago(360),
        exit_destination="social_landlord",
    )
