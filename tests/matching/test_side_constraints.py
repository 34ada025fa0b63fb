"""Side constraints: met by the plan, and the plan within its printed gap of the LP bound."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from scipy.optimize import LinearConstraint, linprog, milp

from seuil.matching.eligibility import build_eligibility
from seuil.matching.engine import build_result, optimal_plan, solve
from seuil.matching.instance import parse_instance
from seuil.matching.scoring import pair_scores
from tests.conftest import examples
from tests.matching import reference
from tests.matching.strategies import constrained_instances
from tests.matching.test_engine_matches_reference import check_plan
from tests.matching.test_known_cases import example


def constrained_optima(document):
    """(LP bound, integer optimum) of the constrained problem, by HiGHS, from the spec."""
    pairs = reference.eligible_pairs(document)
    if not pairs:
        return 0.0, 0.0
    keys = list(pairs)
    refs = [h["ref"] for h in document["households"]]
    units = {u["ref"]: u for u in document["units"]}
    unit_refs = list(units)
    rows, upper = [], []
    for ref in refs:
        rows.append([1.0 if h == ref else 0.0 for h, _ in keys])
        upper.append(1)
    for ref in unit_refs:
        rows.append([1.0 if u == ref else 0.0 for _, u in keys])
        upper.append(1)
    constraints = document.get("constraints") or {}
    for code, quota in (constraints.get("territory_quotas") or {}).items():
        rows.append([1.0 if units[u]["territory"] == code else 0.0 for _, u in keys])
        upper.append(quota["max"])
    share = constraints.get("min_priority_share")
    if share:
        points = {h["ref"]: h.get("priority_points") or 0 for h in document["households"]}
        # share × placements − band placements <= 0
        rows.append(
            [share["share"] - (1.0 if points[h] >= share["min_points"] else 0.0) for h, _ in keys]
        )
        upper.append(0)
    matrix, upper = np.array(rows), np.array(upper, dtype=float)
    cost = -np.array([pairs[k] for k in keys], dtype=float)
    lp = linprog(cost, A_ub=matrix, b_ub=upper, bounds=(0, 1), method="highs")
    mip = milp(
        cost,
        constraints=LinearConstraint(matrix, ub=upper),
        integrality=np.ones(len(keys)),
        bounds=(0, 1),
    )
    return -lp.fun, -mip.fun


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(constrained_instances())
def test_the_constrained_plan_meets_its_constraints_within_its_gap(document):
    result = solve(document)
    check_plan(document, result)
    report = result.get("constraints", {})
    constraints = document["constraints"]
    if "min_priority_share" in constraints:
        share = report["min_priority_share"]
        assert share["satisfied"]
        assert (
            share["band_placements"]
            >= constraints["min_priority_share"]["share"] * (share["placements"]) - 1e-9
        )
    for code, quota in constraints.get("territory_quotas", {}).items():
        placed = sum(
            1
            for a in result["assignments"]
            for u in document["units"]
            if u["ref"] == a["unit"] and u["territory"] == code
        )
        assert placed <= quota["max"] == report["territory_quotas"][code]["max"]
    lp, optimum = constrained_optima(document)
    assert result["objective"] <= optimum + 1e-6
    assert result["bound"] >= lp - 1e-6  # a valid bound
    assert result["bound"] >= optimum - 1e-6
    assert result["objective"] >= result["bound"] * (1 - result["gap"]) - 1e-3
    if "min_priority_share" not in constraints:
        assert result["objective"] == round(optimum)  # quotas alone: exact
        assert result["gap"] == 0


def test_a_binding_priority_share_moves_placements_to_the_band():
    households = [
        {"ref": f"N{i}", "adults": 1, "children": 0, "max_rent": 900, "wishes": ["80"],
         "waiting_days": 700, "priority_points": 2}
        for i in range(6)
    ] + [
        {"ref": f"P{i}", "adults": 1, "children": 0, "max_rent": 900, "wishes": ["60", "80"],
         "waiting_days": 0, "priority_points": 10}
        for i in range(3)
    ]  # fmt: skip
    document = {
        "format": "seuil-matching-instance/1",
        "households": households,
        "units": [
            {"ref": f"L{i}", "typology": "T1", "territory": "80", "rent": 400} for i in range(4)
        ],
        "constraints": {"min_priority_share": {"min_points": 10, "share": 0.5}},
    }
    free = dict(document, constraints={})
    unconstrained = solve(free)
    constrained = solve(document)
    band = [a for a in constrained["assignments"] if a["household"].startswith("P")]
    assert len(band) * 2 >= len(constrained["assignments"])
    assert constrained["constraints"]["min_priority_share"]["satisfied"]
    assert constrained["objective"] < unconstrained["objective"]
    lp, optimum = constrained_optima(document)
    assert constrained["objective"] == optimum
    assert constrained["gap"] <= 1e-4
    assert constrained["bound_source"] == "highs_lp"
    assert abs(constrained["bound"] - lp) < 1e-3


def test_the_printed_bound_and_gap_are_rounded_up_so_that_they_stay_valid():
    inst = parse_instance(example())
    elig = build_eligibility(inst)
    score = pair_scores(inst, elig.household, elig.unit)
    chosen, _, _ = optimal_plan(inst, elig, score)
    certificate = {"bound": 1331.0001, "bound_source": "lagrangian"}
    result = build_result(inst, elig, score, chosen, "optimal", certificate)
    assert result["objective"] == 1331
    assert result["bound"] == 1331.001  # not 1331.0, which would be below the bound
    assert result["gap"] == 0.000001  # 0.001 / 1331.001 = 7.5e-7, rounded up
