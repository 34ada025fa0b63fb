"""A pytest plugin for benchmarks/suite.py: the CPU seconds of each test, written per
process (xdist worker) as JSON where SUITE_CPU_OUTPUT says.

Each row says when the test started and ended too (seconds since the epoch), so that the
start-up of each worker and the end of the run, when one worker may be left alone, can be
seen. The CPU of a test is its process's (the live server's threads included) during its setup,
call and teardown; chromium and other child processes count when they are reaped (a
module's browser, at the module's end).

Chromium's renderers, where pages are laid out and axe-core runs, outlive the browser
process by a moment: orphaned, they would be reaped by init and their CPU time counted
nowhere (a page's work in the browser missing from the figures). Each test process makes
itself their reaper (Linux's "child subreaper"), and reaps them when a test ends."""

import ctypes
import json
import os
import resource
import time

import pytest

_rows = []
PR_SET_CHILD_SUBREAPER = 36
ORPHANS = ("chrom",)  # the names of the processes adopted that are reaped here
ORPHANS_GRACE = 5.0  # seconds an adopted process is waited for when a test ends
_waited = set()


def pytest_configure(config):
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: orphans go uncounted, as before
        pass


def _adopted():
    """{pid: (name, state)} of this process's children named like chromium: orphans it adopted
    (chromium is started by Playwright's driver, never by a test process itself)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                fields = stat.read()
        except OSError:
            continue
        name, rest = fields[fields.index("(") + 1 : fields.rindex(")")], fields.rsplit(")", 1)[1]
        state, ppid = rest.split()[:2]
        if int(ppid) == os.getpid() and name.startswith(ORPHANS):
            found[int(entry)] = (name, state)
    return found


def _reap_orphans():
    """Reap the adopted chromium processes that ended, waiting a moment (once for each) for
    the renderers still running; crashpad's handlers, which live as long as their browser,
    are reaped when they end."""
    deadline = time.monotonic() + ORPHANS_GRACE
    while adopted := _adopted():
        for pid, (_, state) in adopted.items():
            if state == "Z":
                os.waitpid(pid, 0)
        running = {
            pid for pid, (name, state) in adopted.items() if state != "Z" and name == "chromium"
        }
        if not running - _waited or time.monotonic() > deadline:
            _waited.update(running)
            break
        time.sleep(0.05)


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    cpu, wall, children = time.process_time(), time.perf_counter(), _children_cpu()
    started = time.time()
    yield
    if os.path.isdir("/proc"):
        _reap_orphans()
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
