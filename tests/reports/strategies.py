"""Hypothesis strategies: small random data sets dense around the report's period."""

import datetime

from hypothesis import strategies as st

from seuil.reports.compute import (
    EvictionProcedure,
    Facts,
    Household,
    LegalStatusRecord,
    Member,
    ResourceRecord,
    Stay,
    Unit,
)

BASE = datetime.date(2022, 1, 1)
SPAN = 1200  # days after BASE where facts happen
SECTORS = ["nord", "sud"]
TYPOLOGIES = ["room", "T1", "T2", "T3", "T4", "T5", "T6", ""]
STATUSES = [
    "refugee",
    "subsidiary_protection",
    "stateless",
    "regularised",
    "asylum_seeker",
    "french_or_eu",
    "other",
    "unknown",
]
RESOURCES = ["salary", "rsa", "family_benefits", "aah", "none", "other", "pension"]
ROLES = ["head", "head", "partner", "partner", "child", "child", "other"]
PRIOR = ["specialised_shelter", "general_shelter", "street_or_115", "other", "unknown", ""]
DESTINATIONS = ["social_landlord", "private_landlord", "shelter", "other", "unknown", ""]
# Lengths of stay near the band boundaries (182/183, 365/366, 547/548 days) or anything.
LENGTHS = st.one_of(st.sampled_from([0, 1, 182, 183, 365, 366, 547, 548]), st.integers(0, 900))


def day(offset):
    return BASE + datetime.timedelta(days=offset)


uniform_days = st.integers(0, SPAN).map(day)
birth_dates = st.one_of(
    st.none(),
    st.sampled_from(
        [datetime.date(2004, 2, 29), datetime.date(2008, 2, 29), datetime.date(2020, 2, 29)]
    ),
    st.dates(datetime.date(1950, 1, 1), datetime.date(2025, 6, 1)),
)


# Strategies that do not depend on the period, built once: building one (and validating it)
# costs more than drawing from it, and a composite draws from them hundreds of times.
periods_start = st.integers(200, SPAN)
period_lengths = st.integers(0, 400)
unit_counts = st.integers(0, 7)
household_counts = st.integers(1, 5)
stay_counts = st.integers(0, 9)
member_counts = st.integers(0, 5)
returns_after = st.one_of(st.none(), st.integers(0, 800))
typologies = st.sampled_from(TYPOLOGIES)
sectors = st.sampled_from([*SECTORS, None])
priors = st.sampled_from(PRIOR)
lengths_or_none = st.one_of(st.none(), LENGTHS)
kinds_of_stay = st.sampled_from(["entry", "exit", "present"])
destinations = st.sampled_from(DESTINATIONS)
left_after = st.one_of(st.none(), st.none(), st.integers(0, 600))
join_reasons = st.sampled_from(["birth", "birth", "family_reunification", "other", ""])
roles = st.sampled_from(ROLES)
sexes = st.sampled_from(["F", "M", "F", "M", "X", ""])
statuses = st.sampled_from(STATUSES)
resource_types = st.lists(st.sampled_from(RESOURCES), max_size=3)
eviction_lengths = st.one_of(st.none(), st.integers(0, 300))
programme_lists = st.sampled_from([[], ["iml-r"], ["iml-r", "mobilite"]])
ages = st.sampled_from([0, 1, 17, 18, 19, 24, 25, 39, 40, 59, 60])
birthday_shifts = st.sampled_from([-1, 0, 0, 1])


def days_around(start, end):
    """Any day, or a day near the period, or exactly on one of its boundaries."""
    one = datetime.timedelta(days=1)
    return st.one_of(
        uniform_days,
        st.dates(start - datetime.timedelta(days=60), end + datetime.timedelta(days=60)),
        st.sampled_from([start - one, start, start + one, end - one, end, end + one]),
    )


@st.composite
def anniversaries(draw, days):
    """A birth date whose birthday (0, 17, 18, 24, 25… years) falls on a likely table date."""
    on = draw(days)
    years = draw(ages)
    shift = datetime.timedelta(days=draw(birthday_shifts))
    try:
        return on.replace(year=on.year - years) + shift
    except ValueError:  # 29 February
        return datetime.date(on.year - years, 2, 28) + shift


@st.composite
def facts_and_period(draw):
    start = day(draw(periods_start))
    end = start + datetime.timedelta(draw(period_lengths))
    days = days_around(start, end)
    # The strategies of this period, built once for the example.
    days_or_none = st.one_of(st.none(), days)
    births = st.one_of(birth_dates, anniversaries(days))
    up_to_three_days = st.sets(days, max_size=3)
    up_to_two_days = st.sets(days, max_size=2)
    n_units = draw(unit_counts)
    units = []
    parents = st.one_of(st.none(), st.integers(1, n_units))
    for uid in range(1, n_units + 1):
        captured = draw(days)
        returned = draw(returns_after)
        parent = draw(parents) if uid > 1 else None
        if parent is not None and parent >= uid:
            parent = None
        units.append(
            Unit(
                id=uid,
                typology=draw(typologies),
                sector=draw(sectors),
                captured_on=captured,
                returned_on=None if returned is None else captured + datetime.timedelta(returned),
                parent_id=parent,
                in_scope=draw(st.booleans()) or draw(st.booleans()),
            )
        )
    n_households = draw(household_counts)
    households = [
        Household(id=hid, prior_situation=draw(priors)) for hid in range(1, n_households + 1)
    ]
    stays = []
    for sid in range(1, draw(stay_counts) + 1):
        length = draw(lengths_or_none)
        how = draw(kinds_of_stay)
        if length is not None and how == "exit":  # exit near the period
            exited = draw(days)
            entered = exited - datetime.timedelta(length)
        elif how == "present":  # present at the end since exactly some length
            entered = end - datetime.timedelta(draw(LENGTHS))
            exited = None if length is None else entered + datetime.timedelta(length)
        else:
            entered = draw(days)
            exited = None if length is None else entered + datetime.timedelta(length)
        unit_id = draw(st.integers(1, max(1, n_units)))
        # Some exits return the unit the same day with the lease transferred.
        transferred = draw(st.booleans()) and exited is not None
        if transferred and units and draw(st.booleans()):
            unit = units[unit_id - 1]
            if exited >= unit.captured_on:
                units[unit_id - 1] = Unit(
                    unit.id,
                    unit.typology,
                    unit.sector,
                    unit.captured_on,
                    exited,
                    unit.parent_id,
                    unit.in_scope,
                )
        stays.append(
            Stay(
                id=sid,
                household_id=draw(st.integers(1, n_households)),
                unit_id=unit_id,
                entered_on=entered,
                exited_on=exited,
                exit_destination=draw(destinations) if exited else "",
                lease_transferred=transferred,
                reinforced=draw(st.booleans()),
                in_scope=draw(st.booleans()) or draw(st.booleans()),
            )
        )
    members = []
    person_id = 0
    for household in households:
        for _ in range(draw(member_counts)):
            person_id += 1
            joined = draw(days_or_none)
            left = draw(left_after)
            left_on = None if left is None else (joined or day(0)) + datetime.timedelta(left)
            reason = draw(join_reasons)
            birth = draw(births)
            if reason == "birth" and joined is not None and draw(st.booleans()):
                birth = joined
            members.append(
                Member(
                    household_id=household.id,
                    person_id=person_id,
                    role=draw(roles),
                    sex=draw(sexes),
                    birth_date=birth,
                    joined_on=joined,
                    joined_reason=reason if joined else "",
                    left_on=left_on,
                )
            )
    legal_statuses = []
    for pid in range(1, person_id + 1):
        for since in draw(up_to_three_days):
            legal_statuses.append(LegalStatusRecord(pid, since, draw(statuses)))
    resources = []
    for household in households:
        for on in draw(up_to_three_days):
            types = tuple(draw(resource_types))
            resources.append(ResourceRecord(household.id, on, types))
    evictions = []
    for stay in stays:
        for started in draw(up_to_two_days):
            ended = draw(eviction_lengths)
            evictions.append(
                EvictionProcedure(
                    stay.id, started, None if ended is None else started + datetime.timedelta(ended)
                )
            )
    facts = Facts(
        organisation="asso",
        programmes=draw(programme_lists),
        sectors=SECTORS,
        units=units,
        stays=stays,
        households=households,
        members=members,
        legal_statuses=legal_statuses,
        resources=resources,
        evictions=evictions,
    )
    return facts, start, end
