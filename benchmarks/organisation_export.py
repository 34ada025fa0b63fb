"""The export of an organisation's data, as a file (`seuil export`) and as the workbook
(page « Import / export », `exchange:export`), on the national data written by
benchmarks/pages.py (run it first on the same DATABASE_URL).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/organisation_export.py [--runs 3]

First `seuil export --organisation … --output …` of the small operator (300 households)
and of the largest (30,000), each in a child process whose peak memory is its own maximum
resident set (`os.wait4`), beside that of a `seuil shell` that does nothing (what any
`seuil` command holds): the export's memory must not grow with the households.

Then, in this process, for a service manager of the small operator (the workbook is made
while the page waits) and of the largest (prepared in the background, above
`SEUIL_EXPORT_INLINE_MAX_ROWS`), times the request and, when prepared in the background,
the preparation (`seuil db_worker`, run in this process: wall and CPU seconds) and the
download of the prepared file; prints the process's peak memory after each. Writes
benchmarks/results/organisation_export.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from backup_restore import SEUIL, seuil  # noqa: E402
from django_setup import peak_rss_mb, setup_django  # noqa: E402

ACCOUNTS = {"small": "pages-small", "largest": "pages-largest"}  # written by pages.py
REF_OF = (
    "from seuil.core.models import User; "
    "print(User.objects.get(username={username!r}).organisation.ref)"
)


def export_files(workdir):
    """`seuil export` of each operator, each in a child process started while this one is
    small (a child's peak memory starts from its parent's on Linux)."""
    env = {**os.environ, "SEUIL_ENV": os.environ.get("SEUIL_ENV", "test")}
    figures = {"nothing": seuil(env, "shell", "-c", "pass")}
    print(f"seuil shell -c pass : mémoire de pointe {figures['nothing']['peak_rss_mb']} Mo")
    for size, username in ACCOUNTS.items():
        ref = subprocess.run(
            [*SEUIL, "shell", "-c", REF_OF.format(username=username)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]
        output = workdir / f"{size}.json"
        f = figures[size] = seuil(env, "export", "--organisation", ref, "--output", str(output))
        f["megabytes_written"] = round(output.stat().st_size / 1e6, 1)
        output.unlink()
        print(
            f"seuil export {size:8s} {f['seconds']:6.1f} s "
            f"(CPU {f['cpu_user_seconds'] + f['cpu_system_seconds']:.1f} s), "
            f"{f['megabytes_written']} Mo écrits, mémoire de pointe {f['peak_rss_mb']} Mo"
        )
    return figures


def manager_of(user):
    """A service manager of `user`'s organisation (written the first time)."""
    from seuil.core.enums import Role
    from seuil.core.models import User

    manager, _ = User.objects.get_or_create(
        username=f"{user.username}-responsable",
        defaults={"organisation": user.organisation, "role": Role.SERVICE_MANAGER},
    )
    return manager


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    with tempfile.TemporaryDirectory() as workdir:
        files = export_files(Path(workdir))
        setup_django(Path(workdir))
        from django.db import connection
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from pages import _export_line, existing_users, measure_export
        from search import client_for
        from seuil.households.models import Household

        setup_test_environment()
        users = existing_users()
        figures = {}
        for size in ("small", "largest"):
            manager = manager_of(users[size])
            households = Household.objects.filter(organisation=manager.organisation).count()
            client = client_for(manager)
            f = measure_export(client, reverse("exchange:export"), {}, args.runs)
            f["households"], f["peak_rss_mb"] = households, peak_rss_mb()
            figures[size] = f
            print(f"{size:8s} {households:6d} ménages : {_export_line(f, size)}")
            print(f"    mémoire de pointe du processus : {f['peak_rss_mb']} Mo")
        out = HERE / "results" / "organisation_export.json"
        out.parent.mkdir(exist_ok=True)
        record = {
            "engine": connection.vendor,
            "runs": args.runs,
            "export_files": files,
            "accounts": figures,
        }
        out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        print(f"Résultats écrits dans {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
