"""Rendering scenes with manim in separate processes, one per core, with a progress display.

Each scene is a `manim` run on scenes/lecture.py with the Trace passed as a JSON file
(BACKPROP_TRACE); the finished video is moved into the output folder under a name that says
which network and which beat it shows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import UsageError
from ..files import atomic_target

SCENES = {  # the --scene names, in video order
    "lecture": "Lecture", "dot-product": "NeuronDotProduct", "forward": "ForwardPass", "loss": "Loss", "backward": "BackwardPass",
    "update": "WeightUpdate", "training": "Training",
}
TRAINING_STEPS = 100  # the training beat needs a run to show; the other beats show its first step
QUALITY = {"low": "-ql", "medium": "-qm", "high": "-qh", "4k": "-qk"}
LATEX_PACKAGES = "texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended dvisvgm"


def scene_file() -> Path:
    return Path(__file__).resolve().parent.parent.parent / "scenes" / "lecture.py"


def check_tools() -> None:
    """Refuse early, with the fix, when what manim needs is missing."""
    if not scene_file().is_file():
        raise UsageError(f"the scenes are missing ({scene_file()}); run from a checkout of backprop")
    for tool in ("latex", "dvisvgm"):
        if shutil.which(tool) is None:
            raise UsageError(f"{tool} is not installed, and the videos' formulas need LaTeX; "
                             f"install it with: apt-get install {LATEX_PACKAGES} (or run `make setup`)")


def render_scenes(trace_json: str, scenes: list[str], quality: str, out_dir: Path, name: str, progress,
                  slides: bool = False) -> list[Path]:
    """Render `scenes` (class names) in parallel; returns the videos written into `out_dir`.
    With `slides`, the lecture is rendered as slides and converted to HTML as well."""
    check_tools()
    if slides:
        from .slides import check_slides_tools

        check_slides_tools()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="backprop-render-") as work:
        trace_path = Path(work) / "trace.json"
        trace_path.write_text(trace_json, encoding="utf-8")
        tasks = {scene: progress.add_task(scene, total=None) for scene in scenes}

        def one(scene: str) -> list[Path]:
            media = Path(work) / scene
            media.mkdir()
            start = time.perf_counter()
            # LectureSlides is the Lecture with a slide per beat: one render gives the video and the slides
            as_slides = slides and scene == "Lecture"
            rendered = "LectureSlides" if as_slides else scene
            result = subprocess.run(
                [str(Path(sys.executable).parent / "manim"), QUALITY[quality], "--disable_caching",
                 "--progress_bar", "none", "--media_dir", str(media), str(scene_file()), rendered],
                capture_output=True, text=True, cwd=media, env={**os.environ, "BACKPROP_TRACE": str(trace_path)},
            )
            if result.returncode != 0:
                last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
                raise RuntimeError(f"manim failed on {scene}: {last}")
            video = next(media.rglob(f"{rendered}.mp4"))
            written = [out_dir / f"{name}-{scene}.mp4"]
            with atomic_target(written[0]) as tmp:
                shutil.copyfile(video, tmp)
            if as_slides:
                from .slides import convert_to_html

                progress.update(tasks[scene], description=f"{scene} (slides to HTML)")
                written.append(out_dir / f"{name}-{scene}.html")
                convert_to_html(media, rendered, written[1], f"Backpropagation · {name}")
            progress.update(tasks[scene], total=1, completed=1,
                            description=f"{scene} ({time.perf_counter() - start:.0f} s)")
            return written

        with ThreadPoolExecutor(max_workers=max(1, min(len(scenes), os.cpu_count() or 1))) as pool:
            return [path for paths in pool.map(one, scenes) for path in paths]
