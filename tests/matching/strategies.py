"""Hypothesis strategies: small matching instances dense in ties and boundary cases.

Rents, charges and bearable rents are drawn from a few values whose sums land exactly on,
or one cent around, the bearable rents (420.1 + 60.2 against 480.3, say); household sizes
sit on the occupancy bounds; priority points and scores tie often.
"""

from hypothesis import strategies as st

TERRITORIES = ["01", "2A", "80", "93"]
TYPOLOGIES = ["room", "T1", "T2", "T3", "T4", "T5", "T6"]
RENTS = [250.0, 300.0, 420.1, 450.0, 600.0]
CHARGES = [0.0, 30.0, 60.2, None]
MAX_RENTS = [280.0, 330.0, 480.3, 480.29, 480.31, 510.0, 650.0, 1000.0]


@st.composite
def households(draw, index, unit_refs):
    adults = draw(st.integers(1, 3))
    household = {
        "ref": draw(st.sampled_from([f"M{index}", f"M{index:02d}", f"m-{index}"])),
        "adults": adults,
        "children": draw(st.sampled_from([0, 0, 1, 2, 3, 5])),
        "head_sex": draw(st.sampled_from(["F", "M", "X", None])),
        "max_rent": draw(st.sampled_from(MAX_RENTS)),
        "needs_accessible": draw(st.booleans()),
        "accepts_shared": draw(st.booleans()),
        "accepts_mixed_shared": draw(st.booleans()),
        "wishes": draw(st.lists(st.sampled_from(TERRITORIES), max_size=3, unique=True)),
        "waiting_days": draw(st.sampled_from([0, 100, 240, 365, 730, 900])),
        "priority_points": draw(st.sampled_from([0, 0, 3, 5, 10, 12, 20])),
        "refused_units": draw(st.lists(st.sampled_from([*unit_refs, "L-gone"]), max_size=2)),
    }
    if draw(st.integers(0, 4)) == 0:
        household["employment"] = draw(
            st.dictionaries(st.sampled_from(TERRITORIES), st.sampled_from([0, 0.25, 0.5, 1.0]))
        )
    return household


@st.composite
def units(draw, ref):
    shared = draw(st.integers(0, 3)) == 0
    return {
        "ref": ref,
        "typology": "room" if shared and draw(st.booleans()) else draw(st.sampled_from(TYPOLOGIES)),
        "territory": draw(st.sampled_from(TERRITORIES)),
        "rent": draw(st.sampled_from(RENTS)),
        "charges": draw(st.sampled_from(CHARGES)),
        "accessible": draw(st.booleans()),
        "shared": shared,
        "shared_gender": draw(st.sampled_from(["mixed", "F", "M", None])) if shared else None,
    }


@st.composite
def instances(draw, max_households=7, max_units=7):
    unit_count = draw(st.integers(0, max_units))
    unit_refs = [f"L{u}" for u in range(unit_count)]
    document = {
        "format": "seuil-matching-instance/1",
        "households": [],
        "units": [draw(units(ref)) for ref in unit_refs],
        "territories": [
            {"code": code, "employment_score": draw(st.sampled_from([0.0, 0.25, 0.62, 1.0]))}
            for code in draw(st.lists(st.sampled_from(TERRITORIES), unique=True))
        ],
    }
    seen = set()
    for index in range(draw(st.integers(0, max_households))):
        household = draw(households(index, unit_refs))
        if household["ref"] not in seen:
            seen.add(household["ref"])
            document["households"].append(household)
    mode = draw(st.sampled_from([None, "strict", "preferred"]))
    if mode is not None or draw(st.booleans()):
        document["rules"] = {"wishes": mode} if mode else {}
        if draw(st.booleans()):
            document["rules"]["occupancy"] = {
                "room": draw(st.sampled_from([[1, 1], [1, 2]])),
                "T1": [1, 1],
                "T2": [1, 2],
                "T3": [2, 4],
                "T4": [3, 6],
                "T5": [4, 8],
                "T6": [5, 12],
            }
    if draw(st.booleans()):
        document["weights"] = {
            name: draw(st.sampled_from([0, 1, 50, 100, 333, 400]))
            for name in ("wish", "employment", "priority", "waiting", "size_fit")
        }
    return document


@st.composite
def constrained_instances(draw):
    document = draw(instances(max_households=8, max_units=6))
    constraints = {}
    if draw(st.integers(0, 3)) > 0:
        constraints["min_priority_share"] = {
            "min_points": draw(st.sampled_from([3, 5, 10, 12])),
            "share": draw(st.sampled_from([0.2, 0.25, 0.5, 0.667, 0.8, 1])),
        }
    if draw(st.booleans()):
        constraints["territory_quotas"] = {
            code: {"max": draw(st.integers(0, 2))}
            for code in draw(st.lists(st.sampled_from(TERRITORIES), max_size=2, unique=True))
        }
    document["constraints"] = constraints
    return document
