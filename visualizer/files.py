"""Writing files so that nothing already on disk is damaged.

A file appears whole or not at all: it is written to a temporary name in the same folder and
then renamed into place (a rename within one file system is atomic), so an error or Ctrl-C
halfway leaves the old file as it was.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError


def writable_path(path: str | Path) -> Path:
    """Check that `path` can be written (its folder exists, it is not a folder) before any work."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder; give a file name, e.g. {path / 'out.json'}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write {path}: no permission to write in {folder}")
    return path


@contextmanager
def atomic_target(path: str | Path):
    """Yield a temporary path beside `path`; when the block ends without error, rename it into
    place (with the permissions a new file would get), else delete it."""
    path = writable_path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix + ".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _new_file_mode())  # mkstemp makes 0600; others should read a diagram like any file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomic(path: str | Path, text: str) -> Path:
    with atomic_target(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
