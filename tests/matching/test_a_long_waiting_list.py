"""A waiting list of more than a thousand households: the run and its page work on SQLite
too (a prefetch of a forward relation would hit SQLite's expression depth limit)."""

import importlib.util
from pathlib import Path

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seuil.core.models import AccessLog
from seuil.matching import adapters, plan, services
from seuil.matching.models import MatchingRun

PAGE_QUERIES = 17  # of a run's page, whatever its size (`plan.describe`), the access log aside
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "matching_in_app.py"


def write_scene(households, units):
    spec = importlib.util.spec_from_file_location("matching_in_app", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_scene(households, units, seed=3)


def test_a_run_over_1100_households_is_shown(client, db, today):
    coordinator, programme = write_scene(1100, 30)
    day = today
    instance, links, left_out = adapters.build_instance(coordinator, programme, day)
    assert len(instance["households"]) == 1100 and left_out == []
    run = services.execute_run(
        MatchingRun.objects.create(
            organisation=coordinator.organisation,
            programme=programme,
            day=day,
            created_by=coordinator,
            instance=instance,
            links=links,
        )
    )
    shown = plan.describe(run)
    unassigned = 1100 - len(run.results["optimal"]["assignments"])
    assert shown["unassigned_total"] == unassigned
    # The first `SHOWN` households without a home, `UNASSIGNED_PER_PAGE` at a time.
    assert shown["unassigned_page"].paginator.count == min(plan.SHOWN, unassigned)
    assert len(shown["unassigned"]) == min(plan.UNASSIGNED_PER_PAGE, unassigned)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("matching:run_detail", args=[run.uuid]))
    assert response.status_code == 200
    logs = [q for q in queries if 'INSERT INTO "core_accesslog"' in q["sql"]]
    assert len(queries) - len(logs) == PAGE_QUERIES  # the same for 10 households or 10,000
    # The households named on the page only: one access-log row each, in one INSERT.
    logged = AccessLog.objects.filter(object_type="referral").count()
    assert logged == len(
        {item["referral"].pk for item in shown["unassigned"]}
        | {pair.referral.pk for row in shown["page_obj"] for pair in row.pairs.values() if pair}
    )


def test_starting_a_run_logs_its_households_at_once_and_the_list_reads_no_instance(
    client, db, today
):
    coordinator, programme = write_scene(300, 10)
    statements = []

    def watch(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        run = services.start_run(programme, acting_user=coordinator)
    writes = [
        sql
        for sql in statements
        if sql.startswith(('INSERT INTO "core_accesslog"', 'COPY "core_accesslog"'))
    ]
    # One INSERT … SELECT, on either database: the database writes the rows itself.
    assert len(writes) == 1
    assert AccessLog.objects.filter(object_type="referral").count() == 300
    assert (run.households_count, run.units_count) == (300, 10)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("matching:runs")).content.decode()
    assert not any('"instance"' in q["sql"] for q in queries)
    assert "<td>300</td>" in html and "<td>10</td>" in html


def test_every_page_of_a_run_costs_the_same_queries_and_reads_no_plan(client, db, today):
    coordinator, programme = write_scene(400, plan.UNITS_PER_PAGE + 20)
    run = services.start_run(programme, acting_user=coordinator)
    client.force_login(coordinator)
    url = reverse("matching:run_detail", args=[run.uuid])
    counts = []
    for page in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page": page})
        assert response.status_code == 200
        # The page reads what the run stored for it, never its instance or plans.
        assert not any('"instance"' in q["sql"] or '"results"' in q["sql"] for q in queries)
        # Its access-log rows are one INSERT (a few on SQLite, which caps its variables).
        counts.append(len([q for q in queries if "core_accesslog" not in q["sql"]]))
    assert len(response.context["page_obj"].object_list) == 20
    assert "Page 2 sur 2" in response.content.decode()
    assert counts[0] == counts[1] == PAGE_QUERIES


def _first_page(client, households, units):
    """(queries but the access log's, units shown, households without a home shown, bytes)
    of page 1 of a run over a scene of that size, the scene rolled back after."""
    with transaction.atomic():
        coordinator, programme = write_scene(households, units)
        run = services.start_run(programme, acting_user=coordinator)
        client.force_login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("matching:run_detail", args=[run.uuid]))
        assert response.status_code == 200
        figures = (
            len([q for q in queries if "core_accesslog" not in q["sql"]]),
            len(response.context["page_obj"].object_list),
            len(response.context["unassigned"]),
            len(response.content),
        )
        transaction.set_rollback(True)
    return figures


def test_a_run_four_times_larger_has_a_first_page_as_heavy(client, db, today):
    small = _first_page(client, 150, plan.UNITS_PER_PAGE)
    large = _first_page(client, 600, 3 * plan.UNITS_PER_PAGE)
    queries, units, unassigned, size = large
    assert (queries, units, unassigned) == small[:3]
    assert (units, unassigned) == (plan.UNITS_PER_PAGE, plan.UNASSIGNED_PER_PAGE)
    assert size < 1.1 * small[3]


def test_the_households_without_a_home_have_pages_of_their_own(client, db, today):
    coordinator, programme = write_scene(400, plan.UNITS_PER_PAGE + 20)
    run = services.start_run(programme, acting_user=coordinator)
    client.force_login(coordinator)
    url = reverse("matching:run_detail", args=[run.uuid])
    first = client.get(url, {"page": 2}).context
    second = client.get(url, {"page": 2, "sans_logement": 2}).context
    total = first["unassigned_total"]
    assert total > plan.SHOWN
    html = client.get(url, {"page": 2, "sans_logement": 2}).content.decode()
    assert f"Les {plan.SHOWN} premiers ménages sur {total}" in html
    # Each list keeps the other's page in its links.
    assert 'href="?page=2&amp;sans_logement=3"' in html
    assert 'href="?sans_logement=2&amp;page=1"' in html
    # The two page navigations have different names: the second is named after its table.
    assert 'aria-label="Pagination"' in html
    assert 'aria-label="Pagination : Ménages en attente que le plan optimal ne loge pas' in html
    assert second["page_obj"].number == 2
    shown = [item["household"]["ref"] for item in first["unassigned"]]
    following = [item["household"]["ref"] for item in second["unassigned"]]
    assert len(shown) == len(following) == plan.UNASSIGNED_PER_PAGE
    assert shown[-1] < following[0]
