"""The importer reads the database in a few bulk queries, whatever the size of the file;
the benchmark generator produces valid files."""

import pytest
from benchmarks.generate import generate
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seuil.exchange.importer import ExchangeValidationError, import_exchange
from tests.exchange.conftest import import_errors, row_counts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_files_are_valid_and_import_whole(seed):
    document = generate(households=120, seed=seed)
    summary = import_exchange(document)
    persons = sum(len(h["members"]) for h in document["households"])
    assert summary.counts["persons"].created == persons
    assert row_counts()["Stay"] == 120


def test_the_generator_is_deterministic():
    assert generate(households=50, seed=7) == generate(households=50, seed=7)
    assert generate(households=50, seed=7) != generate(households=50, seed=8)


def test_validation_takes_a_fixed_number_of_queries():
    import_exchange(generate(households=300, seed=4))
    document = generate(households=300, seed=4)
    document["stays"][-1]["entered_on"] = "2031-02-30"
    with CaptureQueriesContext(connection) as queries, pytest.raises(ExchangeValidationError):
        import_exchange(document)
    assert len(queries) <= 20  # the organisation, then one query per table
    assert import_errors(document) == ["stays[299].entered_on : date inexistante « 2031-02-30 »"]


def test_importing_an_unchanged_file_only_reads():
    document = generate(households=200, seed=5)
    import_exchange(document)
    with CaptureQueriesContext(connection) as queries:
        assert not import_exchange(document).changed
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert all(sql.upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN")) for sql in writes)
    assert len(queries) <= 30


def test_progress_is_reported_stage_by_stage():
    messages = []
    import_exchange(generate(households=20, seed=6), progress=messages.append)
    assert messages[0] == "Vérification de la structure…"
    assert "Ménages : écrits." in messages
