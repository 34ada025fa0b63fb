"""PostgreSQL buffers read by the household list of the largest operator, per filter.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/list_filters.py [--plans]

Reads the database that `benchmarks/pages.py` wrote (its user ``pages-largest``), and runs
`EXPLAIN (ANALYZE, BUFFERS)` on the two queries of the list page that read the households
(the count of the paginator and the page itself): without a filter, housed today, gone +
refugee + programme, the programme alone, no legal status. The buffers do not depend on
the load of the machine: the filtered list should read about what the plain list reads,
whatever the size of the national tables. Writes benchmarks/results/list_filters.json.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from django_setup import setup_django  # noqa: E402


def explain(sql, params, show):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]
        if show:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print("\n".join(row[0] for row in cursor.fetchall()))
    top = plan["Plan"]
    return {
        "buffers": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
        "ms": round(plan["Execution Time"], 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", action="store_true", help="print the plans")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(Path(workdir))
        from django.db import connection
        from django.db.models import F
        from django.test import RequestFactory

        from seuil.core.models import User
        from seuil.households.filters import HouseholdFilterSet
        from seuil.households.models import Household
        from seuil.housing.models import Programme

        if connection.vendor != "postgresql":
            sys.exit("PostgreSQL only: DATABASE_URL=postgres://…")
        user = User.objects.get(username="pages-largest")
        programme = str(Programme.objects.filter(organisation=user.organisation).first().uuid)
        cases = {
            "sans filtre": {},
            "logés aujourd'hui": {"presence": "present"},
            "sortis + statut + dispositif": {
                "presence": "left",
                "legal_status": "refugee",
                "programme": programme,
            },
            "dispositif": {"programme": programme},
            "statut non renseigné": {"legal_status": "none"},
        }
        figures = {}
        for label, params in cases.items():
            request = RequestFactory().get("/", params)
            request.user = user
            filters = HouseholdFilterSet(
                params or None, queryset=Household.objects.visible_to(user), request=request
            )
            households = filters.qs.order_by(F("head_name").asc(nulls_last=True), "pk")
            count_sql, count_params = households.order_by().values("pk").query.sql_with_params()
            page_sql, page_params = households[:25].query.sql_with_params()
            figures[label] = {
                "count": explain(
                    f"SELECT count(*) FROM ({count_sql}) t",  # noqa: S608  # nosec B608
                    count_params,
                    args.plans,
                ),
                "page": explain(page_sql, page_params, args.plans),
            }
            f = figures[label]
            print(
                f"{label:30s} compte {f['count']['buffers']:7d} tampons "
                f"({f['count']['ms']:7.1f} ms), page {f['page']['buffers']:7d} tampons "
                f"({f['page']['ms']:7.1f} ms)"
            )
        record = {
            "households": Household.objects.count(),
            "largest_operator_households": Household.objects.filter(
                organisation=user.organisation
            ).count(),
            "filters": figures,
            "load_average": os.getloadavg(),
        }
        out = HERE / "results" / "list_filters.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        print(f"Résultats écrits dans {out.relative_to(HERE.parent)}")
        connection.close()


if __name__ == "__main__":
    main()
