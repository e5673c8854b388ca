"""Captions: each step's narration, from manim's subcaptions, beside every video and in the deck.

manim writes `<Scene>.srt` beside a scene's video when the scene has subcaptions (each `step` of
scenes/lecture.py adds one, ended by the next step). Here they become `NAME-Scene.srt` and
`NAME-Scene.vtt` beside `NAME-Scene.mp4`: for the Lecture rendered as parts, each part's cues
are shifted by the length of the parts before it, and for the slide deck the lecture's cues are
cut at the slide boundaries, one WebVTT per slide.

SubRip is read and written with `srt` (manim's own dependency, so nothing more to install);
WebVTT is the same cues with a header, a dot before the milliseconds and the cue text escaped,
a few lines here rather than a second library for the same cues.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import srt

from visualizer.files import atomic_target

Cues = list[srt.Subtitle]
# A cue cut at a slide boundary that keeps less than this on one side is the rounding of manim's
# clock against the frames (a step starts a slide and a caption at the same moment), not a caption.
SLIVER = timedelta(seconds=0.1)


def read_srt(path: Path) -> Cues:
    """The cues of manim's .srt (none when it wrote none: a scene without steps)."""
    if not path.is_file():
        return []
    return list(srt.parse(path.read_text(encoding="utf-8")))


def video_duration(video: Path) -> timedelta:
    """How long `video` plays: its packets' durations added up, as `join_videos` lays them end to end."""
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        ticks = sum(packet.duration or 0 for packet in container.demux(stream) if packet.dts is not None)
        seconds = Fraction(ticks) * stream.time_base
    return timedelta(seconds=float(seconds))


def join(parts: list[tuple[Cues, timedelta]]) -> Cues:
    """The cues of videos played one after another (each part's cues and its duration), numbered anew."""
    joined, offset = [], timedelta(0)
    for cues, duration in parts:
        joined += [srt.Subtitle(0, cue.start + offset, cue.end + offset, cue.content) for cue in clip(cues, duration)]
        offset += duration
    return _numbered(joined)


def clip(cues: Cues, duration: timedelta) -> Cues:
    """The cues inside a video of `duration`: cut at its end, dropped when nothing is left."""
    kept = []
    for cue in sorted(cues, key=lambda cue: (cue.start, cue.end)):
        start, end = max(cue.start, timedelta(0)), min(cue.end, duration)
        if end > start:
            kept.append(srt.Subtitle(0, start, end, cue.content))
    return _numbered(kept)


def split(cues: Cues, durations: list[timedelta]) -> list[Cues]:
    """The cues of each of the videos (of `durations`) that the captioned video was cut into, each
    starting at 0; a cue crossing a boundary goes on both sides, except a sliver (SLIVER)."""
    pieces, start = [], timedelta(0)
    for duration in durations:
        end = start + duration
        piece = []
        for cue in cues:
            inside = min(cue.end, end) - max(cue.start, start)
            if inside > timedelta(0) and inside >= min(SLIVER, cue.end - cue.start):
                piece.append(srt.Subtitle(0, max(cue.start, start) - start, min(cue.end, end) - start, cue.content))
        pieces.append(_numbered(piece))
        start = end
    return pieces


def _numbered(cues: Cues) -> Cues:
    return [srt.Subtitle(i, cue.start, cue.end, cue.content) for i, cue in enumerate(cues, 1)]


def to_vtt(cues: Cues) -> str:
    """The cues as WebVTT."""
    blocks = ["WEBVTT\n"]
    for cue in cues:
        # cue text is HTML-like in WebVTT: & and < escaped; a blank line would end the cue
        text = "\n".join(line for line in cue.content.splitlines() if line.strip())
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{cue.index}\n{_vtt_time(cue.start)} --> {_vtt_time(cue.end)}\n{text}\n")
    return "\n".join(blocks)


def _vtt_time(t: timedelta) -> str:
    ms = round(t.total_seconds() * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _whole_ms(t: timedelta) -> timedelta:
    return timedelta(milliseconds=round(t.total_seconds() * 1000))


def vtt_data_uri(cues: Cues) -> str:
    """The cues as a data: URI, for a <track> in a file that must stand alone."""
    return "data:text/vtt;base64," + base64.b64encode(to_vtt(cues).encode("utf-8")).decode("ascii")


def write_beside(video: Path, cues: Cues) -> list[Path]:
    """`video`'s captions as .srt and .vtt beside it, each written atomically; returns both paths."""
    # whole milliseconds first: SubRip truncates the microseconds and WebVTT would round them, so
    # the two files could disagree by a millisecond
    cues = [srt.Subtitle(c.index, _whole_ms(c.start), _whole_ms(c.end), c.content) for c in cues]
    written = []
    for suffix, text in ((".srt", srt.compose(cues, reindex=False)), (".vtt", to_vtt(cues))):
        target = video.with_suffix(suffix)
        with atomic_target(target) as tmp:
            tmp.write_text(text, encoding="utf-8")
        written.append(target)
    return written
