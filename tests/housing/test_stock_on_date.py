"""Units in stock, vacant and occupied on a date, as the reports ask."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from seuil.households.models import Household
from seuil.housing.models import HousingUnit, Stay
from tests.conftest import examples
from tests.core.factories import OrganisationFactory
from tests.households.factories import HouseholdFactory
from tests.housing.factories import HousingUnitFactory, StayFactory

DAY0 = datetime.date(2023, 1, 1)


def day(n):
    return DAY0 + datetime.timedelta(days=n)


unit_spec = st.tuples(
    st.integers(0, 20),  # captured
    st.one_of(st.none(), st.integers(1, 20)),  # returned after capture
    st.one_of(st.none(), st.tuples(st.integers(0, 20), st.one_of(st.none(), st.integers(1, 20)))),
)


class StockOnADate(TestCase):
    @settings(max_examples=examples(30), deadline=None)
    @given(st.lists(unit_spec, min_size=1, max_size=5), st.integers(0, 45))
    def test_in_stock_vacant_and_occupied_follow_the_dates(self, specs, on):
        organisation = OrganisationFactory()
        expected = {"in_stock": set(), "occupied": set(), "vacant": set()}
        present_households = set()
        for n, (captured, returned_after, stay) in enumerate(specs):
            returned = None if returned_after is None else captured + returned_after
            unit = HousingUnitFactory(
                organisation=organisation,
                ref=f"L{n}",
                captured_on=day(captured),
                returned_on=None if returned is None else day(returned),
            )
            in_stock = captured <= on and (returned is None or on < returned)
            occupied = False
            if stay is not None:
                entered = captured + stay[0]
                exited = None if stay[1] is None else entered + stay[1]
                if returned is not None and (exited is None or exited > returned):
                    exited = None if entered >= returned else returned
                if exited is not None or returned is None:
                    household = HouseholdFactory(organisation=organisation, ref=f"M{n}")
                    StayFactory(
                        household=household,
                        unit=unit,
                        ref=f"S{n}",
                        entered_on=day(entered),
                        exited_on=None if exited is None else day(exited),
                    )
                    occupied = entered <= on and (exited is None or on < exited)
                    if occupied:
                        present_households.add(household.pk)
            if in_stock:
                expected["in_stock"].add(unit.ref)
                expected["occupied" if occupied else "vacant"].add(unit.ref)
        units = HousingUnit.objects.filter(organisation=organisation)
        assert set(units.in_stock_on(day(on)).values_list("ref", flat=True)) == expected["in_stock"]
        assert set(units.occupied_on(day(on)).values_list("ref", flat=True)) == expected["occupied"]
        assert set(units.vacant_on(day(on)).values_list("ref", flat=True)) == expected["vacant"]
        present = Household.objects.filter(organisation=organisation).present_on(day(on))
        assert set(present.values_list("pk", flat=True)) == present_households
        assert Stay.objects.present_on(day(on)).count() == len(present_households)


def test_a_dwelling_split_into_rooms_is_not_counted_itself_but_its_rooms_are(db):
    flat = HousingUnitFactory(ref="COLOC", typology="T4", captured_on=day(0))
    for n in range(3):
        HousingUnitFactory(
            organisation=flat.organisation,
            ref=f"COLOC-{n}",
            typology="room",
            parent=flat,
            captured_on=day(0),
        )
    refs = set(HousingUnit.objects.vacant_on(day(5)).values_list("ref", flat=True))
    assert refs == {"COLOC-0", "COLOC-1", "COLOC-2"}


def test_a_unit_returned_on_a_day_is_out_of_stock_that_day(db):
    unit = HousingUnitFactory(captured_on=day(0), returned_on=day(10))
    assert HousingUnit.objects.in_stock_on(day(9)).filter(pk=unit.pk).exists()
    assert not HousingUnit.objects.in_stock_on(day(10)).filter(pk=unit.pk).exists()


def test_a_household_leaving_a_unit_frees_it_the_same_day(db):
    stay = StayFactory(entered_on=day(0), exited_on=day(10))
    assert HousingUnit.objects.occupied_on(day(9)).filter(pk=stay.unit_id).exists()
    assert HousingUnit.objects.vacant_on(day(10)).filter(pk=stay.unit_id).exists()
