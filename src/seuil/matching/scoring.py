"""Scores of eligible pairs (EXCHANGE.md §3) and how their components are shown.

Components, for household h and unit u (weights `W` of the instance):

- wish: `W.wish × (1 − i / n)`, `i` the 0-based rank of u's territory among h's `n` wishes;
  `W.wish / 2` when h has no wish; 0 when u's territory is not among them (`preferred`).
- employment: `W.employment × e`, `e` = h's own `employment[territory]` when h's map has that
  territory, else the territory's `employment_score` (0 when not given). A household map
  that does not name u's territory falls back to the territory's score: the map says what
  is known about the household, and nothing is known there.
- priority: `W.priority × priority_points / P`, `P` the largest `priority_points` of the
  instance (the component is 0 when `P` = 0).
- waiting: `W.waiting × min(1, waiting_days / 730)`.
- size_fit: `W.size_fit × persons / max_persons(typology)`.

**Score** = the exact sum of the five, rounded half up to an integer, every number of the
instance taken as the decimal it is written as (0.62 is 62/100, not the nearest binary
float). The sum is computed in floating point (wish + employment + priority + waiting +
size_fit); its error is below 1e-8 (weights up to `MAX_WEIGHT`, sums below 5·10^6), so a
float sum farther than `NEAR_HALF` (1e-6) from a half rounds as the exact sum does:
`floor(sum + 0.5)`. The few pairs whose float sum lies within `NEAR_HALF` of a half (an
exact 387.5 computed as 387.49999999999994, or an exact 0.4999999996, which no tolerance
may round up) are scored again in exact arithmetic (`exact_scores`).

**Components shown** in a result are integers that add up exactly to the score: each exact
component is rounded down, and the units still missing (score minus the sum of the rounded
down values, between 0 and 4) go one each to the components with the largest fractional
parts (ties in the order wish, employment, priority, waiting, size_fit) — the
largest-remainder method. Each shown component is within 1 of its exact value.
"""

import math
from fractions import Fraction

import numpy as np

from seuil.matching.instance import COMPONENTS

EPSILON = 1e-9
NEAR_HALF = 1e-6
WAITING_FULL_DAYS = 730


def _lookup(keys, values, wanted):
    """`values` at the position of each `wanted` key in `keys` (sorted); found mask."""
    if len(keys) == 0:
        return np.zeros(len(wanted), dtype=bool), np.zeros(len(wanted), dtype=values.dtype)
    position = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found = keys[position] == wanted
    return found, values[position]


def wish_ranks(inst, household, unit):
    """0-based rank of each unit's territory among the household's wishes, -1 if not there."""
    territories = max(len(inst.territories), 1)
    wish_keys = inst.wish_household * territories + inst.wish_territory
    order = np.argsort(wish_keys)
    pair_keys = household * territories + inst.territory[unit]
    found, rank = _lookup(wish_keys[order], inst.wish_rank[order], pair_keys)
    return np.where(found, rank, -1)


def _employment(inst, household, unit):
    """The `e` of each pair: the household's own value for the territory, else its score."""
    territories = max(len(inst.territories), 1)
    unit_territory = inst.territory[unit]
    own_keys = inst.employment_household * territories + inst.employment_territory
    order = np.argsort(own_keys)
    found, own = _lookup(
        own_keys[order], inst.employment_value[order], household * territories + unit_territory
    )
    return np.where(found, own, inst.employment_score[unit_territory])


def _top_points(inst):
    return inst.priority_points.max() if len(inst.priority_points) else 0.0


def component_values(inst, household, unit):
    """The five components (float arrays) of the pairs (household[k], unit[k])."""
    weights = inst.weights
    rank = wish_ranks(inst, household, unit)
    count = inst.wish_count[household]
    wish = np.where(rank >= 0, weights["wish"] * (1 - rank / np.maximum(count, 1)), 0.0)
    wish = np.where(count == 0, weights["wish"] / 2, wish)
    employment = weights["employment"] * _employment(inst, household, unit)
    top = _top_points(inst)
    if top > 0:
        priority = weights["priority"] * (inst.priority_points[household] / top)
    else:
        priority = np.zeros(len(household))
    waiting = weights["waiting"] * np.minimum(1.0, inst.waiting_days[household] / WAITING_FULL_DAYS)
    size_fit = weights["size_fit"] * (
        inst.persons[household] / inst.occupancy_max[inst.typology[unit]]
    )
    return {
        "wish": wish,
        "employment": employment,
        "priority": priority,
        "waiting": waiting,
        "size_fit": size_fit,
    }


def total_of(components):
    total = components["wish"].copy()
    for name in COMPONENTS[1:]:
        total += components[name]
    return total


def _decimal(x):
    """The exact value of a number of the instance: the decimal it prints as."""
    return Fraction(repr(float(x)))


class _ExactComponents:
    """The five components of EXCHANGE.md §3 as Fractions, each from the inputs it reads."""

    inputs = {
        "wish": ("rank", "count"),
        "employment": ("employment",),
        "priority": ("points",),
        "waiting": ("days",),
        "size_fit": ("persons", "capacity"),
    }

    def __init__(self, inst):
        self.weight = {name: _decimal(value) for name, value in inst.weights.items()}
        self.top = _decimal(_top_points(inst))

    def wish(self, rank, count):
        if count == 0:
            return self.weight["wish"] / 2
        return self.weight["wish"] * (1 - Fraction(rank, count)) if rank >= 0 else Fraction(0)

    def employment(self, e):
        return self.weight["employment"] * _decimal(e)

    def priority(self, points):
        return self.weight["priority"] * _decimal(points) / self.top if self.top else Fraction(0)

    def waiting(self, days):
        return self.weight["waiting"] * min(Fraction(1), _decimal(days) / WAITING_FULL_DAYS)

    def size_fit(self, persons, capacity):
        return self.weight["size_fit"] * Fraction(persons, capacity)


def component_inputs(inst, household, unit):
    """What the components of the pairs (household[k], unit[k]) are computed from (arrays):
    wish `rank` (-1 outside the wishes) and `count` of wishes, `employment` (the pair's `e`),
    priority `points`, waiting `days`, `persons` and `capacity` (`max_persons` of the unit's
    typology)."""
    return {
        "rank": wish_ranks(inst, household, unit),
        "count": inst.wish_count[household],
        "employment": _employment(inst, household, unit),
        "points": inst.priority_points[household],
        "days": inst.waiting_days[household],
        "persons": inst.persons[household],
        "capacity": inst.occupancy_max[inst.typology[unit]],
    }


def _distinct(columns):
    """(index of one row per distinct combination of `columns`, each row's combination)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        values, inverse = np.unique(column, return_inverse=True)
        key = key * len(values) + inverse.reshape(-1)
    _, first, combination = np.unique(key, return_index=True, return_inverse=True)
    return first, combination.reshape(-1)


def _numerators(values, denominator):
    """Numerators of `values` (Fractions) over `denominator`: int64 when small, else ints."""
    numerators = [v.numerator * (denominator // v.denominator) for v in values]
    small = denominator < 2**58 and all(abs(n) < 2**58 for n in numerators)
    return np.array(numerators, dtype=np.int64 if small else object)


def exact_scores(inst, household, unit):
    """The scores of the pairs (household[k], unit[k]) in exact arithmetic.

    Each component is computed as a Fraction once per distinct value of its inputs; the
    five are then added as integer numerators over their common denominator (int64, or
    Python integers when that could overflow), and rounded half up exactly.
    """
    inputs = component_inputs(inst, household, unit)
    exact = _ExactComponents(inst)
    tables, rows = [], []
    for name in COMPONENTS:
        columns = [inputs[key] for key in exact.inputs[name]]
        first, combination = _distinct(columns)
        compute = getattr(exact, name)
        tables.append([compute(*(column[k].item() for column in columns)) for k in first])
        rows.append(combination)
    denominator = math.lcm(*(value.denominator for table in tables for value in table))
    total = sum(
        _numerators(table, denominator)[row] for table, row in zip(tables, rows, strict=True)
    )
    return ((2 * total + denominator) // (2 * denominator)).astype(np.int64)


def pair_scores(inst, household, unit):
    """Integer score of each pair (household[k], unit[k])."""
    total = total_of(component_values(inst, household, unit))
    total += 0.5
    score = np.floor(total)
    total -= score  # in [0, 1): near 0 or 1 when the sum is near a half
    near = np.flatnonzero((total < NEAR_HALF) | (total > 1 - NEAR_HALF))
    score = score.astype(np.int64)
    if len(near):
        score[near] = exact_scores(inst, household[near], unit[near])
    return score


def shown_components(components, scores):
    """Integer components adding up to each score (largest remainder); a list of dicts."""
    exact = np.stack([components[name] for name in COMPONENTS], axis=1)
    floors = np.floor(exact + EPSILON)
    remainders = exact - floors
    missing = scores - floors.sum(axis=1).astype(np.int64)
    # Rank of each component by decreasing remainder, ties in COMPONENTS order.
    order = np.argsort(-remainders, axis=1, kind="stable")
    place = np.empty_like(order)
    np.put_along_axis(place, order, np.arange(len(COMPONENTS))[None, :], axis=1)
    shown = floors.astype(np.int64) + (place < missing[:, None])
    return [dict(zip(COMPONENTS, row, strict=True)) for row in shown.tolist()]
