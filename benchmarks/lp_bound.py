"""Benchmark of the LP bound of constrained matching runs: OR-Tools' GLOP against SciPy's HiGHS.

    .venv/bin/python benchmarks/lp_bound.py [--scale all] [--repeat 3]
    .venv/bin/python benchmarks/lp_bound.py --scale departement [--output ...]

The LP relaxation of a run with the priority share (households and units at most once,
quotas, at least `share` of the placements for the priority band; one variable in [0, 1]
per eligible pair) is what `seuil.matching.constraints.lp_bound` solves to certify the plan.
It is solved here, on the same instance, three ways:

- `ortools_glop`: `constraints.lp_bound` as the application runs it (the model built with
  OR-Tools' model builder, solved by GLOP, OR-Tools' simplex);
- `ortools_highs`: the same model solved by the HiGHS that OR-Tools ships (information only);
- `scipy_highs`: the formulation the application used before, solved by HiGHS through
  `scipy.optimize.linprog(method="highs")` (the sparse matrix built from the pairs' arrays).

Instances come from the seeded generator of `benchmarks/matching.py` (`generate_instance`),
with at least 20 % of the placements for the households with 10 priority points or more
(the unconstrained optimum gives them about 16 %), and for the `-quotas` scales a quota on
the two départements with the most units (80 % of their units). Scales (households × units
over départements, about how many eligible pairs): `departement` 1,000 × 500 over 3
(20,000: a département's list, under `LP_AUTO_PAIRS`, where runs solve the LP by default),
`departement-quotas`, `large` 3,000 × 1,500 over 6 (58,000), `large-quotas`, and with
`--scale all` also `regional` 10,000 × 5,000 over 12 (252,000: the `regional-constrained`
scale of `benchmarks/matching.py`).

Measured for each solver, `--repeat` times (the best wall-clock time is kept, with its CPU
time; the machine may be shared): build and solve together, in seconds. Then the bounds,
their largest difference, whether the printed bounds (rounded up to 3 decimals as in the
result) are equal, and the ratio of GLOP's time to SciPy's.

Decision rule (written in `decision`): the LP moves to GLOP if, at every scale, GLOP gives
the same printed bound and takes at most 1.5 times SciPy's wall-clock time.

Prints the figures and writes them to benchmarks/results/lp_bound.json (entries of other
scales already in the file are kept).
"""

import argparse
import json
import math
import os
import platform
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from matching import PRIORITY_SHARE, Timer, generate_instance, seconds  # noqa: E402
from seuil.matching import constraints as side  # noqa: E402
from seuil.matching.eligibility import build_eligibility  # noqa: E402
from seuil.matching.instance import parse_instance  # noqa: E402
from seuil.matching.scoring import pair_scores  # noqa: E402

SCALES = {
    "departement": {"households": 1_000, "units": 500, "territories": 3},
    "departement-quotas": {"households": 1_000, "units": 500, "territories": 3, "quotas": 2},
    "large": {"households": 3_000, "units": 1_500, "territories": 6},
    "large-quotas": {"households": 3_000, "units": 1_500, "territories": 6, "quotas": 2},
    "regional": {"households": 10_000, "units": 5_000, "territories": 12},
}
DEFAULT_SCALES = ["departement", "departement-quotas", "large", "large-quotas"]
MAX_RATIO = 1.5
SOLVERS = ("ortools_glop", "ortools_highs", "scipy_highs")


def instance(households, units, territories, seed, quotas=0):
    document = generate_instance(households, units, territories, seed=seed)
    constraints = dict(PRIORITY_SHARE)
    if quotas:
        counts = {}
        for unit in document["units"]:
            counts[unit["territory"]] = counts.get(unit["territory"], 0) + 1
        busiest = sorted(counts, key=lambda code: (-counts[code], code))[:quotas]
        constraints["territory_quotas"] = {
            code: {"max": int(0.8 * counts[code])} for code in busiest
        }
    document["constraints"] = constraints
    return parse_instance(document)


def scipy_highs(inst, elig, score, capacity):
    """The LP relaxation by HiGHS through SciPy, as the application solved it before."""
    from scipy import sparse
    from scipy.optimize import linprog

    pairs = elig.pair_count
    rows, columns, data, upper = [], [], [], []
    for number, (row_pairs, coefficients, bound) in enumerate(side.lp_rows(inst, elig, capacity)):
        rows.append(np.full(len(row_pairs), number))
        columns.append(row_pairs)
        data.append(coefficients)
        upper.append(bound)
    matrix = sparse.csc_array(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(columns))),
        shape=(len(upper), pairs),
    )
    result = linprog(
        -score.astype(np.float64),
        A_ub=matrix,
        b_ub=np.array(upper),
        bounds=(0, 1),
        method="highs",
    )
    return float(-result.fun) if result.status == 0 else None


def ortools_highs(inst, elig, score, capacity):
    """The application's model, solved by the HiGHS that OR-Tools ships."""
    from ortools.linear_solver.python import model_builder_helper as mbh

    solver = mbh.ModelSolverHelper("highs")
    solver.solve(side.lp_model(inst, elig, score, capacity))
    if solver.status() != mbh.SolveStatus.OPTIMAL:
        return None
    return float(solver.objective_value())


def printed(bound):
    """The bound as a result prints it: rounded up to 3 decimals."""
    return math.ceil(bound * 1000) / 1000


def run_scale(name, seed, repeat):
    spec = dict(SCALES[name])
    inst = instance(seed=seed, **spec)
    elig = build_eligibility(inst)
    score = pair_scores(inst, elig.household, elig.unit)
    capacity = side.territory_capacity(inst)
    print(f"[{name}] {elig.pair_count:_} paires éligibles".replace("_", " "), flush=True)
    functions = {
        "ortools_glop": side.lp_bound,
        "ortools_highs": ortools_highs,
        "scipy_highs": scipy_highs,
    }
    figures = {
        "households": inst.household_count,
        "units": inst.unit_count,
        "territories": len(inst.territories),
        "eligible_pairs": elig.pair_count,
        "constraints": {
            "min_priority_share": PRIORITY_SHARE["min_priority_share"],
            "territory_quotas": sorted(inst.constraints.territory_max),
        },
    }
    bounds = {}
    for solver in SOLVERS:
        best = None
        for _ in range(repeat):
            with Timer() as timer:
                value = functions[solver](inst, elig, score, capacity)
            if best is None or timer.wall < best.wall:
                best = timer
        bounds[solver] = value
        figures[f"{solver}_seconds"] = seconds(best)
        figures[f"{solver}_bound"] = value
    reference = bounds["scipy_highs"]
    glop = bounds["ortools_glop"]
    same = reference is not None and glop is not None
    figures["largest_difference"] = (
        max(abs(b - reference) for b in bounds.values()) if same else None
    )
    figures["printed_bounds_equal"] = same and printed(glop) == printed(reference)
    figures["glop_over_scipy"] = {
        unit: round(figures["ortools_glop_seconds"][unit] / figures["scipy_highs_seconds"][unit], 2)
        for unit in ("wall", "cpu")
    }
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=[*SCALES, "all"], action="append")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each solver (best kept)")
    parser.add_argument("--output", default=str(HERE / "results" / "lp_bound.json"))
    args = parser.parse_args(argv)
    names = args.scale or DEFAULT_SCALES
    if "all" in names:
        names = list(SCALES)
    output = Path(args.output)
    results = {}
    if output.exists():
        results = json.loads(output.read_text(encoding="utf-8")).get("scales", {})
    for name in names:
        figures = run_scale(name, args.seed, args.repeat)
        results[name] = figures
        print(f"[{name}] {json.dumps(figures, ensure_ascii=False)}", flush=True)
    moves = all(
        f["printed_bounds_equal"] and f["glop_over_scipy"]["wall"] <= MAX_RATIO
        for f in results.values()
    )
    decision = (
        f"GLOP: same printed bound, at most {MAX_RATIO} × SciPy's time at every scale"
        if moves
        else f"SciPy: GLOP differs or takes more than {MAX_RATIO} × SciPy's time somewhere"
    )
    document = {
        "benchmark": "LP bound of constrained runs (seuil.matching.constraints.lp_bound)",
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        "seed": args.seed,
        "repeat": args.repeat,
        "time": "best wall-clock time of the repeats, with its CPU time (this process)",
        "scales": results,
        "decision": decision,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Décision : {decision}")
    print(f"Résultats écrits dans {output}")


if __name__ == "__main__":
    main()
