"""The rules of stays hold whatever the order and the dates of entries and exits."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from seuil.housing import invariants
from seuil.housing.models import Stay
from seuil.housing.services import enter_household, record_exit
from tests.conftest import examples
from tests.core.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

DAY0 = datetime.date(2022, 1, 1)
days = st.integers(min_value=0, max_value=60)


def day(n):
    return DAY0 + datetime.timedelta(days=n)


def shares_a_day(a, b):
    """Brute force: do [a0, a1) and [b0, b1) share a day? (None = open end, 1000 days)."""
    a_days = set(range(a[0], 1000 if a[1] is None else a[1]))
    b_days = set(range(b[0], 1000 if b[1] is None else b[1]))
    return bool(a_days & b_days)


interval = st.tuples(days, st.one_of(st.none(), days)).map(
    lambda t: (t[0], None if t[1] is None else t[0] + t[1])
)


@given(interval, interval)
def test_two_stays_overlap_exactly_when_they_share_a_day(a, b):
    as_dates = [(day(x[0]), None if x[1] is None else day(x[1])) for x in (a, b)]
    assert invariants.intervals_overlap(*as_dates[0], *as_dates[1]) == shares_a_day(a, b)


@given(st.lists(st.tuples(st.sampled_from("UV"), interval), max_size=8))
def test_find_overlaps_finds_a_clash_exactly_when_two_stays_of_a_key_share_a_day(stays):
    expected = any(
        ka == kb and shares_a_day(a, b)
        for i, (ka, a) in enumerate(stays)
        for kb, b in stays[i + 1 :]
    )
    rows = [
        (key, day(iv[0]), None if iv[1] is None else day(iv[1]), n)
        for n, (key, iv) in enumerate(stays)
    ]
    assert bool(invariants.find_overlaps(rows)) == expected


@given(days, st.one_of(st.none(), days), days, st.one_of(st.none(), days))
def test_a_stay_is_accepted_by_the_stock_rule_only_inside_the_stock_period(
    entered, length, captured, returned_after
):
    exited = None if length is None else entered + length
    returned = None if returned_after is None else captured + returned_after
    errors = invariants.stay_stock_errors(
        day(entered),
        None if exited is None else day(exited),
        day(captured),
        None if returned is None else day(returned),
    )
    inside = entered >= captured and (
        returned is None or (exited is not None and exited <= returned)
    )
    assert (errors == []) == inside


class EntriesAndExitsKeepTheInvariants(TestCase):
    """Random sequences of entries and exits through the services never break a rule."""

    @settings(max_examples=examples(40), deadline=None)
    @given(
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 1), days, st.one_of(st.none(), days)),
            min_size=1,
            max_size=8,
        )
    )
    def test_services_refuse_exactly_the_stays_that_would_clash(self, actions):
        organisation = OrganisationFactory()
        user = UserFactory(organisation=organisation)
        households = HouseholdFactory.create_batch(3, organisation=organisation)
        units = HousingUnitFactory.create_batch(2, organisation=organisation, captured_on=day(5))
        accepted = []  # (household index, unit index, entered, exited)
        for h, u, entered, length in actions:
            exited = None if length is None else entered + length
            # An entry opens a stay with no end: it must be free from that day on.
            clash = entered < 5 or any(
                (h == ah or u == au) and shares_a_day((entered, None), (ae, ax))
                for ah, au, ae, ax in accepted
            )
            stays_before = Stay.objects.count()
            try:
                with transaction.atomic():
                    stay = enter_household(
                        households[h], units[u], entered_on=day(entered), acting_user=user
                    )
                    if exited is not None:
                        record_exit(
                            stay,
                            exited_on=day(exited),
                            destination="social_landlord",
                            acting_user=user,
                        )
            except ValidationError:
                assert clash
                assert Stay.objects.count() == stays_before
                continue
            assert not clash
            accepted.append((h, u, entered, exited))
        rows = [(s.unit_id, s.entered_on, s.exited_on, s.pk) for s in Stay.objects.all()]
        assert invariants.find_overlaps(rows) == []
        rows = [(s.household_id, s.entered_on, s.exited_on, s.pk) for s in Stay.objects.all()]
        assert invariants.find_overlaps(rows) == []


@pytest.mark.django_db
def test_the_database_itself_refuses_an_exit_before_the_entry():
    stay = StayFactory(entered_on=day(10))
    stay.exited_on = day(9)
    with pytest.raises(IntegrityError), transaction.atomic():
        stay.save()


@pytest.mark.django_db
def test_an_exit_before_the_entry_is_refused_with_a_french_message():
    stay = StayFactory(entered_on=day(10))
    user = UserFactory(organisation=stay.organisation)
    with pytest.raises(ValidationError) as refused:
        record_exit(stay, exited_on=day(9), destination="other", acting_user=user)
    assert "La date de sortie précède la date d'entrée." in refused.value.messages


@pytest.mark.django_db
def test_a_household_cannot_enter_a_dwelling_split_into_rooms():
    flat = HousingUnitFactory(typology="T4")
    HousingUnitFactory(organisation=flat.organisation, typology="room", parent=flat)
    household = HouseholdFactory(organisation=flat.organisation)
    user = UserFactory(organisation=flat.organisation)
    with pytest.raises(ValidationError) as refused:
        enter_household(household, flat, entered_on=day(30), acting_user=user)
    assert "partagé en chambres" in " ".join(refused.value.messages)
    assert not Stay.objects.exists()
