"""PostgreSQL answers each request's queries in one process: no parallel plan, whose extra
processes slow every other request of a busy instance; it plans for tables held in memory,
where reading rows by an index is cheap; it compiles no statement (settings.py)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


def test_postgresql_runs_a_query_in_one_process(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's parallel plans: SQLite has none")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
        # The count of a table large enough for a parallel plan stays in one process.
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute("SET LOCAL min_parallel_table_scan_size = 0")
        cursor.execute("EXPLAIN SELECT count(*) FROM core_accesslog")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Gather" not in plan


def test_postgresql_reaches_a_few_rows_of_a_large_table_by_its_index(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner costs: SQLite has none")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == pytest.approx(1.1)


def test_postgresql_compiles_no_statement(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's JIT compilation: SQLite has none")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit_above_cost = 0")
        cursor.execute("EXPLAIN (ANALYZE) SELECT count(*) FROM core_accesslog")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "JIT" not in plan


def test_options_given_in_database_url_override_seuils():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("connection options of PostgreSQL")
    url = os.environ["DATABASE_URL"]
    url += ("&" if "?" in url else "?") + "options=-c%20random_page_cost%3D2"
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from seuil import settings;"
            " print(settings.DATABASES['default']['OPTIONS']['options'])",
        ],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.strip().endswith("-c random_page_cost=2")
