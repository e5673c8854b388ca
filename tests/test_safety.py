"""Numbers never go silently wrong, loading never runs code, and writing never damages: `backprop
verify` fails loudly on a forced disagreement, nothing the tool reads is unpickled, and every kind
of output path (a file, a symlink, a FIFO, a device, standard output, /dev/fd/N) gets what the
DESIGN's contract says."""

import json
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "visualizer"


def test_verify_fails_loudly_when_engine_and_torch_disagree():
    # the engine's ReLU slope made wrong inside the process: verify must say ✗ and exit 1
    code = (
        "import dataclasses, sys\n"
        "import numpy as np\n"
        "from visualizer.functions import activations\n"
        "activations.ACTIVATIONS['relu'] = dataclasses.replace(activations.RELU,\n"
        "    derivative=lambda z, a: (z > 0) * 1.001)\n"
        "from visualizer.cli.main import backprop_main\n"
        "sys.argv = ['backprop', 'verify', '--net', '3-4-4-2', '--activation', 'relu', '--steps', '3']\n"
        "backprop_main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "✗" in result.stdout and "differs at step 1" in result.stdout


def test_nothing_is_unpickled():
    """Models are safetensors, traces JSON, data IDX/CSV read as bytes: no pickle anywhere, and no
    torch.load (which unpickles unless told weights_only)."""
    risky = re.compile(r"\bimport pickle\b|\bpickle\.load|\btorch\.load\(|allow_pickle\s*=\s*True|\bjoblib\b")
    found = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in PACKAGE.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if risky.search(line)
    ]
    assert not found, found


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"schema": "backprop-trace/0"}', "not a backprop-trace/1 trace (schema: 'backprop-trace/0')"),
        ('{"schema": "backprop-trace/1", "network"', "the trace is not valid JSON"),
    ],
)
def test_scenes_refuse_a_trace_from_another_version_or_damaged_in_one_line(tmp_path, content, message):
    trace = tmp_path / "trace.json"
    trace.write_text(content, encoding="utf-8")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "manim"),
            "-ql",
            "--dry_run",
            "--media_dir",
            str(tmp_path / "media"),
            str(PACKAGE.parent / "scenes" / "lecture.py"),
            "ForwardPass",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "BACKPROP_TRACE": str(trace)},
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors[-1].startswith("backprop scenes: error: ") and message in errors[-1]
    assert "Traceback" not in result.stderr and "╭" not in result.stderr + result.stdout


# ---- output paths: what is at the path is never damaged (visualizer/files.py) ---------------------
# Each case as a user meets it, a real process writing to -o; a FIFO's or a pipe's reader is a thread.

BIN = Path(sys.executable).parent
EXPLAIN = ["--net", "2-3-1", "--no-verify"]


def cli(*args, program="explain", **kwargs):
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([str(BIN / program), *args], timeout=120, **kwargs)


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> bytes:
    """What `explain -o FILE` writes into a new regular file: every other kind of path gets the same."""
    path = tmp_path_factory.mktemp("expected") / "step.txt"
    result = cli(*EXPLAIN, "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path.read_bytes()


class Reader(threading.Thread):
    """Reads a FIFO (opening it, which lets the writer's open go on) or a descriptor to its end."""

    def __init__(self, path=None, fd=None):
        super().__init__(daemon=True)
        self.path, self.fd, self.data = path, fd, None

    def run(self):
        if self.path is not None:
            with open(self.path, "rb") as source:
                self.data = source.read()
        else:
            with os.fdopen(self.fd, "rb") as source:
                self.data = source.read()


def test_a_regular_file_is_replaced_whole_and_keeps_its_permissions(tmp_path, expected):
    target = tmp_path / "step.txt"
    target.write_text("old")
    target.chmod(0o640)
    old_inode = target.stat().st_ino
    assert cli(*EXPLAIN, "-o", str(target)).returncode == 0
    assert target.read_bytes() == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != old_inode  # renamed into place, not written over
    assert [p.name for p in tmp_path.iterdir()] == ["step.txt"]  # no temporary left behind


def test_a_symlink_is_followed_and_kept(tmp_path, expected):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "step.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(Path("real") / "step.txt")  # relative, as links usually are
    assert cli(*EXPLAIN, "-o", str(link)).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "step.txt")
    assert real.read_bytes() == expected
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["step.txt"]


def test_a_dangling_symlink_creates_its_target(tmp_path, expected):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "new.txt")
    assert cli(*EXPLAIN, "-o", str(link)).returncode == 0
    assert link.is_symlink() and (tmp_path / "new.txt").read_bytes() == expected


def test_a_fifo_is_written_to_its_reader_and_stays_a_fifo(tmp_path, expected):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = Reader(path=fifo)
    reader.start()
    result = cli(*EXPLAIN, "-o", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert reader.data == expected
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_character_device_is_written_and_stays_a_device(tmp_path):
    device = tmp_path / "null"
    try:  # a null device of our own (major 1, minor 3): the real /dev/null is the machine's
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError) as err:
        pytest.skip(f"cannot make a device node here: {err}")
    result = cli(*EXPLAIN, "-o", str(device))
    assert result.returncode == 0, result.stderr
    info = device.lstat()
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)


def test_dev_stdout_is_standard_output_and_appends_where_the_shell_appends(tmp_path, expected):
    assert cli(*EXPLAIN, "-o", "/dev/stdout").stdout == expected  # a pipe
    log = tmp_path / "log.txt"
    log.write_bytes(b"before\n")
    with open(log, "ab") as out:  # explain … -o /dev/stdout >> log.txt
        assert cli(*EXPLAIN, "-o", "/dev/stdout", stdout=out, stderr=subprocess.PIPE).returncode == 0
    assert log.read_bytes() == b"before\n" + expected  # not truncated, not replaced
    assert not Path("/dev/stdout").exists() or Path("/dev/stdout").is_symlink()


def test_a_dev_fd_pipe_is_written_like_bash_process_substitution(expected):
    read, write = os.pipe()
    reader = Reader(fd=read)
    reader.start()
    try:  # explain … -o >(wc -c): bash passes /dev/fd/N, a pipe
        result = cli(*EXPLAIN, "-o", f"/dev/fd/{write}", pass_fds=(write,))
    finally:
        os.close(write)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert reader.data == expected


def test_dash_is_standard_output_for_text_and_json():
    result = cli(*EXPLAIN, "--format", "json", "-o", "-")
    assert result.returncode == 0 and json.loads(result.stdout)["schema"] == "backprop-trace/1"
    assert not Path("-").exists()
    assert cli(*EXPLAIN, "-o", "-").stdout.startswith(b"\nNetwork 2-3-1")


def test_a_reader_that_goes_away_ends_the_command_quietly():
    process = subprocess.Popen(
        [str(BIN / "explain"), *EXPLAIN, "--format", "json", "-o", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # `| head -c 0`
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1 and b"Traceback" not in stderr


def test_diagram_writes_a_png_to_a_pipe_and_a_fifo(tmp_path):
    result = cli("diagram", "--net", "2-3-1", "-o", "-", program="backprop")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"\x89PNG\r\n")
    fifo = tmp_path / "picture"
    os.mkfifo(fifo)
    reader = Reader(path=fifo)
    reader.start()
    result = cli("diagram", "--net", "2-3-1", "--format", "svg", "-o", str(fifo), program="backprop")
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert b"<svg" in reader.data and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_diagram_refuses_a_png_on_a_terminal():
    import pty

    leader, follower = pty.openpty()
    try:
        result = cli(
            "diagram", "--net", "2-3-1", "-o", "-", program="backprop", stdout=follower, stderr=subprocess.PIPE
        )
    finally:
        os.close(follower)
        os.close(leader)
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1
    assert lines[0].startswith("backprop: error: not writing a PNG to the terminal")


# in-process: what every writer (model files, videos, captions, slides, data) goes through


def test_atomic_target_copies_binary_content_into_a_fifo(tmp_path):
    from visualizer.files import atomic_target

    fifo = tmp_path / "model"
    os.mkfifo(fifo)
    reader = Reader(path=fifo)
    reader.start()
    with atomic_target(fifo) as tmp:
        assert tmp.parent != tmp_path  # the temporary file is elsewhere: nothing new beside the FIFO
        tmp.write_bytes(bytes(range(256)) * 1000)
    reader.join(timeout=30)
    assert reader.data == bytes(range(256)) * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


def test_a_failed_write_sends_nothing_and_changes_nothing(tmp_path):
    from visualizer.files import atomic_target

    read, write = os.pipe()
    reader = Reader(fd=read)
    reader.start()
    link = tmp_path / "link"
    (tmp_path / "real").write_text("precious")
    link.symlink_to("real")
    for path in (f"/dev/fd/{write}", link):
        with pytest.raises(RuntimeError), atomic_target(path) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("the renderer failed")
    os.close(write)
    reader.join(timeout=30)
    assert reader.data == b""
    assert (tmp_path / "real").read_text() == "precious" and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


@pytest.mark.parametrize("kind", ["block device", "socket"])
def test_block_devices_and_sockets_are_refused(tmp_path, kind):
    import socket

    from visualizer.errors import UsageError
    from visualizer.files import writable_path

    path = tmp_path / "x"
    if kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
        except OSError as err:  # a path too long for a socket's address
            pytest.skip(str(err))
    else:
        try:  # major 240: for local or experimental use, no driver behind it; never opened anyway
            os.mknod(path, 0o600 | stat.S_IFBLK, os.makedev(240, 0))
        except (PermissionError, OSError) as err:
            pytest.skip(f"cannot make a device node here: {err}")
    before = path.lstat()
    with pytest.raises(UsageError, match=f"it is a {kind}"):
        writable_path(path)
    assert path.lstat().st_mode == before.st_mode and path.lstat().st_ino == before.st_ino
    if kind == "socket":
        server.close()


def test_a_read_only_file_is_refused_in_one_line(tmp_path, monkeypatch):
    """As root (where permissions are not enforced) with os.access saying no; the CLI row in
    test_bad_input runs as any other user."""
    from visualizer import files
    from visualizer.errors import UsageError

    target = tmp_path / "step.txt"
    target.write_text("precious")
    monkeypatch.setattr(files.os, "access", lambda path, mode: False)
    with pytest.raises(UsageError, match="the file is read-only"):
        files.writable_path(target)
    assert target.read_text() == "precious"


@pytest.mark.parametrize("check", ["file", "folder", "new folder"])
def test_no_permission_is_one_line(tmp_path, monkeypatch, check):
    """The read-only rows of test_bad_input.py cannot run as root (root may write anywhere); the check itself
    can, with os.access saying no."""
    from visualizer import files
    from visualizer.errors import UsageError

    monkeypatch.setattr(files.os, "access", lambda path, mode: False)
    with pytest.raises(UsageError, match=re.escape(f"no permission to write in {tmp_path}")):
        if check == "file":
            files.writable_path(tmp_path / "out.json")
        else:
            files.writable_folder(tmp_path if check == "folder" else tmp_path / "new" / "deeper")
    assert list(tmp_path.iterdir()) == []
