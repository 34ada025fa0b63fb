"""The next day's plan repaired from the previous day's plan and prices (`repair.py`) has the
optimum of a solve from scratch, on random instances with random changes: households and
units gone and new, households' points and wishes changed, units' rents changed."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.matching import services
from seuil.matching.eligibility import build_eligibility
from seuil.matching.engine import WarmStart, solve, solve_methods
from seuil.matching.enums import RunStatus
from seuil.matching.instance import parse_instance
from seuil.matching.repair import certify, repair
from seuil.matching.scoring import pair_scores
from tests.conftest import examples
from tests.matching import reference
from tests.matching.scenario import admit, scene, vacant
from tests.matching.strategies import households, units
from tests.matching.test_compressed_flow import crowded_instances
from tests.matching.test_engine_matches_reference import check_plan, scipy_optimum

SETTINGS = settings(
    max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def days(draw):
    """(yesterday's instance, today's): a crowded instance without quotas, then some of its
    households and units gone, changed or new."""
    document = draw(crowded_instances())
    document.pop("constraints", None)
    today = {**document}
    kept_h = [dict(h) for h in document["households"] if draw(st.integers(0, 9)) > 0]
    kept_u = [dict(u) for u in document["units"] if draw(st.integers(0, 9)) > 0]
    for household in kept_h:
        if draw(st.integers(0, 9)) == 0:
            household["priority_points"] = draw(st.sampled_from([0, 5, 10, 20]))
            household["wishes"] = draw(
                st.lists(st.sampled_from(["80", "60", "02"]), max_size=2, unique=True)
            )
    for unit in kept_u:
        if draw(st.integers(0, 9)) == 0:
            unit["rent"] = draw(st.sampled_from([300.0, 350.0, 400.0, 450.0]))
    unit_refs = [u["ref"] for u in kept_u]
    new_units = [draw(units(f"N{u}")) for u in range(draw(st.integers(0, 3)))]
    new_households = []
    for index in range(draw(st.integers(0, 3))):
        household = draw(households(index, unit_refs))
        household["ref"] = f"N{index}"
        new_households.append(household)
    today["households"] = kept_h + new_households
    today["units"] = kept_u + new_units
    return document, today


def optimal_with_prices(document, warm):
    return solve_methods(document, ("optimal",), warm=warm)["optimal"]


@SETTINGS
@given(days())
def test_the_repaired_plan_has_the_optimum_of_a_solve_from_scratch(pair_of_days):
    yesterday, today = pair_of_days
    first = WarmStart()
    plan = optimal_with_prices(yesterday, first)
    assert first.stats.paths == 0, "the flow's potentials price its plan exactly"

    warm = WarmStart(
        assignments={a["household"]: a["unit"] for a in plan["assignments"]},
        prices=first.next_prices,
        max_share=1.0,
    )
    repaired = optimal_with_prices(today, warm)
    assert warm.repaired
    scratch = solve(today)
    assert repaired["objective"] == scratch["objective"]
    assert repaired["objective"] == scipy_optimum(today, reference.eligible_pairs(today))
    check_plan(today, repaired)
    # Today's prices prove today's plan: tomorrow starts from them.
    assert set(warm.next_prices["households"]) == {h["ref"] for h in today["households"]}


@SETTINGS
@given(crowded_instances(), st.randoms(use_true_random=False))
def test_a_repair_from_any_plan_and_prices_reaches_the_optimum(document, rng):
    """Whatever the start (pairs that are not eligible, a unit given twice, prices too low or
    too high), the repair ends on a plan its prices prove optimal."""
    document.pop("constraints", None)
    inst = parse_instance(document)
    elig = build_eligibility(inst)
    score = pair_scores(inst, elig.household, elig.unit)
    households_n, units_n = inst.household_count, inst.unit_count
    start = np.array([rng.randrange(-1, max(units_n, 1)) for _ in range(households_n)])
    p = np.array([rng.choice([-1, 0, 50, 400, 2000]) for _ in range(households_n)])
    q = np.array([rng.choice([-1, 0, 50, 400, 2000]) for _ in range(units_n)])
    keep = np.flatnonzero(score >= 0)
    h, u, v = elig.household[keep], elig.unit[keep], score[keep]
    chosen, p, q = repair(h, u, v, households_n, units_n, start, p, q)
    assert certify(h, u, v, chosen, p, q)
    assert int(v[chosen].sum()) == solve(document)["objective"]


def test_a_plan_short_of_the_optimum_is_not_certified():
    document = {
        "format": "seuil-matching-instance/1",
        "households": [
            {"ref": "M1", "adults": 1, "children": 0, "max_rent": 500.0, "priority_points": 10},
            {"ref": "M2", "adults": 1, "children": 0, "max_rent": 500.0},
        ],
        "units": [{"ref": "L1", "typology": "T1", "territory": "80", "rent": 300.0}],
    }
    inst = parse_instance(document)
    elig = build_eligibility(inst)
    score = pair_scores(inst, elig.household, elig.unit)
    warm = WarmStart()
    optimal_with_prices(document, warm)
    p = np.array([warm.next_prices["households"][ref] for ref in inst.household_refs])
    q = np.array([warm.next_prices["units"][ref] for ref in inst.unit_refs])
    best = int(np.argmax(score))
    assert certify(elig.household, elig.unit, score, np.array([best]), p, q)
    other = 1 - best
    assert score[other] < score[best]
    assert not certify(elig.household, elig.unit, score, np.array([other]), p, q)
    assert not certify(elig.household, elig.unit, score, np.array([], dtype=np.int64), p, q)


@pytest.fixture
def somme(db):
    s = scene()
    admit(s, "Awa", adults=2, children=2, bearable_rent=700, received_days_ago=400)
    admit(s, "Bilal", adults=1, bearable_rent=500, received_days_ago=100)
    admit(s, "Chen", adults=1, bearable_rent=520, received_days_ago=30)
    vacant(s, "L-T4", typology="T4", rent=550, charges=80)
    vacant(s, "L-T1", typology="T1", rent=320, charges=40)
    return s


@pytest.mark.usefixtures("today")
def test_the_next_run_of_a_programme_starts_from_the_last_one(somme, monkeypatch):
    warm_starts = []

    def solve_and_keep(instance, methods, **options):
        warm_starts.append(options["warm"])
        return solve_methods(instance, methods, **options)

    monkeypatch.setattr(services, "solve_methods", solve_and_keep)
    first = services.start_run(somme.programme, acting_user=somme.coordinator)
    assert first.status == RunStatus.DONE
    refs = {h["ref"] for h in first.instance["households"]}
    assert set(first.prices["households"]) == refs
    assert services.warm_start(first).prices == {}  # nothing before it: from scratch

    vacant(somme, "L-T1b", typology="T1", rent=300, charges=40)  # a unit more the next day
    second = services.start_run(somme.programme, acting_user=somme.coordinator)
    warm = services.warm_start(second)
    assert warm.prices == first.prices
    assert warm.assignments == {
        a["household"]: a["unit"] for a in first.results["optimal"]["assignments"]
    }
    assert second.status == RunStatus.DONE
    assert second.results["optimal"]["objective"] == solve(second.instance)["objective"]
    assert len(second.results["optimal"]["assignments"]) == 3
    assert [w.repaired for w in warm_starts] == [False, True]
    assert set(second.prices["units"]) == {u["ref"] for u in second.instance["units"]}


@pytest.mark.usefixtures("today")
def test_a_run_with_wrong_prices_before_it_still_gives_the_optimum(somme):
    first = services.start_run(somme.programme, acting_user=somme.coordinator)
    first.prices = {
        "households": dict.fromkeys(first.prices["households"], 5000),
        "units": dict.fromkeys(first.prices["units"], 0),
    }
    first.save(update_fields=["prices"])
    second = services.start_run(somme.programme, acting_user=somme.coordinator)
    assert second.results["optimal"]["objective"] == first.results["optimal"]["objective"]
    assert second.results["optimal"]["objective"] == solve(second.instance)["objective"]
