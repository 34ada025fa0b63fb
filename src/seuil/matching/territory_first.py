"""An optimal plan from scratch, solved first within each household's best territory, then
mended across territories by shortest paths, and proved optimal by its prices.

Strict wishes make a household eligible only in the territories it wishes for, but the
households wishing for several tie the territories into one large graph (the national
benchmark instance is one component of 86,000 nodes), on which one min-cost flow is slow.
Kept to the pairs of its *best territory* (the territory of its highest-valued pair, the
lowest territory index on a tie), each household is in one territory, and the graph falls
apart into one small component per territory: the flows of `flow.max_weight_plan`, with
their prices, are cheap. That plan and its prices are then the start of `repair.repair` on
all the pairs: a household whose other territories offer more than its price is priced up
and, where its pair is no longer tight, placed again by a shortest augmenting path (and a
unit left free with a price, by a path backwards). Measured on the national instance, most
of the plan holds: about 7,000 paths mend it (see docs/appariement.md). `repair.certify`
proves the result optimal over every pair; should the proof or a path fail (a bug), or the
paths be too many or too long (`MAX_SHARE`, `MAX_SETTLED`: a start far from the optimum),
the plan is the single flow over all the pairs. When no household is eligible in two
territories, the territories' flows are the whole problem: no mending.

This is the Hungarian method's last step started from a near-optimal plan with prices, the
way LAPJV's reductions start its augmentations: exact, whatever the start.
"""

import numpy as np

from seuil.matching.flow import FlowStats, max_weight_plan
from seuil.matching.repair import RepairError, RepairStats, certify, repair

# Past this share of the households and units to place or free after the territories'
# flows, or once the searches have settled more nodes than `MAX_SETTLED` times the households
# and units, the start is too far from the optimum: one flow over all the pairs instead.
# National instance: 5 % to place or free, searches settling 0.25 times.
MAX_SHARE = 0.15
MAX_SETTLED = 0.5


def best_territory_pairs(household, value, pair_territory, households):
    """Indices of the pairs in their household's best territory: the territory of its
    highest-valued pair, the lowest territory on a tie. `household` sorted."""
    if len(household) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, household[1:] != household[:-1]])
    counts = np.diff(np.r_[starts, len(household)])
    best_value = np.repeat(np.maximum.reduceat(value, starts), counts)
    top = np.iinfo(np.int64).max
    candidate = np.where(value == best_value, pair_territory, top)
    best = np.repeat(np.minimum.reduceat(candidate, starts), counts)
    return np.flatnonzero(pair_territory == best)


def optimal_plan(
    household, unit, value, households, units, unit_territory, classes=None, stats=None, prices=True
):
    """(pair indices of an optimal plan, household prices, unit prices proving it); the
    prices are None without `prices`, or in the unexpected case where they do not prove it.

    `household`, `unit`, `value`: the eligible pairs sorted by (household, unit), integer
    values, none negative. `unit_territory[u]`: the territory of each unit, None when wishes
    do not split the graph (preferred, not strict: one flow). `classes`: as
    for `flow.max_weight_plan`. `stats`: a `FlowStats`, its `repair` the `RepairStats` of
    the mending (None when a single flow was used: also when every household is eligible in
    one territory only, where the territories' flows are the whole problem)."""
    stats = stats if stats is not None else FlowStats()
    value = np.asarray(value, dtype=np.int64)
    if unit_territory is None:
        return _one_flow(household, unit, value, households, units, classes, stats, prices)
    inside = best_territory_pairs(household, value, unit_territory[unit], households)
    if len(inside) == len(value):
        return _one_flow(household, unit, value, households, units, classes, stats, prices)
    first = FlowStats()
    h, u, v = household[inside], unit[inside], value[inside]
    chosen, p, q = max_weight_plan(h, u, v, households, units, None, classes, first, True)
    start = np.full(households, -1, dtype=np.int64)
    start[h[chosen]] = u[chosen]
    mending = RepairStats()
    limit = int(MAX_SHARE * (households + units)) + 1
    work = int(MAX_SETTLED * (households + units)) + 1
    try:
        chosen, p, q = repair(
            household, unit, value, households, units, start, p, q, mending, limit, work
        )
    except RepairError:
        plan = _one_flow(household, unit, value, households, units, classes, stats, prices)
        stats.seconds["territories"] = first.seconds
        return plan
    stats.pairs, stats.compressed_pairs, stats.arcs = len(value), first.compressed_pairs, first.arcs
    stats.components = first.components
    stats.largest_component_nodes = first.largest_component_nodes
    stats.seconds = {"territories": first.seconds, "mend_cpu": mending.seconds}
    stats.repair = mending
    return (chosen, p, q) if prices else (chosen, None, None)


def _one_flow(household, unit, value, households, units, classes, stats, prices):
    """The plan of one `flow.max_weight_plan` over all the pairs, with its prices if asked
    and proved (`certify`)."""
    if not prices:
        chosen = max_weight_plan(household, unit, value, households, units, None, classes, stats)
        return chosen, None, None
    chosen, p, q = max_weight_plan(
        household, unit, value, households, units, None, classes, stats, True
    )
    if not certify(household, unit, value, chosen, p, q):
        return chosen, None, None
    return chosen, p, q
