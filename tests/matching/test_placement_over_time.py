"""The placement-over-time simulation's lookahead policy (benchmarks/placement_over_time.py)
places only what the platform could place on the day, and decides without the year's
future: it learns the future from a past year of the same places."""

import importlib.util
import sys
from pathlib import Path

import numpy as np

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def simulation():
    sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(
        "placement_over_time", BENCHMARKS / "placement_over_time.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SIZE = dict(households=600, units=300, territories=3, patience_weeks=30, hold_weeks=10)


def test_a_past_year_has_the_same_places_and_other_people():
    sim = simulation()
    year, past = sim.Year(5, **SIZE), sim.Year(5, **SIZE, population=1005)
    assert year.document["territories"] == past.document["territories"]
    assert year.document["households"] != past.document["households"]
    assert not np.array_equal(year.arrival, past.arrival)


def test_lookahead_places_present_pairs_once_and_never_beats_hindsight():
    sim = simulation()
    year, past = sim.Year(5, **SIZE), sim.Year(5, **SIZE, population=1005)
    chosen, when = sim.lookahead(year, sim.Lookahead(year, past), 7, 84, 0.8, 210)
    household, unit = year.elig.household[chosen], year.elig.unit[chosen]
    assert len(chosen) > 50
    assert len(set(household.tolist())) == len(chosen) == len(set(unit.tolist()))
    assert np.all((year.arrival[household] <= when) & (when <= year.leave[household]))
    assert np.all((year.vacant[unit] <= when) & (when <= year.withdrawn[unit]))
    best, _ = sim.hindsight(year)
    assert year.score[chosen].sum() <= year.score[best].sum()


def test_lookahead_decides_without_the_years_future():
    """Households that arrive after day 200 never come: the placements made before that day
    are the same."""
    sim = simulation()
    year, past = sim.Year(5, **SIZE), sim.Year(5, **SIZE, population=1005)
    other = sim.Year(5, **SIZE)
    late = other.arrival > 200
    other.arrival[late] = other.leave[late] = sim.YEAR_END + 1
    before = sim.lookahead(year, sim.Lookahead(year, past), 7, 84, 0.8, 210)
    after = sim.lookahead(other, sim.Lookahead(other, past), 7, 84, 0.8, 210)
    early = [np.sort(chosen[when <= 200]) for chosen, when in (before, after)]
    assert len(early[0]) > 20
    np.testing.assert_array_equal(early[0], early[1])
    assert len(after[0]) < len(before[0])


def test_with_known_departures_a_placement_waits_until_its_household_or_unit_would_go():
    """The reference that knows when each household leaves places a pair only in the last
    batch before its household or its unit would be gone, and still never beats hindsight."""
    sim = simulation()
    year, past = sim.Year(5, **SIZE), sim.Year(5, **SIZE, population=1005)
    future = sim.Lookahead(year, past)
    everyone = np.ones(year.inst.household_count, dtype=bool)
    chosen, when = sim.lookahead(year, future, 7, 84, 0.8, 210, known_departures=everyone)
    household, unit = year.elig.household[chosen], year.elig.unit[chosen]
    assert len(chosen) > 50
    assert len(set(household.tolist())) == len(chosen) == len(set(unit.tolist()))
    assert np.all((year.arrival[household] <= when) & (when <= year.leave[household]))
    assert np.all((year.vacant[unit] <= when) & (when <= year.withdrawn[unit]))
    assert np.all(np.minimum(year.leave[household], year.withdrawn[unit]) < when + 7)
    eager, _ = sim.lookahead(year, future, 7, 84, 0.8, 210)
    assert len(np.setdiff1d(eager, chosen)) > 0  # waiting changes the plan
    best, _ = sim.hindsight(year)
    assert year.score[chosen].sum() <= year.score[best].sum()
