"""`core.downloads`, with a kind of file of the test's own: the file is the bytes its kind
writes, whatever the parts; the rows counted are the last told; a preparation that fails
keeps none of its parts; one whose workers were killed twice is failed, and says so."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from seuil.core import downloads
from seuil.core.enums import DownloadStatus, Role
from seuil.core.models import PreparedDownload, PreparedPart
from seuil.core.policy import Action
from seuil.core.workers import beat, reclaim_abandoned
from tests.core.factories import UserFactory


@pytest.fixture
def kind(monkeypatch):
    """Registers a kind "essai" whose file is what `written["pieces"]` holds."""
    written = {"pieces": [], "told": [], "fail_after": None}

    def write(download, progress):
        for number, piece in enumerate(written["pieces"]):
            if number == written["fail_after"]:
                raise OSError("disque plein")
            yield piece
        for done, total in written["told"]:
            progress(done, total)

    monkeypatch.setattr(downloads, "_KINDS", dict(downloads._KINDS))
    downloads.register_download_kind(
        "essai",
        label="Essai",
        back="home",
        back_label="Accueil",
        action=Action.VIEW_HOUSEHOLDS,
        write=write,
    )
    return written


@pytest.fixture
def download(db, django_capture_on_commit_callbacks):
    user = UserFactory(role=Role.SOCIAL_WORKER)
    return downloads.prepare(
        user, "essai", filename="essai.txt", content_type="text/plain", options={"n": 1}
    )


def test_the_file_is_the_bytes_written_across_parts(kind, download, monkeypatch):
    monkeypatch.setattr(downloads, "PART_BYTES", 7)
    kind["pieces"] = [b"abc", b"", b"defghijklmnop", b"q" * 20]
    downloads.make(download)
    download.refresh_from_db()
    assert download.status == DownloadStatus.DONE
    assert b"".join(downloads.pieces(download)) == b"".join(kind["pieces"])
    assert download.size == 36 and download.parts.count() == 6  # 5 full parts of 7, then 1


def test_an_empty_file_is_one_empty_part(kind, download):
    downloads.make(download)
    assert b"".join(downloads.pieces(download)) == b""
    assert download.parts.count() == 1


def test_the_rows_are_the_last_count_told_even_within_the_same_percent(kind, download):
    kind["told"] = [(500, 100_000), (99_500, 100_000), (100_000, 100_000)]
    downloads.make(download)
    download.refresh_from_db()
    assert (download.rows, download.progress) == (100_000, 100)


def test_a_preparation_that_fails_keeps_none_of_its_parts(kind, download, monkeypatch):
    monkeypatch.setattr(downloads, "PART_BYTES", 2)
    kind["pieces"], kind["fail_after"] = [b"abcdef", b"ghij"], 1
    with pytest.raises(OSError):
        downloads.make(download)
    download.refresh_from_db()
    assert download.status == DownloadStatus.FAILED
    assert download.error == "erreur inattendue (OSError)"
    assert not PreparedPart.objects.exists()


def test_a_preparation_whose_workers_were_killed_twice_fails_and_says_so(
    db, kind, client, django_capture_on_commit_callbacks
):
    user = UserFactory(role=Role.SOCIAL_WORKER)
    with django_capture_on_commit_callbacks(execute=True):
        download = downloads.prepare(user, "essai", filename="essai.txt", content_type="text/plain")
    task = DBTaskResult.objects.get(task_path__endswith="prepare_download_task")
    then = timezone.now() - datetime.timedelta(minutes=5)
    for worker, taken_back in (("killed-1", (1, 0)), ("killed-2", (0, 1))):
        beat(worker, started_at=then, now=then)  # its last sign of life, 5 minutes ago
        task.refresh_from_db()
        task.claim(worker)
        DBTaskResult.objects.filter(pk=task.pk).update(started_at=then)
        PreparedDownload.objects.filter(pk=download.pk).update(status=DownloadStatus.RUNNING)
        assert reclaim_abandoned() == taken_back
    download.refresh_from_db()
    assert download.status == DownloadStatus.FAILED
    assert "le processus d'arrière-plan s'est arrêté" in download.error
    client.force_login(user)
    page = client.get(reverse("prepared_download", args=[download.uuid])).content.decode()
    assert "Le fichier n'a pas pu être préparé" in page
