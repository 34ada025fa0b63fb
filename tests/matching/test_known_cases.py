"""Hand-computed cases of EXCHANGE.md §3: eligibility, scores, components, reasons."""

import copy

import pytest

from seuil.matching.engine import solve
from seuil.matching.instance import InstanceError, parse_instance


def example():
    """The instance of EXCHANGE.md §3, with two more households and two more units."""
    return {
        "format": "seuil-matching-instance/1",
        "households": [
            {"ref": "M1", "adults": 2, "children": 3, "head_sex": "F", "max_rent": 650.0,
             "needs_accessible": False, "accepts_shared": False, "accepts_mixed_shared": False,
             "wishes": ["80", "60"], "waiting_days": 240, "priority_points": 12,
             "refused_units": ["L9"]},
            {"ref": "M2", "adults": 1, "children": 0, "head_sex": "M", "max_rent": 350.0,
             "accepts_shared": True, "wishes": [], "waiting_days": 800, "priority_points": 3},
            {"ref": "M3", "adults": 1, "children": 1, "head_sex": "F", "max_rent": 100.0,
             "wishes": ["60"]},
        ],
        "units": [
            {"ref": "L1", "typology": "T3", "territory": "80", "rent": 420.0, "charges": 60.0,
             "accessible": False, "shared": False, "shared_gender": None},
            {"ref": "L2", "typology": "room", "territory": "60", "rent": 250.0, "charges": 30.0,
             "shared": True, "shared_gender": "M"},
            {"ref": "L9", "typology": "T4", "territory": "60", "rent": 420.0, "charges": 60.0},
        ],
        "territories": [{"code": "80", "employment_score": 0.62}],
        "rules": {
            "occupancy": {"room": [1, 1], "T1": [1, 2], "T2": [1, 3], "T3": [2, 5],
                          "T4": [3, 7], "T5": [4, 9], "T6": [5, 99]},
            "wishes": "strict",
        },
        "weights": {"wish": 400, "employment": 400, "priority": 200, "waiting": 100,
                    "size_fit": 50},
    }  # fmt: skip


def test_the_example_is_solved_as_computed_by_hand():
    result = solve(example())
    assert result["assignments"] == [
        # wish 400, employment 0.62 × 400, priority 200 × 12/12, waiting 100 × 240/730 =
        # 32.88, size 50 × 5/5: 930.88 → 931; the missing unit goes to `waiting`.
        {"household": "M1", "unit": "L1", "score": 931,
         "components": {"wish": 400, "employment": 248, "priority": 200, "waiting": 33,
                        "size_fit": 50}},
        # no wish: 400 / 2; priority 200 × 3/12; waiting capped at 730 days; 50 × 1/1.
        {"household": "M2", "unit": "L2", "score": 400,
         "components": {"wish": 200, "employment": 0, "priority": 50, "waiting": 100,
                        "size_fit": 50}},
    ]  # fmt: skip
    assert result["unassigned_households"] == ["M3"]
    assert result["objective"] == 1331
    assert result["eligible_pairs"] == 2
    # M1: room (occupancy), L9 refused; M2: T3 and T4 (occupancy); M3: L1 too dear, the room
    # and the T4 (occupancy).
    assert result["excluded_pairs_by_rule"] == {
        "occupancy": 5, "rent": 1, "accessible": 0, "shared": 0, "wishes": 0, "refused": 1,
    }  # fmt: skip
    assert result["unassigned_reasons"] == {"M3": "rent"}


def test_a_sum_that_is_exactly_a_half_is_rounded_up():
    # 7 + 0 + 7 × 2/12 + 100 × 73/730 + 1 × 1/3 = 18.5 exactly (18.499999999999996 in floats).
    document = {
        "format": "seuil-matching-instance/1",
        "households": [
            {"ref": "A", "adults": 1, "children": 0, "max_rent": 900, "wishes": ["80", "60"],
             "waiting_days": 73, "priority_points": 2},
            {"ref": "B", "adults": 5, "children": 0, "max_rent": 0, "priority_points": 12},
        ],
        "units": [{"ref": "L", "typology": "T2", "territory": "80", "rent": 400}],
        "weights": {"wish": 7, "employment": 50, "priority": 7, "waiting": 100, "size_fit": 1},
    }  # fmt: skip
    [assignment] = solve(document)["assignments"]
    assert assignment["score"] == 19
    assert sum(assignment["components"].values()) == 19


def test_rent_plus_charges_equal_to_the_bearable_rent_is_eligible():
    document = example()
    document["households"][2].update(adults=2, children=0, max_rent=480.0, wishes=["80"])
    assert solve(document)["unassigned_reasons"]["M3"] == "competition"  # L1 went to M1
    document["households"][2]["max_rent"] = 479.99
    assert solve(document)["unassigned_reasons"]["M3"] == "rent"


def test_wishes_are_strict_by_default_and_preferred_allows_any_territory():
    document = example()
    del document["rules"]["wishes"]
    document["households"][0]["wishes"] = ["60"]
    document["households"][0]["refused_units"] = []
    strict = solve(document)
    assert [a["unit"] for a in strict["assignments"] if a["household"] == "M1"] == ["L9"]
    document["rules"]["wishes"] = "preferred"
    document["units"][2]["rent"] = 1000.0  # L9 too dear: only L1, outside the wishes
    preferred = solve(document)
    [m1] = [a for a in preferred["assignments"] if a["household"] == "M1"]
    assert m1["unit"] == "L1" and m1["components"]["wish"] == 0
    assert preferred["fairness"]["by_size"]["5"]["placed_outside_wishes"] == 1


def test_a_household_employment_map_overrides_the_territory_score():
    document = example()
    document["households"][0]["employment"] = {"80": 0.25}
    [m1] = [a for a in solve(document)["assignments"] if a["household"] == "M1"]
    assert m1["components"]["employment"] == 100
    document["households"][0]["employment"] = {"60": 1.0}  # says nothing of 80
    [m1] = [a for a in solve(document)["assignments"] if a["household"] == "M1"]
    assert m1["components"]["employment"] == 248


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"needs_accessible": True}, "accessible"),
        ({"wishes": ["13"]}, "wishes"),
        ({"refused_units": ["L1", "L9"]}, "refused"),
        ({"adults": 9}, "occupancy"),
    ],
)
def test_the_reason_names_the_rule_that_left_no_unit(change, rule):
    document = example()
    document["households"][0].update(change)
    assert solve(document)["unassigned_reasons"]["M1"] == rule


def test_a_shared_room_of_the_wrong_sex_is_excluded_under_shared():
    document = example()
    document["households"][1]["head_sex"] = "F"
    result = solve(document)
    assert result["excluded_pairs_by_rule"]["shared"] == 1
    assert result["unassigned_reasons"]["M2"] == "shared"


def test_the_fairness_report_describes_households_by_their_own_composition():
    fairness = solve(example())["fairness"]
    assert fairness["placed"] == 2 and fairness["households"] == 3
    assert fairness["by_size"]["5"] == {
        "households": 1, "placed": 1, "placement_rate": 1.0, "mean_wish_rank": 1.0,
        "placed_outside_wishes": 0, "placed_without_wishes": 0, "mean_score": 931.0,
    }  # fmt: skip
    assert fairness["by_adults"]["1"]["households"] == 2
    assert fairness["by_head_sex"]["F"]["placement_rate"] == 0.5
    assert fairness["by_head_sex"]["X"]["placement_rate"] is None
    # P = 12: M1 (12) high, M2 (3) low, M3 (0) none.
    assert [fairness["by_priority_band"][b]["households"] for b in ("none", "low", "high")] == [
        1, 1, 1,
    ]  # fmt: skip


def test_the_plan_is_summarised_by_territory():
    territories = solve(example())["territories"]
    assert territories["80"] == {
        "units": 1, "placements": 1, "vacant_after": 0, "wished_by": 1, "first_wish_of": 1,
        "mean_wish_rank": 1.0, "mean_score": 931.0, "employment_score": 0.62,
    }  # fmt: skip
    assert territories["60"]["units"] == 2 and territories["60"]["placements"] == 1


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("households", 2, "max_rent"), "beaucoup", "households[2].max_rent : nombre attendu"),
        (("households", 0, "adults"), -1, "households[0].adults : entier positif ou nul attendu"),
        (("households", 1, "accepts_shared"), "oui", "households[1].accepts_shared : booléen"),
        (("households", 0, "head_sex"), "Z", "households[0].head_sex : une de ces valeurs"),
        (("units", 1, "typology"), "T9", "units[1].typology : typologie inconnue « T9 »"),
        (("units", 0, "ref"), "L2", "units[1].ref : référence en double : « L2 »"),
        (("units", 2, "shared_gender"), "H", "units[2].shared_gender : une de ces valeurs"),
        (("rules", "wishes"), "souple", "rules.wishes : « strict » ou « preferred » attendu"),
        (("weights", "wish"), -3, "weights.wish : nombre entre 0 et 1000000 attendu"),
        (("format",), "autre", "format : « seuil-matching-instance/1 » attendu"),
        (("households", 0, "employment"), {"80": 2}, "households[0].employment.80 : nombre"),
    ],
)
def test_an_invalid_instance_is_refused_in_french_naming_the_field(path, value, message):
    document = copy.deepcopy(example())
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InstanceError) as caught:
        parse_instance(document)
    assert any(line.startswith(message) for line in caught.value.errors), caught.value.errors
    assert "Instance refusée" in caught.value.summary


def test_all_errors_are_reported_at_once():
    document = example()
    del document["households"][0]["max_rent"]
    document["units"][0]["rent"] = None
    with pytest.raises(InstanceError) as caught:
        parse_instance(document)
    assert caught.value.errors == [
        "units[0].rent : champ obligatoire manquant (nombre attendu)",
        "households[0].max_rent : champ obligatoire manquant (nombre attendu)",
    ]
