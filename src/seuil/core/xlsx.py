"""XLSX workbooks written without a byte of their content in clear on the disk.

openpyxl writes each sheet's XML to a temporary file before zipping it into the workbook (in
write-only mode, row by row as they are appended: memory stays flat however long the sheet).
Those files would hold people's names and situations in clear, for the time the workbook is
written, and on the disk's free blocks after. Here every such file is a `SealedFile`:
encrypted on its way to the disk under a key drawn for it and kept only in memory.

Every XLSX Seuil writes is a `Workbook` of this module (a test checks that no other module
makes one of openpyxl's): as openpyxl's, whose sheets and zipped file go through sealed files
only. A large file to hand over (a waiting list's workbook) can be written to a `SealedFile`
too, and read back from it.
"""

import datetime
import io
import os
import shutil
import tempfile
import zipfile

import openpyxl
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

BLOCK = 16  # AES's block, in bytes: what the counter counts
COPY_PIECE = 1 << 20


class SealedFile(io.RawIOBase):
    """A temporary file whose bytes on the disk are encrypted with AES-256 in counter mode,
    under a key and a starting counter drawn when it is made and kept only in this object:
    once it is closed (or the process ends) nobody can read what it held, not even from the
    disk's free blocks. The file itself has no name (`tempfile.TemporaryFile`).

    Read, write and seek anywhere, as a file opened in "w+b" (counter mode turns any position
    into its key stream)."""

    def __init__(self):
        super().__init__()
        self._file = tempfile.TemporaryFile()
        self._key = os.urandom(32)
        self._counter = int.from_bytes(os.urandom(BLOCK), "big")
        self._position = self._size = 0
        self._stream = None  # the key stream, and the position it has reached
        self._stream_at = None

    def readable(self):
        return True

    def writable(self):
        return True

    def seekable(self):
        return True

    def _crypt(self, data):
        """`data` (at the current position) encrypted, or decrypted: the same XOR."""
        if self._stream_at != self._position:
            block, skip = divmod(self._position, BLOCK)
            start = (self._counter + block) % (1 << (8 * BLOCK))
            cipher = Cipher(algorithms.AES(self._key), modes.CTR(start.to_bytes(BLOCK, "big")))
            self._stream = cipher.encryptor()
            self._stream.update(bytes(skip))
        result = self._stream.update(data)
        self._position += len(data)
        self._stream_at = self._position
        return result

    def _at_position(self):
        if self._file.tell() != self._position:
            self._file.seek(self._position)

    def write(self, data):
        self._check_closed()
        data = bytes(data)
        if not data:
            return 0
        if self._position > self._size:  # past the end: the gap reads as zeros
            position, self._position = self._position, self._size
            self.write(bytes(position - self._size))
        self._at_position()
        self._file.write(self._crypt(data))
        self._size = max(self._size, self._position)
        return len(data)

    def readinto(self, buffer):
        self._check_closed()
        self._at_position()
        plain = self._crypt(self._file.read(len(buffer)))
        buffer[: len(plain)] = plain
        return len(plain)

    def seek(self, offset, whence=io.SEEK_SET):
        self._check_closed()
        if whence == io.SEEK_SET:
            base = 0
        elif whence == io.SEEK_CUR:
            base = self._position
        else:
            base = self._size
        if base + offset < 0:
            raise ValueError(f"position négative : {base + offset}")
        self._position = base + offset
        return self._position

    def tell(self):
        self._check_closed()
        return self._position

    def close(self):
        if not self.closed:
            self._file.close()
            self._key = self._stream = None
        super().close()

    def _check_closed(self):
        if self.closed:
            raise ValueError("fichier fermé")


class _SheetWriter(WorksheetWriter):
    """openpyxl's writer of a sheet's XML, into a `SealedFile` instead of a temporary file
    in clear."""

    def __init__(self, sheet):
        super().__init__(sheet, out=SealedFile())

    def cleanup(self):
        self.out.close()


class _WriteOnlySheet(WriteOnlyWorksheet):
    def _get_writer(self):
        if self._writer is None:
            self._writer = _SheetWriter(self)
            self._writer.write_top()


class _ExcelWriter(ExcelWriter):
    def write_worksheet(self, ws):
        """openpyxl's, each sheet's XML read from its sealed file into the archive."""
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if self.workbook.write_only:
            if not ws.closed:
                ws.close()
            writer = ws._writer
        else:
            writer = _SheetWriter(ws)
            writer.write()
        ws._rels = writer._rels
        # Sizes of more than 2 GiB need ZIP64 fields, which openpyxl's `write` of a named
        # file sets from its size: told here, as `open` does not know it in advance.
        large = writer.out.seek(0, io.SEEK_END) > zipfile.ZIP64_LIMIT // 2
        writer.out.seek(0)
        with self._archive.open(ws.path[1:], "w", force_zip64=large) as member:
            shutil.copyfileobj(writer.out, member, COPY_PIECE)
        self.manifest.append(ws)
        writer.cleanup()


class Workbook(openpyxl.Workbook):
    """openpyxl's workbook (`write_only` too), its sheets written to sealed files."""

    def create_sheet(self, title=None, index=None):
        if not self.write_only:
            return super().create_sheet(title, index)
        sheet = _WriteOnlySheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet

    def save(self, file):
        """The workbook written to `file` (a path or a binary file: a `SealedFile` keeps it
        sealed), as `openpyxl.Workbook.save` does."""
        if self.write_only and not self.worksheets:
            self.create_sheet()
        archive = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        _ExcelWriter(self, archive).save()
