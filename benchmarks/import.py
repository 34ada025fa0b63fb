"""Benchmark of `seuil import`: 10,000 households / ~30,000 persons / 10,000 stays.

    .venv/bin/python benchmarks/import.py [--households 10000] [--seed 42]

Generates the file (benchmarks/generate.py), writes it to a temporary file, then imports it
into a fresh SQLite database in a temporary folder — or into the database of DATABASE_URL
when it is set (PostgreSQL: use an empty database; the organisation "banc-essai" is
created or updated there). Measures three runs: the first import, the same file again
(idempotent: nothing written) and a changed file (updates). Prints the figures and writes
them to benchmarks/results/import.json. Peak memory is the process's maximum resident set
(resource.getrusage), measured before and after each run.
"""

import argparse
import gc
import json
import os
import platform
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


def timed_import(path):
    from seuil.exchange.importer import import_exchange_file

    gc.collect()
    before = peak_rss_mb()
    start = time.perf_counter()
    summary = import_exchange_file(str(path))
    seconds = round(time.perf_counter() - start, 2)
    return {
        "seconds": seconds,
        "peak_rss_mb_before": before,
        "peak_rss_mb_after": peak_rss_mb(),
        "counts": {kind: vars(c) for kind, c in summary.counts.items()},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", default=str(HERE / "results" / "import.json"))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="seuil-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        from django.conf import settings

        start = time.perf_counter()
        document = generate(households=args.households, seed=args.seed)
        generate_seconds = round(time.perf_counter() - start, 2)
        path = workdir / "exchange.json"
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
        changed_path = workdir / "exchange-changed.json"
        changed_path.write_text(
            json.dumps(changed_copy(document), ensure_ascii=False), encoding="utf-8"
        )
        del document
        print(f"Fichier : {sizes}", flush=True)
        runs = {}
        for name, file in (("first", path), ("again", path), ("changed", changed_path)):
            runs[name] = timed_import(file)
            run = runs[name]
            print(
                f"Import {name} : {run['seconds']} s, mémoire max {run['peak_rss_mb_after']} Mo "
                f"(avant : {run['peak_rss_mb_before']} Mo)",
                flush=True,
            )
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]

    results = {
        "benchmark": "import seuil-exchange/1",
        "database": engine,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        "seed": args.seed,
        "generate_seconds": generate_seconds,
        "file": sizes,
        "runs": runs,
        "target_seconds": 30,
        "ok": runs["first"]["seconds"] < 30,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Résultats écrits dans {output}")


if __name__ == "__main__":
    main()
