"""The same instance always gives the same plan, whatever the order of its lists."""

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seuil.matching.engine import solve
from tests.conftest import examples
from tests.matching.strategies import constrained_instances, instances


def shuffled(document, seed):
    """The same instance with households, units, territories and refusals in another order."""
    rng = random.Random(seed)
    copy = json.loads(json.dumps(document))
    for key in ("households", "units", "territories"):
        rng.shuffle(copy.get(key, []))
    for household in copy["households"]:
        rng.shuffle(household.get("refused_units", []))
        if "employment" in household:
            items = list(household["employment"].items())
            rng.shuffle(items)
            household["employment"] = dict(items)
    return copy


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(instances(), constrained_instances()),
    st.sampled_from(["optimal", "greedy", "serial"]),
    st.integers(0, 1000),
)
def test_same_instance_same_json_in_any_order(document, method, seed):
    first = json.dumps(solve(document, method), sort_keys=False)
    assert json.dumps(solve(document, method), sort_keys=False) == first
    assert json.dumps(solve(shuffled(document, seed), method), sort_keys=False) == first


def test_many_equal_optima_give_one_plan():
    """Ten identical households for five identical units: always the same five."""
    document = {
        "format": "seuil-matching-instance/1",
        "households": [
            {"ref": f"M{i}", "adults": 1, "children": 0, "max_rent": 500, "wishes": ["80"]}
            for i in range(10)
        ],
        "units": [
            {"ref": f"L{i}", "typology": "T1", "territory": "80", "rent": 400} for i in range(5)
        ],
    }
    plans = set()
    for seed in range(5):
        result = solve(shuffled(document, seed) if seed else document)
        plans.add(json.dumps(result["assignments"]))
        assert result["objective"] == 5 * result["assignments"][0]["score"]
    assert len(plans) == 1
