"""A waiting list of more than a thousand households: the run and its page work on SQLite
too (a prefetch of a forward relation would hit SQLite's expression depth limit)."""

import importlib.util
from pathlib import Path

from django.urls import reverse

from seuil.matching import adapters, plan, services
from seuil.matching.models import MatchingRun

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
    assert len(shown["unassigned"]) == 1100 - len(run.results["optimal"]["assignments"])
    client.force_login(coordinator)
    assert client.get(reverse("matching:run_detail", args=[run.uuid])).status_code == 200
