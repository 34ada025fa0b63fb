"""Benchmark of the pages that must not grow with the national tables.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/pages.py \\
        [--households 100000] [--operators 300] [--waiting 10000] [--runs 20] \\
        [--accounts largest,small,siao] [--no-export] [--only "liste|dossier"] [--users 20]
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
database's own work aside: the machine may be loaded): the home page, the household list
(plain, with every filter, with a name), a household file, a unit's page, the API lists of
households (plain, present today) and of units (with the pages' session), the search, the
activity report; the waiting list, its CSV export, a matching run page, the runs list. Also
counts the SQL queries of each page. The export of the whole waiting list (above
`SEUIL_EXPORT_INLINE_MAX_ROWS`) is prepared in the background: measured are the request
that asks for it (it answers with the page of the download), its preparation by
`seuil db_worker` (run in this process) and the download of the prepared file. The
activity report is measured from scratch: its first view (the progress page when the
report is computed in the background), the progress page, the background computation
(`seuil db_worker`, run in this process), then the views of the stored report.
Targets: p95 under 300 ms for a small operator, under 500 ms for the largest. Writes
benchmarks/results/pages.json.

With `--users 20`: the same pages under 20 concurrent users instead, through a real server
started on 127.0.0.1 (gunicorn with `--workers` processes when installed, else Django's
runserver) with DATABASE_URL's database: each user is a thread with its own session (logged
in, two-factor passed) of one of the accounts (the largest operator, the small one, the
SIAO, in turn), that asks for its account's pages in a shuffled order `--runs` times,
waiting `--think` seconds on average between two pages, for at most `--seconds`; the SIAO's
users ask for the export of the whole waiting list (10,000 rows) once in every
`--export-every` pages, then, as a browser does, ask for its page every 2 seconds until the
file is ready and download it (a `seuil db_worker` started beside the server prepares it;
its CPU time is counted with the server's). 50 by default: a simulated user asks a page a
second, far more often than a coordinator at work, who exports the lists a few times a day.
It was one page in five before (`--export-every 5`): 2,400 exports of 10,000 rows an hour
under 20 users, which took two fifths of the server's processor time. Prints
per account and page the median and the 95th percentile of the answers' times under that
concurrency, the requests answered and the CPU time of the server, of the database (its
processes on this machine) and of the simulated users (this process): on one machine they
share its processors. `--only "liste|dossier"` keeps the pages whose label contains one of
these texts, `--no-export` leaves the export out (both modes).
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
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
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load in production: the planner's statistics,
        # and the visibility map without which no index answers alone (an index-only
        # count of an operator's households).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
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
    from seuil.housing.models import HousingUnit, Programme
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
    unit = HousingUnit.objects.filter(organisation=user.organisation).order_by("pk").first()
    url = reverse("households:list")
    return [
        ("accueil", reverse("home"), {}),
        ("liste des ménages", url, {}),
        (
            "liste, sortis + statut + dispositif",
            url,
            {"presence": "left", "legal_status": "refugee", "programme": str(programme.uuid)},
        ),
        ("liste, logés aujourd'hui", url, {"presence": "present"}),
        ("liste, nom", url, {"q": "martin"}),
        ("dossier d'un ménage", reverse("households:detail", args=[household.uuid]), {}),
        ("fiche d'un logement", reverse("housing:detail", args=[unit.uuid]), {}),
        # API v1, with the page's session (its second factor passed), as a browser asks.
        ("API, liste des ménages", reverse("household-list"), {}),
        (
            "API, liste des ménages, logés aujourd'hui",
            reverse("household-list"),
            {"presence": "present"},
        ),
        ("API, liste des logements", reverse("housing-unit-list"), {}),
        ("recherche", reverse("search"), {"r": "martin"}),
        ("rapport d'activité", reverse("reports:activity"), REPORT_PERIOD),
    ]


def _report_line(f, size):
    first = f["first_view"]
    parts = [
        f"première vue {first['ms']:.0f} ms"
        + (" (page d'avancement)" if first["progress_page"] else " (calculé à la demande)")
    ]
    if "progress_page" in f:
        p = f["progress_page"]
        parts.append(
            f"avancement médiane {p['median_ms']:.1f} ms (CPU {p['cpu_median_ms']:.1f} ms), "
            f"p95 {p['p95_ms']:.1f} ms"
        )
        b = f["background"]
        parts.append(
            f"calcul en arrière-plan {b['computation_s']} s ({b['computation_cpu_s']} s CPU)"
        )
    s = f["stored"]
    parts.append(
        f"rapport gardé médiane {s['median_ms']:.1f} ms (CPU {s['cpu_median_ms']:.1f} ms), "
        f"p95 {s['p95_ms']:.1f} ms, "
        f"{s['queries']} requêtes, {s['kilobytes']:.1f} Ko{_flag(size, s)}"
    )
    return "\n    ".join(parts)


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
    return {
        **_percentiles(seconds),
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
        "queries": len(queries),
        "kilobytes": round(len(body) / 1024, 1),
    }


def measure_report(client, user, url, params, runs):
    """The activity report page: the first view (its report not computed yet: the progress
    page, or the report itself when small enough to compute at once), the views while it
    is computed, the background computation (`seuil db_worker`, run here), then the views
    of the stored report (its data version checked each time)."""
    from django.core.management import call_command

    from seuil.reports.models import ReportStatus, StoredReport

    StoredReport.objects.filter(organisation=user.organisation).delete()
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url, params)
    first = {
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "cpu_ms": round((time.process_time() - cpu) * 1000, 1),
        "progress_page": "Rapport en cours de calcul" in response.content.decode(),
    }
    figures = {"first_view": first}
    stored = StoredReport.objects.get(organisation=user.organisation)
    if stored.status != ReportStatus.DONE:
        figures["progress_page"] = measure(client, url, params, runs)
        started, cpu = time.perf_counter(), time.process_time()
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )
        stored.refresh_from_db()
        assert stored.status == ReportStatus.DONE, stored.error
        figures["background"] = {
            "worker_s": round(time.perf_counter() - started, 2),
            "worker_cpu_s": round(time.process_time() - cpu, 2),
            "computation_s": stored.seconds,
            "computation_cpu_s": stored.cpu_seconds,
        }
    else:
        figures["inline"] = {
            "computation_s": stored.seconds,
            "computation_cpu_s": stored.cpu_seconds,
        }
    client.get(url, params)  # warm the caches of this process
    figures["stored"] = measure(client, url, params, runs)
    return figures


def measure_export(client, url, params, runs):
    """An export (the lists, an organisation's workbook): when prepared in the background (a
    redirect to its page), the request that asks for it, the preparation (`seuil db_worker`,
    run here) and the download of the prepared file, `runs` times; else the download made
    at once."""
    from django.core.management import call_command

    from seuil.core.models import PreparedDownload

    if client.get(url, params).status_code != 302:
        return {"inline": measure(client, url, params, runs)}
    asked, prepared, downloaded = [], [], []
    for _ in range(runs):
        PreparedDownload.objects.all().delete()
        started = time.perf_counter()
        response = client.get(url, params)
        asked.append(time.perf_counter() - started)
        started, cpu = time.perf_counter(), time.process_time()
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )
        prepared.append((time.perf_counter() - started, time.process_time() - cpu))
        download = PreparedDownload.objects.get()
        assert download.status == "done", download.error
        started = time.perf_counter()
        file = client.get(f"{response['Location']}fichier/")
        size = len(b"".join(file.streaming_content))
        downloaded.append(time.perf_counter() - started)
    return {
        "ask": _percentiles(asked),
        "preparation_s": round(statistics.median(s for s, _ in prepared), 2),
        "preparation_cpu_s": round(statistics.median(c for _, c in prepared), 2),
        "rows": download.rows,
        "download": {**_percentiles(downloaded), "kilobytes": round(size / 1024, 1)},
    }


def _export_line(f, size):
    if "inline" in f:
        i = f["inline"]
        return f"envoyé aussitôt : médiane {i['median_ms']:.1f} ms, p95 {i['p95_ms']:.1f} ms"
    rows = f" de {f['rows']} lignes" if f["rows"] else ""
    return (
        f"demande médiane {f['ask']['median_ms']:.1f} ms, p95 {f['ask']['p95_ms']:.1f} ms"
        f"{_flag(size, f['ask'])}\n    préparation en arrière-plan{rows} : "
        f"{f['preparation_s']} s ({f['preparation_cpu_s']} s CPU, médiane)\n    "
        f"téléchargement du fichier médiane {f['download']['median_ms']:.1f} ms, "
        f"p95 {f['download']['p95_ms']:.1f} ms, {f['download']['kilobytes']:.1f} Ko"
        f"{_flag(size, f['download'])}"
    )


def _percentiles(seconds):
    seconds = sorted(seconds)
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(seconds[max(0, int(len(seconds) * 0.95 + 0.5) - 1)] * 1000, 1),
    }


def _cpu_seconds(pid):
    """User and system CPU time of process `pid` and of its children (gunicorn's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            tasks = Path(f"/proc/{current}/task")
            for task in tasks.iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def _database_cpu_seconds():
    """User and system CPU time of the PostgreSQL processes of this machine (a database on
    another machine: 0), those that ended included (their parent's children's time)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().split("(", 1)[1].rsplit(")", 1)
            if name.startswith("postgres"):
                total += sum(int(value) for value in fields.split()[11:15]) / tick
        except (OSError, IndexError, ValueError):
            continue
    return total


class Visitor(threading.Thread):
    """One user: its account's pages in a shuffled order, `runs` times, with think time;
    the export (`export`, when the account has one) once in every `export_every` pages."""

    def __init__(self, base, cookie, size, pages, runs, think, deadline, seed, export_every):
        super().__init__(daemon=True)
        self.base, self.cookie, self.size = base, cookie, size
        self.export = next((p for p in pages if _is_export(p)), None)
        self.pages = [p for p in pages if p is not self.export]
        self.runs, self.think, self.deadline = runs, think, deadline
        self.export_every = export_every
        self.rng = random.Random(seed)
        self.seconds = defaultdict(list)
        self.errors = []

    def get(self, label, url, params):
        if self.export and label == self.export[0]:
            self.export_flow(label, url, params)
        else:
            self.fetch(label, url, params)

    def export_flow(self, label, url, params):
        """Ask for the export, follow its page every 2 s until the file is ready, download
        it. Timed: the request that asks (with the page it redirects to), each look at the
        page, the download, and the whole wait from the click to the file. A list small
        enough (or `SEUIL_EXPORT_INLINE_MAX_ROWS` large enough) gives the file at once."""
        started = time.perf_counter()
        status, body, page = self.fetch(label, url, params)
        if not body.startswith("<!DOCTYPE html>"):  # the file itself
            self.seconds[EXPORT_STEPS[-1]].append(time.perf_counter() - started)
            return
        while status == 200 and "/fichier/" not in body:
            if time.monotonic() > self.deadline + 60:
                self.errors.append(f"{self.size} {label}: fichier pas prêt")
                return
            time.sleep(2)
            status, body, _ = self.fetch("export, page d'avancement", page, {})
        if status == 200:
            file_url = re.search(r'href="(/telechargements/[^"]+/fichier/)"', body).group(1)
            self.fetch("export, téléchargement du fichier", file_url, {})
            self.seconds["export, du clic au fichier"].append(time.perf_counter() - started)

    def fetch(self, label, url, params):
        """(status, text of the answer, address answered after redirects); timed."""
        query = "&".join(f"{k}={urllib.request.quote(str(v))}" for k, v in params.items())
        request = urllib.request.Request(
            f"{self.base}{url}{'?' + query if query else ''}", headers={"Cookie": self.cookie}
        )
        started = time.perf_counter()
        body, answered = b"", url
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
                status = response.status
                answered = urllib.parse.urlsplit(response.url).path
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            status = f"{type(error).__name__}"
        self.seconds[label].append(time.perf_counter() - started)
        if status != 200:
            self.errors.append(f"{self.size} {label}: {status}")
        return status, body.decode(errors="replace"), answered

    def visits(self):
        asked = 0
        for _ in range(self.runs):
            for page in self.rng.sample(self.pages, len(self.pages)):
                asked += 1
                if self.export and asked % self.export_every == 0:
                    yield self.export
                yield page

    def run(self):
        # Users arrive spread over the first think time, not all on the same instant.
        time.sleep(self.rng.random() * self.think)
        for label, url, params in self.visits():
            if time.monotonic() > self.deadline:
                return
            self.get(label, url, params)
            time.sleep(self.rng.random() * 2 * self.think)


def concurrent(users, args):
    """The pages of `users` (account → User) under `args.users` concurrent users through a
    server on 127.0.0.1; returns the figures per account and page."""
    from load import SEUIL, free_port, start_server
    from search import client_for

    port = free_port()
    server, server_name = start_server(dict(os.environ), port, workers=args.workers)
    # The background worker that prepares the large exports, beside the server.
    worker = subprocess.Popen(  # noqa: S603
        [SEUIL, "db_worker", "--no-startup-delay", "--interval", "0.5"],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server_name += " + seuil db_worker"
    try:
        base = f"http://127.0.0.1:{port}"
        sizes = list(users)
        pages = {size: _pages(users[size], size, args.only, args.no_export) for size in sizes}
        visitors = []
        deadline = time.monotonic() + args.seconds
        for n in range(args.users):
            size = sizes[n % len(sizes)]
            client = client_for(users[size])
            cookie = "; ".join(f"{k}={m.value}" for k, m in client.cookies.items())
            visitors.append(
                Visitor(
                    base,
                    cookie,
                    size,
                    pages[size],
                    args.runs,
                    args.think,
                    deadline,
                    n,
                    args.export_every,
                )
            )
        for size in sizes:  # warm the server's workers
            for _, url, params in pages[size]:
                visitors[sizes.index(size)].get("échauffement", url, params)
        for visitor in visitors:
            visitor.seconds.clear()
            visitor.errors.clear()
        cpu_before = _cpu_seconds(server.pid) + _cpu_seconds(worker.pid)
        database_before, client_before = _database_cpu_seconds(), time.process_time()
        started = time.perf_counter()
        for visitor in visitors:
            visitor.start()
        for visitor in visitors:
            visitor.join(args.seconds + 120)
        wall = time.perf_counter() - started
        cpu = _cpu_seconds(server.pid) + _cpu_seconds(worker.pid) - cpu_before
        database_cpu = _database_cpu_seconds() - database_before
        client_cpu = time.process_time() - client_before
    finally:
        server.terminate()
        worker.terminate()
        server.wait(30)
        worker.wait(30)
    figures, errors = {}, []
    for size in sizes:
        figures[size] = {}
        labels = [label for label, _, _ in pages[size]]
        if any(_is_export(p) for p in pages[size]):
            labels += EXPORT_STEPS
        for label in labels:
            seconds = [s for v in visitors if v.size == size for s in v.seconds[label]]
            if seconds:
                figures[size][label] = {**_percentiles(seconds), "requests": len(seconds)}
    for visitor in visitors:
        errors += visitor.errors
    requests = sum(len(s) for v in visitors for s in v.seconds.values())
    return {
        "server": server_name,
        "users": args.users,
        "think_seconds": args.think,
        "export_every": None if args.no_export else args.export_every,
        "wall_seconds": round(wall, 1),
        "requests": requests,
        "server_cpu_seconds": round(cpu, 1),
        "database_cpu_seconds": round(database_cpu, 1),
        "client_cpu_seconds": round(client_cpu, 1),
        "errors": len(errors),
        "first_errors": errors[:5],
        "pages": figures,
    }


# What the concurrent users time besides the request that asks for the export.
EXPORT_STEPS = [
    "export, page d'avancement",
    "export, téléchargement du fichier",
    "export, du clic au fichier",
]


def _pages(user, size, only, no_export=False):
    """The pages of `user` whose label contains one of the `|`-separated texts of `only`
    (without the export with `no_export`)."""
    wanted = [text for text in only.split("|") if text]
    return [
        p
        for p in pages_of(user, size)
        if (not wanted or any(t in p[0] for t in wanted)) and not (no_export and _is_export(p))
    ]


def _is_export(page):
    """Whether a page of `pages_of` (label, url, parameters) is the export of the lists."""
    return page[0].startswith("export")


def _at_least_one(text):
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("un nombre de pages, 1 ou plus")
    return number


def _export_rate(every):
    return "" if every is None else f", l'export une page sur {every} à la SIAO"


def _flag(size, figures):
    target = TARGETS.get(size, TARGETS["largest"])
    return "" if figures["p95_ms"] < target * 1000 else "  (> cible)"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--operators", type=int, default=300)
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--measure-only", action="store_true")
    parser.add_argument("--only", default="", help="label texts, |-separated")
    parser.add_argument("--users", type=int, default=1, help="concurrent users (server)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's, with --users")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between pages")
    parser.add_argument("--seconds", type=float, default=600, help="at most, with --users")
    parser.add_argument(
        "--accounts",
        default="largest,small,siao",
        help="whose pages are timed, comma-separated (largest, small, siao)",
    )
    parser.add_argument(
        "--no-export", action="store_true", help="without the export (the longest to time)"
    )
    parser.add_argument(
        "--export-every",
        type=_at_least_one,
        default=50,
        help="with --users: the SIAO's users export the lists once in every N pages",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from django.conf import settings
        from django.db import connection
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from search import client_for

        setup_test_environment()
        started = time.perf_counter()
        if args.measure_only:
            users, write_seconds = existing_users(), None
        else:
            users = write_scene(args.households, args.operators, args.waiting, args.seed)
            write_seconds = round(time.perf_counter() - started, 1)
            print(f"Données écrites en {write_seconds} s")
        figures, load = {}, None
        if args.users > 1:
            if connection.vendor == "postgresql":
                connection.close()  # the server's workers have the database to themselves
            load = concurrent(users, args)
            figures = load.pop("pages")
            for size, labels in figures.items():
                for label, f in labels.items():
                    print(
                        f"{size:8s} {label:38s} médiane {f['median_ms']:7.1f} ms, "
                        f"p95 {f['p95_ms']:7.1f} ms, {f['requests']:4d} réponses"
                        f"{'' if label == EXPORT_STEPS[-1] else _flag(size, f)}"
                    )
            print(
                f"{load['users']} utilisateurs simultanés ({load['server']}, "
                f"{load['think_seconds']} s entre deux pages en moyenne"
                f"{_export_rate(load['export_every'])}) : "
                f"{load['requests']} réponses en {load['wall_seconds']} s, "
                f"{load['server_cpu_seconds']} s de CPU du serveur, "
                f"{load['database_cpu_seconds']} s de la base (sur cette machine), "
                f"{load['client_cpu_seconds']} s des utilisateurs simulés, {load['errors']} erreurs"
                f"{' ' + str(load['first_errors']) if load['errors'] else ''}"
            )
        for size, user in users.items() if args.users <= 1 else ():
            if size not in args.accounts.split(","):
                continue
            client = client_for(user)
            figures[size] = {}
            for label, url, params in _pages(user, size, args.only, args.no_export):
                if url == reverse("reports:activity"):
                    f = figures[size][label] = measure_report(client, user, url, params, args.runs)
                    print(f"{size:8s} {label:38s} {_report_line(f, size)}")
                    continue
                if _is_export((label, url, params)):
                    f = figures[size][label] = measure_export(client, url, params, args.runs)
                    print(f"{size:8s} {label:38s} {_export_line(f, size)}")
                    continue
                client.get(url, params)  # warm the caches of this process
                f = measure(client, url, params, args.runs)
                figures[size][label] = f
                print(
                    f"{size:8s} {label:38s} médiane {f['median_ms']:7.1f} ms, "
                    f"p95 {f['p95_ms']:7.1f} ms (CPU {f['cpu_median_ms']:7.1f} ms), "
                    f"{f['queries']:3d} requêtes, "
                    f"{f['kilobytes']:7.1f} Ko{_flag(size, f)}"
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
            "concurrency": load,
            "targets_p95_ms": {k: v * 1000 for k, v in TARGETS.items()},
            "peak_rss_mb": peak_rss_mb(),
            "load_average": os.getloadavg(),
            "debug": settings.DEBUG,
        }
        out = HERE / "results" / "pages.json"
        out.parent.mkdir(exist_ok=True)
        previous = json.loads(out.read_text()) if out.exists() else {}
        previous[connection.vendor + (f"_{args.users}_users" if args.users > 1 else "")] = record
        out.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")
        print(f"Résultats écrits dans {out.relative_to(HERE.parent)}")
        if connection.vendor == "postgresql":
            connection.close()


if __name__ == "__main__":
    main()
