"""An optimal plan solved within each household's best territory, then mended across
territories by shortest paths (`territory_first.py`): SciPy's optimum, proved by its prices,
on crowded random instances; and the same optimum when the mending is refused (one flow)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from seuil.matching import territory_first
from seuil.matching.eligibility import build_eligibility
from seuil.matching.engine import solve, unit_classes
from seuil.matching.flow import FlowStats
from seuil.matching.instance import parse_instance
from seuil.matching.repair import certify
from seuil.matching.scoring import pair_scores
from tests.conftest import examples
from tests.matching import reference
from tests.matching.test_compressed_flow import crowded_instances
from tests.matching.test_engine_matches_reference import scipy_optimum

SETTINGS = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def arrays(document):
    inst = parse_instance(document)
    elig = build_eligibility(inst)
    score = np.asarray(pair_scores(inst, elig.household, elig.unit), dtype=np.int64)
    return inst, elig, score


def plan_and_proof(document, stats=None):
    inst, elig, score = arrays(document)
    h, u = elig.household, elig.unit
    households, units = inst.household_count, inst.unit_count
    chosen, p, q = territory_first.optimal_plan(
        h, u, score, households, units, inst.territory, unit_classes(inst), stats
    )
    return int(score[chosen].sum()), certify(h, u, score, chosen, p, q)


@SETTINGS
@given(crowded_instances())
def test_the_plan_is_scipys_optimum_and_proved_by_its_prices(document):
    document.pop("constraints", None)
    objective, proved = plan_and_proof(document)
    assert proved
    assert objective == scipy_optimum(document, reference.eligible_pairs(document))
    assert solve(document)["objective"] == objective


@pytest.mark.parametrize("limit", ["MAX_SHARE", "MAX_SETTLED"])
@SETTINGS
@given(document=crowded_instances())
def test_without_mending_the_single_flow_gives_the_same_optimum(limit, document):
    """A start too far from the optimum (here: any household or unit to place or free, or
    any search) is left for one flow over all the pairs."""
    document.pop("constraints", None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(territory_first, limit, -10.0)
        stats = FlowStats()
        objective, proved = plan_and_proof(document, stats)
    if limit == "MAX_SHARE":
        assert stats.repair is None
    assert proved
    assert objective == scipy_optimum(document, reference.eligible_pairs(document))


def test_a_household_outbid_in_its_best_territory_is_placed_in_another_wish():
    """Two households prefer the Somme, which has one unit; the one with fewer points also
    wishes for the Oise, which has one unit: both are placed, the Somme's unit to the one
    with more points."""
    document = {
        "format": "seuil-matching-instance/1",
        "households": [
            {"ref": "M1", "adults": 1, "children": 0, "max_rent": 500, "wishes": ["80"]},
            {
                "ref": "M2",
                "adults": 1,
                "children": 0,
                "max_rent": 500,
                "wishes": ["80", "60"],
                "priority_points": 0,
            },
        ],
        "units": [
            {"ref": "L1", "typology": "T1", "territory": "80", "rent": 400},
            {"ref": "L2", "typology": "T1", "territory": "60", "rent": 400},
        ],
    }
    document["households"][0]["priority_points"] = 10
    stats = FlowStats()
    objective, proved = plan_and_proof(document, stats)
    assert proved
    assert stats.repair.paths >= 1
    plan = {a["household"]: a["unit"] for a in solve(document)["assignments"]}
    assert plan == {"M1": "L1", "M2": "L2"}
    assert objective == scipy_optimum(document, reference.eligible_pairs(document))
