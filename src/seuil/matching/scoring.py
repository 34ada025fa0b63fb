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

**Score** = the exact sum of the five, rounded half up to an integer. The sum is computed in
floating point (wish + employment + priority + waiting + size_fit) and rounded as
`floor(sum + 0.5 + 1e-9)`: the `1e-9` absorbs the floating-point error (below 1e-12 for
scores of this size) so that a sum that is exactly a half in decimal arithmetic (37.5, say,
computed as 37.49999999999999) is rounded up as the exact sum would be.

**Components shown** in a result are integers that add up exactly to the score: each exact
component is rounded down, and the units still missing (score minus the sum of the rounded
down values, between 0 and 4) go one each to the components with the largest fractional
parts (ties in the order wish, employment, priority, waiting, size_fit) — the
largest-remainder method. Each shown component is within 1 of its exact value.
"""

import numpy as np

from seuil.matching.instance import COMPONENTS

EPSILON = 1e-9
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


def component_values(inst, household, unit):
    """The five exact components (float arrays) of the pairs (household[k], unit[k])."""
    weights = inst.weights
    territories = max(len(inst.territories), 1)
    unit_territory = inst.territory[unit]
    pair_keys = household * territories + unit_territory

    rank = wish_ranks(inst, household, unit)
    count = inst.wish_count[household]
    wish = np.where(rank >= 0, weights["wish"] * (1 - rank / np.maximum(count, 1)), 0.0)
    wish = np.where(count == 0, weights["wish"] / 2, wish)

    own_keys = inst.employment_household * territories + inst.employment_territory
    order = np.argsort(own_keys)
    found, own = _lookup(own_keys[order], inst.employment_value[order], pair_keys)
    employment = weights["employment"] * np.where(found, own, inst.employment_score[unit_territory])

    top = inst.priority_points.max() if len(inst.priority_points) else 0.0
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


def round_half_up(values):
    return np.floor(values + (0.5 + EPSILON)).astype(np.int64)


def total_of(components):
    total = components["wish"].copy()
    for name in COMPONENTS[1:]:
        total += components[name]
    return total


def pair_scores(inst, household, unit):
    """Integer score of each pair (household[k], unit[k])."""
    return round_half_up(total_of(component_values(inst, household, unit)))


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
