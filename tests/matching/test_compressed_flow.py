"""The flow collapses interchangeable units into price levels and splits the graph into
components; on crowded random instances its optimum is SciPy's, with and without quotas."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.matching.eligibility import build_eligibility
from seuil.matching.engine import solve, unit_classes
from seuil.matching.flow import FlowStats, max_weight_plan
from seuil.matching.instance import parse_instance
from seuil.matching.scoring import pair_scores
from tests.conftest import examples
from tests.matching import reference
from tests.matching.test_engine_matches_reference import check_plan, scipy_optimum

SETTINGS = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def crowded_instances(draw):
    """Many units of few classes at few rents, households that refuse some of them."""
    territories = draw(st.lists(st.sampled_from(["80", "60", "02"]), min_size=1, unique=True))
    unit_count = draw(st.integers(1, 24))
    units = [
        {
            "ref": f"L{u:02d}",
            "typology": draw(st.sampled_from(["T1", "T2"])),
            "territory": draw(st.sampled_from(territories)),
            "rent": draw(st.sampled_from([300.0, 350.0, 400.0, 450.0])),
            "charges": draw(st.sampled_from([0.0, 50.0])),
        }
        for u in range(unit_count)
    ]
    households = []
    for h in range(draw(st.integers(1, 24))):
        households.append(
            {
                "ref": f"M{h:02d}",
                "adults": draw(st.integers(1, 2)),
                "children": draw(st.sampled_from([0, 0, 1])),
                "max_rent": draw(st.sampled_from([350.0, 400.0, 450.0, 500.0])),
                "wishes": draw(st.lists(st.sampled_from(territories), max_size=2, unique=True)),
                "waiting_days": draw(st.sampled_from([0, 200, 730])),
                "priority_points": draw(st.sampled_from([0, 5, 10])),
                "refused_units": draw(
                    st.lists(st.sampled_from([u["ref"] for u in units]), max_size=2)
                ),
            }
        )
    document = {"format": "seuil-matching-instance/1", "households": households, "units": units}
    if draw(st.booleans()):
        quotas = draw(st.lists(st.sampled_from(territories), max_size=2, unique=True))
        document["constraints"] = {
            "territory_quotas": {code: {"max": draw(st.integers(0, 4))} for code in quotas}
        }
    return document


def plain_optimum(document):
    """The optimum of one flow arc per eligible pair (no class collapsed)."""
    inst = parse_instance(document)
    elig = build_eligibility(inst)
    score = pair_scores(inst, elig.household, elig.unit)
    quotas = inst.constraints.territory_max
    capacity = None
    if quotas:
        codes = sorted(quotas)
        group = np.array([codes.index(c) if c in quotas else -1 for c in inst.territories])
        capacity = (group[inst.territory], np.array([quotas[c] for c in codes]))
    chosen = max_weight_plan(
        elig.household, elig.unit, score, inst.household_count, inst.unit_count, capacity
    )
    return int(score[chosen].sum())


@SETTINGS
@given(crowded_instances())
def test_the_compressed_flow_finds_the_optimum(document):
    result = solve(document)
    check_plan(document, result)
    assert result["objective"] == plain_optimum(document)
    if "constraints" not in document:
        assert result["objective"] == scipy_optimum(document, reference.eligible_pairs(document))


def test_interchangeable_units_become_one_arc_per_household_and_class():
    """Forty households wishing for one département with thirty units of one typology at
    three rents: one arc per household, three price levels, and every unit placed."""
    document = {
        "format": "seuil-matching-instance/1",
        "households": [
            {
                "ref": f"M{h:02d}",
                "adults": 1,
                "children": 0,
                "max_rent": [400, 450, 500][h % 3],
                "wishes": ["80"],
                "waiting_days": 10 * h,
            }
            for h in range(40)
        ],
        "units": [
            {"ref": f"L{u:02d}", "typology": "T1", "territory": "80", "rent": 380 + 50 * (u % 3)}
            for u in range(30)
        ],
    }
    inst = parse_instance(document)
    elig = build_eligibility(inst)
    score = pair_scores(inst, elig.household, elig.unit)
    stats = FlowStats()
    chosen = max_weight_plan(
        elig.household,
        elig.unit,
        score,
        inst.household_count,
        inst.unit_count,
        classes=unit_classes(inst),
        stats=stats,
    )
    assert elig.pair_count == 14 * 10 + 13 * 20 + 13 * 30  # 10, 20 or 30 units affordable
    assert stats.compressed_pairs == elig.pair_count
    assert stats.arcs < elig.pair_count / 5
    assert len(chosen) == 30
    assert int(score[chosen].sum()) == plain_optimum(document)


def test_independent_territories_are_solved_as_separate_components():
    document = {
        "format": "seuil-matching-instance/1",
        "households": [
            {"ref": f"M{h}", "adults": 1, "children": 0, "max_rent": 500, "wishes": [code]}
            for h, code in enumerate(["80", "80", "60", "02"])
        ],
        "units": [
            {"ref": f"L{u}", "typology": "T1", "territory": code, "rent": 400}
            for u, code in enumerate(["80", "60", "60", "02"])
        ],
    }
    inst = parse_instance(document)
    elig = build_eligibility(inst)
    score = pair_scores(inst, elig.household, elig.unit)
    stats = FlowStats()
    chosen = max_weight_plan(
        elig.household, elig.unit, score, 4, 4, classes=unit_classes(inst), stats=stats
    )
    assert stats.components == 3
    assert len(chosen) == 3
