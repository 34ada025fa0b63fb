"""The engine runs without Django: it can be used and timed alone."""

import subprocess
import sys


def test_the_engine_imports_no_django():
    code = (
        "import sys, seuil.matching.engine, seuil.matching.instance; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"
