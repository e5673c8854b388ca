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
    try:
        if path.is_dir():
            raise UsageError(f"cannot write {path}: it is a folder; give a file name, e.g. {path / 'out.json'}")
        folder = path.parent if str(path.parent) else Path(".")
        if folder.exists() and not folder.is_dir():  # not "does not exist": it does, as a file
            raise UsageError(f"cannot write {path}: {folder} is a file, not a folder; give a path in a folder")
        if not folder.is_dir():
            raise UsageError(f"cannot write {path}: folder {folder} does not exist; create it first")
    except OSError as err:  # a name too long for the file system (is_dir raises ENAMETOOLONG)
        raise UsageError(f"cannot write {path}: {err.strerror or err}; give a shorter path") from None
    if not os.access(folder, os.W_OK):
        raise UsageError(
            f"cannot write {path}: no permission to write in {folder}; give a path in a folder you can write to"
        )
    return path


def writable_folder(path: str | Path, option: str = "-o") -> Path:
    """Check that files can be written into folder `path`, before any work: it is a folder we may
    write in, or it does not exist yet and its nearest existing parent is one (it is created only
    when there is something to put in it, so a failed run leaves nothing behind)."""
    path = Path(path)
    try:
        if path.exists() and not path.is_dir():
            raise UsageError(f"cannot write into {path}: it is a file; give a folder with {option}")
        existing = path
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
    except OSError as err:  # a name too long for the file system
        raise UsageError(f"cannot write into {path}: {err.strerror or err}; give a shorter path") from None
    if not existing.is_dir():  # a file somewhere above: renders/a.txt/out
        raise UsageError(f"cannot create folder {path}: {existing} is a file; give another folder with {option}")
    if not os.access(existing, os.W_OK):
        raise UsageError(
            f"cannot write into {path}: no permission to write in {existing}; give another folder with {option}"
        )
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
