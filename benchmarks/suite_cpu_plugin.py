"""A pytest plugin for benchmarks/suite.py: the CPU seconds of each test, written per
process (xdist worker) as JSON where SUITE_CPU_OUTPUT says.

Each row says when the test started and ended too (seconds since the epoch), so that the
start-up of each worker and the end of the run, when one worker may be left alone, can be
seen. The CPU of a test is its process's (the live server's threads included) during its setup,
call and teardown; chromium and other child processes count when they are reaped (a
module's browser, at the module's end)."""

import json
import os
import resource
import time

import pytest

_rows = []


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    cpu, wall, children = time.process_time(), time.perf_counter(), _children_cpu()
    started = time.time()
    yield
    _rows.append(
        {
            "test": item.nodeid,
            "cpu": time.process_time() - cpu,
            "wall": time.perf_counter() - wall,
            "children_cpu": _children_cpu() - children,
            "started": started,
            "ended": time.time(),
        }
    )


def pytest_sessionfinish(session):
    output = os.environ.get("SUITE_CPU_OUTPUT")
    if not output:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    path = f"{output}.{worker}.json"
    with open(path, "w", encoding="utf-8") as file:
        json.dump({"process_cpu": time.process_time(), "tests": _rows}, file)
