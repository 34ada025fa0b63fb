"""Maximum-weight plan as a min-cost flow (OR-Tools `SimpleMinCostFlow`).

Nodes: one per household (supply 1), one per unit, one per territory with a quota, one sink
(demand: the number of households). Arcs: household → unit for every eligible pair (capacity 1,
cost − value), household → sink (the "unassigned" arc, cost 0), unit → sink (capacity 1), or
unit → territory → sink (capacity the quota) for units of a territory with a quota. A
minimum-cost flow is a plan of maximum total value; pairs of negative value never help and
are left out.

Determinism: the arcs are added in the order of the pairs, which are sorted by (household,
unit) with households and units in `ref` order, so an instance gives the same arcs whatever
the order of its input; OR-Tools' algorithm is deterministic, so the same plan comes out.
When several plans reach the optimum, the plan is the one the solver returns on this
canonical arc list.
"""

import numpy as np
from ortools.graph.python import min_cost_flow


class FlowError(RuntimeError):
    """The flow solver did not reach an optimum (it should not happen: a bug or an overflow)."""


def max_weight_plan(household, unit, value, households, units, capacity=None):
    """Indices (into the pairs) of a plan maximising `sum(value)`.

    `household`, `unit`, `value`: the eligible pairs and their integer values.
    `capacity`: optional `(unit_group, group_max)`: `unit_group[u]` is -1 or the index of a
    group of units (a territory with a quota) whose placements may not exceed `group_max`.
    """
    keep = np.flatnonzero(value >= 0)
    sink = households + units
    unit_head = np.full(units, sink, dtype=np.int64)
    group_max = np.zeros(0, dtype=np.int64)
    if capacity is not None:
        unit_group, group_max = capacity[0], np.asarray(capacity[1], dtype=np.int64)
        grouped = unit_group >= 0
        unit_head[grouped] = sink + 1 + unit_group[grouped]
    groups = len(group_max)
    nodes = sink + 1 + groups
    tails = [household[keep], np.arange(households), households + np.arange(units)]
    tails.append(sink + 1 + np.arange(groups))
    heads = [households + unit[keep], np.full(households, sink), unit_head]
    heads.append(np.full(groups, sink))
    capacities = [np.ones(len(keep) + households + units, dtype=np.int64), group_max]
    costs = [-value[keep].astype(np.int64), np.zeros(households + units + groups, np.int64)]

    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(capacities),
        np.concatenate(costs),
    )
    supplies = np.zeros(nodes, dtype=np.int64)
    supplies[:households] = 1
    supplies[sink] = -households
    solver.set_nodes_supplies(np.arange(nodes, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise FlowError(f"min-cost flow status {status}")
    flows = solver.flows(np.arange(len(keep), dtype=np.int32))
    return keep[np.flatnonzero(flows)]
