"""The access log is purged after 12 months (not the change history); `seuil
purge_access_log` and `seuil daily` say what they did in French, and `--dry-run` deletes
nothing."""

import datetime
import io
import uuid
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from seuil.core import daily
from seuil.core.models import AccessLog, ChangeRecord
from seuil.privacy import retention

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2025, 7, 1, 9, 30, tzinfo=PARIS)
LIMIT = datetime.datetime(2024, 7, 1, 9, 30, tzinfo=PARIS)


def trace(at, object_uuid=None):
    entry = AccessLog.objects.create(
        action=AccessLog.Action.VIEW,
        object_type="household",
        object_uuid=object_uuid or uuid.uuid4(),
    )
    AccessLog.objects.filter(pk=entry.pk).update(at=at)
    return entry


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def traces(db):
    """Three traces: older than 12 months, exactly 12 months old, recent."""
    return {
        "older": trace(LIMIT - datetime.timedelta(seconds=1)),
        "exactly": trace(LIMIT),
        "recent": trace(NOW - datetime.timedelta(days=1)),
    }


def remaining():
    return set(AccessLog.objects.values_list("pk", flat=True))


def test_the_purge_removes_only_the_traces_older_than_12_months(traces):
    assert retention.purge_access_log(NOW) == 1
    assert remaining() == {traces["exactly"].pk, traces["recent"].pk}


def test_a_dry_run_counts_the_traces_and_deletes_nothing(traces):
    assert retention.purge_access_log(NOW, dry_run=True) == 1
    assert len(remaining()) == 3


def test_the_purge_keeps_the_change_history(traces):
    record = ChangeRecord.objects.create(
        action="change",
        object_type="household",
        object_uuid=traces["older"].object_uuid,
        household_uuid=traces["older"].object_uuid,
        changes={"prior_situation": ["other", "unknown"]},
    )
    ChangeRecord.objects.filter(pk=record.pk).update(at=LIMIT - datetime.timedelta(days=400))
    retention.purge_access_log(NOW)
    assert ChangeRecord.objects.filter(pk=record.pk).exists()


def test_12_months_before_the_31st_of_march_is_the_end_of_february():
    assert retention.months_before(datetime.date(2025, 3, 31), 1) == datetime.date(2025, 2, 28)
    assert retention.months_before(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)
    assert retention.months_before(datetime.date(2025, 2, 28), 12) == datetime.date(2024, 2, 28)
    assert retention.months_before(datetime.date(2025, 1, 15), 13) == datetime.date(2023, 12, 15)


@given(st.dates(min_value=datetime.date(1900, 1, 1)), st.integers(min_value=1, max_value=240))
def test_months_before_goes_back_exactly_that_many_calendar_months(day, months):
    earlier = retention.months_before(day, months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert (
        earlier.day == day.day
        or earlier.day < day.day
        and (earlier + datetime.timedelta(days=1)).month != earlier.month
    )


def test_the_command_says_in_french_how_many_traces_it_deleted(traces, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    out, _ = run("purge_access_log", "--dry-run")
    assert out == "1 trace d'accès de plus de 12 mois serait supprimée (simulation).\n"
    assert len(remaining()) == 3
    out, _ = run("purge_access_log")
    assert out == "1 trace d'accès de plus de 12 mois supprimée.\n"
    assert len(remaining()) == 2


def test_the_command_takes_another_retention_in_months(traces, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    out, _ = run("purge_access_log", "--months", "6", "--dry-run")
    assert out == "2 traces d'accès de plus de 6 mois seraient supprimées (simulation).\n"
    with pytest.raises(CommandError, match="au moins 1 mois"):
        run("purge_access_log", "--months", "0")


def test_daily_dry_run_deletes_nothing_and_says_what_it_would_do(traces, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    out, _ = run("daily", "--dry-run")
    assert "1 trace d'accès de plus de 12 mois serait supprimée (simulation)." in out
    assert len(remaining()) == 3
    out, _ = run("daily")
    assert "1 trace d'accès de plus de 12 mois supprimée." in out
    assert len(remaining()) == 2


def task_that_fails(now, *, dry_run=False):
    raise RuntimeError("Awa Diallo")  # a message that must not be printed


def task_that_reports(now, *, dry_run=False):
    return f"Tâche d'essai{' (simulation)' if dry_run else ''} le {now:%d/%m/%Y}."


def test_daily_runs_every_task_in_order_even_after_a_failure(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    monkeypatch.setattr(daily, "_TASKS", list(daily._TASKS))
    daily.register_daily_task(task_that_fails, order=0)
    daily.register_daily_task(task_that_reports, order=1000)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 tâche quotidienne en échec : task_that_fails"):
        call_command("daily", "--dry-run", stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(daily.daily_tasks()) - 1  # one line per task that worked
    assert lines[0] == "0 trace d'accès de plus de 12 mois serait supprimée (simulation)."
    assert lines[-1] == "Tâche d'essai (simulation) le 01/07/2025."
    assert "task_that_fails" in err.getvalue() and "RuntimeError" in err.getvalue()
    assert "Awa" not in err.getvalue()


def test_the_daily_tasks_run_in_their_order():
    assert [task.__name__ for task in daily.daily_tasks()] == [
        "purge_access_log_task",
        "purge_login_log_task",
        "purge_notifications_task",
        "anonymise_task",
        "purge_merge_undo_task",
        "refresh_stale_task",
        "expire_proposals_task",
        "sync_vacancies_task",
        "remind_task",
        "store_waiting_lists_task",
        "remind_residence_permits_task",
        "purge_runs_task",
        "purge_downloads_task",
        "purge_imports_task",
        "purge_reports_task",
        "rent_calls_task",
        "closings_task",
        "prevention_task",
        "late_rent_task",
        "remind_insurances_task",
        "support_reminders_task",
        "follow_ups_task",
        "send_digests_task",
    ]


def test_the_log_of_logins_is_kept_180_days(db, monkeypatch):
    from axes.models import AccessFailureLog
    from axes.models import AccessLog as LoginLog

    def logged(model, days):
        row = model.objects.create(username="camille", ip_address="10.0.0.1", user_agent="x")
        model.objects.filter(pk=row.pk).update(attempt_time=NOW - datetime.timedelta(days=days))
        return row

    old, recent = logged(LoginLog, 181), logged(LoginLog, 179)
    logged(AccessFailureLog, 200)
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    out, _ = run("daily", "--dry-run")
    assert "2 traces de connexion de plus de 180 jours seraient supprimées (simulation)." in out
    assert LoginLog.objects.count() == 2
    out, _ = run("daily")
    assert "2 traces de connexion de plus de 180 jours supprimées." in out
    assert list(LoginLog.objects.all()) == [recent] and not AccessFailureLog.objects.exists()
    assert old not in LoginLog.objects.all()
