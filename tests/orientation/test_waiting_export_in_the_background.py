"""A waiting-list export larger than `SEUIL_EXPORT_INLINE_MAX_ROWS` is prepared in the
background (`core.downloads`): the person is sent to a page that shows its progress, then
gives the file, the same bytes as an export made while the page waits; the file is its
requester's alone, kept encrypted, and deleted after a day."""

import csv
import datetime
import html
import io
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from seuil.core import downloads
from seuil.core.daily import daily_tasks
from seuil.core.enums import Role
from seuil.core.models import AccessLog, PreparedDownload, PreparedPart
from tests.core.factories import UserFactory
from tests.notifications.conftest import run_worker
from tests.orientation.test_waiting_export import body, listed

EXPORT = reverse("orientation:waiting_export")


@pytest.fixture
def large(settings):
    """Every list with more than one household is large."""
    settings.SEUIL_EXPORT_INLINE_MAX_ROWS = 1


def page_of(client, download):
    """The text of the download's page."""
    response = client.get(reverse("prepared_download", args=[download.uuid]))
    return html.unescape(response.content.decode())


@pytest.fixture
def asked(client, django_capture_on_commit_callbacks):
    def ask(fmt):
        """The download of the export asked in format `fmt` (the answer redirects to its
        page), its task queued."""
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(EXPORT, {"format": fmt})
        assert response.status_code == 302
        download = PreparedDownload.objects.order_by("requested_at").last()
        assert response["Location"] == reverse("prepared_download", args=[download.uuid])
        return download

    return ask


def test_a_large_export_is_prepared_in_the_background_and_gives_the_same_file(
    client, asked, settings, siao, programme, coordinator
):
    households = listed(siao, programme, coordinator)
    client.force_login(coordinator)
    at_once = body(client.get(EXPORT, {"format": "csv"}))  # two households: made at once
    assert AccessLog.objects.filter(action="export").count() == 2

    settings.SEUIL_EXPORT_INLINE_MAX_ROWS = 1
    download = asked("csv")
    page = page_of(client, download)
    assert "En attente" in page and "Listes d'attente du jour" in page
    assert AccessLog.objects.filter(action="export").count() == 2  # nothing read yet

    run_worker()
    download.refresh_from_db()
    assert (download.status, download.progress, download.rows) == ("done", 100, 2)
    page = page_of(client, download)
    assert "Le fichier est prêt (2 lignes)" in page
    response = client.get(reverse("prepared_download_file", args=[download.uuid]))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="listes-d-attente-' in response["Content-Disposition"]
    assert body(response) == at_once
    assert int(response["Content-Length"]) == len(at_once)
    # Each household's access log says who exported it, once more.
    logged = AccessLog.objects.filter(action="export", user=coordinator)
    assert sorted(logged.values_list("object_uuid", flat=True)) == sorted(
        2 * [h.uuid for h in households]
    )
    # Stored encrypted: no name of the list in the database's bytes.
    stored = b"".join(bytes(p) for p in PreparedPart.objects.values_list("data", flat=True))
    assert b"MARTIN" not in stored and b"MARTIN" in at_once


def test_a_large_xlsx_stored_in_many_parts_is_read_back_whole(
    client, asked, large, siao, programme, coordinator
):
    listed(siao, programme, coordinator)
    client.force_login(coordinator)
    download = asked("xlsx")
    with mock.patch.object(downloads, "PART_BYTES", 1000):
        run_worker()
    assert PreparedPart.objects.filter(download=download).count() > 3
    response = client.get(reverse("prepared_download_file", args=[download.uuid]))
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[2] for row in rows] == [1, 2]
    assert rows[0][6] == "'=HYPERLINK(1) Léa"


def test_the_page_follows_the_progress_and_asking_again_does_not_prepare_twice(
    client, asked, large, siao, programme, coordinator
):
    listed(siao, programme, coordinator)
    client.force_login(coordinator)
    download = asked("csv")
    assert asked("csv") == download  # still queued: the same one
    page = reverse("prepared_download", args=[download.uuid])
    partial = client.get(page, headers={"HX-Request": "true"})
    assert "every 2s" in partial.content.decode() and "<html" not in partial.content.decode()
    run_worker()
    assert client.get(page, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    # Once it is done, asking again prepares a new file (the data may have changed).
    client.get(EXPORT, {"format": "csv"})
    assert PreparedDownload.objects.count() == 2


def test_nobody_else_reaches_the_file_whatever_their_role(
    client, asked, large, siao, programme, coordinator
):
    listed(siao, programme, coordinator)
    client.force_login(coordinator)
    download = asked("csv")
    run_worker()
    urls = [
        reverse("prepared_download", args=[download.uuid]),
        reverse("prepared_download_file", args=[download.uuid]),
    ]
    for role in (Role.SIAO_COORDINATOR, Role.ADMINISTRATOR):
        client.force_login(UserFactory(organisation=siao, role=role))
        assert [client.get(url).status_code for url in urls] == [404, 404]
    # The requester whose role no longer reads waiting lists reaches it no more.
    coordinator.role = Role.LANDLORD
    coordinator.save()
    client.force_login(coordinator)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.logout()
    assert client.get(urls[1]).status_code == 302  # to the sign-in page


def test_a_preparation_that_fails_says_so_and_keeps_no_part(
    client, asked, large, siao, programme, coordinator
):
    listed(siao, programme, coordinator)
    client.force_login(coordinator)
    download = asked("csv")
    with mock.patch("seuil.orientation.exports._row", side_effect=ValueError("boom")):
        run_worker()
    download.refresh_from_db()
    assert download.status == "failed"
    page = page_of(client, download)
    assert "Le fichier n'a pas pu être préparé" in page and "ValueError" in page
    assert "boom" not in page
    response = client.get(reverse("prepared_download_file", args=[download.uuid]))
    assert response.status_code == 404


def test_a_prepared_file_is_deleted_a_day_after_it_was_asked_for(
    client, asked, large, siao, programme, coordinator
):
    listed(siao, programme, coordinator)
    client.force_login(coordinator)
    download = asked("csv")
    run_worker()
    assert downloads.purge_downloads_task in daily_tasks()
    now = download.requested_at + datetime.timedelta(hours=downloads.KEPT_HOURS - 1)
    assert downloads.purge_downloads_task(now) == "0 fichier préparé ancien effacé."
    later = now + datetime.timedelta(hours=2)
    assert downloads.purge_downloads_task(later, dry_run=True) == (
        "1 fichier préparé ancien serait effacé (simulation)."
    )
    assert downloads.purge_downloads_task(later) == "1 fichier préparé ancien effacé."
    assert not PreparedDownload.objects.exists() and not PreparedPart.objects.exists()


def test_the_rows_of_the_background_file_are_the_lists_of_the_day_asked(
    client, asked, large, siao, programme, coordinator
):
    """A preparation run after midnight still gives the lists of the day it was asked on."""
    listed(siao, programme, coordinator)
    client.force_login(coordinator)
    download = asked("csv")
    tomorrow = datetime.date.fromisoformat(download.options["day"]) + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        run_worker()
    response = client.get(reverse("prepared_download_file", args=[download.uuid]))
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig")), delimiter=";"))
    assert [row[9] for row in rows[1:]] == ["30", "30"]  # days waited on the day asked
