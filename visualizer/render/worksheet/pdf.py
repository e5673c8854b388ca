"""LaTeX to PDF with the pdflatex `make setup` installs, and a PDF's first page to PNG (pdftoppm).

Each document is compiled in a folder of its own that is deleted afterwards, so nothing of a run
(.aux, .log) is left beside the PDF and nothing of one run is reused by the next; documents are
independent, so several compile at once (one per core). A PDF carries no date and no random ID:
the same document compiles to the same bytes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from visualizer.errors import UsageError

TIMEOUT = 120  # seconds for one document: a loop in LaTeX would otherwise hang the command


def check_latex() -> None:
    """A one-line error, before any work, when pdflatex is not installed."""
    if shutil.which("pdflatex") is None:
        raise UsageError(
            "pdflatex is not installed, and the PDFs need it: run make setup (Debian's texlive-latex-extra), "
            "or give --no-pdf for the Markdown and the LaTeX sources"
        )


def can_draw_png() -> bool:
    return shutil.which("pdftoppm") is not None


def compile_pdf(tex: str, pdf: Path, inputs: tuple[Path, ...] = (), *, passes: int = 1) -> Path:
    """Compile the LaTeX `tex` into the file `pdf`; `inputs` are files it includes (by their names)."""
    with tempfile.TemporaryDirectory(prefix="backprop-latex-") as work:
        folder = Path(work)
        for path in inputs:
            shutil.copyfile(path, folder / path.name)
        (folder / "document.tex").write_text(tex, encoding="utf-8")
        # no date and no random file ID: the same document gives the same bytes
        same = r"\pdfinfoomitdate=1 \pdftrailerid{} \input{document.tex}"
        command = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", same]
        for _ in range(passes):  # a long table sets its column widths on a second pass
            try:
                done = subprocess.run(command, cwd=folder, capture_output=True, timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                raise UsageError(
                    f"pdflatex took over {TIMEOUT} s on {pdf.name}; give --no-pdf for the sources"
                ) from None
            if done.returncode != 0 or not (folder / "document.pdf").exists():
                raise UsageError(f"pdflatex could not compile {pdf.name}: {_first_error(folder / 'document.log')}")
        shutil.move(folder / "document.pdf", pdf)
    return pdf


def first_page_png(pdf: Path, png: Path, dpi: int = 150) -> Path:
    """The first page of `pdf` as the PNG `png`."""
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-singlefile", "-r", str(dpi), "-png", str(pdf), str(png.with_suffix(""))],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    return png


def _first_error(log: Path) -> str:
    """LaTeX's first error line (`! Undefined control sequence.`), or what is known."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "no log written"
    found = re.search(r"^! (.*)$", text, re.M)
    return found.group(1) if found else "see its log"
