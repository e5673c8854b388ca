"""The check every bad-input table makes: the command refuses in one line on stderr (what is
wrong, how to fix it), exit status 2, no traceback."""

import subprocess
from pathlib import Path


def assert_refused(argv: list[str], cwd, phrase: str, *, most_lines: int = 1, stdin=None) -> None:
    """Run `argv` in `cwd`: exit 2, no traceback, at most `most_lines` lines on stderr (a note may
    come before the error), the last `<command>: error: …`, and `phrase` in what was said."""
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=cwd, stdin=stdin)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    shown = f"\nargv: {argv[1:]}\nexit {result.returncode}\nstderr:\n{result.stderr[-3000:]}"
    assert result.returncode == 2, shown
    assert "Traceback" not in result.stderr, shown
    assert 1 <= len(lines) <= most_lines, shown
    assert lines[-1].startswith(f"{Path(argv[0]).name}: error: "), shown
    assert phrase in result.stderr.replace("\n", " "), shown
