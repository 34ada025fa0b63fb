"""PostgreSQL answers each request's queries in one process: no parallel plan, whose extra
processes slow every other request of a busy instance (settings.py)."""

import pytest
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
