"""Benchmark of `seuil import`: 10,000 households / ~30,000 persons / 10,000 stays.

    .venv/bin/python benchmarks/import.py [--households 10000] [--seed 42]

Generates the file (benchmarks/generate.py), writes it to a temporary file, then imports it
into a fresh SQLite database in a temporary folder — or into the database of DATABASE_URL
when it is set (PostgreSQL: use an empty database; the organisation "banc-essai" is
created or updated there). Measures three runs: the first import, the same file again
(idempotent: nothing written) and a changed file (updates). Each run is a process of its
own, as `seuil import` is: its time, its CPU time (user and system) and its peak memory
(maximum resident set, Django included) are its own, not the generator's. Prints the
figures, the machine's load average and whether the first import meets the target (100,000
households in under 5 minutes and 1 GB, scaled to the file's size for the time), and
writes them to benchmarks/results/import.json.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from django_setup import peak_rss_mb, setup_django  # noqa: E402
from generate import generate  # noqa: E402


def changed_copy(document):
    """The same file with 10 % of households, units and stays changed."""
    for household in document["households"][::10]:
        household["prior_situation"] = "other"
        household["members"][0]["first_name"] = "Éléonore"
    for unit in document["housing_units"][::10]:
        unit["rent"] = (unit["rent"] or 0) + 10
    for stay in document["stays"][::10]:
        stay["support_intensity"] = "reinforced"
    return document


TARGET_SECONDS_PER_100K = 300
TARGET_MB = 1024


def write_files(workdir, households, seed):
    """Run in a process of its own (`--files DIR`): write the file and its changed copy,
    return their sizes. On Linux a child's peak memory starts from the peak of the process
    that started it: the benchmark's process never holds the generated document, so that
    the figures of the imports are their own."""
    start = time.perf_counter()
    document = generate(households=households, seed=seed)
    generate_seconds = round(time.perf_counter() - start, 2)
    path = Path(workdir) / "exchange.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    sizes = {
        "households": len(document["households"]),
        "persons": sum(len(h["members"]) for h in document["households"]),
        "housing_units": len(document["housing_units"]),
        "stays": len(document["stays"]),
        "legal_status": sum(
            len(m["legal_status"]) for h in document["households"] for m in h["members"]
        ),
        "resources": sum(len(h["resources"]) for h in document["households"]),
        "eviction_procedures": len(document["eviction_procedures"]),
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }
    (Path(workdir) / "exchange-changed.json").write_text(
        json.dumps(changed_copy(document), ensure_ascii=False), encoding="utf-8"
    )
    return {"generate_seconds": generate_seconds, "sizes": sizes}


def timed_import(path):
    """Run in a process of its own (`--run FILE`): import the file, print the figures."""
    setup_django(None)
    from seuil.exchange.importer import import_exchange_file

    start, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    summary = import_exchange_file(str(path))
    seconds = round(time.perf_counter() - start, 2)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": seconds,
        "cpu_user_seconds": round(usage.ru_utime - cpu.ru_utime, 2),
        "cpu_system_seconds": round(usage.ru_stime - cpu.ru_stime, 2),
        "peak_rss_mb": peak_rss_mb(),
        "warnings": len(summary.warnings),
        "counts": {kind: vars(c) for kind, c in summary.counts.items()},
    }


def run_import(path):
    """The figures of `timed_import` in a fresh process (same database settings)."""
    done = subprocess.run(
        [sys.executable, __file__, "--run", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", default=str(HERE / "results" / "import.json"))
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one import, in its own process
    parser.add_argument("--files", help=argparse.SUPPRESS)  # the files, in their own process
    args = parser.parse_args(argv)
    if args.run:
        print(json.dumps(timed_import(args.run)))
        return
    if args.files:
        print(json.dumps(write_files(args.files, args.households, args.seed)))
        return

    with tempfile.TemporaryDirectory(prefix="seuil-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        from django.conf import settings

        prepared = subprocess.run(
            [sys.executable, __file__, "--files", str(workdir)]
            + ["--households", str(args.households), "--seed", str(args.seed)],
            check=True,
            capture_output=True,
            text=True,
        )
        files = json.loads(prepared.stdout.strip().splitlines()[-1])
        generate_seconds, sizes = files["generate_seconds"], files["sizes"]
        path, changed_path = workdir / "exchange.json", workdir / "exchange-changed.json"
        print(f"Fichier : {sizes}", flush=True)
        runs, load = {}, {"before": list(os.getloadavg())}
        for name, file in (("first", path), ("again", path), ("changed", changed_path)):
            runs[name] = run = run_import(file)
            print(
                f"Import {name} : {run['seconds']} s (CPU {run['cpu_user_seconds']} s "
                f"utilisateur, {run['cpu_system_seconds']} s système), mémoire max "
                f"{run['peak_rss_mb']} Mo, charge {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        load["after"] = list(os.getloadavg())
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]

    first = runs["first"]
    target_seconds = round(TARGET_SECONDS_PER_100K * args.households / 100_000, 1)
    ok = first["seconds"] < target_seconds and first["peak_rss_mb"] < TARGET_MB
    results = {
        "benchmark": "import seuil-exchange/1",
        "database": engine,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        "seed": args.seed,
        "generate_seconds": generate_seconds,
        "file": sizes,
        "load_average": load,
        "runs": runs,
        "target": {"seconds": target_seconds, "peak_rss_mb": TARGET_MB},
        "ok": ok,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"Objectif (100 000 ménages en moins de 5 min et 1 Go, soit {target_seconds} s et "
        f"{TARGET_MB} Mo pour {args.households} ménages) : "
        f"{'atteint' if ok else 'MANQUÉ'} ({first['seconds']} s, {first['peak_rss_mb']} Mo)"
    )
    print(f"Résultats écrits dans {output}")


if __name__ == "__main__":
    main()
