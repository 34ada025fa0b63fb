"""The report equals a brute-force reference computation on random data sets."""

import datetime
import json

from hypothesis import HealthCheck, given, settings

from seuil.reports.compute import compute
from tests.conftest import examples
from tests.reports.reference import reference_report
from tests.reports.strategies import facts_and_period


def without_checks(report):
    return {key: value for key, value in report.items() if key != "checks"}


@settings(max_examples=examples(700), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_and_period())
def test_every_figure_and_table_equals_the_reference(data):
    facts, start, end = data
    report = compute(facts, start, end)
    expected = reference_report(facts, start, end)
    assert without_checks(report) == expected
    # Same JSON text too: key order and number types (int vs float) included.
    assert json.dumps(without_checks(report)) == json.dumps(expected)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_and_period())
def test_the_report_passes_its_own_checks(data):
    facts, start, end = data
    report = compute(facts, start, end)
    failed = [c["name"] for c in report["checks"] if not c["ok"]]
    assert failed == []
    assert len(report["checks"]) > 20


@settings(max_examples=examples(100), deadline=None)
@given(facts_and_period())
def test_a_longer_period_spanning_a_leap_day_still_matches(data):
    facts, start, _ = data
    start = datetime.date(2024, 2, 29)
    end = datetime.date(2025, 2, 28)
    assert without_checks(compute(facts, start, end)) == reference_report(facts, start, end)
