"""The exit preparation starts by default three months before the support contract in force
ends (as amended), and today for a stay with no contract."""

import datetime

import pytest

from seuil.housing.models import Stay
from seuil.outcomes.services import checklist_of
from seuil.support.services import amend_contract, sign_contract
from tests.housing.factories import StayFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def stay(org_a):
    return StayFactory(
        household__organisation=org_a, unit__organisation=org_a, entered_on=D(2025, 1, 15)
    )


def start(stay, day):
    """The default start of the checklist page opened on `day` (each page reads the stay)."""
    return checklist_of(Stay.objects.get(pk=stay.pk), day).starts_on


def test_without_a_contract_the_preparation_starts_today(stay):
    assert start(stay, D(2025, 3, 1)) == D(2025, 3, 1)


def test_three_months_before_the_contract_ends_as_amended_when_known(stay):
    contract = sign_contract(
        stay, signed_on=D(2025, 2, 1), starts_on=D(2025, 2, 1), ends_on=D(2025, 7, 31), by=None
    )
    assert start(stay, D(2025, 3, 1)) == D(2025, 4, 30)
    amend_contract(contract, signed_on=D(2025, 7, 1), ends_on=D(2026, 1, 31), by=None)
    assert start(stay, D(2025, 6, 30)) == D(2025, 4, 30)  # not known yet
    assert start(stay, D(2025, 7, 2)) == D(2025, 10, 31)


def test_never_before_the_entry(stay):
    sign_contract(
        stay, signed_on=D(2025, 1, 20), starts_on=D(2025, 1, 20), ends_on=D(2025, 3, 31), by=None
    )
    assert start(stay, D(2025, 2, 1)) == D(2025, 1, 15)
