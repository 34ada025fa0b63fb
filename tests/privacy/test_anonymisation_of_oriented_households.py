"""Anonymisation and orientation: a household still followed is kept; once anonymised,
orientation's free text about it is gone and its dated facts stay."""

import datetime

from seuil.orientation.enums import ReferralStatus, RequestStatus
from seuil.orientation.models import Referral, Request, RequestTransition
from seuil.privacy.anonymisation import anonymise_expired
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, StayFactory
from tests.orientation.factories import ReferralFactory, RequestFactory

D = datetime.date
TODAY = D(2027, 6, 1)  # retention of 730 days: limit on 2025-06-01


def left_long_ago():
    household = HouseholdFactory()
    unit = HousingUnitFactory(organisation=household.organisation, captured_on=D(2020, 1, 1))
    StayFactory(household=household, unit=unit, entered_on=D(2021, 1, 1), exited_on=D(2022, 1, 1))
    return household


def test_a_household_waiting_on_a_list_or_with_a_request_in_progress_is_never_anonymised(db):
    waiting = left_long_ago()
    ReferralFactory(request__household=waiting, status=ReferralStatus.WAITING)
    requesting = left_long_ago()
    RequestFactory(household=requesting, status=RequestStatus.RECEIVED)
    done = left_long_ago()
    outcome = anonymise_expired(TODAY, 730, dry_run=True)
    assert str(done.uuid) in outcome.households
    assert str(waiting.uuid) not in outcome.households
    assert str(requesting.uuid) not in outcome.households


def test_orientation_free_text_goes_and_its_dated_facts_stay(db):
    household = left_long_ago()
    referral = ReferralFactory(
        request__household=household,
        request__prescriber="CADA de Montdidier, Mme Lefèvre",
        request__received_on=D(2020, 10, 1),
        admitted_on=D(2020, 12, 1),
        status=ReferralStatus.HOUSED,
        closed_on=D(2021, 1, 1),
    )
    RequestTransition.objects.create(
        request=referral.request,
        from_status="received",
        to_status="assessed",
        on=D(2020, 11, 1),
        comment="Violences conjugales signalées par le CADA",
    )
    dry = anonymise_expired(TODAY, 730, dry_run=True)
    assert dry.deleted["orientation_free_text"] == 2
    assert Request.objects.get().prescriber.startswith("CADA")
    outcome = anonymise_expired(TODAY, 730)
    assert str(household.uuid) in outcome.households
    request = Request.objects.get()
    assert request.prescriber == "" and request.received_on == referral.request.received_on
    assert RequestTransition.objects.get().comment == ""
    assert Referral.objects.get().admitted_on == referral.admitted_on
