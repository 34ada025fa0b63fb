"""The tests run in the test environment, SEUIL_ENV=test (`seuil.core.environment`): DEBUG is
off, as pytest-django sets it, without production's refusals (the development secret key,
no encryption keys). Loaded first by `-p tests.environment` (pyproject.toml), before Django
reads its settings; the processes the tests start inherit it (a test of production removes
it from theirs)."""

import os

os.environ["SEUIL_ENV"] = "test"
