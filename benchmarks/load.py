"""Load and fault run: concurrent API users, then a worker killed during a matching run and
a database connection cut during an import, the invariants checked in SQL afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seuil .venv/bin/python benchmarks/load.py
        [--users 8] [--seconds 30] [--max-requests 4000] [--households 200] [--waiting 800]

Needs PostgreSQL: DATABASE_URL names a server and a database name, from which a temporary
database `<name>_charge` is made (and dropped at the end). Everything stays on this
machine: the application listens on 127.0.0.1 (gunicorn when installed, else Django's
runserver), and every loop is bounded by a count and a time. The default run takes under
three minutes. Steps:

1. Data: a generated organisation (benchmarks/generate.py, `seuil import`), a SIAO's
   waiting list and vacancies (benchmarks/matching_in_app.py), one API token per user.
2. Load: `--users` threads for `--seconds` (at most `--max-requests` requests in all) —
   reads (lists of households, stays and units, a household) and writes (a household
   edited with the version read, a stay entered, a stay ended with its version): edits
   sent with an outdated version must answer 409, never overwrite. Latencies per kind,
   status counts, server errors.
3. Invariants in SQL: no unit with two stays on the same day, no household in two stays on
   the same day.
4. A `seuil db_worker` killed (SIGKILL) while it computes a matching run: a worker started
   again must take the run back (queued again, then done) within minutes.
5. `seuil import` whose database connection is cut (pg_terminate_backend) half-way: the
   import must fail and leave the database as it was.

Writes benchmarks/results/load.json.
"""

import argparse
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cryptography.fernet import Fernet  # noqa: E402

from generate import generate  # noqa: E402

SEUIL = str(Path(sys.executable).parent / "seuil")
HOT = 4  # households every user edits
DEAD_AFTER = 12  # seconds without a heartbeat before a worker is dead, for this run
SETUP = """
import json, sys
sys.path.insert(0, {here!r})
from matching_in_app import write_scene
from seuil.core.enums import Role
from seuil.core.models import ApiToken, Organisation, User
from seuil.households.models import Household
from seuil.housing.models import HousingUnit, Programme
coordinator, programme = write_scene({waiting}, {units}, 7)
organisation = Organisation.objects.get(ref="banc-essai")
keys = []
for number in range({users}):
    user = User.objects.create(
        username=f"charge-{{number}}", organisation=organisation, role=Role.SERVICE_MANAGER
    )
    keys.append(ApiToken.issue(user, name="charge")[1])
print(json.dumps({{
    "keys": keys,
    "households": [str(u) for u in Household.objects.filter(organisation=organisation)
                   .values_list("uuid", flat=True)],
    "units": [str(u) for u in HousingUnit.objects.filter(organisation=organisation)
              .values_list("uuid", flat=True)],
    "programmes": [str(u) for u in Programme.objects.filter(organisation=organisation)
                   .values_list("uuid", flat=True)],
    "coordinator": coordinator.username, "programme": programme.pk,
}}))
"""
START_RUN = """
from django.conf import settings
from seuil.core.models import User
from seuil.housing.models import Programme
from seuil.matching import services
settings.SEUIL_MATCHING_INLINE_MAX = 0
run = services.start_run(Programme.objects.get(pk={programme}),
                         acting_user=User.objects.get(username={coordinator!r}))
print(run.uuid)
"""
OVERLAPS = """
SELECT count(*) FROM housing_stay a JOIN housing_stay b
  ON a.{column} = b.{column} AND a.id < b.id
 WHERE a.exited_on IS DISTINCT FROM a.entered_on AND b.exited_on IS DISTINCT FROM b.entered_on
   AND a.entered_on < COALESCE(b.exited_on, 'infinity'::date)
   AND b.entered_on < COALESCE(a.exited_on, 'infinity'::date)
"""
VERSIONS = "SELECT uuid::text, version FROM households_household WHERE uuid::text = ANY(%s)"
COUNTED = ("households_household", "households_person", "housing_stay", "housing_housingunit")


def child(env, *args, **options):
    return subprocess.run([SEUIL, *args], env=env, capture_output=True, text=True, **options)


def check(result, what):
    if result.returncode != 0:
        raise SystemExit(f"{what} a échoué :\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    def __init__(self, url):
        import psycopg

        prefix, _, name = url.rpartition("/")
        self.name = f"{name}_charge"
        self.url = f"{prefix}/{self.name}"
        self.admin = psycopg.connect(f"{prefix}/postgres", autocommit=True)
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self.name}"')
        self.conn = None

    def sql(self, query, *params):
        import psycopg

        if self.conn is None:
            self.conn = psycopg.connect(self.url, autocommit=True)
        return self.conn.execute(query, params).fetchall()

    def drop(self):
        if self.conn is not None:
            self.conn.close()
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.close()


def start_server(env, port, workers=2):
    """The application on 127.0.0.1:`port`: gunicorn with `workers` processes when
    installed, else Django's runserver (threads). Returns (process, its description)."""
    try:
        import gunicorn  # noqa: F401

        args = [str(Path(sys.executable).parent / "gunicorn"), "seuil.wsgi", "-w", str(workers)]
        args += ["-b", f"127.0.0.1:{port}", "--timeout", "30"]
        server = f"gunicorn ({workers} workers)"
    except ImportError:
        args = [SEUIL, "runserver", f"127.0.0.1:{port}", "--noreload"]
        server = "runserver (threads)"
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=1)
        except urllib.error.HTTPError:
            return process, server  # answering (401 without a token)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"Le serveur ne répond pas :\n{process.stderr.read().decode()[-2000:]}")


class User(threading.Thread):
    """One API user: reads and writes until the time or the shared request budget ends."""

    def __init__(self, base, key, data, deadline, budget, seed):
        super().__init__(daemon=True)
        self.base, self.key, self.data = base, key, data
        self.deadline, self.budget = deadline, budget
        self.rng = random.Random(seed)
        self.latencies = defaultdict(list)
        self.statuses = Counter()
        self.errors = []
        self.refusals = []  # the first answers 400, to see what the rules refused
        self.edits = Counter()  # household → edits accepted

    def call(self, kind, method, path, body=None):
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Token {self.key}", "Content-Type": "application/json"},
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        except OSError as error:
            status, payload = 0, str(error).encode()
        self.latencies[kind].append(time.perf_counter() - start)
        self.statuses[f"{kind} {status}"] += 1
        if status >= 500 or status == 0:
            self.errors.append(f"{kind} {status}: {payload[:200]!r}")
        elif status == 400 and len(self.refusals) < 3:
            self.refusals.append(f"{kind}: {payload[:300].decode(errors='replace')}")
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, None

    def step(self):
        rng, data = self.rng, self.data
        household = rng.choice(data["households"])
        roll = rng.random()
        if roll < 0.2:
            self.call("liste ménages", "GET", f"/api/v1/households/?page={rng.randint(1, 3)}")
        elif roll < 0.35:
            self.call("liste séjours", "GET", "/api/v1/stays/?present_on=" + time.strftime("%F"))
        elif roll < 0.45:
            self.call("liste logements", "GET", "/api/v1/housing-units/")
        elif roll < 0.6:
            self.call("ménage", "GET", f"/api/v1/households/{household}/")
        elif roll < 0.8:
            # Read, think, then write with the version read: a concurrent edit makes it 409.
            # Edits go to a few busy households, as a team working on the same files.
            household = rng.choice(data["households"][:HOT])
            status, shown = self.call("ménage", "GET", f"/api/v1/households/{household}/")
            if status == 200:
                time.sleep(rng.random() * 0.2)
                situation = rng.choice(["street_or_115", "own_housing", "general_shelter"])
                body = {"prior_situation": situation, "version": shown["version"]}
                path = f"/api/v1/households/{household}/"
                if self.call("modifier ménage", "PATCH", path, body)[0] == 200:
                    self.edits[household] += 1
        elif roll < 0.9:
            body = {
                "household": household,
                "unit": rng.choice(data["units"]),
                "programme": rng.choice(data["programmes"]),
                "entered_on": time.strftime("%F"),
                "support_intensity": "standard",
            }
            self.call("entrée", "POST", "/api/v1/stays/", body)
        else:
            status, page = self.call(
                "liste séjours", "GET", f"/api/v1/stays/?household={household}"
            )
            open_stays = [s for s in (page or {}).get("results", []) if not s["exited_on"]]
            if status == 200 and open_stays:
                stay = open_stays[0]
                body = {
                    "exited_on": time.strftime("%F"),
                    "exit_destination": "social_landlord",
                    "version": stay["version"],
                }
                self.call("sortie", "POST", f"/api/v1/stays/{stay['uuid']}/exit/", body)

    def run(self):
        while time.monotonic() < self.deadline and self.budget.acquire(blocking=False):
            self.step()


def load(base, data, users, seconds, max_requests):
    budget = threading.Semaphore(max_requests)
    deadline = time.monotonic() + seconds
    threads = [
        User(base, key, data, deadline, budget, seed) for seed, key in enumerate(data["keys"])
    ][:users]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    wall = time.perf_counter() - start
    latencies, statuses, errors, refusals = defaultdict(list), Counter(), [], []
    edits = Counter()
    for thread in threads:
        refusals += thread.refusals
        edits += thread.edits
        for kind, values in thread.latencies.items():
            latencies[kind] += values
        statuses += thread.statuses
        errors += thread.errors
    total = sum(len(v) for v in latencies.values())

    def ms(values, q):
        return (
            round(1000 * statistics.quantiles(values, n=100)[q - 1], 1) if len(values) > 1 else None
        )

    return {
        "users": len(threads),
        "seconds": round(wall, 1),
        "requests": total,
        "requests_per_second": round(total / wall, 1),
        "by_kind": {
            kind: {"count": len(v), "p50_ms": ms(v, 50), "p95_ms": ms(v, 95)}
            for kind, v in sorted(latencies.items())
        },
        "statuses": dict(sorted(statuses.items())),
        "server_errors": len(errors),
        "first_errors": errors[:5],
        "first_refusals": refusals[:5],
        "edits_accepted": dict(edits),
    }


def killed_worker(env, db, data):
    """A worker killed during a matching run; another started; what became of the run."""
    env = {**env, "SEUIL_WORKER_DEAD_AFTER_SECONDS": str(DEAD_AFTER)}
    script = START_RUN.format(programme=data["programme"], coordinator=data["coordinator"])
    run_uuid = check(child(env, "shell", "-c", script), "le lancement de l'appariement").split()[-1]
    worker_args = [SEUIL, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    worker = subprocess.Popen(
        worker_args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    status = "queued"
    for _ in range(600):  # 60 s at most for the worker to start the run
        [(status, step)] = db.sql(
            "SELECT status, step FROM matching_matchingrun WHERE uuid = %s", run_uuid
        )
        if status != "queued":
            break
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    killed = time.perf_counter()
    outcome = {"status_when_killed": status, "step_when_killed": step}
    [(outcome["status_after_kill"],)] = db.sql(
        "SELECT status FROM matching_matchingrun WHERE uuid = %s", run_uuid
    )
    again = subprocess.Popen(
        worker_args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    final = None
    try:
        for _ in range(1800):  # 3 minutes at most
            [(final,)] = db.sql("SELECT status FROM matching_matchingrun WHERE uuid = %s", run_uuid)
            if final in ("done", "failed"):
                break
            time.sleep(0.1)
    finally:
        again.send_signal(signal.SIGTERM)
        try:
            again.wait(20)
        except subprocess.TimeoutExpired:
            again.kill()
    outcome.update(
        final_status=final,
        seconds_to_final=round(time.perf_counter() - killed, 1),
        dead_after_seconds=DEAD_AFTER,
        task_attempts=db.sql(
            "SELECT jsonb_array_length(worker_ids::jsonb) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE %s ORDER BY enqueued_at DESC LIMIT 1",
            "%run_matching",
        )[0][0],
    )
    outcome["ok"] = status == "running" and final == "done"
    return outcome


def cut_import(env, db, workdir, households):
    """An import whose database connection is terminated half-way."""
    path = workdir / "import-coupe.json"
    document = generate(households=households, seed=99, organisation="coupure")
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = {table: db.sql(f"SELECT count(*) FROM {table}")[0][0] for table in COUNTED}
    name = "seuil-import-coupe"
    process = subprocess.Popen(
        [SEUIL, "import", str(path)],
        env={**env, "PGAPPNAME": name},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    cut_after, terminated = None, 0
    start = time.perf_counter()
    for _ in range(600):
        writing = db.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND xact_start IS NOT NULL AND now() - xact_start > interval '2 seconds'",
            name,
        )[0][0]
        if writing or process.poll() is not None:
            break
        time.sleep(0.1)
    if process.poll() is None:
        cut_after = round(time.perf_counter() - start, 1)
        terminated = db.sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s",
            name,
        )[0][0]
    output = process.communicate(timeout=300)[0]
    after = {table: db.sql(f"SELECT count(*) FROM {table}")[0][0] for table in COUNTED}
    return {
        "households": households,
        "cut_after_seconds": cut_after,
        "connections_terminated": terminated,
        "exit_code": process.returncode,
        "message": output.strip().splitlines()[-1][:300] if output.strip() else "",
        "rows_before": before,
        "rows_after": after,
        "ok": bool(terminated) and process.returncode != 0 and before == after,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=4000)
    parser.add_argument("--households", type=int, default=200)
    parser.add_argument("--waiting", type=int, default=800, help="waiting list to match")
    parser.add_argument("--units", type=int, default=150, help="vacancies to match")
    parser.add_argument("--import-households", type=int, default=1000)
    parser.add_argument("--output", default=str(HERE / "results" / "load.json"))
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/seuil")
    if not url.startswith("postgres"):
        raise SystemExit("benchmarks/load.py needs PostgreSQL (DATABASE_URL=postgres://…).")
    started = time.perf_counter()
    db = Database(url)
    port = free_port()
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="seuil-charge-") as tmp:
            workdir = Path(tmp)
            env = {
                **os.environ,
                "DATABASE_URL": db.url,
                "SEUIL_ENV": "test",
                "SEUIL_DATA_DIR": str(workdir),
                "SEUIL_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                "SEUIL_API_RATE": "1000000/minute",
                "CONN_MAX_AGE": "60",
            }
            check(child(env, "migrate", "--no-input", "-v", "0"), "migrate")
            path = workdir / "donnees.json"
            path.write_text(json.dumps(generate(households=args.households, seed=42)), "utf-8")
            check(child(env, "import", str(path)), "l'import des données")
            setup = SETUP.format(
                here=str(HERE), waiting=args.waiting, units=args.units, users=args.users
            )
            data = json.loads(
                check(child(env, "shell", "-c", setup), "la préparation").strip().splitlines()[-1]
            )
            print(
                f"Données : {len(data['households'])} ménages, {len(data['units'])} logements, "
                f"liste d'attente de {args.waiting} ménages ; "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
            hot = data["households"][:HOT]
            versions = dict(db.sql(VERSIONS, hot))
            server, server_name = start_server(env, port)
            mix = load(
                f"http://127.0.0.1:{port}", data, args.users, args.seconds, args.max_requests
            )
            print(
                f"Charge ({server_name}) : {mix['requests']} requêtes en {mix['seconds']} s "
                f"par {mix['users']} utilisateurs, {mix['server_errors']} erreurs serveur",
                flush=True,
            )
            for kind, figures in mix["by_kind"].items():
                print(f"  {kind:16} {figures}")
            print(f"  états : {mix['statuses']}", flush=True)
            after = dict(db.sql(VERSIONS, hot))
            # Every edit accepted raised the version by one: none was lost, none overwrote.
            lost = sum(mix["edits_accepted"].get(h, 0) - (after[h] - versions[h]) for h in hot)
            invariants = {
                "lost_updates": lost,
                "units_with_two_stays_on_a_day": db.sql(OVERLAPS.format(column="unit_id"))[0][0],
                "households_in_two_stays_on_a_day": db.sql(OVERLAPS.format(column="household_id"))[
                    0
                ][0],
            }
            print(f"Invariants (SQL) : {invariants}", flush=True)
            server.terminate()
            server.wait(20)
            server = None
            worker = killed_worker(env, db, data)
            print(f"Processus tué pendant un appariement : {worker}", flush=True)
            cut = cut_import(env, db, workdir, args.import_households)
            print(
                f"Import coupé de la base après {cut['cut_after_seconds']} s : code "
                f"{cut['exit_code']}, base inchangée : {cut['rows_before'] == cut['rows_after']}"
                f" — {cut['message']}",
                flush=True,
            )
    finally:
        if server is not None:
            server.kill()
        db.drop()
    ok = mix["server_errors"] == 0 and not any(invariants.values()) and worker["ok"] and cut["ok"]
    results = {
        "benchmark": "load and faults",
        "database": "postgresql",
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        "server": server_name,
        "households": len(data["households"]),
        "load": mix,
        "invariants": invariants,
        "worker_killed_during_matching": worker,
        "import_cut_from_database": cut,
        "total_seconds": round(time.perf_counter() - started, 1),
        "ok": ok,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Résultats écrits dans {output} ; tout est tenu : {ok} ({results['total_seconds']} s)")


if __name__ == "__main__":
    main()
