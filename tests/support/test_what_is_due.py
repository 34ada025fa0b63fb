"""What is due on a day (the functions notifications will call): contracts ending within 30
days, stays without a contract after the first month, households without a contact for
more than their programme's N days."""

import datetime

import pytest

from seuil.support import due
from seuil.support.enums import ContactKind
from seuil.support.models import SupportSettings
from seuil.support.services import amend_contract, record_contact, sign_contract
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

D = datetime.date
DAY = datetime.timedelta(days=1)
ON = D(2025, 6, 15)


@pytest.fixture
def housed(org_a, db):
    def stay(ref, entered_on, programme=None):
        household = HouseholdFactory(organisation=org_a, ref=ref)
        return StayFactory(
            household=household,
            unit=HousingUnitFactory(organisation=org_a),
            programme=programme,
            entered_on=entered_on,
        )

    return stay


def test_contracts_ending_within_thirty_days_as_known_on_the_day(housed):
    soon = housed("M-SOON", D(2025, 1, 1))
    sign_contract(
        soon, signed_on=D(2025, 1, 5), starts_on=D(2025, 1, 5), ends_on=ON + 30 * DAY, by=None
    )
    later = housed("M-LATER", D(2025, 1, 1))
    sign_contract(
        later, signed_on=D(2025, 1, 5), starts_on=D(2025, 1, 5), ends_on=ON + 31 * DAY, by=None
    )
    amended = housed("M-AMENDED", D(2025, 1, 1))
    contract = sign_contract(
        amended, signed_on=D(2025, 1, 5), starts_on=D(2025, 1, 5), ends_on=ON + 5 * DAY, by=None
    )
    amend_contract(contract, signed_on=ON + DAY, ends_on=ON + 200 * DAY, by=None)
    rows = due.contracts_ending(soon.organisation, ON)
    # The amendment signed tomorrow is not known today.
    assert [(r.contract.stay.household.ref, r.days_left) for r in rows] == [
        ("M-AMENDED", 5),
        ("M-SOON", 30),
    ]
    assert [
        r.contract.stay.household.ref for r in due.contracts_ending(soon.organisation, ON + DAY)
    ] == [
        "M-SOON",
        "M-LATER",  # 30 days left tomorrow
    ]


def test_stays_without_a_contract_after_the_first_month(housed):
    housed("M-NEW", ON - 30 * DAY)
    old = housed("M-OLD", ON - 31 * DAY)
    signed = housed("M-SIGNED", ON - 90 * DAY)
    sign_contract(signed, signed_on=ON - 60 * DAY, starts_on=ON - 60 * DAY, ends_on=ON, by=None)
    assert [
        (r.stay.household.ref, r.days_since_entry)
        for r in due.contracts_to_sign(old.organisation, ON)
    ] == [("M-OLD", 31)]


def test_households_without_contact_for_more_than_their_programmes_days(housed, org_a):
    asg = ProgrammeFactory(organisation=org_a, kind="asg")
    SupportSettings.objects.create(programme=asg, no_contact_days=10)
    quiet = housed("M-QUIET", ON - 100 * DAY)
    record_contact(quiet.household, on=ON - 31 * DAY, kind=ContactKind.PHONE, by=None)
    seen = housed("M-SEEN", ON - 100 * DAY)
    record_contact(seen.household, on=ON - 30 * DAY, kind=ContactKind.HOME_VISIT, by=None)
    planned = housed("M-PLANNED", ON - 100 * DAY)
    record_contact(
        planned.household, on=ON - 2 * DAY, kind=ContactKind.PHONE, planned=True, by=None
    )
    strict = housed("M-ASG", ON - 11 * DAY, programme=asg)
    housed("M-JUST-IN", ON - 5 * DAY)
    rows = due.households_without_contact(org_a, ON)
    assert [(r.stay.household.ref, r.last_contact_on, r.days, r.limit) for r in rows] == [
        ("M-PLANNED", None, 100, 30),  # a contact planned is not a contact
        ("M-QUIET", ON - 31 * DAY, 31, 30),
        ("M-ASG", None, 11, 10),
    ]
    assert strict.programme == asg
