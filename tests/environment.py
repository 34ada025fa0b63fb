"""The tests run in the test environment, SEUIL_ENV=test (`seuil.core.environment`): DEBUG is
off, as pytest-django sets it, without production's refusals (the development secret key,
no encryption keys). Loaded first by `-p tests.environment` (pyproject.toml), before Django
reads its settings; the processes the tests start inherit it (a test of production removes
it from theirs)."""

import os

os.environ["SEUIL_ENV"] = "test"

# The live server's request threads close their database connection after each request, as
# before Seuil kept connections to PostgreSQL by default (settings.py): in one run with them
# kept, a test database could not be dropped, still open by another session.
os.environ.setdefault("CONN_MAX_AGE", "0")
