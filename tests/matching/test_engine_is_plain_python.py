"""The engine runs without Django: it can be used and timed alone."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_engine_imports_no_django():
    code = (
        "import sys, seuil.matching.engine, seuil.matching.instance; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_a_constrained_run_needs_no_scipy():
    """SciPy is a test dependency only: the LP bound is solved by OR-Tools (GLOP)."""
    code = (
        "import sys, json; from seuil.matching.engine import solve; "
        "from tests.matching.test_known_cases import example; "
        "document = dict(example(), constraints={'min_priority_share': "
        "{'min_points': 10, 'share': 0.5}, 'territory_quotas': {'80': {'max': 1}}}); "
        "result = solve(document, lp_bound='on'); "
        "print(json.dumps([result['bound_source'], "
        "sorted(m for m in sys.modules if m.split('.')[0] == 'scipy')]))"
    )
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert completed.stdout.strip() == '["highs_lp", []]'
