"""Which households are past the retention period: exactly those that left before the limit."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from seuil.core.audit import record_access
from seuil.core.models import AccessLog
from seuil.households.models import Household, Person
from seuil.privacy.anonymisation import candidates, retention_limit
from tests.conftest import examples
from tests.core.factories import OrganisationFactory
from tests.households.factories import (
    HouseholdFactory,
    MembershipFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, StayFactory

D = datetime.date
TODAY = D(2027, 1, 1)
LIMIT = D(2025, 1, 1)  # TODAY - 730 days


def housed(organisation, *stays):
    """A household with these (entered_on, exited_on) stays."""
    household = HouseholdFactory(organisation=organisation)
    unit = HousingUnitFactory(organisation=organisation, captured_on=D(2000, 1, 1))
    for entered, exited in stays:
        StayFactory(household=household, unit=unit, entered_on=entered, exited_on=exited)
    return household


def never_housed(organisation, last_saved):
    """A household without stay, whose file was last saved on `last_saved`."""
    household = HouseholdFactory(organisation=organisation)
    MembershipFactory(household=household, person__organisation=organisation)
    moment = timezone.make_aware(datetime.datetime.combine(last_saved, datetime.time(12)))
    Household.objects.filter(pk=household.pk).update(created_at=moment, updated_at=moment)
    Person.objects.filter(memberships__household=household).update(updated_at=moment)
    return household


def uuids(queryset):
    return {h.uuid for h in queryset}


def test_the_retention_limit_is_two_years_by_default(settings):
    assert settings.SEUIL_RETENTION_DAYS == 730
    assert retention_limit(TODAY) == LIMIT
    assert retention_limit(TODAY, 10) == D(2026, 12, 22)


def test_a_household_that_left_the_day_before_the_limit_is_a_candidate_not_on_the_limit(org_a):
    before = housed(org_a, (D(2022, 1, 1), LIMIT - datetime.timedelta(days=1)))
    on_limit = housed(org_a, (D(2022, 1, 1), LIMIT))
    assert uuids(candidates(TODAY, 730)) == {before.uuid}
    assert on_limit.uuid in uuids(candidates(TODAY + datetime.timedelta(days=1), 730))


def test_the_last_exit_counts_not_the_first(org_a):
    household = housed(org_a, (D(2020, 1, 1), D(2021, 1, 1)), (D(2024, 1, 1), D(2025, 6, 1)))
    assert household.uuid not in uuids(candidates(TODAY, 730))


def test_a_present_household_is_never_a_candidate(org_a):
    housed(org_a, (D(2015, 1, 1), None))
    housed(org_a, (D(2015, 1, 1), D(2016, 1, 1)), (D(2017, 1, 1), None))
    assert uuids(candidates(TODAY, 0)) == set()


def test_a_household_with_a_stay_to_come_is_never_a_candidate(org_a):
    housed(org_a, (D(2015, 1, 1), D(2016, 1, 1)), (TODAY + datetime.timedelta(days=3), None))
    housed(
        org_a,
        (D(2015, 1, 1), D(2016, 1, 1)),
        (TODAY + datetime.timedelta(days=3), TODAY + datetime.timedelta(days=90)),
    )
    assert uuids(candidates(TODAY, 0)) == set()


def test_households_of_every_organisation_are_candidates(org_a, org_b):
    a = housed(org_a, (D(2019, 1, 1), D(2020, 1, 1)))
    b = housed(org_b, (D(2019, 1, 1), D(2020, 1, 1)))
    assert uuids(candidates(TODAY, 730)) == {a.uuid, b.uuid}


def test_an_anonymised_household_is_not_a_candidate_again(org_a):
    household = housed(org_a, (D(2019, 1, 1), D(2020, 1, 1)))
    Household.objects.filter(pk=household.pk).update(anonymised_on=D(2022, 1, 1))
    assert uuids(candidates(TODAY, 730)) == set()


def test_a_household_never_housed_goes_after_the_retention_period_without_change(org_a):
    quiet = never_housed(org_a, LIMIT - datetime.timedelta(days=1))
    recent = never_housed(org_a, LIMIT)
    assert uuids(candidates(TODAY, 730)) == {quiet.uuid}
    assert recent.uuid in uuids(candidates(TODAY + datetime.timedelta(days=1), 730))


def test_a_dated_fact_or_a_logged_change_is_a_change_of_a_never_housed_household(org_a, today):
    resources = never_housed(org_a, D(2020, 1, 1))
    ResourceRecordFactory(household=resources, on=today - datetime.timedelta(days=10))
    logged = never_housed(org_a, D(2020, 1, 1))
    record_access(None, AccessLog.Action.CHANGE, logged)
    viewed = never_housed(org_a, D(2020, 1, 1))
    record_access(None, AccessLog.Action.VIEW, viewed)  # a reading is not a change
    assert uuids(candidates(today, 730)) == {viewed.uuid}


@pytest.mark.django_db
def test_a_negative_retention_is_refused():
    with pytest.raises(ValueError, match="négative"):
        candidates(TODAY, -1)


class TheLimitIsExactForEveryDateAndRetention(TestCase):
    """Whatever the exit date and retention: a candidate exactly when it left before."""

    @settings(max_examples=examples(60), deadline=None)
    @given(
        exit_offset=st.one_of(st.integers(-3, 3), st.integers(-2000, 2000)),
        retention=st.integers(0, 1500),
        stay_length=st.integers(0, 800),
    )
    def test_candidate_exactly_when_the_last_exit_is_before_the_limit(
        self, exit_offset, retention, stay_length
    ):
        organisation = OrganisationFactory()
        limit = TODAY - datetime.timedelta(days=retention)
        exited = limit + datetime.timedelta(days=exit_offset)
        entered = exited - datetime.timedelta(days=stay_length)
        left = housed(organisation, (entered, exited))
        present = housed(organisation, (entered, None))
        found = uuids(candidates(TODAY, retention))
        assert (left.uuid in found) == (exited < limit)
        assert present.uuid not in found
