"""Side constraints on the optimal plan, and the certificate of how close to optimal it is.

Instance field (an extension of EXCHANGE.md §3, optional)::

    "constraints": {
        "min_priority_share": {"min_points": 10, "share": 0.4},
        "territory_quotas": {"80": {"max": 30}, "2A": {"max": 0}}
    }

- `min_priority_share`: the **priority band** is the set of households whose
  `priority_points >= min_points`; at least `share` (0..1, at most three decimals) of the
  placements of the plan must go to households of the band. A plan that places nobody
  satisfies it.
- `territory_quotas`: at most `max` placements in the units of that territory.

How they are solved:

- A territory quota is exact in the flow: the units of the territory go to the sink
  through one node whose arc has capacity `max` (`flow.max_weight_plan`). The flow polytope
  stays integral, so with quotas only the plan is optimal (gap 0).
- The priority share is the linear constraint `g(x) = Σ_placed (b_h − s) >= 0` (`b_h` 1 in
  the band, else 0), priced into the flow by a Lagrangian multiplier λ >= 0: each pair's value
  becomes `score + λ (b_h − s)`. The dual function `L(λ) = max_x score·x + λ g(x)` is convex
  and piecewise linear, each `L(λ)` an upper bound of the constrained optimum, and its
  minimum equals the LP relaxation's optimum (the flow polytope is integral). λ = 0 first:
  if that plan meets the share, it is optimal. Else λ is raised fourfold from a guess until
  the plan meets the share, then searched by bisection on the bracket [λ_lo, λ_hi] (plans
  infeasible, g < 0, and feasible, g >= 0), the split point being where `g` crosses 0 on
  the chord between the two ends (regula falsi, with the Illinois rule: the `g` of an end
  kept twice in a row counts half, so the bracket closes from both sides). Values are
  integers scaled by `K` (at most 16: λ on a grid of 1/K), so each flow is exact.
- Repair, after each flow: the two plans of the bracket differ by vertex-disjoint
  alternating paths and cycles; starting from the infeasible plan, the components that raise
  `g` at the least loss of score per unit of `g` are switched to the feasible plan's pairs
  until `g >= 0` (quotas checked at each switch), which keeps the slack, hence the gap, small.
  The search stops when the best repaired plan is within `GAP_TOLERANCE` (1e-4) of the best
  bound, when the bound meets the lines' intersection (the dual minimum is reached), when
  the bracket is one grid step wide, or after `MAX_FLOWS` flows.
- Certificate: the LP relaxation (households and units at most once, quotas, the share) is
  solved by OR-Tools' LP solver GLOP (`lp_bound`); `bound` is its optimum and
  `gap = (bound − objective) / bound`. The `bound_source` of this bound is still named
  `highs_lp`, the name of the result format (it was first solved by HiGHS through SciPy,
  which the tests keep as a cross-check; `benchmarks/lp_bound.py` compares both). When the
  LP is not solved (`lp_bound` off, or larger than `LP_AUTO_PAIRS` pairs in `auto`), `bound`
  is the best Lagrangian bound, a valid upper bound too (equal to the LP optimum at the dual
  minimum).
"""

import numpy as np
from ortools.linear_solver.python import model_builder_helper as mbh

from seuil.matching.flow import component_roots, max_weight_plan

LP_AUTO_PAIRS = 50_000
MAX_FLOWS = 40
GAP_TOLERANCE = 1e-4
COST_LIMIT = 2**52


def territory_capacity(inst):
    """`(unit_group, group_max, codes)` for the territories with a quota, or None."""
    quotas = inst.constraints.territory_max
    if not quotas:
        return None
    codes = sorted(quotas)
    group_of_territory = np.full(len(inst.territories), -1, dtype=np.int64)
    for g, code in enumerate(codes):
        group_of_territory[inst.territories.index(code)] = g
    unit_group = group_of_territory[inst.territory]
    group_max = np.array([quotas[code] for code in codes], dtype=np.int64)
    return unit_group, group_max, codes


def priority_band(inst):
    share = inst.constraints.priority_share
    if share is None:
        return None
    return inst.priority_points >= share.min_points


class _Plan:
    """A plan of the Lagrangian problem at multiplier `lam` (scaled by K)."""

    def __init__(self, lam, chosen, score, weight, scale):
        self.lam = lam
        self.chosen = chosen
        self.total = int(score[chosen].sum())
        self.g = int(weight[chosen].sum())
        self.scaled_value = self.total * scale + lam * self.g  # K × L(λ)


def _scale(max_score, weight_span, nodes):
    """Largest K (a power of two, at most 16) keeping the flow's costs in range."""
    scale = 16
    while scale > 1:
        lam_high = max_score * scale + 1
        if (max_score * scale + lam_high * weight_span) * (nodes + 1) < COST_LIMIT:
            break
        scale //= 2
    return scale


def solve_priority_share(inst, elig, score, capacity, classes=None, tolerance=GAP_TOLERANCE):
    """(chosen pair indices, details) of a plan meeting the priority share, see module doc."""
    share = inst.constraints.priority_share
    band = priority_band(inst)
    denominator, numerator = share.denominator, share.numerator
    weight_of_household = np.where(band, denominator - numerator, -numerator).astype(np.int64)
    weight = weight_of_household[elig.household]
    households, units = inst.household_count, inst.unit_count
    cap = capacity[:2] if capacity is not None else None
    max_score = int(score.max()) if len(score) else 0
    scale = _scale(max_score, denominator, households + units)
    flows = 0

    def evaluate(lam):
        nonlocal flows
        flows += 1
        values = score * scale + lam * weight
        chosen = max_weight_plan(elig.household, elig.unit, values, households, units, cap, classes)
        return _Plan(lam, chosen, score, weight, scale)

    low = evaluate(0)
    if low.g >= 0:  # the unconstrained optimum meets the share: it is the optimum
        return low.chosen, {"multiplier": 0.0, "flows": 1, "lagrangian_bound": float(low.total)}
    # At lam_max every pair outside the band has a negative value: the plan meets the share.
    lam_max = max_score * scale // max(numerator, 1) + 1
    lam = max(1, min(lam_max, max_score * scale // (2 * denominator)))
    best_bound, best_lam = low.scaled_value, 0
    while True:  # raise λ fourfold until the plan meets the share
        plan = evaluate(lam)
        if plan.scaled_value < best_bound:
            best_bound, best_lam = plan.scaled_value, lam
        if plan.g >= 0:
            high = plan
            break
        low, lam = plan, min(lam_max, 4 * lam)
    best = _repair(inst, elig, score, weight, low, high, capacity)
    damp_low = damp_high = 1.0  # Illinois: halve the weight of an end kept twice in a row
    last_kept = None
    while high.lam - low.lam > 1 and flows < MAX_FLOWS:
        if best_bound - int(score[best].sum()) * scale <= tolerance * best_bound:
            break
        crossing = (low.total - high.total) * scale / (high.g - low.g)  # where the lines meet
        if best_bound - (low.total * scale + crossing * low.g) <= 1e-9 * best_bound:
            break  # the lines meet at the best bound: it is the dual minimum
        below, above = -low.g * damp_low, high.g * damp_high
        lam = low.lam + (high.lam - low.lam) * below / (below + above)  # where g crosses 0
        lam = int(np.clip(np.floor(lam), low.lam + 1, high.lam - 1))
        plan = evaluate(lam)
        if plan.scaled_value < best_bound:
            best_bound, best_lam = plan.scaled_value, lam
        if plan.g >= 0:
            high, damp_high = plan, 1.0
            damp_low = damp_low / 2 if last_kept == "low" else 1.0
            last_kept = "low"
        else:
            low, damp_low = plan, 1.0
            damp_high = damp_high / 2 if last_kept == "high" else 1.0
            last_kept = "high"
        candidate = _repair(inst, elig, score, weight, low, high, capacity)
        if score[candidate].sum() > score[best].sum():
            best = candidate
    details = {
        "multiplier": round(best_lam * denominator / scale, 6),
        "flows": flows,
        "lagrangian_bound": best_bound / scale,
    }
    return best, details


def _repair(inst, elig, score, weight, low, high, capacity):
    """Switch components of low Δ high from `low` to `high` until the share holds."""
    households, units = inst.household_count, inst.unit_count
    removed = np.setdiff1d(low.chosen, high.chosen, assume_unique=True)
    added = np.setdiff1d(high.chosen, low.chosen, assume_unique=True)
    edges = np.concatenate([removed, added])
    label = component_roots(
        elig.household[edges], households + elig.unit[edges], households + units
    )
    component = label[elig.household[edges]]
    sign = np.concatenate([-np.ones(len(removed)), np.ones(len(added))]).astype(np.int64)
    components, component = np.unique(component, return_inverse=True)
    count = len(components)
    delta_total = np.bincount(component, weights=sign * score[edges], minlength=count)
    delta_g = np.bincount(component, weights=sign * weight[edges], minlength=count)
    free = (delta_g >= 0) & (delta_total >= 0)  # never loses score nor share
    helps = delta_g > 0
    loss = np.where(helps, -delta_total / np.where(helps, delta_g, 1), np.inf)
    order = np.lexsort((np.arange(count), delta_g, loss, ~free))
    order = order[(helps | free)[order]]

    if capacity is not None:
        unit_group, group_max = capacity[0], capacity[1]
        groups = len(group_max)
        edge_group = unit_group[elig.unit[edges]]
        grouped = edge_group >= 0
        delta_count = np.zeros((count, groups), dtype=np.int64)
        np.add.at(delta_count, (component[grouped], edge_group[grouped]), sign[grouped])
        placed = np.bincount(
            unit_group[elig.unit[low.chosen]][unit_group[elig.unit[low.chosen]] >= 0],
            minlength=groups,
        )
    g = low.g
    switched = np.zeros(count, dtype=bool)
    for c in order.tolist():
        if g >= 0 and not free[c]:
            break
        if capacity is not None:
            if np.any(placed + delta_count[c] > group_max):
                continue
            placed = placed + delta_count[c]
        switched[c] = True
        g += int(delta_g[c])
    if g < 0:
        return high.chosen
    keep = np.ones(len(edges), dtype=bool)
    keep[switched[component] & (sign < 0)] = False
    keep[~switched[component] & (sign > 0)] = False
    untouched = np.intersect1d(low.chosen, high.chosen, assume_unique=True)
    chosen = np.sort(np.concatenate([untouched, edges[keep]]))
    if score[chosen].sum() < high.total:
        return high.chosen
    return chosen


def lp_rows(inst, elig, capacity):
    """The rows of the LP relaxation: `[(pair indices, coefficients, upper bound)]`.

    Each household and each unit at most once, each territory within its quota, and the
    priority share as `−Σ (b − s) x <= 0`, scaled by the share's denominator (integers).
    """
    households, units = inst.household_count, inst.unit_count
    rows = []
    for index, count in ((elig.household, households), (elig.unit, units)):
        order = np.argsort(index, kind="stable")
        ends = np.cumsum(np.bincount(index, minlength=count))
        for pairs in np.split(order, ends[:-1]):
            if len(pairs):
                rows.append((pairs, np.ones(len(pairs)), 1.0))
    if capacity is not None:
        unit_group, group_max = capacity[0], capacity[1]
        group = unit_group[elig.unit]
        for g, most in enumerate(group_max.tolist()):
            pairs = np.flatnonzero(group == g)
            rows.append((pairs, np.ones(len(pairs)), float(most)))
    share = inst.constraints.priority_share
    if share is not None:
        band = priority_band(inst)[elig.household]
        coefficient = np.where(band, share.numerator - share.denominator, share.numerator)
        nonzero = np.flatnonzero(coefficient)
        rows.append((nonzero, coefficient[nonzero].astype(np.float64), 0.0))
    return rows


def lp_model(inst, elig, score, capacity):
    """The LP relaxation as an OR-Tools model: one variable in [0, 1] per eligible pair."""
    pairs = elig.pair_count
    model = mbh.ModelBuilderHelper()
    model.add_var_array_with_bounds(
        np.zeros(pairs), np.ones(pairs), np.zeros(pairs, dtype=bool), ""
    )
    model.set_objective_coefficients(list(range(pairs)), score.astype(np.float64).tolist())
    model.set_maximize(True)
    variables = [mbh.Variable(model, i) for i in range(pairs)]
    for columns, coefficients, upper in lp_rows(inst, elig, capacity):
        row = model.add_linear_constraint()
        model.set_constraint_upper_bound(row, upper)
        model.add_terms_to_constraint(
            row, [variables[i] for i in columns.tolist()], coefficients.tolist()
        )
    return model


def lp_bound(inst, elig, score, capacity):
    """Optimum of the LP relaxation of the constrained problem, by GLOP (None if it fails).

    Rounded to 1e-6: the solver's rounding noise (2e-10 on an optimum of 277,070, say) must
    not lift the printed bound, rounded up to 3 decimals, by 0.001.
    """
    if elig.pair_count == 0:
        return 0.0
    solver = mbh.ModelSolverHelper("glop")
    solver.solve(lp_model(inst, elig, score, capacity))
    if solver.status() != mbh.SolveStatus.OPTIMAL:
        return None
    return round(float(solver.objective_value()), 6)


def constraint_report(inst, elig, chosen, capacity):
    """What the plan does against each constraint of the instance."""
    report = {}
    share = inst.constraints.priority_share
    if share is not None:
        band = priority_band(inst)
        placed = len(chosen)
        in_band = int(band[elig.household[chosen]].sum())
        report["min_priority_share"] = {
            "min_points": share.min_points,
            "share": share.share,
            "band_households": int(band.sum()),
            "placements": placed,
            "band_placements": in_band,
            "achieved_share": round(in_band / placed, 6) if placed else None,
            "satisfied": in_band * share.denominator >= share.numerator * placed,
        }
    if capacity is not None:
        unit_group, group_max, codes = capacity
        group = unit_group[elig.unit[chosen]]
        placed = np.bincount(group[group >= 0], minlength=len(codes))
        report["territory_quotas"] = {
            code: {
                "max": int(group_max[g]),
                "placements": int(placed[g]),
                "satisfied": bool(placed[g] <= group_max[g]),
            }
            for g, code in enumerate(codes)
        }
    return report
