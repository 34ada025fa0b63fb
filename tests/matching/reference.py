"""An independent, plain-loop reading of EXCHANGE.md §3 (no NumPy), to check the engine.

Works on the instance document itself (dicts and lists). Scores are exact: every number is
taken as the decimal it prints as (`Fraction(repr(x))`) and the sum is rounded half up
exactly. Rent is compared as the engine and any program reading the JSON does: in floats.
"""

import itertools
import math
from fractions import Fraction

RULES = ("occupancy", "rent", "accessible", "shared", "wishes", "refused")
DEFAULT_OCCUPANCY = {
    "room": [1, 1],
    "T1": [1, 2],
    "T2": [1, 3],
    "T3": [2, 5],
    "T4": [3, 7],
    "T5": [4, 9],
    "T6": [5, 99],
}
DEFAULT_WEIGHTS = {"wish": 400, "employment": 400, "priority": 200, "waiting": 100, "size_fit": 50}


def exact(x):
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


def occupancy(doc):
    return (doc.get("rules") or {}).get("occupancy") or DEFAULT_OCCUPANCY


def wishes_mode(doc):
    return (doc.get("rules") or {}).get("wishes") or "strict"


def weights(doc):
    given = doc.get("weights") or {}
    return {
        k: exact(given[k] if given.get(k) is not None else v) for k, v in DEFAULT_WEIGHTS.items()
    }


def first_failing_rule(doc, h, u):
    """None when household h may take unit u, else the first rule that excludes the pair."""
    persons = h["adults"] + h["children"]
    low, high = occupancy(doc)[u["typology"]]
    if persons < low or persons > high:
        return "occupancy"
    if (u.get("shared") or u["typology"] == "room") and not (
        h["adults"] == 1 and h["children"] == 0
    ):
        return "occupancy"
    if u["rent"] + (u.get("charges") or 0) > h["max_rent"]:
        return "rent"
    if h.get("needs_accessible") and not u.get("accessible"):
        return "accessible"
    if u.get("shared"):
        if not h.get("accepts_shared"):
            return "shared"
        gender = u.get("shared_gender")
        if gender == "mixed" and not h.get("accepts_mixed_shared"):
            return "shared"
        if gender in ("F", "M") and h.get("head_sex") != gender:
            return "shared"
    wishes = h.get("wishes") or []
    if wishes_mode(doc) == "strict" and wishes and u["territory"] not in wishes:
        return "wishes"
    if u["ref"] in (h.get("refused_units") or []):
        return "refused"
    return None


def components(doc, h, u):
    """The five exact components (Fractions) of the pair."""
    w = weights(doc)
    wishes = h.get("wishes") or []
    territory = u["territory"]
    if not wishes:
        wish = w["wish"] / 2
    elif territory in wishes:
        wish = w["wish"] * (1 - Fraction(wishes.index(territory), len(wishes)))
    else:
        wish = Fraction(0)
    own = h.get("employment") or {}
    if territory in own:
        e = exact(own[territory])
    else:
        e = Fraction(0)
        for t in doc.get("territories") or []:
            if t["code"] == territory:
                e = exact(t["employment_score"])
    top = max((exact(x.get("priority_points") or 0) for x in doc["households"]), default=0)
    points = exact(h.get("priority_points") or 0)
    priority = w["priority"] * points / top if top > 0 else Fraction(0)
    waiting = w["waiting"] * min(Fraction(1), exact(h.get("waiting_days") or 0) / 730)
    persons = h["adults"] + h["children"]
    size_fit = w["size_fit"] * Fraction(persons, occupancy(doc)[u["typology"]][1])
    return {
        "wish": wish,
        "employment": w["employment"] * e,
        "priority": priority,
        "waiting": waiting,
        "size_fit": size_fit,
    }


def score(doc, h, u):
    total = sum(components(doc, h, u).values())
    assert isinstance(total, Fraction), "a float crept into the exact sum"
    return math.floor(total + Fraction(1, 2))


def eligible_pairs(doc):
    """{(household ref, unit ref): score} of every eligible pair."""
    return {
        (h["ref"], u["ref"]): score(doc, h, u)
        for h in doc["households"]
        for u in doc["units"]
        if first_failing_rule(doc, h, u) is None
    }


def excluded_pairs_by_rule(doc):
    counts = dict.fromkeys(RULES, 0)
    for h in doc["households"]:
        for u in doc["units"]:
            rule = first_failing_rule(doc, h, u)
            if rule is not None:
                counts[rule] += 1
    return counts


def greedy(doc):
    """{household ref: unit ref} by the `greedy` rule, read from EXCHANGE.md §3."""
    pairs = eligible_pairs(doc)
    count = {u["ref"]: 0 for u in doc["units"]}
    for _, unit in pairs:
        count[unit] += 1
    plan = {}
    for unit in sorted((u for u in count if count[u] > 0), key=lambda u: (count[u], u)):
        free = [(-s, h) for (h, u), s in pairs.items() if u == unit and h not in plan]
        if free:
            plan[min(free)[1]] = unit
    return plan


def serial(doc):
    """{household ref: unit ref} by the `serial` rule, read from EXCHANGE.md §3."""
    pairs = eligible_pairs(doc)
    order = sorted(
        doc["households"],
        key=lambda h: (-(h.get("priority_points") or 0), -(h.get("waiting_days") or 0), h["ref"]),
    )
    plan, taken = {}, set()
    for h in order:
        free = [(-s, u) for (ref, u), s in pairs.items() if ref == h["ref"] and u not in taken]
        if free:
            unit = min(free)[1]
            plan[h["ref"]] = unit
            taken.add(unit)
    return plan


def brute_force_optimum(doc):
    """Best total score over every plan, by enumeration (tiny instances only)."""
    pairs = eligible_pairs(doc)
    households = [h["ref"] for h in doc["households"]]
    options = {h: [None] + [u for (ref, u) in pairs if ref == h] for h in households}
    best = 0
    for choice in itertools.product(*(options[h] for h in households)):
        units = [u for u in choice if u is not None]
        if len(units) == len(set(units)):
            best = max(
                best, sum(pairs[(h, u)] for h, u in zip(households, choice, strict=True) if u)
            )
    return best


def reason_without_unit(doc, h):
    """The rule after which household h has no unit left (None if some unit is eligible)."""
    if not doc["units"]:
        return "no_unit"
    failing = [first_failing_rule(doc, h, u) for u in doc["units"]]
    for k, rule in enumerate(RULES):
        if all(f is not None and RULES.index(f) <= k for f in failing):
            return rule
    return None
