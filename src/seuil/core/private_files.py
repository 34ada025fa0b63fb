"""Files that hold personal data are readable by their owner only.

Backups, exports, matching instances and results, subject-access files and the SQLite
database are created with mode 0600, the data folder with 0700: another account of the
server reads none of them. Plain module (no Django import): the settings use it too.
"""

import os
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def create_private(path):
    """Create `path` empty with mode 0600 (an existing file keeps its content and is set to
    0600); then `open(path, "w…")` writes into it without widening its mode."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
    try:
        os.fchmod(descriptor, PRIVATE_FILE_MODE)
    finally:
        os.close(descriptor)
    return path


def open_private(path, mode="w", **kwargs):
    """`open(path, mode)` for writing, the file created (or reset) with mode 0600."""
    create_private(path)
    return open(path, mode, **kwargs)  # the caller closes it


def make_private_dir(path):
    """Create the folder `path` (and its parents) and set it to 0700 when it is ours."""
    path = Path(path)
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid():
        path.chmod(PRIVATE_DIR_MODE)
    return path
