"""Benchmark of the access log of API lists: a 1,000-row page with and without its rows.

    .venv/bin/python benchmarks/access_log_bulk.py [--households 1200] [--repeat 7]

Imports a generated file (benchmarks/generate.py: about 3 persons and 1 stay per household)
into a fresh SQLite database in a temporary folder, or into the database of DATABASE_URL
when it is set (PostgreSQL: use an empty database). Then, as a service manager with a
personal API token, reads `?limit=1000` pages of /api/v1/households/, /persons/ and
/stays/, alternately with the access log as Seuil writes it (one row per object of the
page, one `bulk_create` in the transaction of the read: `core.audit.record_reads`) and with
the rows left out, and reports the median and fastest times, the queries and the rows
written. Also times writing 1,000 rows alone, in one insert and one at a time. Prints the
figures and writes them to benchmarks/results/access_log_bulk.json.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from django_setup import setup_django  # noqa: E402
from generate import generate  # noqa: E402

ENDPOINTS = ("households", "persons", "stays")
PAGE = 1000


def _import(workdir, households, seed):
    from seuil.exchange.importer import import_exchange_file

    path = workdir / "exchange.json"
    document = generate(households=households, seed=seed)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    import_exchange_file(str(path))
    return document["organisation"]["ref"]


def _client(organisation_ref):
    from django.conf import settings
    from rest_framework.test import APIClient

    from seuil.core.enums import Role
    from seuil.core.models import ApiToken, Organisation, User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user, _ = User.objects.get_or_create(
        username="banc-responsable",
        defaults={
            "organisation": Organisation.objects.get(ref=organisation_ref),
            "role": Role.SERVICE_MANAGER,
        },
    )
    _, key = ApiToken.issue(user, name="banc")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, user


def _no_rows(user, objects, **kwargs):
    """`record_reads` without its rows: the objects, read, and nothing written."""
    return list(objects)


def _timed_page(client, url, *, logged):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from seuil.core import api
    from seuil.core.audit import record_reads
    from seuil.core.models import AccessLog

    api.record_reads = record_reads if logged else _no_rows
    before = AccessLog.objects.count()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url, {"limit": PAGE})
        seconds = time.perf_counter() - start
    api.record_reads = record_reads
    assert response.status_code == 200, response.status_code
    return {
        "ms": seconds * 1000,
        "rows_shown": len(response.data["results"]),
        "access_log_rows": AccessLog.objects.count() - before,
        "queries": len(queries),
    }


def _summary(runs):
    times = [run["ms"] for run in runs]
    return {
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "rows_shown": runs[0]["rows_shown"],
        "access_log_rows": runs[0]["access_log_rows"],
        "queries": runs[0]["queries"],
    }


def _endpoint(client, name, repeat):
    url = f"/api/v1/{name}/"
    _timed_page(client, url, logged=True)  # warm-up: caches, first connection
    runs = {True: [], False: []}
    for _ in range(repeat):
        for logged in (False, True):  # alternate, so that drift hits both alike
            runs[logged].append(_timed_page(client, url, logged=logged))
    with_log, without = _summary(runs[True]), _summary(runs[False])
    extra = with_log["median_ms"] - without["median_ms"]
    return {
        "with_access_log": with_log,
        "without_access_log": without,
        "overhead_ms": round(extra, 1),
        "overhead_percent": round(100 * extra / without["median_ms"], 1),
        "overhead_us_per_row": round(1000 * extra / max(1, with_log["access_log_rows"]), 1),
    }


def _rows_alone(user, repeat):
    """Writing 1,000 access-log rows, in one `bulk_create` and one `save()` at a time."""
    from django.db import transaction

    from seuil.core.audit import record_access, record_reads
    from seuil.core.models import AccessLog
    from seuil.households.models import Household

    households = list(Household.objects.order_by("pk")[:PAGE])
    figures = {}
    for name, write in (
        ("bulk_create", lambda: record_reads(user, households)),
        (
            "one_insert_per_row",
            lambda: [record_access(user, AccessLog.Action.VIEW, h) for h in households],
        ),
    ):
        times = []
        for _ in range(repeat):
            with transaction.atomic():
                start = time.perf_counter()
                write()
                times.append((time.perf_counter() - start) * 1000)
        figures[name] = {
            "rows": len(households),
            "median_ms": round(statistics.median(times), 1),
            "min_ms": round(min(times), 1),
        }
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--output", default=str(HERE / "results" / "access_log_bulk.json"))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="seuil-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(workdir)
        from django.conf import settings

        start = time.perf_counter()
        organisation_ref = _import(workdir, args.households, args.seed)
        print(f"Import de {args.households} ménages : {time.perf_counter() - start:.1f} s")
        client, user = _client(organisation_ref)
        pages = {}
        for name in ENDPOINTS:
            pages[name] = figures = _endpoint(client, name, args.repeat)
            with_log, without = figures["with_access_log"], figures["without_access_log"]
            print(
                f"/api/v1/{name}/?limit={PAGE} : {with_log['median_ms']} ms avec le journal "
                f"({with_log['access_log_rows']} lignes, {with_log['queries']} requêtes), "
                f"{without['median_ms']} ms sans ({without['queries']} requêtes) : "
                f"+{figures['overhead_ms']} ms ({figures['overhead_percent']} %, "
                f"{figures['overhead_us_per_row']} µs par ligne)",
                flush=True,
            )
        alone = _rows_alone(user, args.repeat)
        for name, figures in alone.items():
            print(f"{figures['rows']} lignes seules, {name} : {figures['median_ms']} ms")
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]

    results = {
        "benchmark": "access log of a 1,000-row API page",
        "database": engine,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        "households": args.households,
        "seed": args.seed,
        "repeat": args.repeat,
        "page_size": PAGE,
        "pages": pages,
        "rows_alone": alone,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Résultats écrits dans {output}")


if __name__ == "__main__":
    main()
