"""Benchmark of `seuil backup` and `seuil restore`, and of a restore killed half-way.

    .venv/bin/python benchmarks/backup_restore.py [--households 10000] [--documents 100]
    .venv/bin/python benchmarks/backup_restore.py --scale national   # 100,000 households

Generates households (benchmarks/generate.py: ~3 persons each, their stays, units and
history), imports them into a source database, attaches documents, then times three
commands, each in a child process whose peak memory is its own maximum resident set
(`os.wait4`'s resource usage): `seuil backup`, `seuil restore` into an empty database, and
a restore killed with SIGKILL half-way, after which the database must hold no row.

With DATABASE_URL (PostgreSQL) the source is that database (it must be empty) and the
restores go to two databases created beside it (`<name>_restauree`, `<name>_coupee`,
dropped at the end); without it, SQLite files in a temporary folder. Targets: each command
under 10 minutes and 1 GB at national scale. Writes benchmarks/results/backup_restore.json.
"""

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cryptography.fernet import Fernet  # noqa: E402

from generate import generate  # noqa: E402

SEUIL = [sys.executable, "-m", "seuil.cli"]
SCALES = {"national": 100_000}
TARGET_SECONDS, TARGET_MB = 600, 1024
COUNT_ROWS = (
    "from seuil.core.backup import row_counts; import json; print(json.dumps(row_counts()))"
)
ATTACH = """
import os
from seuil.core.documents import DocumentKind, detect_type
from seuil.households.models import HouseholdDocument, Household
pdf = b"%PDF-1.4\\n" + os.urandom({size}) + b"\\n%%EOF"
for household in Household.objects.order_by("pk")[:{count}]:
    document = HouseholdDocument(household=household, kind=DocumentKind.OTHER)
    document.save_with_file(pdf, detect_type(pdf), "piece.pdf", document.save)
"""


def run_child(args, env, *, kill_after=None):
    """Run a child; returns (seconds, peak MB of that child, return code, output)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if kill_after is not None:
        try:
            child.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = round(time.perf_counter() - start, 1)
    child.returncode = os.waitstatus_to_exitcode(status)
    return seconds, round(usage.ru_maxrss / 1024, 1), child.returncode, output.strip()


def seuil(env, *args, **options):
    seconds, mb, code, output = run_child([*SEUIL, *args], env, **options)
    if code != 0 and "kill_after" not in options:
        raise SystemExit(f"seuil {' '.join(args)} a échoué ({code}) :\n{output[-3000:]}")
    return {"seconds": seconds, "peak_rss_mb": mb, "exit_code": code, "output": output[-300:]}


def rows(env):
    out = subprocess.run(
        [*SEUIL, "shell", "-c", COUNT_ROWS], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def databases(workdir):
    """(source env, restored env, interrupted env, cleanup)."""
    base = {**os.environ, "SEUIL_ENV": os.environ.get("SEUIL_ENV", "test")}
    base["SEUIL_DATA_DIR"] = str(workdir / "source")
    url = os.environ.get("DATABASE_URL")
    if not url:
        envs = [
            {**base, "DATABASE_URL": f"sqlite:///{workdir / name}.sqlite3"}
            for name in ("source", "restauree", "coupee")
        ]
        return envs, lambda: None
    import psycopg

    prefix, _, name = url.rpartition("/")
    admin = psycopg.connect(f"{prefix}/postgres", autocommit=True)
    names = [f"{name}_restauree", f"{name}_coupee"]
    for other in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{other}"')
        admin.execute(f'CREATE DATABASE "{other}"')
    envs = [{**base, "DATABASE_URL": url}]
    envs += [{**base, "DATABASE_URL": f"{prefix}/{other}"} for other in names]

    def cleanup():
        for other in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{other}"')
        admin.close()

    return envs, cleanup


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--scale", choices=sorted(SCALES), help="national: 100,000 households")
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--document-kb", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--output", default=str(HERE / "results" / "backup_restore.json"))
    args = parser.parse_args(argv)
    households = SCALES[args.scale] if args.scale else args.households

    with tempfile.TemporaryDirectory(prefix="seuil-bench-") as tmp:
        workdir = Path(tmp)
        (source, restored, interrupted), cleanup = databases(workdir)
        restored["SEUIL_DATA_DIR"] = str(workdir / "restauree")
        interrupted["SEUIL_DATA_DIR"] = str(workdir / "coupee")
        # One encryption key for the three: a backup is restored with its keys.
        key = Fernet.generate_key().decode()
        try:
            for env in (source, restored, interrupted):
                env["SEUIL_ENCRYPTION_KEYS"] = key
                Path(env["SEUIL_DATA_DIR"]).mkdir(mode=0o700, exist_ok=True)
                seuil(env, "migrate", "--no-input", "-v", "0")
            path = workdir / "exchange.json"
            start = time.perf_counter()
            path.write_text(
                json.dumps(generate(households=households, seed=args.seed), ensure_ascii=False),
                encoding="utf-8",
            )
            print(f"Fichier d'échange : {households} ménages, {time.perf_counter() - start:.0f} s")
            loaded = seuil(source, "import", str(path))
            print(f"Import : {loaded['seconds']} s", flush=True)
            attach = ATTACH.format(size=args.document_kb * 1024, count=args.documents)
            seuil(source, "shell", "-c", attach)
            counts = rows(source)
            total = sum(counts.values())
            print(f"Base source : {total} lignes, {args.documents} documents", flush=True)

            backup_file = workdir / "sauvegarde.json.gz"
            backup = seuil(source, "backup", "--output", str(backup_file))
            backup["file_mb"] = round(backup_file.stat().st_size / 1e6, 1)
            print(
                f"Sauvegarde : {backup['seconds']} s, {backup['peak_rss_mb']} Mo, "
                f"fichier {backup['file_mb']} Mo",
                flush=True,
            )
            restore = seuil(restored, "restore", str(backup_file))
            restore["rows_equal"] = rows(restored) == counts
            restored_docs = Path(restored["SEUIL_DATA_DIR"]) / "documents"
            restore["documents"] = sum(1 for p in restored_docs.rglob("*") if p.is_file())
            print(
                f"Restauration : {restore['seconds']} s, {restore['peak_rss_mb']} Mo, "
                f"mêmes lignes : {restore['rows_equal']}, {restore['documents']} documents",
                flush=True,
            )
            half = max(1.0, restore["seconds"] / 2)
            cut = seuil(interrupted, "restore", str(backup_file), kill_after=half)
            left = sum(rows(interrupted).values())
            cut_docs = Path(interrupted["SEUIL_DATA_DIR"]) / "documents"
            cut.update(killed_after_seconds=half, rows_left=left)
            cut["documents_left"] = sum(1 for p in cut_docs.rglob("*") if p.is_file())
            print(
                f"Restauration tuée (SIGKILL) après {half:.0f} s : code {cut['exit_code']}, "
                f"{left} lignes restées dans la base",
                flush=True,
            )
            again = seuil(interrupted, "restore", str(backup_file))
            again["rows_equal"] = rows(interrupted) == counts
            print(f"Relancée : {again['seconds']} s, mêmes lignes : {again['rows_equal']}")
            engine = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
        finally:
            cleanup()

    ok = (
        all(
            r["seconds"] < TARGET_SECONDS and r["peak_rss_mb"] < TARGET_MB
            for r in (backup, restore)
        )
        and restore["rows_equal"]
        and cut["rows_left"] == 0
        and again["rows_equal"]
    )
    results = {
        "benchmark": "seuil backup / seuil restore",
        "database": engine,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        "households": households,
        "national_scale": households >= SCALES["national"],
        "rows": total,
        "rows_by_model": counts,
        "documents": args.documents,
        "import": loaded,
        "backup": backup,
        "restore": restore,
        "restore_killed_half_way": cut,
        "restore_after_kill": again,
        "targets": {"seconds": TARGET_SECONDS, "peak_rss_mb": TARGET_MB},
        "ok": ok,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Résultats écrits dans {output} ; objectifs tenus : {ok}")


if __name__ == "__main__":
    main()
