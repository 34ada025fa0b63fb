"""PostgreSQL answers each request's queries in one process: no parallel plan, whose extra
processes slow every other request of a busy instance; it plans for tables held in memory,
where reading rows by an index is cheap; it compiles no statement; a server process keeps
its connection to PostgreSQL instead of opening one for each request (settings.py)."""

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


def _settings_with(env, expression):
    """`expression`, read from Seuil's settings in a new process with `env` (a value None:
    the variable unset)."""
    environment = {**os.environ, **env}
    environment = {name: value for name, value in environment.items() if value is not None}
    return subprocess.run(  # noqa: S603 (this interpreter, an expression of the tests)
        [sys.executable, "-c", f"from seuil import settings; print({expression})"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize(
    "database, conn_max_age, kept",
    [
        ("postgresql", None, "60"),
        ("sqlite", None, "0"),
        ("postgresql", "0", "0"),
        ("sqlite", "30", "30"),
    ],
)
def test_a_connection_to_postgresql_is_kept_a_minute_unless_told_otherwise(
    tmp_path, database, conn_max_age, kept
):
    url = {
        "postgresql": "postgres://seuil@127.0.0.1:5432/seuil",
        "sqlite": f"sqlite:///{tmp_path / 'seuil.sqlite3'}",
    }[database]
    printed = _settings_with(
        {"DATABASE_URL": url, "SEUIL_ENV": "test", "CONN_MAX_AGE": conn_max_age},
        "settings.DATABASES['default']['CONN_MAX_AGE']",
    )
    assert printed == kept


def test_options_given_in_database_url_override_seuils():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("connection options of PostgreSQL")
    url = os.environ["DATABASE_URL"]
    url += ("&" if "?" in url else "?") + "options=-c%20random_page_cost%3D2"
    printed = _settings_with(
        {"DATABASE_URL": url}, "settings.DATABASES['default']['OPTIONS']['options']"
    )
    assert printed.endswith("-c random_page_cost=2")
