"""Rendering scenes with manim in separate processes, one per core, with a progress display.

Each scene is a `manim` run on scenes/lecture.py with the Trace passed as a JSON file
(BACKPROP_TRACE); the finished video is moved into the output folder under a name that says
which network and which beat it shows, with its captions beside it (captions.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from visualizer.errors import UsageError
from visualizer.files import atomic_target

from . import captions
from .beats import lecture_parts, slowest_first
from .captions import video_duration

TRAINING_STEPS = 100  # the training beat needs a run to show; the other beats show its first step
QUALITY = {"low": "-ql", "medium": "-qm", "high": "-qh", "4k": "-qk"}
# Encode an animation's frames while the next is drawn (manim's default waits for each).
INFLIGHT_ENCODERS = 4
LATEX_PACKAGES = "texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended dvisvgm"


def scene_file() -> Path:
    return Path(__file__).resolve().parents[3] / "scenes" / "lecture.py"


def check_tools() -> None:
    """Refuse early, with the fix, when what manim needs is missing."""
    if not scene_file().is_file():
        raise UsageError(f"the scenes are missing ({scene_file()}); run from a checkout of backprop")
    for tool in ("latex", "dvisvgm"):
        if shutil.which(tool) is None:
            raise UsageError(
                f"{tool} is not installed, and the videos' formulas need LaTeX; "
                f"install it with: apt-get install {LATEX_PACKAGES} (or run `make setup`)"
            )


def render_scenes(
    trace_json: str,
    scenes: list[str],
    quality: str,
    out_dir: Path,
    name: str,
    progress,
    slides: bool = False,
    precision: int | None = None,
    picture: bool = False,
) -> list[Path]:
    """Render `scenes` (class names) in parallel; returns the files written into `out_dir`.

    The Lecture is rendered as its beats (LecturePart) side by side, then joined without
    re-encoding; with `slides`, it is rendered whole as LectureSlides instead (manim-slides needs
    one scene) and converted to HTML as well. `picture`: the Trace's input is a data set's picture,
    and the lecture shows it (the beats that need one)."""
    check_tools()
    if slides:
        from .slides import check_slides_tools

        check_slides_tools()
    out_dir.mkdir(parents=True, exist_ok=True)
    parts_in_order = lecture_parts(picture)
    with tempfile.TemporaryDirectory(prefix="backprop-render-") as work:
        trace_path = Path(work) / "trace.json"
        trace_path.write_text(trace_json, encoding="utf-8")
        jobs = []  # (scene class, BACKPROP_BEAT or None, the task it counts towards)
        tasks = {}
        for scene in scenes:
            if scene == "Lecture" and not slides:
                tasks[scene] = progress.add_task(
                    f"{scene} (0 of {len(parts_in_order)} beats)", total=len(parts_in_order)
                )
                jobs += [("LecturePart", beat, scene) for beat in slowest_first(picture)]
            else:
                tasks[scene] = progress.add_task(scene, total=1)
                jobs.append(("LectureSlides" if scene == "Lecture" else scene, None, scene))
        started = time.perf_counter()
        beats_done, counting = dict.fromkeys(tasks, 0), threading.Lock()
        running, stopping = [], threading.Event()  # the manim processes, to stop them on Ctrl-C

        def one(job) -> Path:
            scene, beat, task = job
            media = Path(work) / (f"{scene}.{beat}" if beat else scene)  # a beat may also be asked for alone
            media.mkdir()
            env = {**os.environ, "BACKPROP_TRACE": str(trace_path), "BACKPROP_BEAT": beat or ""}
            if precision is not None:  # the equations' digits: the spec's, as explain prints them
                env["BACKPROP_PRECISION"] = str(precision)
            process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "manim"),
                    QUALITY[quality],
                    "--disable_caching",
                    "--max-inflight-encoders",
                    str(INFLIGHT_ENCODERS),
                    "--progress_bar",
                    "none",
                    "--media_dir",
                    str(media),
                    str(scene_file()),
                    scene,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=media,
                env=env,
            )
            with counting:
                running.append(process)
            _, stderr = process.communicate()
            if process.returncode != 0:
                if stopping.is_set():
                    raise KeyboardInterrupt
                last = (stderr.strip().splitlines() or ["(no output)"])[-1]
                raise RuntimeError(f"manim failed on {beat or scene}: {last}")
            video = next(media.rglob(f"{scene}.mp4"))
            if beat is None:
                progress.update(tasks[task], completed=1, description=f"{task} ({time.perf_counter() - started:.0f} s)")
            else:
                with counting:
                    beats_done[task] += 1
                    progress.update(
                        tasks[task],
                        completed=beats_done[task],
                        description=f"{task} ({beats_done[task]} of {len(parts_in_order)} beats)",
                    )
            return video

        with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), os.cpu_count() or 1))) as pool:
            try:
                videos = dict(zip([(job[0], job[1]) for job in jobs], pool.map(one, jobs)))
            except KeyboardInterrupt:
                # Ctrl-C: stop every manim now (not after its scene), so the work folder can go;
                # nothing was moved into the output folder yet, and no job starts after this
                stopping.set()
                pool.shutdown(wait=False, cancel_futures=True)
                with counting:
                    for process in running:
                        process.kill()
                raise

        written = []
        for scene in scenes:
            target = out_dir / f"{name}-{scene}.mp4"
            with atomic_target(target) as tmp:
                if scene == "Lecture" and not slides:
                    parts = [videos["LecturePart", beat] for beat in parts_in_order]
                    join_videos(parts, tmp, Path(work))
                    # each part's captions start at 0: shifted by the parts before it, as the join lays them
                    cues = captions.join(
                        [(captions.read_srt(part.with_suffix(".srt")), video_duration(part)) for part in parts]
                    )
                    progress.update(tasks[scene], description=f"{scene} ({time.perf_counter() - started:.0f} s)")
                else:
                    video = videos["LectureSlides" if scene == "Lecture" else scene, None]
                    shutil.copyfile(video, tmp)
                    cues = captions.read_srt(video.with_suffix(".srt"))
                cues = captions.clip(cues, video_duration(tmp))
            written.append(target)
            captions.write_beside(target, cues)  # .srt and .vtt: not printed, the video is the product
            if scene == "Lecture" and slides:
                from .slides import convert_to_html

                written.append(out_dir / f"{name}-{scene}.html")
                convert_to_html(
                    Path(work) / "LectureSlides", "LectureSlides", written[-1], f"Backpropagation · {name}", cues
                )
        return written


def join_videos(videos: list[Path], target: Path, work: Path) -> None:
    """One video of `videos` in turn, their packets copied as they are (same encoder settings,
    so no re-encoding), as manim joins the pieces of one scene."""
    import av

    listing = work / "parts.txt"
    listing.write_text("".join(f"file 'file:{video.as_posix()}'\n" for video in videos), encoding="utf-8")
    with (
        av.open(str(listing), format="concat", options={"safe": "0"}) as source,
        av.open(str(target), mode="w", format="mp4") as joined,
    ):
        stream = joined.add_stream_from_template(template=source.streams.video[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is None:  # the demuxer's flushing packets
                continue
            packet.dts = None  # each part starts its own clock; libav makes them follow on
            packet.stream = stream
            joined.mux(packet)
