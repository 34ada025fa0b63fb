"""The XLSX files Seuil writes leave nothing of their content in clear on the disk: the
temporary files openpyxl writes each sheet to are sealed (encrypted under a key that only
the process holds), and so is the waiting lists' workbook handed over from one."""

import datetime
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl.worksheet._writer
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from seuil.core.xlsx import SealedFile, Workbook
from seuil.exchange.workbook import write_workbook
from seuil.orientation.exports import _xlsx as waiting_lists_workbook
from seuil.reports.facts import activity_report
from seuil.reports.render.xlsx import render_xlsx
from tests.core.factories import OrganisationFactory
from tests.exchange.samples import rich_with_tenancy

SRC = Path(__file__).resolve().parents[2] / "src" / "seuil"


class Disk:
    """Every temporary file made while it records, read as its bytes lie on the disk (after
    it is closed too: a duplicate of its descriptor keeps it)."""

    def __init__(self):
        self.descriptors = []

    def contents(self):
        return [os.pread(fd, os.fstat(fd).st_size, 0) for fd in self.descriptors]


@pytest.fixture
def disk(monkeypatch):
    recorded = Disk()
    make = tempfile.TemporaryFile

    def temporary_file(*args, **kwargs):
        file = make(*args, **kwargs)
        recorded.descriptors.append(os.dup(file.fileno()))
        return file

    def in_clear(*args, **kwargs):
        raise AssertionError("a sheet written to a temporary file in clear")

    monkeypatch.setattr(tempfile, "TemporaryFile", temporary_file)
    monkeypatch.setattr(openpyxl.worksheet._writer, "create_temporary_file", in_clear)
    yield recorded
    for fd in recorded.descriptors:
        os.close(fd)


NAME = "Aïcha N'Diaye".encode()


def test_a_sealed_file_gives_back_its_bytes_and_writes_none_of_them_to_the_disk(disk):
    with SealedFile() as sealed:
        sealed.write(NAME * 1000)
        sealed.seek(0)
        assert sealed.read() == NAME * 1000
        (raw,) = disk.contents()
    assert len(raw) == len(NAME) * 1000
    assert NAME not in raw and b"Diaye" not in raw
    # Another file, the same bytes: another key, nothing in common on the disk.
    with SealedFile() as other:
        other.write(NAME * 1000)
        other.flush()
        assert disk.contents()[1] != raw


operations = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.binary(max_size=70)),
        st.tuples(st.just("seek"), st.integers(0, 300), st.sampled_from([0, 1, 2])),
        st.tuples(st.just("read"), st.integers(-1, 80)),
    ),
    max_size=40,
)


@given(operations)
def test_a_sealed_file_reads_writes_and_seeks_as_a_file_in_memory(steps):
    """Any mix of writes (over earlier bytes, or past the end), seeks and reads, as
    `io.BytesIO`."""
    expected = io.BytesIO()
    with SealedFile() as sealed:
        for step in steps:
            if step[0] == "seek":
                offset, whence = step[1], step[2]
                if whence != 0:
                    offset -= 150  # backwards from here or from the end too
                base = (0, expected.tell(), len(expected.getvalue()))[whence]
                if base + offset < 0:
                    with pytest.raises(ValueError):
                        sealed.seek(offset, whence)
                    expected.seek(sealed.tell())
                    continue
                expected.seek(sealed.tell())
                assert sealed.seek(offset, whence) == expected.seek(offset, whence)
            elif step[0] == "write":
                assert sealed.write(step[1]) == expected.write(step[1])
            else:
                assert sealed.read(step[1]) == expected.read(step[1])
            assert sealed.tell() == expected.tell()
        sealed.seek(0)
        assert sealed.read() == expected.getvalue()


def people_of(document):
    return [member for household in document["households"] for member in household["members"]]


def exchange_workbook():
    document = rich_with_tenancy()
    people_of(document)[0].update(first_name="Aïcha", last_name="N'Diaye")
    return write_workbook(document)


def waiting_lists():
    row = ["Liste IML", 1, "M-0001", "Aïcha N'Diaye", datetime.date(2026, 3, 2), 12]
    with waiting_lists_workbook([row], datetime.date(2026, 6, 1)) as file:
        return file.read()


def report():
    organisation = OrganisationFactory(ref="xlsx", name="Aïcha N'Diaye")
    start = datetime.date(2025, 1, 1)
    return render_xlsx(activity_report(organisation.ref, [], start, datetime.date(2025, 12, 31)))


@pytest.mark.django_db
@pytest.mark.parametrize("write", [exchange_workbook, waiting_lists, report])
def test_each_workbook_goes_through_sealed_files_only(disk, write):
    data = write()
    texts = [
        cell
        for sheet in load_workbook(io.BytesIO(data)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]
    assert any("N'Diaye" in text for text in texts)  # the name was written
    written = disk.contents()
    assert written  # through temporary files: sealed
    assert all(b"Diaye" not in raw for raw in written)


def test_every_workbook_is_made_by_core_xlsx():
    """No other module makes one of openpyxl's workbooks, whose sheets would go to the disk
    in clear."""
    made = re.compile(r"\bopenpyxl import\b[^\n]*\bWorkbook\b|\bopenpyxl\.Workbook\b")
    makers = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if made.search(path.read_text(encoding="utf-8"))
    )
    assert makers == ["core/xlsx.py"]


def test_a_sheet_past_the_zip64_limit_is_archived_with_zip64_fields(monkeypatch):
    """openpyxl gave the archive a named file, whose size set the ZIP64 fields; a sealed
    sheet's is told. The limit is lowered here to 4 kB, as a sheet of 2 GiB is not written."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 4096)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Grande")
    for number in range(500):
        sheet.append([number, f"ligne {number}"])
    out = io.BytesIO()
    book.save(out)
    rows = list(load_workbook(out, read_only=True)["Grande"].iter_rows(values_only=True))
    assert rows[499] == (499, "ligne 499")
