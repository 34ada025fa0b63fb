"""On random small instances the engine agrees with a plain reading of EXCHANGE.md §3."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from scipy import sparse
from scipy.optimize import LinearConstraint, linprog, milp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from seuil.matching.eligibility import build_eligibility
from seuil.matching.engine import solve
from seuil.matching.instance import parse_instance
from seuil.matching.scoring import exact_scores, pair_scores
from tests.conftest import examples
from tests.matching import reference
from tests.matching.strategies import instances

SETTINGS = settings(
    max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def plan_of(result):
    return {a["household"]: a["unit"] for a in result["assignments"]}


def check_plan(document, result):
    """Every assignment eligible and scored per the reference; each ref at most once."""
    pairs = reference.eligible_pairs(document)
    households = [a["household"] for a in result["assignments"]]
    units = [a["unit"] for a in result["assignments"]]
    assert len(households) == len(set(households))
    assert len(units) == len(set(units))
    for assignment in result["assignments"]:
        key = (assignment["household"], assignment["unit"])
        assert key in pairs, f"ineligible pair {key}"
        assert assignment["score"] == pairs[key]
        assert sum(assignment["components"].values()) == assignment["score"]
        exact = reference.components(
            document,
            next(h for h in document["households"] if h["ref"] == key[0]),
            next(u for u in document["units"] if u["ref"] == key[1]),
        )
        for name, shown in assignment["components"].items():
            assert abs(shown - exact[name]) < 1
    assert result["objective"] == sum(a["score"] for a in result["assignments"])
    every = {h["ref"] for h in document["households"]}
    assert set(result["unassigned_households"]) == every - set(households)
    for household in document["households"]:
        if household["ref"] in result["unassigned_households"]:
            expected = reference.reason_without_unit(document, household) or "competition"
            assert result["unassigned_reasons"][household["ref"]] == expected
    assert result["eligible_pairs"] == len(pairs)


def scipy_optimum(document, pairs):
    """SciPy's exact matching, one dummy "unassigned" column per household."""
    refs = [h["ref"] for h in document["households"]]
    if not refs:
        return 0
    units = [u["ref"] for u in document["units"]]
    top = max(pairs.values(), default=0) + 1
    rows, columns, weights = [], [], []
    for (h, u), value in pairs.items():
        rows.append(refs.index(h))
        columns.append(units.index(u))
        weights.append(top - value)  # positive: SciPy ignores explicit zeros
    for i in range(len(refs)):
        rows.append(i)
        columns.append(len(units) + i)
        weights.append(top)
    graph = sparse.csr_array(
        (np.array(weights, dtype=float), (rows, columns)), shape=(len(refs), len(units) + len(refs))
    )
    _, matched = min_weight_full_bipartite_matching(graph)
    index = {(refs.index(h), units.index(u)): value for (h, u), value in pairs.items()}
    return sum(index[(i, int(j))] for i, j in enumerate(matched) if j < len(units))


def highs_optima(document, pairs):
    """(LP optimum, MIP optimum) by HiGHS on the assignment formulation."""
    if not pairs:
        return 0, 0
    keys = list(pairs)
    refs = [h["ref"] for h in document["households"]]
    units = [u["ref"] for u in document["units"]]
    matrix = np.zeros((len(refs) + len(units), len(keys)))
    for k, (h, u) in enumerate(keys):
        matrix[refs.index(h), k] = 1
        matrix[len(refs) + units.index(u), k] = 1
    cost = -np.array([pairs[k] for k in keys], dtype=float)
    lp = linprog(cost, A_ub=matrix, b_ub=np.ones(len(matrix)), bounds=(0, 1), method="highs")
    mip = milp(
        cost,
        constraints=LinearConstraint(matrix, ub=np.ones(len(matrix))),
        integrality=np.ones(len(keys)),
        bounds=(0, 1),
    )
    return -lp.fun, -mip.fun


@SETTINGS
@given(instances())
def test_eligible_pairs_scores_and_exclusions_match_the_reference(document):
    result = solve(document, "greedy")
    assert result["eligible_pairs"] == len(reference.eligible_pairs(document))
    assert result["excluded_pairs_by_rule"] == reference.excluded_pairs_by_rule(document)
    total = sum(result["excluded_pairs_by_rule"].values()) + result["eligible_pairs"]
    assert total == len(document["households"]) * len(document["units"])
    check_plan(document, result)


@SETTINGS
@given(instances())
def test_every_eligible_pair_is_scored_as_the_exact_reference(document):
    inst = parse_instance(document)
    elig = build_eligibility(inst)
    scores = pair_scores(inst, elig.household, elig.unit)
    assert (exact_scores(inst, elig.household, elig.unit) == scores).all()
    engine = {
        (inst.household_refs[h], inst.unit_refs[u]): s
        for h, u, s in zip(
            elig.household.tolist(), elig.unit.tolist(), scores.tolist(), strict=True
        )
    }
    assert engine == reference.eligible_pairs(document)


@SETTINGS
@given(instances())
def test_the_optimum_equals_scipy_highs_and_brute_force(document):
    result = solve(document)
    check_plan(document, result)
    pairs = reference.eligible_pairs(document)
    assert result["objective"] == scipy_optimum(document, pairs)
    lp, mip = highs_optima(document, pairs)
    assert result["objective"] == round(mip) == round(lp)
    if len(document["households"]) <= 5:
        assert result["objective"] == reference.brute_force_optimum(document)
    assert result["gap"] == 0 and result["bound"] == result["objective"]


@SETTINGS
@given(instances())
def test_the_baselines_follow_their_definitions(document):
    greedy = solve(document, "greedy")
    serial = solve(document, "serial")
    check_plan(document, greedy)
    check_plan(document, serial)
    assert plan_of(greedy) == reference.greedy(document)
    assert plan_of(serial) == reference.serial(document)
