"""Writing a class's worksheets into a folder without damaging what is there.

Everything is made in a staging folder beside the output (a hidden `.NAME.backprop-*` folder in
the nearest folder that exists), and only a run that finished moves it into place: a new output
folder is the staging folder renamed; into an existing one each file is moved by rename, so a
file is replaced whole or not at all (a symlink's target is replaced, the link kept). An error
or Ctrl-C removes the staging folder and leaves the output as it was. An output folder that has
files already is refused unless `force`, and then only the files a worksheet run writes are
replaced; anything else in it stays.

PDFs compile in parallel, a document per core; a student's worksheet waits for the picture it
includes, which is also drawn as a PNG for the worksheet's Markdown.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from visualizer.errors import UsageError
from visualizer.files import output_target, writable_folder
from visualizer.render.worksheet.pdf import can_draw_png, compile_pdf, first_page_png

from .worksheet import PICTURE, StudentFiles


def check_folder(folder: Path, force: bool) -> None:
    """Before any work: the folder can be written, and is new or empty unless `force`."""
    writable_folder(folder)
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UsageError(
            f"{folder} already has files; give a new or empty folder with -o, or --force to replace the "
            "worksheets' own files in it (anything else there is left as it is)"
        )


@contextmanager
def staged(folder: Path) -> Iterator[Path]:
    """A folder to make everything in; moved into `folder` when the block ends without error."""
    existing = folder
    while not existing.is_dir():
        existing = existing.parent
    stage = Path(tempfile.mkdtemp(prefix=f".{folder.name or 'worksheets'}.backprop-", dir=existing))
    try:
        yield stage
        if not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            stage.chmod(0o777 & ~_umask())  # as any new folder (mkdtemp's is the owner's alone)
            stage.rename(folder)
            return
        for path in sorted(p for p in stage.rglob("*") if p.is_file()):
            _move(path, folder / path.relative_to(stage))
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _move(path: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    target = output_target(destination)
    if target.direct:  # a FIFO or device where a worksheet's file goes: not ours to write into
        raise UsageError(f"{destination} is not a regular file; move it away, or give another folder with -o")
    os.replace(path, target.path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_texts(stage: Path, students: list[StudentFiles], class_texts: dict[str, str], *, sources: bool) -> None:
    """Every text file; with `sources` the LaTeX too (the .tex files, for --no-pdf)."""
    for student in students:
        folder = stage / student.folder
        folder.mkdir()
        texts = student.texts | ({f"{stem}.tex": tex for stem, tex in student.latex.items()} if sources else {})
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
    for name, text in class_texts.items():
        if sources or not name.endswith(".tex"):
            (stage / name).write_text(text, encoding="utf-8")


def write_pdfs(
    stage: Path, students: list[StudentFiles], class_tex: str, *, jobs: int, done: Callable[[str], None]
) -> None:
    """Every PDF (and, where `can_draw_png`, each picture's PNG), `jobs` at a time; `done(name)`
    after each document."""
    png = can_draw_png()

    def worksheet(student: StudentFiles) -> None:
        folder = stage / student.folder
        picture = compile_pdf(student.latex[PICTURE], folder / f"{PICTURE}.pdf")
        if png:
            first_page_png(picture, folder / f"{PICTURE}.png")
        compile_pdf(student.latex["worksheet"], folder / "worksheet.pdf", (picture,))
        picture.unlink()  # it is inside the worksheet, and the Markdown shows the PNG
        done(f"{student.folder}/worksheet.pdf")

    def key(student: StudentFiles) -> None:
        compile_pdf(student.latex["key"], stage / student.folder / "key.pdf")
        done(f"{student.folder}/key.pdf")

    def class_sheet() -> None:
        compile_pdf(class_tex, stage / "class.pdf", passes=2)
        done("class.pdf")

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(class_sheet)]
        for student in students:
            futures += [pool.submit(worksheet, student), pool.submit(key, student)]
        try:
            for future in futures:
                future.result()  # the first error, as it happened
        except BaseException:
            for future in futures:
                future.cancel()
            raise
