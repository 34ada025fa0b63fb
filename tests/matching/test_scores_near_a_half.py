"""Scores whose exact sum is at, or just off, a half: EXCHANGE.md §3 rounds the exact sum half
up, so the engine and the exact reference must agree however the floats fall."""

from fractions import Fraction

import pytest

from seuil.matching.eligibility import build_eligibility
from seuil.matching.engine import solve
from seuil.matching.instance import parse_instance
from seuil.matching.scoring import exact_scores, pair_scores
from tests.matching import reference

OCCUPANCY_UP_TO_12 = {"room": [1, 1], "T1": [1, 1], "T2": [1, 2], "T3": [2, 4], "T4": [3, 6],
                      "T5": [4, 8], "T6": [5, 12]}  # fmt: skip


def engine_scores(document):
    """{(household ref, unit ref): score} of every eligible pair, by the engine."""
    inst = parse_instance(document)
    elig = build_eligibility(inst)
    scores = pair_scores(inst, elig.household, elig.unit)
    assert (exact_scores(inst, elig.household, elig.unit) == scores).all()
    return {
        (inst.household_refs[h], inst.unit_refs[u]): s
        for h, u, s in zip(
            elig.household.tolist(), elig.unit.tolist(), scores.tolist(), strict=True
        )
    }


def test_the_half_found_by_hypothesis_is_rounded_up_by_the_engine_and_the_reference():
    # Default weights, no wish: 400 / 2 + 200 × 10/12 + 50 × 5/12 = 200 + 166.67 + 20.83 =
    # 387.5 exactly. The reference used to compute the wish as the float 200.0, which turned
    # its whole sum into a float (387.49999999999994) and rounded it down to 387.
    document = {
        "format": "seuil-matching-instance/1",
        "households": [
            {"ref": "M0", "adults": 2, "children": 3, "max_rent": 1000.0, "wishes": [],
             "waiting_days": 0, "priority_points": 10},
            {"ref": "M1", "adults": 1, "children": 0, "max_rent": 100.0, "priority_points": 12},
        ],
        "units": [{"ref": "L0", "typology": "T6", "territory": "80", "rent": 300.0,
                   "charges": 0.0}],
        "rules": {"occupancy": OCCUPANCY_UP_TO_12},
    }  # fmt: skip
    household, unit = document["households"][0], document["units"][0]
    assert sum(reference.components(document, household, unit).values()) == Fraction(775, 2)
    assert reference.eligible_pairs(document) == {("M0", "L0"): 388}
    assert engine_scores(document) == {("M0", "L0"): 388}
    assert solve(document)["assignments"] == [
        {"household": "M0", "unit": "L0", "score": 388,
         "components": {"wish": 200, "employment": 0, "priority": 167, "waiting": 0,
                        "size_fit": 21}},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("employment_score", "score"),
    [
        (0.00125, 1),  # 400 × 0.00125 = 0.5 exactly: up
        (0.0012499999999, 0),  # 0.49999999996: down, though within 1e-9 of a half
        (0.0012500000001, 1),  # 0.50000000004: up
        (0.0037499999999, 1),  # 1.49999999996: down
    ],
)
def test_a_sum_a_hair_below_a_half_is_rounded_down(employment_score, score):
    document = {
        "format": "seuil-matching-instance/1",
        "households": [{"ref": "M", "adults": 1, "children": 0, "max_rent": 500.0}],
        "units": [{"ref": "L", "typology": "T1", "territory": "80", "rent": 300.0}],
        "territories": [{"code": "80", "employment_score": employment_score}],
        "weights": {"wish": 0, "employment": 400, "priority": 0, "waiting": 0, "size_fit": 0},
    }
    assert reference.eligible_pairs(document) == {("M", "L"): score}
    assert engine_scores(document) == {("M", "L"): score}


def test_long_decimals_and_the_largest_weights_are_added_exactly():
    # Weights up to the maximum with six decimals and scores with fifteen: the common
    # denominator no longer fits 64 bits, and the exact sums are Python integers.
    document = {
        "format": "seuil-matching-instance/1",
        "households": [
            {"ref": f"M{k}", "adults": 1, "children": k % 3, "max_rent": 900.0,
             "wishes": ["01", "80", "93"][: k % 4], "waiting_days": 17 * k + 0.5,
             "priority_points": k % 7 + 0.25}
            for k in range(12)
        ],
        "units": [
            {"ref": f"L{k}", "typology": ["T1", "T2", "T3"][k % 3],
             "territory": ["01", "80", "93"][k % 3], "rent": 300.0}
            for k in range(6)
        ],
        "territories": [{"code": "01", "employment_score": 0.123456789012345},
                        {"code": "80", "employment_score": 0.987654321098765}],
        "rules": {"wishes": "preferred", "occupancy": OCCUPANCY_UP_TO_12},
        "weights": {"wish": 999999.999999, "employment": 999999.123457, "priority": 123456.789012,
                    "waiting": 0.000001, "size_fit": 777777.5},
    }  # fmt: skip
    expected = reference.eligible_pairs(document)
    assert len(expected) > 20
    assert engine_scores(document) == expected
