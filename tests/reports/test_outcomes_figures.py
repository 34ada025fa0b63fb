"""The `outcomes` section of the activity report (DOMAIN.md §4 item 8) against a
brute-force reference written from the DOMAIN text alone, on random facts that crowd the
edges: follow-ups at 299/300/430/431 days, two follow-ups equally near the anniversary,
unknown answers, returns on day 0, 1, 365 and 366, anniversaries on the period's edges."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from seuil.outcomes.rules import EntryFact, ExitFact, FollowUpFact, OutcomeFacts
from seuil.reports.compute import Facts, compute
from seuil.reports.outcomes_figures import outcomes_section
from tests.conftest import examples

D = datetime.date
DAY = datetime.timedelta(days=1)
START, END = D(2024, 11, 1), D(2025, 10, 31)
DESTINATIONS = [
    "",
    "social_landlord",
    "private_landlord",
    "outside_department",
    "other_programme",
    "shelter",
    "end_of_support",
    "other",
    "unknown",
]


# ---------------------------------------------------------------- the reference


def reference(facts, start, end):
    """DOMAIN.md §4 item 8, read literally, by brute force (day-by-day walks)."""
    cohort = []
    for stay in facts.exits:
        if not stay.in_scope:
            continue
        to_housing = (
            stay.exit_destination in ("social_landlord", "private_landlord")
            or stay.lease_transferred
        )
        anniversary = stay.exited_on
        for _ in range(365):
            anniversary += DAY
        if to_housing and start <= anniversary <= end:
            cohort.append((stay, anniversary))
    followed_up = housed = not_housed = returned = 0
    for stay, anniversary in cohort:
        window = [stay.exited_on + n * DAY for n in range(300, 431)]
        chosen = None
        # Outward from the anniversary; at each distance the later day first; of two
        # follow-ups on that very day, the greater ref.
        for distance in range(0, 131):
            for day in (anniversary + distance * DAY, anniversary - distance * DAY):
                if day not in window:
                    continue
                that_day = [f for f in facts.follow_ups if f.stay_id == stay.id and f.on == day]
                if that_day and chosen is None:
                    chosen = max(that_day, key=lambda f: f.ref)
            if chosen is not None:
                break
        if chosen is not None:
            followed_up += 1
            housed += chosen.housed is True
            not_housed += chosen.housed is False
        days_after = [stay.exited_on + n * DAY for n in range(1, 366)]
        if any(
            e.household_id == stay.household_id and e.entered_on in days_after
            for e in facts.entries
        ):
            returned += 1
    return {
        "cohort": len(cohort),
        "followed_up": followed_up,
        "housed": housed,
        "not_housed": not_housed,
        "returned": returned,
    }


# ---------------------------------------------------------------- random facts

EDGE_OFFSETS = [1, 2, 117, 182, 299, 300, 301, 364, 365, 366, 429, 430, 431, 500, 730]
RETURN_OFFSETS = [-30, 0, 1, 2, 200, 364, 365, 366, 367, 400]


@st.composite
def outcome_facts(draw):
    exits, follow_ups, entries = [], [], []
    # Exits whose anniversary falls around the period: exited_on + 365 in [start - 20, end + 20].
    first, last = START - 385 * DAY, END - 345 * DAY
    for stay_id in range(draw(st.integers(0, 12))):
        household_id = draw(st.integers(0, 8))
        exited_on = draw(
            st.one_of(
                st.sampled_from([START - 365 * DAY, END - 365 * DAY, START - 366 * DAY]),
                st.dates(first, last),
            )
        )
        exits.append(
            ExitFact(
                stay_id,
                household_id,
                exited_on,
                draw(st.sampled_from(DESTINATIONS)),
                draw(st.booleans()),
                draw(st.booleans()) or draw(st.booleans()),
            )
        )
        for _ in range(draw(st.integers(0, 4))):
            offset = draw(st.one_of(st.sampled_from(EDGE_OFFSETS), st.integers(1, 800)))
            follow_ups.append(
                FollowUpFact(
                    stay_id,
                    exited_on + offset * DAY,
                    draw(st.sampled_from([None, True, False])),
                    ref=draw(st.sampled_from(["F1", "F2", "F3", "F9"])),
                )
            )
        if draw(st.booleans()):  # two follow-ups as near to the anniversary
            distance = draw(st.integers(0, 70))
            for sign, ref in ((-1, "F5"), (1, "F4")):
                follow_ups.append(
                    FollowUpFact(
                        stay_id,
                        exited_on + (365 + sign * distance) * DAY,
                        draw(st.sampled_from([None, True, False])),
                        ref=ref,
                    )
                )
        for _ in range(draw(st.integers(0, 2))):
            offset = draw(st.one_of(st.sampled_from(RETURN_OFFSETS), st.integers(-100, 800)))
            entries.append(EntryFact(household_id, exited_on + offset * DAY))
    return OutcomeFacts(exits=exits, follow_ups=follow_ups, entries=entries)


@settings(max_examples=examples(500), deadline=None)
@given(outcome_facts())
def test_the_outcomes_section_equals_the_reference(facts):
    assert outcomes_section(facts, START, END) == reference(facts, START, END)


@settings(max_examples=examples(100), deadline=None)
@given(outcome_facts(), st.integers(-400, 400), st.integers(0, 400))
def test_any_period_equals_the_reference(facts, shift, length):
    start = START + shift * DAY
    end = start + length * DAY
    assert outcomes_section(facts, start, end) == reference(facts, start, end)


# ---------------------------------------------------------------- known cases


def one_stay(**fields):
    return ExitFact(
        1,
        10,
        fields.pop("exited_on", D(2024, 3, 1)),
        fields.pop("exit_destination", "social_landlord"),
        **fields,
    )


def section(exits, follow_ups=(), entries=(), start=START, end=END):
    return outcomes_section(OutcomeFacts(list(exits), list(follow_ups), list(entries)), start, end)


def test_the_window_edges_count_and_one_day_outside_does_not():
    stay = one_stay(exited_on=D(2024, 3, 1))  # anniversary 2025-03-01
    for offset, counted in ((299, False), (300, True), (430, True), (431, False)):
        follow_up = FollowUpFact(1, stay.exited_on + offset * DAY, True, ref="F1")
        figures = section([stay], [follow_up])
        assert (figures["followed_up"], figures["housed"]) == ((1, 1) if counted else (0, 0))


def test_of_two_follow_ups_as_near_the_later_counts():
    stay = one_stay(exited_on=D(2024, 3, 1))
    anniversary = stay.exited_on + 365 * DAY
    earlier = FollowUpFact(1, anniversary - 10 * DAY, True, ref="F2")
    later = FollowUpFact(1, anniversary + 10 * DAY, False, ref="F1")
    assert section([stay], [earlier, later])["not_housed"] == 1
    assert section([stay], [later, earlier])["not_housed"] == 1
    nearer = FollowUpFact(1, anniversary - 9 * DAY, None, ref="F3")
    figures = section([stay], [earlier, later, nearer])
    assert (figures["followed_up"], figures["housed"], figures["not_housed"]) == (1, 0, 0)


def test_returns_on_day_365_count_and_on_day_366_do_not():
    stay = one_stay(exited_on=D(2024, 3, 1))
    for offset, returned in ((0, 0), (1, 1), (365, 1), (366, 0)):
        entry = EntryFact(10, stay.exited_on + offset * DAY)
        assert section([stay], entries=[entry])["returned"] == returned
    assert section([stay], entries=[EntryFact(11, stay.exited_on + DAY)])["returned"] == 0


def test_the_cohort_is_the_exits_to_housing_whose_anniversary_is_in_the_period():
    exits = [
        one_stay(exited_on=START - 365 * DAY),  # anniversary on the first day
        one_stay(exited_on=END - 365 * DAY),  # … on the last day
        one_stay(exited_on=START - 366 * DAY),  # the day before the period
        one_stay(exited_on=END - 364 * DAY),  # the day after
        one_stay(exit_destination="shelter"),
        one_stay(exit_destination="", lease_transferred=True),
        one_stay(exit_destination="private_landlord"),
        one_stay(exit_destination="private_landlord", in_scope=False),
    ]
    assert section(exits)["cohort"] == 4


def test_the_report_holds_the_section_after_the_others_and_checks_it():
    facts = Facts(organisation="apremis", outcomes=OutcomeFacts([one_stay()]))
    report = compute(facts, START, END)
    assert report["outcomes"] == {
        "cohort": 1,
        "followed_up": 0,
        "housed": 0,
        "not_housed": 0,
        "returned": 0,
    }
    keys = list(report)
    assert keys.index("missing") < keys.index("outcomes") < keys.index("checks")
    names = [c["name"] for c in report["checks"] if c["name"].startswith("outcomes.")]
    assert len(names) == 3 and all(c["ok"] for c in report["checks"])
