"""`solve(instance, method)`: a `seuil-matching-result/1` plan for a matching instance.

Methods (EXCHANGE.md §3):

- `optimal`: maximum total score, each household and unit at most once, by a min-cost flow
  (`flow.py`, `territory_first.py`); with side constraints, see `constraints.py`.
- `greedy`: units taken scarcest first (fewest eligible households, counted once before any
  assignment; units with none skipped), each given to its highest-scoring eligible household
  still free.
- `serial`: households in decreasing `priority_points`, then decreasing `waiting_days`,
  then `ref`, each taking its highest-scoring eligible unit still free.

All remaining ties are broken by `ref`, ascending (households and units are indexed in `ref`
order, so "by index" is "by ref"). The baselines follow their definitions and ignore side
constraints; the result still reports how they fare against them.

Determinism: the instance is read into arrays sorted by `ref`, the eligible pairs are sorted
by (household, unit), and every step is deterministic, so the same instance — in any
order of its lists — always gives the same plan and the same JSON. Among several optimal
plans, the one returned is the one found from that canonical input: without territory
quotas, a flow per territory then shortest paths across them (`territory_first.py`), with
quotas one flow (units of one class collapsed into price levels, one flow per component:
`flow.py`).
With a `WarmStart` (a previous plan and its prices, as a run of the application passes),
the optimal plan is repaired from the previous one (`repair.py`): the same instance and the
same previous plan give the same plan; its value is the optimum, proved by its prices, but
among several optimal plans it keeps as much of the previous plan as it can.

Result: the fields of EXCHANGE.md §3 (`assignments` in household `ref` order, each with
its integer `components` adding up to its `score`, see `scoring.py`), plus these extensions:

- `unassigned_reasons`: for each unassigned household, the rule after which it had no
  eligible unit left (`occupancy`, `rent`, `accessible`, `shared`, `wishes`, `refused`;
  `no_unit` when the instance has no unit), or `competition` when it had eligible units
  that the plan gave to others;
- `bound`, `gap` (`optimal` only): an upper bound of the optimum and the relative gap
  `(bound − objective) / bound`, rounded up (bound to 3 decimals, gap to 6) so that they
  stay valid as printed; without the priority-share constraint the flow is exact
  and `bound` = `objective`, `gap` = 0; `bound_source` says where the bound comes from
  (`min_cost_flow`, `highs_lp`, `lagrangian`);
- `constraints` (when the instance has some): what the plan does against each, and for
  `optimal` how it was solved (`multiplier`, `flows`, `lagrangian_bound`, `lp_bound`);
- `fairness` and `territories`: see `fairness.py`.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from seuil.matching import constraints as side
from seuil.matching import territory_first
from seuil.matching.eligibility import build_eligibility
from seuil.matching.fairness import fairness_report, territory_report
from seuil.matching.flow import max_weight_plan
from seuil.matching.instance import Instance, parse_instance
from seuil.matching.repair import RepairError, RepairStats, repair
from seuil.matching.scoring import component_values, pair_scores, shown_components, wish_ranks

RESULT_FORMAT = "seuil-matching-result/1"
METHODS = ("optimal", "greedy", "serial")


def greedy_plan(elig, score, households, units):
    """Pair indices chosen by the `greedy` rule."""
    eligible_count = np.bincount(elig.unit, minlength=units)
    by_unit = np.lexsort((elig.household, -score, elig.unit))
    candidates = elig.household[by_unit]
    ends = np.cumsum(eligible_count)
    unit_order = np.lexsort((np.arange(units), eligible_count))
    unit_order = unit_order[eligible_count[unit_order] > 0]
    taken = np.zeros(households, dtype=bool)
    chosen = []
    for u in unit_order.tolist():
        start = ends[u] - eligible_count[u]
        free = np.flatnonzero(~taken[candidates[start : ends[u]]])
        if len(free):
            k = start + free[0]
            taken[candidates[k]] = True
            chosen.append(by_unit[k])
    return np.sort(np.array(chosen, dtype=np.int64))


def serial_plan(inst, elig, score):
    """Pair indices chosen by the `serial` rule."""
    households, units = inst.household_count, inst.unit_count
    eligible_count = np.bincount(elig.household, minlength=households)
    by_household = np.lexsort((elig.unit, -score, elig.household))
    candidates = elig.unit[by_household]
    ends = np.cumsum(eligible_count)
    household_order = np.lexsort((np.arange(households), -inst.waiting_days, -inst.priority_points))
    household_order = household_order[eligible_count[household_order] > 0]
    taken = np.zeros(units, dtype=bool)
    chosen = []
    for h in household_order.tolist():
        start = ends[h] - eligible_count[h]
        free = np.flatnonzero(~taken[candidates[start : ends[h]]])
        if len(free):
            k = start + free[0]
            taken[candidates[k]] = True
            chosen.append(by_household[k])
    return np.sort(np.array(chosen, dtype=np.int64))


def unit_classes(inst):
    """`(unit_class, unit_rank)` for `flow.max_weight_plan`: units of one class (typology,
    accessible, shared, shared gender, territory) are worth the same to a household and
    eligible by `rent + charges`, their rank."""
    klass = ((inst.typology * 2 + inst.accessible) * 2 + inst.shared) * 4 + inst.shared_gender
    return klass.astype(np.int64) * max(len(inst.territories), 1) + inst.territory, inst.unit_cost


def _split_by(inst):
    """The territory of each unit when strict wishes split the graph by territory (see
    `territory_first.py`), else None: with preferred wishes every household is eligible
    everywhere, and mending a plan per territory costs more than one flow (measured)."""
    return inst.territory if inst.wishes_mode == "strict" else None


# A previous plan is repaired only while the searches it needs stay few: past this share of
# the households and units to place or free, the plan is solved from scratch.
REPAIR_MAX_SHARE = 0.05


@dataclass
class WarmStart:
    """A previous optimal plan and its prices, to repair instead of solving from scratch
    (`repair.py`), and what the solve leaves for the next one.

    In: `assignments` {household ref: unit ref} of the previous optimal plan, `prices`
    {"households": {ref: price}, "units": {ref: price}} that proved it (empty: solve from
    scratch). Out: `repaired` (the plan was repaired, not solved from scratch) and
    `next_prices`, the prices proving today's plan. Only a plan without side constraints
    has prices: with constraints, or when the repair would be too large or fails its proof,
    the plan is solved from scratch."""

    assignments: dict = field(default_factory=dict)
    prices: dict = field(default_factory=dict)
    max_share: float = REPAIR_MAX_SHARE  # of households and units to place or free
    repaired: bool = False
    next_prices: dict = field(default_factory=dict)
    stats: object = None  # the `RepairStats` of the repair, for benchmarks


def _by_ref(refs, keys, values=None):
    """For each of `refs` (sorted), the value of the same key among `keys` (`values`, else
    the key's own position in `refs`), -1 where none."""
    keys = np.array(keys, dtype=str)
    found = np.zeros(len(keys), dtype=bool)
    position = np.searchsorted(refs, keys)
    inside = position < len(refs)
    found[inside] = refs[position[inside]] == keys[inside]
    if values is None:
        return np.where(found, position, -1)
    values = np.asarray(values, dtype=np.int64)
    result = np.full(len(refs), -1, dtype=np.int64)
    result[position[found]] = values[found]
    return result


def _warm_plan(inst, elig, score, warm, stats):
    """Pair indices of an optimal plan without side constraints, with its prices kept in
    `warm`: repaired from `warm`'s plan when it has prices, else from scratch (and certified)."""
    households, units = inst.household_count, inst.unit_count
    keep = np.flatnonzero(score >= 0)
    h, u, v = elig.household, elig.unit, np.asarray(score, dtype=np.int64)
    if len(keep) < len(score):
        h, u, v = h[keep], u[keep], v[keep]
    warm.stats = RepairStats()
    if warm.prices:
        refs_h = np.array(inst.household_refs, dtype=str)  # sorted, as the instance's
        refs_u = np.array(inst.unit_refs, dtype=str)
        given_h = warm.prices.get("households", {})
        given_u = warm.prices.get("units", {})
        p = _by_ref(refs_h, list(given_h), list(given_h.values()))
        q = _by_ref(refs_u, list(given_u), list(given_u.values()))
        yesterday = warm.assignments
        start = _by_ref(refs_h, list(yesterday), _by_ref(refs_u, list(yesterday.values())))
        limit = int(warm.max_share * (households + units)) + 1
        try:
            chosen, p, q = repair(h, u, v, households, units, start, p, q, warm.stats, limit)
            warm.repaired = True
        except RepairError:
            warm.stats = RepairStats()
    if not warm.repaired:
        chosen, p, q = territory_first.optimal_plan(
            h, u, v, households, units, _split_by(inst), unit_classes(inst), stats
        )
        if p is None:  # the plan stands, unproved: no prices for the next run
            return keep[chosen]
    warm.next_prices = {
        "households": dict(zip(inst.household_refs, p.tolist(), strict=True)),
        "units": dict(zip(inst.unit_refs, q.tolist(), strict=True)),
    }
    return keep[chosen]


def optimal_plan(inst, elig, score, lp_bound="auto", stats=None, warm=None):
    """(pair indices, certificate fields, constraint details) of the optimal method.

    `warm`: a `WarmStart` (previous plan and prices in, today's prices out), used only
    without side constraints."""
    capacity = side.territory_capacity(inst)
    households, units = inst.household_count, inst.unit_count
    cap = capacity[:2] if capacity is not None else None
    if warm is not None and capacity is None and inst.constraints.priority_share is None:
        chosen = _warm_plan(inst, elig, score, warm, stats)
        total = float(score[chosen].sum())
        # Repaired or not, the plan is a minimum-cost flow, proved by its prices.
        return chosen, {"bound": total, "bound_source": "min_cost_flow"}, {}
    if capacity is None and inst.constraints.priority_share is None:
        keep = np.flatnonzero(score >= 0)
        h, u, v = elig.household[keep], elig.unit[keep], np.asarray(score[keep], dtype=np.int64)
        chosen = territory_first.optimal_plan(
            h, u, v, households, units, _split_by(inst), unit_classes(inst), stats, prices=False
        )[0]
        chosen = keep[chosen]
        total = float(score[chosen].sum())
        return chosen, {"bound": total, "bound_source": "min_cost_flow"}, {}
    if inst.constraints.priority_share is None:
        chosen = max_weight_plan(
            elig.household, elig.unit, score, households, units, cap, unit_classes(inst), stats
        )
        total = float(score[chosen].sum())
        return chosen, {"bound": total, "bound_source": "min_cost_flow"}, {}
    chosen, details = side.solve_priority_share(inst, elig, score, capacity, unit_classes(inst))
    bound, source = details["lagrangian_bound"], "lagrangian"
    if lp_bound == "on" or (lp_bound == "auto" and elig.pair_count <= side.LP_AUTO_PAIRS):
        value = side.lp_bound(inst, elig, score, capacity)
        details["lp_bound"] = value
        if value is not None and value <= bound + 1e-6 * max(bound, 1):
            bound, source = min(value, bound), "highs_lp"
    return chosen, {"bound": bound, "bound_source": source}, details


def solve(instance, method="optimal", *, lp_bound="auto"):
    """The `seuil-matching-result/1` document of `instance` (a dict or an `Instance`).

    `lp_bound` (optimal method with a priority share): `auto` solves the HiGHS LP relaxation
    up to `constraints.LP_AUTO_PAIRS` eligible pairs, `on` always, `off` never.
    """
    return solve_methods(instance, (method,), lp_bound=lp_bound)[method]


def solve_methods(instance, methods=METHODS, *, lp_bound="auto", progress=None, warm=None):
    """{method: result} of `instance` under each of `methods`, reading the instance and
    building its eligible pairs once. `progress(step, done, total)` (optional) is called
    before each step: `eligibility`, then each method, then `done`. `warm`: a `WarmStart`
    for the optimal method (see `optimal_plan`)."""
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method {unknown[0]!r}")
    report = progress or (lambda step, done, total: None)
    total = len(methods) + 1
    inst = instance if isinstance(instance, Instance) else parse_instance(instance)
    report("eligibility", 0, total)
    elig = build_eligibility(inst)
    score = pair_scores(inst, elig.household, elig.unit)
    results = {}
    for done, method in enumerate(methods, start=1):
        report(method, done, total)
        certificate, details = None, {}
        if method == "optimal":
            chosen, certificate, details = optimal_plan(inst, elig, score, lp_bound, warm=warm)
        elif method == "greedy":
            chosen = greedy_plan(elig, score, inst.household_count, inst.unit_count)
        else:
            chosen = serial_plan(inst, elig, score)
        results[method] = build_result(inst, elig, score, chosen, method, certificate, details)
    report("done", total, total)
    return results


def build_result(inst, elig, score, chosen, method, certificate=None, details=None):
    household, unit, chosen_score = elig.household[chosen], elig.unit[chosen], score[chosen]
    components = shown_components(component_values(inst, household, unit), chosen_score)
    assignments = [
        {
            "household": inst.household_refs[h],
            "unit": inst.unit_refs[u],
            "score": s,
            "components": shown,
        }
        for h, u, s, shown in zip(
            household.tolist(), unit.tolist(), chosen_score.tolist(), components, strict=True
        )
    ]
    placed = np.zeros(inst.household_count, dtype=bool)
    placed[household] = True
    unassigned = np.flatnonzero(~placed)
    objective = int(chosen_score.sum())
    result = {
        "format": RESULT_FORMAT,
        "method": method,
        "assignments": assignments,
        "unassigned_households": [inst.household_refs[h] for h in unassigned.tolist()],
        "objective": objective,
        "eligible_pairs": elig.pair_count,
        "excluded_pairs_by_rule": elig.excluded_pairs_by_rule(),
        "unassigned_reasons": {
            inst.household_refs[h]: rule or "competition"
            for h, rule in zip(unassigned.tolist(), elig.exclusion_rules(unassigned), strict=True)
        },
    }
    if certificate is not None:
        # Rounded up, so that the printed bound and gap stay valid.
        bound = max(math.ceil(certificate["bound"] * 1000) / 1000, objective)
        gap = (bound - objective) / bound if bound > 0 else 0.0
        result["bound"] = bound
        result["gap"] = math.ceil(gap * 1e6) / 1e6
        result["bound_source"] = certificate["bound_source"]
    if inst.constraints.any:
        report = side.constraint_report(inst, elig, chosen, side.territory_capacity(inst))
        if details:
            report["solver"] = dict(details)
        result["constraints"] = report
    rank = wish_ranks(inst, household, unit)
    result["fairness"] = fairness_report(inst, household, unit, chosen_score, rank)
    result["territories"] = territory_report(inst, household, unit, chosen_score, rank)
    return result
