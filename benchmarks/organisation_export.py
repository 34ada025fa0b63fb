"""The workbook of an organisation's data (page « Import / export », `exchange:export`) on
the national data written by benchmarks/pages.py (run it first on the same DATABASE_URL).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/organisation_export.py [--runs 3]

For a service manager of the small operator (300 households: the workbook is made while the
page waits) and of the largest (30,000 households: prepared in the background, above
`SEUIL_EXPORT_INLINE_MAX_ROWS`), times the request and, when prepared in the background,
the preparation (`seuil db_worker`, run in this process: wall and CPU seconds) and the
download of the prepared file; prints the process's peak memory after each. Writes
benchmarks/results/organisation_export.json.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from django_setup import peak_rss_mb, setup_django  # noqa: E402


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
        record = {"engine": connection.vendor, "runs": args.runs, "accounts": figures}
        out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        print(f"Résultats écrits dans {out.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
