"""The search benchmark (`benchmarks/search.py`) runs at small scale: its scene is written,
each typical search finds what it should, and the figures have their shape."""

import importlib.util
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "search.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("search_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_runs_at_small_scale(db):
    benchmark = load_benchmark()
    worker, samples, counts = benchmark.write_scene(persons=600, organisations=3, seed=2)
    assert counts["persons"] == 600 and counts["linked_households"] > 0
    figures = benchmark.measure(worker, samples, runs=1)
    assert set(figures) == {label for label, _ in benchmark.queries(samples)}
    assert figures["référence d'une personne"]["results"]["persons"] == 1
    assert figures["référence d'un ménage"]["results"]["households"] == 1
    assert figures["nom et date de naissance"]["results"]["persons"] >= 1
    assert figures["aucun résultat"]["results"]["persons"] == 0
    for label, figure in figures.items():
        assert figure["page"]["best"] > 0 and figure["search"]["first"] > 0, label
