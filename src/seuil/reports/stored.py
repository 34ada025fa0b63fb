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
(REPEATABLE READ on PostgreSQL, one transaction on SQLite) and reads first, in the same
snapshot, the version of what the organisation's reports read (`inputs.version_of`): every
write to a row the report reads moves it, in the write's transaction (`inputs`). The
report is a pure function of the rows it reads, the period and the scope (`compute` reads
nothing else, not even today's date): while the version is the same, computing again gives
the same report, byte for byte. Checking it is one indexed lookup, whatever the size of
the data. A write whose organisations are not told apart (a bulk update, raw SQL) makes
every stored report stale; a write to rows no report of the organisation reads (another
organisation's files, a note) leaves it valid.
"""

import datetime
import json
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import compute, inputs
from .facts import load_facts
from .models import MISSING_PER_PAGE, PENDING, MissingPage, ReportStatus, StoredReport
from .presentation import chart_data, missing_problems

# A stored report not computed again for this many days goes (`seuil daily`).
KEPT_DAYS = 30


def scope_key(programme_refs):
    """The `programmes` column of a scope: its programme refs, sorted, comma-separated."""
    return ",".join(sorted(set(programme_refs or ())))


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
    with _snapshot():
        version = inputs.version_of(organisation.pk)
        facts = load_facts(organisation.ref, programme_refs, start, end)
        report = compute.compute(facts, start, end)
        charts = chart_data(facts, start, end)
        missing = missing_problems(facts, start, end)
    return {
        "status": ReportStatus.DONE,
        "report": json.dumps(report, ensure_ascii=False),
        "extras": json.dumps({"charts": charts}, ensure_ascii=False),
        "missing": missing,
        "data_version": version,
        "finished_at": timezone.now(),
        "seconds": round(time.perf_counter() - started, 3),
        "cpu_seconds": round(time.process_time() - cpu_started, 3),
        "error": "",
    }


def is_current(stored):
    """Is this done report what computing it now would give?"""
    return stored.status == ReportStatus.DONE and stored.data_version == inputs.version_of(
        stored.organisation_id
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
