"""Read what a screen reader needs from a PDF: its catalog (/MarkInfo, /StructTreeRoot,
/Lang, /ViewerPreferences /DisplayDocTitle), its title and its structure tree.

The objects of a PDF 1.5+ file sit in compressed object streams: every Flate stream is
inflated before the dictionaries are searched. Poppler's `pdfinfo` (installed by `.ci/run`)
decodes the title and prints the tagged structure (`-struct`); a test skips without it.
"""

import re
import shutil
import subprocess  # noqa: S404  (pdfinfo, a fixed command)
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

# A stream's data runs to "endstream"; the end-of-line before it is left to the inflater
# (as unused data after the end of the zlib stream): compressed bytes may themselves end
# in a carriage return, which a pattern eating an optional "\r" would cut off.
STREAM_RE = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# A PDF text string: literal "(…)" (parentheses inside escaped) or hexadecimal "<…>".
ALT_RE = re.compile(rb"/Alt\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)")


def _text(string):
    """The text of a PDF string (UTF-16 with its byte order mark, else PDFDocEncoding,
    read as Latin-1 here)."""
    if string.startswith(b"<"):
        data = bytes.fromhex(string[1:-1].decode())
    else:
        data = re.sub(rb"\\(.)", rb"\1", string[1:-1])
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be")
    return data.decode("latin-1")


def _inflated(content):
    """The PDF's bytes followed by every Flate stream inflated (undecodable ones skipped)."""
    parts = [content]
    for match in STREAM_RE.finditer(content):
        try:
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@dataclass
class PdfStructure:
    title: str
    tagged: bool
    marked: bool
    has_struct_tree: bool
    lang: str | None
    displays_title: bool
    tree: str  # pdfinfo -struct: one element a line, indented
    figure_alts: list

    def tags(self):
        """The structure elements' names, in the order of the tree."""
        names = [line.split()[0].rstrip(":") for line in self.tree.splitlines() if line.strip()]
        return [name for name in names if not name.startswith(("/", "<"))]


def read_structure(content):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed: PDF structure not checked")
    assert content.startswith(b"%PDF")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(content)
        info = subprocess.run(  # noqa: S603
            ["pdfinfo", "-enc", "UTF-8", str(path)],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        tree = subprocess.run(  # noqa: S603
            ["pdfinfo", "-struct", str(path)],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    raw = _inflated(content)
    lang = re.search(rb"/Lang\s*\(([^)]*)\)", raw)
    return PdfStructure(
        title=fields.get("Title", "").strip(),
        tagged=fields.get("Tagged", "").strip() == "yes",
        marked=re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", raw) is not None,
        has_struct_tree=re.search(rb"/StructTreeRoot\s+\d+\s+0\s+R", raw) is not None,
        lang=lang.group(1).decode() if lang else None,
        displays_title=re.search(rb"/DisplayDocTitle\s+true", raw) is not None,
        tree=tree[tree.find("\n") + 1 :] if tree.startswith("Document") else tree,
        figure_alts=[_text(m) for m in ALT_RE.findall(raw)],
    )
