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
    years = draw(st.sampled_from([0, 1, 17, 18, 19, 24, 25, 39, 40, 59, 60]))
    shift = datetime.timedelta(days=draw(st.sampled_from([-1, 0, 0, 1])))
    try:
        return on.replace(year=on.year - years) + shift
    except ValueError:  # 29 February
        return datetime.date(on.year - years, 2, 28) + shift


@st.composite
def facts_and_period(draw):
    start = day(draw(st.integers(200, SPAN)))
    end = start + datetime.timedelta(draw(st.integers(0, 400)))
    days = days_around(start, end)
    n_units = draw(st.integers(0, 7))
    units = []
    for uid in range(1, n_units + 1):
        captured = draw(days)
        returned = draw(st.one_of(st.none(), st.integers(0, 800)))
        parent = draw(st.one_of(st.none(), st.integers(1, n_units))) if uid > 1 else None
        if parent is not None and parent >= uid:
            parent = None
        units.append(
            Unit(
                id=uid,
                typology=draw(st.sampled_from(TYPOLOGIES)),
                sector=draw(st.sampled_from([*SECTORS, None])),
                captured_on=captured,
                returned_on=None if returned is None else captured + datetime.timedelta(returned),
                parent_id=parent,
                in_scope=draw(st.booleans()) or draw(st.booleans()),
            )
        )
    n_households = draw(st.integers(1, 5))
    households = [
        Household(id=hid, prior_situation=draw(st.sampled_from(PRIOR)))
        for hid in range(1, n_households + 1)
    ]
    stays = []
    for sid in range(1, draw(st.integers(0, 9)) + 1):
        length = draw(st.one_of(st.none(), LENGTHS))
        how = draw(st.sampled_from(["entry", "exit", "present"]))
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
                exit_destination=draw(st.sampled_from(DESTINATIONS)) if exited else "",
                lease_transferred=transferred,
                reinforced=draw(st.booleans()),
                in_scope=draw(st.booleans()) or draw(st.booleans()),
            )
        )
    members = []
    person_id = 0
    for household in households:
        for _ in range(draw(st.integers(0, 5))):
            person_id += 1
            joined = draw(st.one_of(st.none(), days))
            left = draw(st.one_of(st.none(), st.none(), st.integers(0, 600)))
            left_on = None if left is None else (joined or day(0)) + datetime.timedelta(left)
            reason = draw(st.sampled_from(["birth", "birth", "family_reunification", "other", ""]))
            birth = draw(st.one_of(birth_dates, anniversaries(days)))
            if reason == "birth" and joined is not None and draw(st.booleans()):
                birth = joined
            members.append(
                Member(
                    household_id=household.id,
                    person_id=person_id,
                    role=draw(st.sampled_from(ROLES)),
                    sex=draw(st.sampled_from(["F", "M", "F", "M", "X", ""])),
                    birth_date=birth,
                    joined_on=joined,
                    joined_reason=reason if joined else "",
                    left_on=left_on,
                )
            )
    legal_statuses = []
    for pid in range(1, person_id + 1):
        for since in draw(st.sets(days, max_size=3)):
            legal_statuses.append(LegalStatusRecord(pid, since, draw(st.sampled_from(STATUSES))))
    resources = []
    for household in households:
        for on in draw(st.sets(days, max_size=3)):
            types = tuple(draw(st.lists(st.sampled_from(RESOURCES), max_size=3)))
            resources.append(ResourceRecord(household.id, on, types))
    evictions = []
    for stay in stays:
        for started in draw(st.sets(days, max_size=2)):
            ended = draw(st.one_of(st.none(), st.integers(0, 300)))
            evictions.append(
                EvictionProcedure(
                    stay.id, started, None if ended is None else started + datetime.timedelta(ended)
                )
            )
    facts = Facts(
        organisation="asso",
        programmes=draw(st.sampled_from([[], ["iml-r"], ["iml-r", "mobilite"]])),
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
