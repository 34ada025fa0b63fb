"""Maximum-weight plan as a min-cost flow (OR-Tools `SimpleMinCostFlow`), on a graph made
small by the structure of the instance.

**Interchangeable units.** A pair's score reads the household, the unit's territory and its
typology, never its rent (`scoring.py`); eligibility reads the unit's class (typology,
accessible, shared, shared gender), territory and `rent + charges`. So the units of one
*class* (the caller's `unit_class`: same class and territory) are worth the same to every
household, and a household eligible for some of them is eligible for all those it can
afford: a prefix of the class's units sorted by cost (`unit_rank`). Each such household
gets **one arc to its class** instead of one per unit (3.9 M pairs become about 260,000
arcs at national scale). The arc enters a chain of *levels* — one node per distinct prefix
length of the class, each level passing its flow down to the cheaper levels and to the units
priced between it (its *band*) and the level below — so flow can reach exactly the units of
the prefix. The units of a band are identical to every household: unless a pair names one
alone (a direct arc, below), they have no node, and the level sends to the sink through one
arc whose capacity is their number (the national instance: 86,000 nodes instead of 133,000,
the flow a third faster).
Whatever is not a full prefix with one value (a household that refused a unit of the class,
or a caller's class that is not interchangeable) keeps one arc per pair: the compression
is checked on the pairs, never assumed.

**Pruning.** Pairs of negative value are dominated by the "unassigned" arc (value 0) and
are left out; households and units left without any pair are in no flow.

**Components.** The graph is cut into its connected components (`component_roots`), each an
independent problem solved by its own flow (the smallest batched together, see
`_solve_components`: measured, this pays). Strict wishes split the graph by territory, but
households wishing for several départements (and the 0.4 % without a wish) tie them
together: the national benchmark instance is one component of 86,000 nodes; with one
wish each it falls into 101 components, solved in 1.5 s instead of 8.5 s as one flow
(`territory_first.py` uses that: a flow per territory, then mended across them). Two
worker processes on those components gave no gain on this 2-core machine (1.28 s against
1.32 s: the largest component dominates and the arrays must be sent), so there is no pool.

Network of a component: one node per household (supply 1), per unit, per level, per
territory with a quota, and one sink. Arcs: household → level (compressed pairs) or
household → unit (other pairs), capacity 1, cost − value; household → sink, cost 0 (the
"unassigned" arc); level → next cheaper level of the class (uncapped); level → each unit
of its band that has a node (capacity 1), level → sink (capacity: the band's other units);
unit → sink (capacity 1); with a quota on a territory, its units and levels send to the
territory's node, and that node to the sink (capacity the quota). A minimum-cost flow is a plan of
maximum total value.

Back to pairs: the households sent to a class are sorted by prefix length, longest first,
the units of the class that receive flow by cost, dearest first, and matched in that order
(the flow guarantees Hall's condition on nested prefixes, so the k-th household can afford
the k-th unit). In that order each pair follows a path of the flow (every level between the
household's and the unit's passes flow down), so the node potentials of the flow price the
plan's pairs exactly (`flow_prices`; a unit without a node has its level's). A band's units
without a node are taken cheapest first, as many as its arc to the sink carries.

Determinism: arcs are built from the pairs, sorted by (household, unit) with households and
units in `ref` order, so an instance gives the same network whatever the order of its
input; OR-Tools' algorithm is deterministic, so the same plan comes out. When several plans
reach the optimum, the plan is the one this network gives.
"""

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow


class FlowError(RuntimeError):
    """The flow solver did not reach an optimum (it should not happen: a bug or an overflow)."""


@dataclass
class FlowStats:
    """What the last `max_weight_plan` call did, for benchmarks (seconds are wall-clock)."""

    pairs: int = 0
    pruned_pairs: int = 0
    arcs: int = 0
    compressed_pairs: int = 0
    components: int = 0
    largest_component_nodes: int = 0
    seconds: dict = field(default_factory=dict)
    repair: object = None  # the `RepairStats` of the mending (`territory_first.py`)


BATCH_ARCS = 2_000  # components smaller than this share a flow


def component_roots(tail, head, nodes):
    """For each of `nodes` nodes, the smallest node of its connected component in the
    undirected graph of edges `tail[i]–head[i]`: components are then numbered in the same
    order as by `scipy.sparse.csgraph.connected_components` (by their smallest node).

    Hooking and pointer jumping, with numpy: each round, the root of each tree is hooked
    under the smallest root of the trees it has an edge to, then every node points to its
    root. Every tree that has a smaller neighbour hooks, so on paths and cycles (the
    difference of two plans) the number of trees in a component at least halves each round.
    """
    parent = np.arange(nodes)
    while True:
        low, high = parent[tail], parent[head]
        moving = low != high
        if not moving.any():
            return parent
        np.minimum.at(parent, np.maximum(low, high)[moving], np.minimum(low, high)[moving])
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand


def _positions(units, unit_class, unit_rank):
    """(class index of each unit, its position in its class by (rank, index), class count)."""
    order = np.lexsort((np.arange(units), unit_rank, unit_class))
    sorted_class = unit_class[order]
    starts = np.flatnonzero(np.r_[True, sorted_class[1:] != sorted_class[:-1]])
    number = np.cumsum(np.r_[False, sorted_class[1:] != sorted_class[:-1]])
    klass = np.empty(units, dtype=np.int64)
    klass[order] = number
    position = np.empty(units, dtype=np.int64)
    position[order] = np.arange(units) - starts[number]
    return klass, position, len(starts)


def _groups(h, u, v, klass, position, classes):
    """The (household, class) groups of the pairs: which are full prefixes of one value."""
    key = h * classes + klass[u]
    order = np.argsort(key, kind="stable")
    key_sorted = key[order]
    starts = np.flatnonzero(np.r_[True, key_sorted[1:] != key_sorted[:-1]])
    count = np.diff(np.r_[starts, len(key_sorted)])
    pos_sorted = position[u[order]]
    value_sorted = v[order]
    longest = np.maximum.reduceat(pos_sorted, starts) + 1
    low = np.minimum.reduceat(value_sorted, starts)
    high = np.maximum.reduceat(value_sorted, starts)
    prefix = (count == longest) & (low == high) & (count > 1)
    group_of_pair = np.empty(len(key), dtype=np.int64)
    group_of_pair[order] = np.repeat(np.arange(len(starts)), count)
    return key_sorted[starts], longest, low, prefix, group_of_pair


def max_weight_plan(
    household,
    unit,
    value,
    households,
    units,
    capacity=None,
    classes=None,
    stats=None,
    prices=False,
):
    """Indices (into the pairs) of a plan maximising `sum(value)`; with `prices` (and no
    `capacity`), `(indices, p, q)`: node potentials of the optimal flow read as prices of the
    households and units (`flow_prices`), for `repair` to certify and to start from.

    `household`, `unit`, `value`: the eligible pairs, sorted by (household, unit), and their
    integer values. `capacity`: optional `(unit_group, group_max)`: `unit_group[u]` is -1 or
    the index of a group of units (a territory with a quota) whose placements may not exceed
    `group_max`. `classes`: optional `(unit_class, unit_rank)`, units presumed
    interchangeable within a class up to their rank (see the module doc; checked).
    `stats`: a `FlowStats` to fill.
    """
    stats = stats if stats is not None else FlowStats()
    clock = _Clock(stats)
    keep = np.flatnonzero(value >= 0)
    if len(keep) == 0:
        zeros = np.zeros(households, dtype=np.int64), np.zeros(units, dtype=np.int64)
        return (keep, *zeros) if prices else keep
    h, u, v = household[keep], unit[keep], value[keep].astype(np.int64)
    stats.pairs, stats.pruned_pairs = len(value), len(value) - len(keep)
    if classes is None:
        unit_class, unit_rank = np.arange(units), np.zeros(units, dtype=np.int64)
    else:
        unit_class, unit_rank = np.asarray(classes[0], dtype=np.int64), np.asarray(classes[1])
    klass, position, class_count = _positions(units, unit_class, unit_rank)
    group_key, longest, group_value, prefix, group_of_pair = _groups(
        h, u, v, klass, position, class_count
    )
    direct = np.flatnonzero(~prefix[group_of_pair])
    chained = np.flatnonzero(prefix)
    stats.compressed_pairs = len(keep) - len(direct)
    clock.lap("compress")

    # Levels: one node per distinct (class, prefix length) of the compressed groups.
    chain_class, chain_length = group_key[chained] % class_count, longest[chained]
    stride = int(position.max(initial=0)) + 2
    level_key, level_of_group = np.unique(chain_class * stride + chain_length, return_inverse=True)
    level_class = level_key // stride
    # Unit → the level of its price band (the first level of its class longer than it).
    unit_level = np.searchsorted(level_key, klass * stride + position, side="right")
    banded = unit_level < len(level_key)
    banded[banded] = level_class[unit_level[banded]] == klass[banded]
    below = np.flatnonzero(np.r_[False, level_class[1:] == level_class[:-1]])

    sink = households + units
    level_base = sink + 1 + (len(capacity[1]) if capacity is not None else 0)
    unit_head = np.full(units, sink, dtype=np.int64)
    group_max = np.zeros(0, dtype=np.int64)
    if capacity is not None:
        unit_group, group_max = capacity[0], np.asarray(capacity[1], dtype=np.int64)
        grouped = unit_group >= 0
        unit_head[grouped] = sink + 1 + unit_group[grouped]
    # A unit of a price band that no pair names alone (no direct arc) is one of the band's
    # identical units: it has no node, its level sends to the sink (or quota) through one
    # arc whose capacity is their number. A unit some pair names keeps its node.
    named = np.zeros(units, dtype=bool)
    named[u[direct]] = True
    banded_units = np.flatnonzero(banded & named)
    pooled = np.flatnonzero(banded & ~named)
    pool = np.bincount(unit_level[pooled], minlength=len(level_key))
    pool_levels = np.flatnonzero(pool)
    pool_head = np.zeros(len(level_key), dtype=np.int64)
    pool_head[unit_level[pooled]] = unit_head[pooled]  # a class is in one territory
    unit_nodes = np.flatnonzero(named)
    chain_households = group_key[chained] // class_count
    parts = [  # (tails, heads, capacities, costs); the household arcs first
        (chain_households, level_base + level_of_group, 1, -group_value[chained]),
        (h[direct], households + u[direct], 1, -v[direct]),
        (np.arange(households), np.full(households, sink), 1, 0),
        (level_base + below, level_base + below - 1, households, 0),
        (level_base + unit_level[banded_units], households + banded_units, 1, 0),
        (level_base + pool_levels, pool_head[pool_levels], pool[pool_levels], 0),
        (households + unit_nodes, unit_head[unit_nodes], 1, 0),
        (sink + 1 + np.arange(len(group_max)), np.full(len(group_max), sink), group_max, 0),
    ]
    tails = np.concatenate([p[0] for p in parts]).astype(np.int64)
    heads = np.concatenate([p[1] for p in parts]).astype(np.int64)
    caps = np.concatenate([np.broadcast_to(p[2], len(p[0])) for p in parts]).astype(np.int64)
    costs = np.concatenate([np.broadcast_to(p[3], len(p[0])) for p in parts]).astype(np.int64)
    nodes = level_base + len(level_key)
    stats.arcs = len(tails)
    clock.lap("network")

    # Components, without the sink and quota nodes (every component reaches them).
    inner = (tails < sink) | (tails >= level_base)
    inner &= (heads < sink) | (heads >= level_base)
    root = component_roots(tails[inner], heads[inner], nodes)
    clock.lap("components")
    flows = np.zeros(len(tails), dtype=np.int64)
    _solve_components(tails, heads, caps, costs, root, households, sink, level_base, flows, stats)
    clock.lap("solve")

    # Back to pairs.
    household_arcs = len(chained) + len(direct)
    band_start = household_arcs + households + len(below)
    band_arcs = np.arange(band_start, band_start + len(banded_units))
    pool_arcs = band_start + len(banded_units) + np.arange(len(pool_levels))
    # A band's pooled units taken: as many as its arc carries, cheapest first.
    pool_flow = np.zeros(len(level_key), dtype=np.int64)
    pool_flow[pool_levels] = flows[pool_arcs]
    in_pool = np.lexsort((position[pooled], unit_level[pooled]))
    pooled_sorted = pooled[in_pool]
    pool_rank = np.arange(len(pooled)) - np.repeat(np.cumsum(pool) - pool, pool)
    taken = flows[:household_arcs] > 0
    chosen = [direct[taken[len(chained) :]]]
    sent = chained[taken[: len(chained)]]
    if len(sent):
        sent_class = group_key[sent] % class_count
        sent_household = group_key[sent] // class_count
        by_length = np.lexsort((sent_household, -longest[sent], sent_class))
        filled = np.concatenate(
            [
                banded_units[flows[band_arcs] > 0],
                pooled_sorted[pool_rank < pool_flow[unit_level[pooled_sorted]]],
            ]
        )
        by_cost = np.lexsort((-position[filled], klass[filled]))
        pair_household = sent_household[by_length]
        pair_unit = filled[by_cost]
        pair_keys = pair_household * units + pair_unit
        kept_keys = h * units + u
        found = np.searchsorted(kept_keys, pair_keys)
        if np.any(kept_keys[np.minimum(found, len(kept_keys) - 1)] != pair_keys):
            raise FlowError("a compressed placement is not an eligible pair")
        chosen.append(found)
    clock.lap("decode")
    chosen = keep[np.sort(np.concatenate(chosen))]
    if not prices:
        return chosen
    # An unplaced household's flow goes down its "unassigned" arc, in a component or not.
    dummies = household_arcs + np.arange(households)
    sent_out = np.bincount(tails[:household_arcs], weights=flows[:household_arcs], minlength=nodes)
    flows[dummies] = 1 - sent_out[:households].astype(np.int64)
    # The capacity 1 of a household's arcs and of a level's arcs to its units repeats what a
    # household's supply and a unit's arc to the sink already say; without it, the
    # potentials price every pair, not only the arcs of the network: those arcs are given a
    # capacity their flow (at most 1) never fills.
    unbound = caps.copy()
    unbound[:household_arcs] = 2
    unbound[band_arcs] = 2
    potential = flow_prices(tails, heads, unbound, costs, flows, nodes)
    potential[households + pooled] = potential[level_base + unit_level[pooled]]
    clock.lap("prices")
    p = np.maximum(potential[:households] - potential[sink], 0)
    q = np.maximum(potential[sink] - potential[households : households + units], 0)
    return chosen, p, q


def flow_prices(tails, heads, caps, costs, flows, nodes):
    """Node potentials `π` proving the flow `flows` of minimum cost: `cost + π(tail) − π(head)
    ≥ 0` on every arc of the residual network (an arc with room left, or the reverse of an
    arc with flow). They are the shortest distances from a root linked to every node at cost
    0 (Bellman–Ford, vectorised: the residual network of an optimal flow has no cycle of
    negative cost, so the distances settle).

    Read as prices of the plan (`repair`): `p[h] = π(h) − π(sink)`, `q[u] = π(sink) − π(u)`,
    each raised to 0 where negative (an unplaced household's or a free unit's, whose arc to
    the sink allows it): the pairs stay covered and the plan's pairs tight, which `certify`
    checks."""
    room, used = flows < caps, flows > 0
    tail = np.concatenate([tails[room], heads[used]])
    head = np.concatenate([heads[room], tails[used]])
    cost = np.concatenate([costs[room], -costs[used]])
    order = np.argsort(head, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]]) if len(head) else head
    targets = head[starts]
    distance = np.zeros(nodes, dtype=np.int64)
    for _ in range(nodes + 1):
        reached = np.minimum.reduceat(distance[tail] + cost, starts) if len(head) else head
        shorter = reached < distance[targets]
        if not shorter.any():
            return distance
        distance[targets[shorter]] = reached[shorter]
    raise FlowError("the flow has a cycle of negative cost: it is not optimal")


def _solve_components(tails, heads, caps, costs, root, households, sink, level_base, flows, stats):
    """Fill `flows` with a min-cost flow of each connected component (components that are one
    node need none); with territory quotas, whose nodes tie components together, one flow."""
    sizes = np.bincount(root, minlength=len(root))
    shared = (tails > sink) & (tails < level_base)  # quota → sink arcs
    stats.components = int(np.count_nonzero((sizes > 1) & (root == np.arange(len(root)))))
    stats.largest_component_nodes = int(sizes.max(initial=0))
    if shared.any():
        _solve(tails, heads, caps, costs, np.arange(len(tails)), households, sink, flows)
        return
    component = root[np.minimum(tails, len(root) - 1)]
    arcs = np.flatnonzero(sizes[component] > 1)
    order = arcs[np.argsort(component[arcs], kind="stable")]
    ordered = component[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(order)]
    # One flow per component: OR-Tools' cost scaling grows faster than linearly with the
    # network (101 components of one national instance: 1.5 s one by one, 8.5 s as one
    # flow), so only components smaller than BATCH_ARCS share a flow, up to that size.
    batch, batched = [], 0
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        if b - a >= BATCH_ARCS:
            _solve(tails, heads, caps, costs, order[a:b], households, sink, flows)
            continue
        batch.append(order[a:b])
        batched += b - a
        if batched >= BATCH_ARCS:
            _solve(tails, heads, caps, costs, np.concatenate(batch), households, sink, flows)
            batch, batched = [], 0
    if batch:
        _solve(tails, heads, caps, costs, np.concatenate(batch), households, sink, flows)


def _solve(tails, heads, caps, costs, arcs, households, sink, flows):
    """One min-cost flow over the arcs `arcs` (a union of components), into `flows`.

    The flow is solved on the reversed network (from the sink back to the households, with
    the supplies negated): the same problem arc for arc, which OR-Tools' cost scaling solves
    in about 25 % less time here (measured on the national instance)."""
    t, hd = tails[arcs], heads[arcs]
    nodes, local = np.unique(np.concatenate([t, hd]), return_inverse=True)
    local_tail, local_head = local[: len(arcs)], local[len(arcs) :]
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        local_head.astype(np.int32), local_tail.astype(np.int32), caps[arcs], costs[arcs]
    )
    supplies = np.zeros(len(nodes), dtype=np.int64)
    source = nodes < households
    supplies[source] = -1
    supplies[nodes == sink] = int(source.sum())
    solver.set_nodes_supplies(np.arange(len(nodes), dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise FlowError(f"min-cost flow status {status}")
    flows[arcs] = solver.flows(np.arange(len(arcs), dtype=np.int32))


class _Clock:
    """Wall-clock seconds of each step, into `stats.seconds`."""

    def __init__(self, stats):
        self.stats = stats
        self.start = time.perf_counter()

    def lap(self, name):
        now = time.perf_counter()
        self.stats.seconds[name] = round(now - self.start, 4)
        self.start = now
