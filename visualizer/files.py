"""Writing output files so that nothing already at the path is damaged.

What an output path gets depends on what is there (`output_target` decides, before any work):

- nothing, or a regular file: the file appears whole or not at all. It is written to a temporary
  name in the same folder and renamed into place (a rename within one file system is atomic),
  so an error or Ctrl-C halfway leaves the old file as it was; a replaced file keeps its
  permissions (and its owner, where we may set it).
- a symlink: followed to its final target, which is replaced or created as above; the link
  stays. A dangling link creates its target when the target's folder exists.
- `-` (standard output), `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` (bash's `>(…)`), a FIFO or a
  character device (`/dev/null`, a terminal): written directly, opened for writing, never
  renamed over, truncated or deleted. The content is made whole first (in memory, or in a
  temporary file elsewhere), so a failed run writes nothing there either.
- a folder, a block device, a socket, a missing folder, a name too long, no permission: a
  UsageError (one line), before any work.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

STDOUT = "-"  # as an output path: standard output
# devices of terminals (Linux majors): virtual consoles and serial lines, /dev/tty and /dev/console, pseudo-terminals
TERMINAL_MAJORS = {4, 5, *range(136, 144)}
# errors that are about the place written to, not a bug: said in one line
PLACE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


@dataclass(frozen=True)
class Target:
    """Where an output path leads. `kind`: "file" (new or regular: replaced atomically),
    "stream" (an open file descriptor, `fd`) or "device" (a FIFO or character device, opened)."""

    given: str  # the path as the user wrote it, for messages
    kind: str
    path: Path  # file: the final file to create or replace (a link's target); device: what to open
    fd: int | None = None
    replaced: os.stat_result | None = None  # the regular file being replaced, for its mode and owner

    @property
    def direct(self) -> bool:
        return self.kind != "file"


def output_target(path: str | Path) -> Target:
    """What is at `path` and how it will be written; a UsageError if it cannot be written."""
    given = str(path)
    if given == STDOUT:
        return Target(given, "stream", Path(given), fd=1)
    try:
        fd = _descriptor(given)
        if fd is not None:
            try:
                os.fstat(fd)
            except OSError:
                raise UsageError(f"cannot write {given}: file descriptor {fd} is not open; give a file name") from None
            return Target(given, "stream", Path(given), fd=fd)
        try:
            info = os.stat(given)  # follows symlinks to what they point at
        except FileNotFoundError:
            # nothing there, or a dangling symlink: the file to create is the link's target
            return _new_file(given, Path(os.path.realpath(given)) if os.path.islink(given) else Path(given))
    except NotADirectoryError:
        return _new_file(given, Path(given))  # a file where a folder should be: said there
    except OSError as err:  # a name too long, a symlink loop, a folder we may not look into
        fix = "a shorter path" if err.errno == errno.ENAMETOOLONG else "another path"
        raise UsageError(f"cannot write {given}: {err.strerror or err}; give {fix}") from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise UsageError(f"cannot write {given}: it is a folder; give a file name, e.g. {Path(given) / 'out.json'}")
    if stat.S_ISREG(mode):
        real = Path(os.path.realpath(given)) if os.path.islink(given) else Path(given)
        if not os.access(real, os.W_OK):
            raise UsageError(f"cannot write {given}: the file is read-only; make it writable or give another name")
        _check_folder(given, real.parent)
        return Target(given, "file", real, replaced=info)
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        if not os.access(given, os.W_OK):
            raise UsageError(f"cannot write {given}: no permission to write to it; give another path")
        return Target(given, "device", Path(given))
    what = "a block device (a disk)" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a file"
    raise UsageError(f"cannot write {given}: it is {what}; give a file name")


def _descriptor(path: str) -> int | None:
    """The file descriptor `path` names (/dev/stdout, /dev/fd/N, /proc/self/fd/N, or a symlink to
    one of them), else None. Such a path is written through the descriptor: opening it anew would
    truncate a file the shell opened for appending, and a pipe's /dev/fd/N cannot be renamed over."""
    names = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
    pattern = re.compile(rf"/(?:dev/fd|proc/self/fd|proc/{os.getpid()}/fd)/(\d+)")
    hop = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on a chain of links
        if hop in names:
            return names[hop]
        if match := pattern.fullmatch(hop):
            return int(match[1])
        try:
            link = os.readlink(hop)
        except OSError:  # not a link (or not there): a path like any other
            return None
        hop = os.path.normpath(os.path.join(os.path.dirname(hop), link))
    return None


def _new_file(given: str, path: Path) -> Target:
    _check_folder(given, path.parent if str(path.parent) else Path("."))
    return Target(given, "file", path)


def _check_folder(given: str, folder: Path) -> None:
    try:
        if folder.exists() and not folder.is_dir():  # not "does not exist": it does, as a file
            raise UsageError(f"cannot write {given}: {folder} is a file, not a folder; give a path in a folder")
        if not folder.is_dir():
            raise UsageError(f"cannot write {given}: folder {folder} does not exist; create it first")
    except OSError as err:  # a name too long for the file system
        raise UsageError(f"cannot write {given}: {err.strerror or err}; give a shorter path") from None
    if not os.access(folder, os.W_OK):
        raise UsageError(
            f"cannot write {given}: no permission to write in {folder}; give a path in a folder you can write to"
        )


def writable_path(path: str | Path) -> Path:
    """Check that `path` can be written (see the module's docstring) before any work."""
    output_target(path)
    return Path(path)


def is_terminal(path: str | Path) -> bool:
    """Whether writing to `path` would print on a terminal (where a PNG or PDF is noise)."""
    try:
        target = output_target(path)
        if target.kind == "stream":
            return os.isatty(target.fd)
        if target.kind == "device":
            info = os.stat(target.path)
            return stat.S_ISCHR(info.st_mode) and os.major(info.st_rdev) in TERMINAL_MAJORS
    except (UsageError, OSError):
        pass
    return False


def is_stdout(path: str | Path) -> bool:
    """Whether `path` is standard output (`-`, /dev/stdout, /dev/fd/1), where a command's report goes."""
    try:
        return str(path) == STDOUT or _descriptor(str(path)) == 1
    except (OSError, ValueError):
        return False


def writable_folder(path: str | Path, option: str = "-o") -> Path:
    """Check that files can be written into folder `path`, before any work: it is a folder we may
    write in, or it does not exist yet and its nearest existing parent is one (it is created only
    when there is something to put in it, so a failed run leaves nothing behind)."""
    if str(path) == STDOUT:
        raise UsageError(
            f"{option} - is standard output, but this writes several files into a folder; give a folder with {option}"
        )
    path = Path(path)
    try:
        if path.exists() and not path.is_dir():
            raise UsageError(f"cannot write into {path}: it is a file; give a folder with {option}")
        if path.is_symlink() and not path.exists():
            raise UsageError(
                f"cannot write into {path}: it is a link to {os.readlink(path)}, which does not exist; "
                f"create that folder first"
            )
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
    """Yield a temporary file to write; when the block ends without error, it goes to `path` as
    the module's docstring says (renamed into place, or copied into a stream, FIFO or device);
    on an error it is deleted and nothing at `path` changes."""
    target = output_target(path)
    if target.direct:
        with tempfile.TemporaryDirectory(prefix="backprop-output-") as work:
            tmp = Path(work) / f"output{Path(target.given).suffix}"
            yield tmp
            with open(tmp, "rb") as content:
                _write_direct(target, iter(lambda: content.read(1 << 20), b""))
        return
    name = target.path.name[:100]  # the temporary name is longer: keep it under the file system's limit
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=target.path.suffix[:20] + ".tmp", dir=target.path.parent)
    except OSError as err:
        raise UsageError(f"cannot write {target.given}: {err.strerror or err}") from None
    os.close(fd)
    try:
        yield Path(tmp)
        _keep_mode_and_owner(tmp, target.replaced)
        os.replace(tmp, target.path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and err.errno in PLACE_ERRORS:
            raise UsageError(f"cannot write {target.given}: {err.strerror}") from None
        raise


def _keep_mode_and_owner(tmp: str, replaced: os.stat_result | None) -> None:
    """A new file gets the permissions any new file would (mkstemp makes 0600, but others should
    read a diagram like any file); a replaced one keeps its own, and its owner where allowed."""
    if replaced is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        return
    if (replaced.st_uid, replaced.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(tmp, replaced.st_uid, replaced.st_gid)
        except OSError:  # not ours to give away: the file becomes ours, as with any editor's save
            pass
    os.chmod(tmp, stat.S_IMODE(replaced.st_mode) & 0o777)  # its permissions, not a set-user-ID bit on new content


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path` as the module's docstring says."""
    target = output_target(path)
    if target.direct:
        _write_direct(target, [text.encode("utf-8")])
    else:
        with atomic_target(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    return Path(path)


def _write_direct(target: Target, chunks) -> None:
    """Write `chunks` (bytes) to a stream, FIFO or device: opened for writing (no new file, no
    truncation, no rename). A FIFO waits here for its reader, as a shell's `>` would."""
    if target.kind == "stream":
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        fd = target.fd
    else:
        try:
            fd = os.open(target.path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
        except OSError as err:
            raise UsageError(f"cannot write {target.given}: {err.strerror or err}") from None
        if stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a regular file since the check: not ours to write over
            os.close(fd)
            raise UsageError(f"cannot write {target.given}: it changed while the output was made; run again")
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
    except BrokenPipeError:
        if target.fd == 1:
            raise  # standard output's reader has gone (`| head`): the command ends quietly
        raise UsageError(f"cannot write {target.given}: its reader closed it before the end") from None
    except OSError as err:
        raise UsageError(f"cannot write {target.given}: {err.strerror or err}") from None
    finally:
        if target.kind == "device":
            os.close(fd)
