"""Activity reports computed once, kept, and shown again while the data they read is the same.

`obtain(organisation, programme_refs, start, end)` returns the `StoredReport` of that scope
and period:

- **done**, when one was computed and its data version is still the data version now:
  the page and the downloads show it without computing anything;
- **computed now**, when the report is small (the organisation has at most
  `SEUIL_REPORT_INLINE_MAX_STAYS` stays in the two years the report reads), and kept;
- otherwise **queued** for `seuil db_worker` (`tasks.compute_report_task`), the page
  showing its progress until it is done.

**Data version.** The computation (`produce`) runs in one snapshot of the database
(REPEATABLE READ on PostgreSQL, one transaction on SQLite) and records every SELECT it runs
with its parameters: the facts' queries (`facts.load_facts`, the orientation, tenancy,
support and outcome facts), and the households' references that order the missing values.
The data version is a digest of what those queries return, computed in the same snapshot:
for each query, its row count and the sum of a 64-bit hash of each row (PostgreSQL:
`hashtextextended(row::text)`, in the database; SQLite: the rows hashed here). The report
is a pure function of those rows, the period and the scope (`compute` reads nothing else,
not even today's date): when the same queries return the same rows, computing again gives
the same report, byte for byte. Any write that changes a row the report reads — through a
form, the API, an import, `seuil daily`, a bulk update or by hand in SQL — changes the
version, and the report is computed again; a write that changes nothing the report reads
(another organisation's files, a note) leaves it valid. Checking the version runs the
report's queries inside the database (one statement on PostgreSQL) without sending their
rows to Python nor building the report.
"""

import datetime
import decimal
import hashlib
import json
import time
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import compute
from .facts import load_facts
from .models import MISSING_PER_PAGE, PENDING, MissingPage, ReportStatus, StoredReport
from .presentation import chart_data, missing_problems

# A stored report not computed again for this many days goes (`seuil daily`).
KEPT_DAYS = 30


def scope_key(programme_refs):
    """The `programmes` column of a scope: its programme refs, sorted, comma-separated."""
    return ",".join(sorted(set(programme_refs or ())))


# ---------------------------------------------------------------- queries and data version


def _encode(value):
    """A query parameter as a JSON value (tagged when JSON has no such type)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"decimal": str(value)}
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    if isinstance(value, list | tuple):
        return {"list": [_encode(item) for item in value]}
    raise TypeError(f"query parameter of type {type(value).__name__}")


DECODERS = {
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "decimal": decimal.Decimal,
    "uuid": uuid.UUID,
}


def _decode(value):
    if not isinstance(value, dict):
        return value
    ((tag, content),) = value.items()
    if tag == "list":
        return [_decode(item) for item in content]
    return DECODERS[tag](content)


def encode_queries(queries):
    """The queries recorded by `recording_selects` as JSON text ("" when a parameter has no
    JSON form: the report is then never reused)."""
    try:
        return json.dumps([[sql, [_encode(p) for p in params]] for sql, params in queries])
    except TypeError:
        return ""


def decode_queries(text):
    return [(sql, [_decode(p) for p in params]) for sql, params in json.loads(text)]


@contextmanager
def recording_selects(queries):
    """Append (sql, params) of every SELECT run on the default connection to `queries`."""

    def record(execute, sql, params, many, context):
        if not many and sql.lstrip()[:6].upper() == "SELECT":
            queries.append((sql, list(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield


# A query's rows, in the database: their count and the sum of a 64-bit hash of each row.
ROW_DIGEST = "count(*)::text || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0)::text"


def _row_hash(row):
    return int.from_bytes(hashlib.blake2b(repr(row).encode(), digest_size=8).digest(), "big")


def data_version(queries):
    """The digest of what `queries` return now (see the module docstring)."""
    if not queries:
        return ""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            parts, params = [], []
            # The SQL is the report's own queries, as Django compiled them: no user text.
            for sql, query_params in queries:
                parts.append(f"(SELECT {ROW_DIGEST} FROM ({sql}) t)")  # noqa: S608  # nosec B608
                params.extend(query_params)
            cursor.execute(f"SELECT ARRAY[{', '.join(parts)}]", params)
            pieces = cursor.fetchone()[0]
        else:
            pieces = []
            for sql, query_params in queries:
                cursor.execute(sql, query_params)
                count = total = 0
                while rows := cursor.fetchmany(5000):
                    count += len(rows)
                    total += sum(_row_hash(row) for row in rows)
                pieces.append(f"{count}:{total}")
    return hashlib.sha256(",".join(pieces).encode()).hexdigest()


@contextmanager
def _snapshot():
    """One snapshot of the database for the whole computation and its data version."""
    if connection.in_atomic_block:  # inside a transaction already (a test): a savepoint
        with transaction.atomic():
            yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


# ---------------------------------------------------------------- computing


def produce(organisation, programme_refs, start, end):
    """Compute the report of a scope and period: the fields of a done `StoredReport`."""
    started, cpu_started = time.perf_counter(), time.process_time()
    queries = []
    with _snapshot():
        with recording_selects(queries):
            facts = load_facts(organisation.ref, programme_refs, start, end)
            report = compute.compute(facts, start, end)
            charts = chart_data(facts, start, end)
            missing = missing_problems(facts, start, end)
        encoded = encode_queries(queries)
        version = data_version(queries) if encoded else ""
    return {
        "status": ReportStatus.DONE,
        "report": json.dumps(report, ensure_ascii=False),
        "extras": json.dumps({"charts": charts}, ensure_ascii=False),
        "missing": missing,
        "queries": encoded,
        "data_version": version,
        "finished_at": timezone.now(),
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(time.process_time() - cpu_started, 3),
        "error": "",
    }


def is_current(stored):
    """Is this done report what computing it now would give?"""
    return (
        stored.status == ReportStatus.DONE
        and bool(stored.queries)
        and data_version(decode_queries(stored.queries)) == stored.data_version
    )


def is_small(organisation, start, end):
    """Small enough to compute while the page waits: the organisation's stays the report
    reads (those sharing a day with [start one year earlier, end])."""
    from seuil.housing.models import Stay

    stays = Stay.objects.filter(organisation=organisation, entered_on__lte=end).filter(
        Q(exited_on__isnull=True) | Q(exited_on__gte=compute.one_year_earlier(start))
    )
    limit = settings.SEUIL_REPORT_INLINE_MAX_STAYS
    return stays[: limit + 1].count() <= limit


def obtain(organisation, programme_refs, start, end, *, retry=False):
    """The `StoredReport` of the scope and period: done and current, or computed now when
    small, or queued (see the module docstring). A failed computation is shown as such
    until `retry`."""
    key = {
        "organisation": organisation,
        "programmes": scope_key(programme_refs),
        "start": start,
        "end": end,
    }
    stored = StoredReport.objects.defer("report", "extras").filter(**key).first()
    if stored is not None:
        if stored.is_pending or (stored.status == ReportStatus.FAILED and not retry):
            return stored
        if is_current(stored):
            return stored
    now = timezone.now()
    if is_small(organisation, start, end):
        fields = produce(organisation, programme_refs, start, end)
        with transaction.atomic():
            stored, _ = StoredReport.objects.get_or_create(
                **key, defaults={"status": ReportStatus.RUNNING, "requested_at": now}
            )
            # Locked: two views computing it at once write their pages one after the other.
            stored = StoredReport.objects.select_for_update().get(pk=stored.pk)
            keep(stored, fields)
        return stored
    return _queue(key, now)


def keep(stored, fields):
    """Write what `produce` computed into `stored` and its pages of missing values."""
    missing = fields.pop("missing")
    fields["missing_count"] = len(missing)
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.save()
    MissingPage.objects.filter(report=stored).delete()
    MissingPage.objects.bulk_create(
        (
            MissingPage(
                report=stored,
                number=number,
                households=json.dumps(missing[first : first + MISSING_PER_PAGE]),
            )
            for number, first in enumerate(range(0, len(missing), MISSING_PER_PAGE), start=1)
        ),
        batch_size=500,
    )


def _queue(key, now):
    from .tasks import compute_report_task

    with transaction.atomic():
        stored, created = StoredReport.objects.select_for_update().get_or_create(
            **key, defaults={"status": ReportStatus.QUEUED, "requested_at": now}
        )
        if not created:
            if stored.is_pending:  # asked meanwhile by someone else
                return stored
            stored.status, stored.requested_at, stored.error = ReportStatus.QUEUED, now, ""
            stored.save(update_fields=["status", "requested_at", "error"])
        transaction.on_commit(lambda: compute_report_task.enqueue(stored.pk))
    return stored


def compute_in_background(stored):
    """What `tasks.compute_report_task` does: compute and keep the report, or say it
    failed."""
    StoredReport.objects.filter(pk=stored.pk).update(status=ReportStatus.RUNNING)
    refs = [ref for ref in stored.programmes.split(",") if ref]
    try:
        fields = produce(stored.organisation, refs, stored.start, stored.end)
    except Exception as error:  # noqa: BLE001 — the page says it failed
        fail(stored, f"erreur inattendue ({type(error).__name__})")
        raise
    with transaction.atomic():
        stored = StoredReport.objects.select_for_update().get(pk=stored.pk)
        if stored.is_pending:
            keep(stored, fields)


def fail(stored, reason):
    StoredReport.objects.filter(pk=stored.pk, status__in=PENDING).update(
        status=ReportStatus.FAILED, error=reason[:500], finished_at=timezone.now()
    )


def last_duration(organisation):
    """Seconds the organisation's last report computed in the background took, or None."""
    return (
        StoredReport.objects.filter(organisation=organisation, status=ReportStatus.DONE)
        .exclude(seconds=None)
        .order_by("-finished_at")
        .values_list("seconds", flat=True)
        .first()
    )


def report_of(stored):
    return json.loads(stored.report)


def charts_of(stored):
    return json.loads(stored.extras)["charts"]


def missing_page(stored, number):
    """The households with missing values of page `number` (1 for the first)."""
    text = (
        MissingPage.objects.filter(report=stored, number=number)
        .values_list("households", flat=True)
        .first()
    )
    return json.loads(text) if text else []


def purge(now, *, dry_run=False):
    """Delete the stored reports computed, or asked for, more than `KEPT_DAYS` ago (a
    computation pending that long was lost); return how many."""
    since = now - datetime.timedelta(days=KEPT_DAYS)
    old = StoredReport.objects.filter(requested_at__lt=since).filter(
        Q(finished_at__isnull=True) | Q(finished_at__lt=since)
    )
    count = old.count()
    if not dry_run:
        old.delete()
    return count
