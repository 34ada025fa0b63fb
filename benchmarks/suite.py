"""The test suite's wall time and CPU seconds, in all and module by module.

    .venv/bin/python benchmarks/suite.py [--top 30] [-- <pytest arguments>]

Runs `pytest -p no:randomly` (as configured in pyproject.toml: xdist, two workers) with the
plugin of benchmarks/suite_cpu_plugin.py, then prints the wall time, the CPU seconds of
pytest and of every process it started (workers, chromium, subprocesses: user + system),
and the modules that cost the most CPU. On a loaded machine the wall time says little:
compare CPU seconds. Writes benchmarks/results/suite.json.
"""

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--output", default=str(HERE / "results" / "suite.json"))
    parser.add_argument("pytest_args", nargs="*")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "cpu")
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
            "SUITE_CPU_OUTPUT": prefix,
        }
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "suite_cpu_plugin",
            "-p",
            "no:randomly",
            "-q",
            *arguments.pytest_args,
        ]
        launched = time.time()
        started = time.perf_counter()
        returncode = subprocess.run(command, cwd=ROOT, env=environment, check=False).returncode  # noqa: S603
        wall = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        rows, workers = [], {}
        for path in Path(folder).glob("cpu.*.json"):
            tests = json.loads(path.read_text(encoding="utf-8"))["tests"]
            rows.extend(tests)
            if tests:
                workers[path.stem.split(".", 1)[1]] = _timeline(tests, launched)

    modules = collections.defaultdict(
        lambda: {"cpu": 0.0, "children_cpu": 0.0, "wall": 0.0, "tests": 0}
    )
    for row in rows:
        module = modules[row["test"].split("::")[0]]
        module["cpu"] += row["cpu"]
        module["children_cpu"] += row["children_cpu"]
        module["wall"] += row["wall"]
        module["tests"] += 1
    ranked = sorted(modules.items(), key=lambda item: -(item[1]["cpu"] + item[1]["children_cpu"]))
    results = {
        "command": " ".join(command[1:]),
        "returncode": returncode,
        "tests": len(rows),
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "load_average": os.getloadavg(),
        "workers": workers,
        "modules": {name: {k: round(v, 2) for k, v in m.items()} for name, m in ranked},
    }
    print(f"{len(rows)} tests, exit code {returncode}")
    print(
        f"wall {wall:.1f} s, CPU {results['cpu_seconds']} s (pytest and every process it started)"
    )
    for worker, timeline in sorted(workers.items()):
        print(
            f"{worker}: first test at {timeline['first_test']} s, last one ended at "
            f"{timeline['last_test_ended']} s, busy {timeline['in_tests']} s in its tests"
        )
    print(f"{'CPU s':>8} {'child s':>8} {'wall s':>8} {'tests':>6}  module")
    for name, module in ranked[: arguments.top]:
        print(
            f"{module['cpu']:8.1f} {module['children_cpu']:8.1f} {module['wall']:8.1f}"
            f" {module['tests']:6d}  {name}"
        )
    output = Path(arguments.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return returncode


def _timeline(tests, launched):
    """When a worker ran its first test and ended its last one, in seconds after pytest was
    launched, and the wall seconds it spent in tests (the rest: start-up, collection, idle)."""
    return {
        "first_test": round(min(test["started"] for test in tests) - launched, 1),
        "last_test_ended": round(max(test["ended"] for test in tests) - launched, 1),
        "in_tests": round(sum(test["wall"] for test in tests), 1),
    }


if __name__ == "__main__":
    sys.exit(main())
