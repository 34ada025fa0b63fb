"""`core.downloads`, with a kind of file of the test's own: the file is the bytes its kind
writes, whatever the parts; the rows counted are the last told; a preparation that fails
keeps none of its parts."""

import pytest

from seuil.core import downloads
from seuil.core.enums import DownloadStatus, Role
from seuil.core.models import PreparedPart
from seuil.core.policy import Action
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
