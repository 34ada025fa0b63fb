"""Benchmark of the pages that must not grow with the national tables.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/pages.py \\
        [--households 100000] [--operators 300] [--waiting 10000] [--runs 20] \\
        [--users largest,small,siao] [--no-export]
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/pages.py --measure-only

Writes into the database of DATABASE_URL (empty; PostgreSQL for the national scale, a fresh
SQLite database in a temporary folder without it) `--households` households of one to three
persons over `--operators` operators: the largest holds 30 % of them, a small one 300, the
others share the rest. The heads have a legal status; the households of the largest and of
the small operator, and 2,000 households of the others, have a stay in a unit of theirs
(one in four gone, the others present): the small operator is linked by its stays to
those 2,000 (scope ``linked``). Then one SIAO's waiting list of `--waiting` households
(`matching_in_app.write_scene`) and a matching run over it.

Times each page `--runs` times in this process through Django's test client (the server's
whole work, access log included, one user at a time: not a load test) and prints, per
operator, the median and the 95th percentile (and the median CPU time of this process, the
database's own work aside: the machine may be loaded): the household list (plain, with every filter,
with a name), a household file, the search, the activity report; the waiting list, its CSV
export, a matching run page, the runs list. Also counts the SQL queries of each page.
Targets: p95 under 300 ms for a small operator, under 500 ms for the largest. Writes
benchmarks/results/pages.json.
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from django_setup import peak_rss_mb, setup_django  # noqa: E402

SMALL = 300  # households of the small operator
LINKED = 2000  # households of the others the small operator is linked to by a stay
TARGETS = {"small": 0.3, "largest": 0.5}
STATUSES = ["french_or_eu", "refugee", "subsidiary_protection", "regularised"]
REPORT_PERIOD = {"preset": "personnalisee", "start": "2025-01-01", "end": "2025-12-31"}


def _holders(households, operators, rng):
    """The operator index of each household: 0 the largest (30 %), 1 the small one."""
    largest = int(households * 0.3)
    rest = households - largest - SMALL
    holders = [0] * largest + [1] * SMALL
    holders += [2 + rng.randrange(operators - 2) for _ in range(rest)]
    rng.shuffle(holders)
    return holders


def write_scene(households, operators, waiting, seed):
    from django.db import connection
    from django.utils import timezone

    from search import _bulk, _copy, _next_ids, names
    from seuil.core.enums import OrganisationKind, Role
    from seuil.core.models import Organisation, User
    from seuil.households.links import refresh_links
    from seuil.households.models import Household, LegalStatusRecord, Membership, Person
    from seuil.housing.models import HousingUnit, Programme, Stay

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    orgs = Organisation.objects.bulk_create(
        Organisation(ref=f"banc-pages-{n}", name=f"Opérateur {n}", kind=OrganisationKind.OPERATOR)
        for n in range(operators)
    )
    users = {
        size: User.objects.create_user(
            username=f"pages-{size}",
            password="bench-pages-42",  # noqa: S106 — a throwaway database
            organisation=orgs[n],
            role=Role.SOCIAL_WORKER,
        )
        for n, size in ((0, "largest"), (1, "small"))
    }
    first_ids = _next_ids(connection, (Household, Person, Membership))
    rows_h, rows_p, rows_m, heads = [], [], [], []
    p_id = 0
    for h_id, holder in enumerate(_holders(households, operators, rng), start=1):
        org = orgs[holder].pk
        rows_h.append((first_ids[0] + h_id, org, f"M-{h_id:08X}"))
        for role in ("head", "partner", "child")[: rng.choice((1, 1, 2, 3))]:
            p_id += 1
            last, first = names(rng)
            born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(25000))
            rows_p.append((first_ids[1] + p_id, org, f"P-{p_id:08X}", first, last, born))
            rows_m.append((first_ids[2] + p_id, first_ids[0] + h_id, first_ids[1] + p_id, role))
            if role == "head":
                heads.append(first_ids[1] + p_id)
    if connection.vendor == "postgresql":
        _copy(connection, rows_h, rows_p, rows_m, now)
    else:
        _bulk(rows_h, rows_p, rows_m, now)
    LegalStatusRecord.objects.bulk_create(
        (
            LegalStatusRecord(
                person_id=pk,
                since=datetime.date(2020, 1, 1),
                status=rng.choice(STATUSES),
            )
            for pk in heads
        ),
        batch_size=5000,
    )
    housed = [h for h in rows_h if h[1] in (orgs[0].pk, orgs[1].pk)]
    others = [h for h in rows_h if h[1] not in (orgs[0].pk, orgs[1].pk)]
    linked = rng.sample(others, min(LINKED, len(others)))
    programmes = {
        org.pk: Programme.objects.create(organisation=org, ref=f"prog-{n}", name=f"IML {n}")
        for n, org in enumerate(orgs[:2])
    }
    stays = [(h, h[1]) for h in housed] + [(h, orgs[1].pk) for h in linked]
    units = HousingUnit.objects.bulk_create(
        (
            HousingUnit(
                organisation_id=operator,
                programme=programmes[operator],
                ref=f"L-{n:07d}",
                typology="T2",
                captured_on=datetime.date(2015, 1, 1),
            )
            for n, (_, operator) in enumerate(stays)
        ),
        batch_size=5000,
    )
    Stay.objects.bulk_create(
        (
            Stay(
                organisation_id=operator,
                ref=f"S-{n:07d}",
                household_id=h[0],
                unit=unit,
                programme=programmes[operator],
                entered_on=datetime.date(2021, 1, 1),
                exited_on=today - datetime.timedelta(days=30) if n % 4 == 0 else None,
                exit_destination="social_landlord" if n % 4 == 0 else "",
            )
            for n, ((h, operator), unit) in enumerate(zip(stays, units, strict=True))
        ),
        batch_size=5000,
    )
    refresh_links([h[0] for h in linked])
    import matching_in_app

    coordinator, programme = matching_in_app.write_scene(waiting, 400, seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _run(coordinator, programme)
    return users | {"siao": coordinator}


def _run(coordinator, programme):
    from django.utils import timezone

    from seuil.matching import adapters, services
    from seuil.matching.models import MatchingRun

    day = timezone.localdate()
    instance, links, left_out = adapters.build_instance(coordinator, programme, day)
    services.execute_run(
        MatchingRun.objects.create(
            organisation=coordinator.organisation,
            programme=programme,
            day=day,
            created_by=coordinator,
            instance=instance,
            links=links,
            left_out=left_out,
        )
    )


def existing_users():
    from seuil.core.models import User

    return {
        "largest": User.objects.get(username="pages-largest"),
        "small": User.objects.get(username="pages-small"),
        "siao": User.objects.get(username="coordination-banc"),
    }


def pages_of(user, size):
    """(label, url, params) of the pages measured for `user`."""
    from django.urls import reverse

    from seuil.households.models import Household
    from seuil.housing.models import Programme
    from seuil.matching.models import MatchingRun
    from seuil.orientation.waiting import programmes_with_lists

    if size == "siao":
        programme = programmes_with_lists(user).first()
        run = MatchingRun.objects.filter(programme=programme).order_by("-pk").first()
        return [
            ("liste d'attente", reverse("orientation:waiting_list", args=[programme.uuid]), {}),
            (
                "liste d'attente, page 100",
                reverse("orientation:waiting_list", args=[programme.uuid]),
                {"page": 100},
            ),
            ("export CSV des listes", reverse("orientation:waiting_export"), {"format": "csv"}),
            ("appariement", reverse("matching:run_detail", args=[run.uuid]), {}),
            ("liste des appariements", reverse("matching:runs"), {}),
        ]
    programme = Programme.objects.filter(organisation=user.organisation).first()
    household = Household.objects.filter(organisation=user.organisation).order_by("pk").first()
    url = reverse("households:list")
    return [
        ("liste des ménages", url, {}),
        (
            "liste, sortis + statut + dispositif",
            url,
            {"presence": "left", "legal_status": "refugee", "programme": str(programme.uuid)},
        ),
        ("liste, logés aujourd'hui", url, {"presence": "present"}),
        ("liste, nom", url, {"q": "martin"}),
        ("dossier d'un ménage", reverse("households:detail", args=[household.uuid]), {}),
        ("recherche", reverse("search"), {"r": "martin"}),
        ("rapport d'activité", reverse("reports:activity"), REPORT_PERIOD),
    ]


def measure(client, url, params, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        assert response.status_code == 200, (url, response.status_code)
    seconds.sort()
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(seconds[max(0, int(len(seconds) * 0.95 + 0.5) - 1)] * 1000, 1),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        "queries": len(queries),
        "kilobytes": round(len(body) / 1024, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--operators", type=int, default=300)
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--measure-only", action="store_true")
    parser.add_argument(
        "--users",
        default="largest,small,siao",
        help="whose pages are timed, comma-separated (largest, small, siao)",
    )
    parser.add_argument(
        "--no-export", action="store_true", help="without the export (the longest to time)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from django.conf import settings
        from django.db import connection
        from django.test.utils import setup_test_environment

        from search import client_for

        setup_test_environment()
        started = time.perf_counter()
        if args.measure_only:
            users, write_seconds = existing_users(), None
        else:
            users = write_scene(args.households, args.operators, args.waiting, args.seed)
            write_seconds = round(time.perf_counter() - started, 1)
            print(f"Données écrites en {write_seconds} s")
        figures = {}
        for size, user in users.items():
            if size not in args.users.split(","):
                continue
            client = client_for(user)
            figures[size] = {}
            for label, url, params in pages_of(user, size):
                if args.no_export and label.startswith("export"):
                    continue
                client.get(url, params)  # warm the caches of this process
                f = measure(client, url, params, args.runs)
                figures[size][label] = f
                target = TARGETS.get(size, TARGETS["largest"])
                flag = "" if f["p95_ms"] < target * 1000 else "  (> cible)"
                print(
                    f"{size:8s} {label:38s} médiane {f['median_ms']:7.1f} ms, "
                    f"p95 {f['p95_ms']:7.1f} ms (CPU {f['cpu_median_ms']:7.1f} ms), "
                    f"{f['queries']:3d} requêtes, "
                    f"{f['kilobytes']:7.1f} Ko{flag}"
                )
        from seuil.households.models import Household

        counts = {
            "households": Household.objects.count(),
            "operators": args.operators,
            "waiting_list": args.waiting,
            "largest_operator_households": Household.objects.filter(
                organisation=users["largest"].organisation
            ).count(),
        }
        print(f"Charge de la machine (load average) : {os.getloadavg()}")
        record = {
            "engine": connection.vendor,
            "python": platform.python_version(),
            "counts": counts,
            "write_seconds": write_seconds,
            "runs_per_page": args.runs,
            "pages": figures,
            "targets_p95_ms": {k: v * 1000 for k, v in TARGETS.items()},
            "peak_rss_mb": peak_rss_mb(),
            "load_average": os.getloadavg(),
            "debug": settings.DEBUG,
        }
        out = HERE / "results" / "pages.json"
        out.parent.mkdir(exist_ok=True)
        previous = json.loads(out.read_text()) if out.exists() else {}
        previous[connection.vendor] = record
        out.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")
        print(f"Résultats écrits dans {out.relative_to(HERE.parent)}")
        if connection.vendor == "postgresql":
            connection.close()


if __name__ == "__main__":
    main()
