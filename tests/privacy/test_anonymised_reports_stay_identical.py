"""The activity report of any past period is the same before and after anonymisation.

Birth dates are generalised (year, or month, or kept) only as far as every age band the
report can compute stays the same: a property of the pure rule first, then the whole report
on random households, compared over many periods.
"""

import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seuil.housing.models import EvictionProcedure
from seuil.privacy.anonymisation import anonymise, candidates, generalised_birth_date
from seuil.reports.compute import age_band, age_on
from seuil.reports.facts import activity_report
from tests.core.factories import OrganisationFactory
from tests.households.factories import (
    HouseholdFactory,
    LegalStatusRecordFactory,
    MembershipFactory,
    PersonFactory,
    ResourceRecordFactory,
)
from tests.housing.factories import HousingUnitFactory, ProgrammeFactory, StayFactory

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)

births = st.one_of(
    st.dates(D(1930, 1, 1), D(2030, 12, 31)),
    st.sampled_from([D(2000, 2, 29), D(2004, 2, 29), D(1964, 2, 29), D(2006, 12, 31)]),
)


@given(
    birth=births,
    first=st.dates(D(2015, 1, 1), D(2026, 12, 31)),
    length=st.integers(0, 1500),
)
def test_the_generalised_birth_date_gives_the_same_age_band_every_day_of_the_window(
    birth, first, length
):
    last = first + datetime.timedelta(days=length)
    general, precision = generalised_birth_date(birth, first, last)
    assert precision in ("year", "month", "day")
    assert general.year == birth.year and (precision == "year" or general.month == birth.month)
    day = first
    while day <= last:
        original, generalised = age_on(birth, day), age_on(general, day)
        assert age_band(generalised) == age_band(original), (birth, general, day)
        assert (generalised >= 18) == (original >= 18), (birth, general, day)
        day += ONE_DAY


def test_the_date_is_kept_only_when_a_threshold_birthday_falls_in_the_window():
    window = (D(2023, 1, 1), D(2024, 9, 30))
    assert generalised_birth_date(D(1985, 7, 14), *window) == (D(1985, 1, 1), "year")
    # 18 on 20 May 2024, inside the window.
    assert generalised_birth_date(D(2006, 5, 20), *window) == (D(2006, 5, 20), "day")
    # 25 on 15 October 2024, two weeks after the window: 1 January would be 25 in it.
    assert generalised_birth_date(D(1999, 10, 15), *window) == (D(1999, 10, 1), "month")
    # No window (never housed): the year.
    assert generalised_birth_date(D(1990, 3, 3), None, None) == (D(1990, 1, 1), "year")
    assert generalised_birth_date(None, *window) == (None, "unknown")


def random_organisation(seed, today):
    """Households with realistic stays around past periods: most left long ago (their
    retention is over), some are still housed; children turn 18 during stays, joiners
    arrive, some persons belong to two households."""
    rng = random.Random(seed)
    organisation = OrganisationFactory(ref=f"retention-{seed}")
    programmes = [ProgrammeFactory(organisation=organisation, ref=r) for r in ("iml", "mob")]
    units = [
        HousingUnitFactory(organisation=organisation, captured_on=D(2016, 1, 1)) for _ in range(8)
    ]

    def day(low, high):
        return low + datetime.timedelta(days=rng.randint(0, (high - low).days))

    movers = []
    for n in range(18):
        household = HouseholdFactory(
            organisation=organisation,
            prior_situation=rng.choice(["specialised_shelter", "street_or_115", ""]),
        )
        entered = day(D(2017, 1, 1), D(2023, 6, 1))
        present = n % 6 == 0
        stays = []
        for _ in range(rng.randint(1, 2)):
            exited = entered + datetime.timedelta(days=rng.randint(0, 800))
            if exited >= today - datetime.timedelta(days=800):
                exited = None if present else today - datetime.timedelta(days=800)
            stays.append(
                StayFactory(
                    household=household,
                    unit=rng.choice(units),
                    programme=rng.choice([*programmes, None]),
                    entered_on=entered,
                    exited_on=exited,
                    exit_destination=rng.choice(["social_landlord", "shelter", ""]),
                    lease_transferred=rng.random() < 0.3,
                    support_intensity=rng.choice(["standard", "reinforced"]),
                )
            )
            if exited is None:
                break
            entered = exited + datetime.timedelta(days=rng.randint(1, 200))
        if rng.random() < 0.3:
            EvictionProcedure.objects.create(stay=stays[0], started_on=stays[0].entered_on)
        first_day = stays[0].entered_on
        for role in ["head", *rng.sample(["partner", "child", "child", "child", "other"], 3)]:
            if role == "child":  # born so that 18 often falls during the stays
                born = day(first_day - datetime.timedelta(days=19 * 365), first_day)
            else:
                born = rng.choice(
                    [
                        None,
                        D(1964, 2, 29),
                        day(D(1950, 1, 1), D(2004, 12, 31)),
                        # 25, 40 or 60 near the first entry
                        first_day - datetime.timedelta(days=rng.choice([25, 40, 60]) * 365),
                    ]
                )
            joined = None
            if rng.random() < 0.25:
                joined = day(first_day, first_day + datetime.timedelta(days=300))
            person = PersonFactory(
                organisation=organisation, sex=rng.choice(["F", "M", "X", ""]), birth_date=born
            )
            MembershipFactory(
                household=household,
                person=person,
                role=role,
                joined_on=joined,
                joined_reason=rng.choice(["birth", "other"]) if joined else "",
                left_on=None
                if rng.random() < 0.85
                else day(joined or first_day, (joined or first_day) + datetime.timedelta(500)),
            )
            if role in ("head", "partner"):
                movers.append(person)
            for since in {day(D(2015, 1, 1), D(2024, 1, 1)) for _ in range(rng.randint(0, 2))}:
                LegalStatusRecordFactory(
                    person=person, since=since, status=rng.choice(["refugee", "asylum_seeker"])
                )
        for on in {day(D(2016, 1, 1), D(2024, 1, 1)) for _ in range(rng.randint(0, 2))}:
            ResourceRecordFactory(
                household=household, on=on, types=rng.sample(["rsa", "salary", "aah"], 2)
            )
    # Some adults also belong to a second household (a later couple, say).
    households = list(organisation.households.order_by("pk"))
    for person in rng.sample(movers, 4):
        other = rng.choice(households)
        if not other.memberships.filter(person=person).exists():
            MembershipFactory(household=other, person=person, role="other")
    return organisation


def periods():
    """Yearly (calendar and November–October), quarterly and a few odd periods, 2017–2026."""
    for year in range(2017, 2027):
        yield D(year, 1, 1), D(year, 12, 31)
        yield D(year - 1, 11, 1), D(year, 10, 31)
        for month in (1, 4, 7, 10):
            start = D(year, month, 1)
            yield start, (start + datetime.timedelta(days=95)).replace(day=1) - ONE_DAY
    yield D(2020, 2, 29), D(2020, 2, 29)
    yield D(2018, 5, 17), D(2023, 8, 3)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_activity_report_of_past_periods_is_the_same_after_anonymisation(db, seed):
    today = D(2026, 11, 1)
    organisation = random_organisation(seed, today)
    programme_scopes = ([], ["iml"])
    before = {
        (start, end, tuple(scope)): activity_report(organisation.ref, scope, start, end)
        for start, end in periods()
        for scope in programme_scopes
    }
    outcome = anonymise(candidates(today, 730), today)
    assert len(outcome.households) >= 10  # most households were anonymised
    assert outcome.birth_dates["year"] > 0  # and birth dates generalised
    for (start, end, scope), report in before.items():
        assert activity_report(organisation.ref, list(scope), start, end) == report, (start, end)
