"""The importer reads the database in a few bulk queries, whatever the size of the file,
and streams the rows it compares with the file (never all the existing rows at once), with
the same result whatever the size of the batches; the benchmark generator produces valid
files."""

import copy
import json

import pytest
from benchmarks.generate import generate
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from seuil.core.models import ChangeRecord, Organisation
from seuil.exchange import importer, snapshot
from seuil.exchange.exporter import export_organisation
from seuil.exchange.importer import ExchangeValidationError, import_exchange
from seuil.households import list_state
from seuil.households.models import Household, refresh_derived
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
    # PostgreSQL streams the rows compared through a cursor: DECLARE … CURSOR FOR SELECT.
    reads = ("SAVEPOINT", "RELEASE", "BEGIN", "DECLARE")
    assert all(sql.upper().startswith(reads) for sql in writes)
    # The organisation, one query per table for the checks, one per kind compared.
    assert len(queries) <= 32


def test_progress_is_reported_stage_by_stage():
    messages = []
    import_exchange(generate(households=20, seed=6), progress=messages.append)
    assert messages[0] == "Vérification de la structure…"
    assert "Ménages : écrits." in messages


def _changed(document):
    """`document` with dated records and members dropped and some fields changed."""
    document = copy.deepcopy(document)
    for i, household in enumerate(document["households"]):
        if i % 4 == 0:
            household["resources"] = []  # a household whose records all go
        if i % 4 == 1 and len(household["members"]) > 1:
            household["members"].pop()
        if i % 3 == 0:
            household["prior_situation"] = "other"
        for member in household["members"][::2]:
            member["legal_status"] = member["legal_status"][:1]
            member["first_name"] = "Éléonore"
    document["eviction_procedures"] = document["eviction_procedures"][::2]
    return document


def _imports(documents):
    """The summaries, change records (without their uuids) and export of importing
    `documents` one after the other, rolled back."""
    with transaction.atomic():
        lines = [import_exchange(document).lines() for document in documents]
        records = sorted(
            (r.action, r.object_type, json.dumps(r.changes, sort_keys=True))
            for r in ChangeRecord.objects.all()
        )
        exported = export_organisation(Organisation.objects.get(ref="banc-essai"))
        transaction.set_rollback(True)
    return lines, records, exported


def test_reading_existing_rows_in_small_batches_changes_nothing(monkeypatch):
    first = generate(households=60, seed=9)
    documents = [first, first, _changed(first), _changed(first)]
    whole = _imports(documents)
    monkeypatch.setattr(importer, "BATCH_SIZE", 7)
    monkeypatch.setattr(snapshot, "BATCH_SIZE", 7)
    assert _imports(documents) == whole
    # Imported over the first file, the changed one gives the data it gives imported alone.
    assert whole[2] == _imports([_changed(first)])[2]
    lines = whole[0]
    assert "Aucun changement : la base était déjà à jour." in lines[1]
    assert any("supprimé" in line for line in lines[2])
    assert "Aucun changement : la base était déjà à jour." in lines[3]


STATE = ["head_name", "list_on", "list_until", "list_presence", "list_programme"]
STATE += ["list_head_status", "list_members"]


def _list_states():
    return {row[0]: row[1:] for row in Household.objects.values_list("ref", *STATE)}


def test_the_list_state_is_computed_once_and_as_each_write_would(monkeypatch):
    """The households' list state (what the list's filters read) follows the memberships,
    legal statuses and stays an import writes: computed once, when all are written, and
    the same as computed again from the rows."""
    monkeypatch.setattr(importer, "BATCH_SIZE", 7)
    computed = []
    store_states = list_state.store_states
    monkeypatch.setattr(
        list_state, "store_states", lambda *args: computed.append(1) or store_states(*args)
    )
    first = generate(households=60, seed=11)
    for document in (first, _changed(first)):
        computed.clear()
        import_exchange(document)
        assert len(computed) == 1  # once for the import, not once per batch written
        stored = _list_states()
        Household.objects.update(list_on=None, list_until=None, head_name="")
        ids = Household.objects.values_list("pk", flat=True)
        refresh_derived(ids)
        assert _list_states() == stored
        assert {state[3] for state in stored.values()} >= {"present", "left"}
