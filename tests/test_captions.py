"""Captions beside every video: each step's narration as .srt and .vtt, in step with the video."""

import html
from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("manim")

import srt  # noqa: E402  (manim's dependency)

from visualizer.render.video import captions  # noqa: E402
from visualizer.render.video.beats import BEATS, BY_SCENE  # noqa: E402


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def cue(start: float, end: float, text: str, index: int = 0) -> srt.Subtitle:
    return srt.Subtitle(index, seconds(start), seconds(end), text)


def parse_vtt(path: Path) -> list[tuple[timedelta, timedelta, str]]:
    """The cues as a WebVTT reader sees them (webvtt-py), their text unescaped."""
    import webvtt

    def time(stamp) -> timedelta:
        h, m, s = str(stamp).split(":")
        return timedelta(hours=int(h), minutes=int(m), seconds=float(s))

    return [(time(c.start_time), time(c.end_time), html.unescape(c.text)) for c in webvtt.read(str(path)).captions]


# --- no rendering ---------------------------------------------------------------------------------------------------


def test_parts_cues_are_shifted_by_the_parts_before_them_and_numbered_anew(tmp_path):
    first, second, third = tmp_path / "a.srt", tmp_path / "b.srt", tmp_path / "c.srt"
    first.write_text(srt.compose([cue(0, 1.5, "one"), cue(1.5, 3.2, "two")]), encoding="utf-8")
    second.write_text(srt.compose([cue(0, 2, "three")]), encoding="utf-8")
    third.write_text(srt.compose([cue(0.5, 9, "four")]), encoding="utf-8")  # runs past its part: cut
    parts = [
        (captions.read_srt(first), seconds(3.2)),
        (captions.read_srt(tmp_path / "missing.srt"), seconds(4)),  # a part without steps
        (captions.read_srt(second), seconds(2.5)),
        (captions.read_srt(third), seconds(1)),
    ]
    joined = captions.join(parts)
    assert [(c.index, c.start, c.end, c.content) for c in joined] == [
        (1, seconds(0), seconds(1.5), "one"),
        (2, seconds(1.5), seconds(3.2), "two"),
        (3, seconds(7.2), seconds(9.2), "three"),
        (4, seconds(10.2), seconds(10.7), "four"),
    ]


def test_the_join_offsets_are_where_the_joined_video_plays_each_part(tmp_path):
    """Three small videos of different lengths joined as the lecture's parts are: each part's
    duration (its packets) is where the next part's first frame is in the joined video."""
    import av
    import numpy as np

    from visualizer.render.video.render import join_videos

    videos = []
    for n, frames in enumerate((7, 12, 5)):
        path = tmp_path / f"part{n}.mp4"
        with av.open(str(path), mode="w") as out:
            stream = out.add_stream("libx264", rate=15)
            stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
            for i in range(frames):
                image = np.full((48, 64, 3), (n * 100 + i * 5) % 256, dtype=np.uint8)
                for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        videos.append(path)
    joined = tmp_path / "joined.mp4"
    join_videos(videos, joined, tmp_path)
    durations = [captions.video_duration(video) for video in videos]
    assert durations == [seconds(7 / 15), seconds(12 / 15), seconds(5 / 15)]
    with av.open(str(joined)) as container:
        stream = container.streams.video[0]
        starts = sorted(float(frame.pts * stream.time_base) for frame in container.decode(stream))
    assert len(starts) == 24 and captions.video_duration(joined) == sum(durations, timedelta(0))
    cues = captions.join([([cue(0, 0.1, f"part {n}")], d) for n, d in enumerate(durations)])
    for c, frame in zip(cues, (0, 7, 19)):  # each part's cue starts on its part's first frame
        assert c.start.total_seconds() == pytest.approx(starts[frame], abs=1e-3)


def test_cues_are_cut_to_the_video_and_split_at_slide_boundaries():
    cues = [cue(0, 2, "a"), cue(2, 5.04, "b"), cue(5.04, 7, "c"), cue(7, 12, "d")]
    assert [(c.start, c.end, c.content) for c in captions.clip(cues, seconds(8))] == [
        (seconds(0), seconds(2), "a"),
        (seconds(2), seconds(5.04), "b"),
        (seconds(5.04), seconds(7), "c"),
        (seconds(7), seconds(8), "d"),
    ]
    # slides of 2, 3 and 4 s: "b" ends 0.04 s into the third (a sliver: dropped), "c" crosses into the fourth
    pieces = captions.split(captions.clip(cues, seconds(9)), [seconds(2), seconds(3), seconds(3), seconds(1)])
    assert [[(c.index, c.start, c.end, c.content) for c in piece] for piece in pieces] == [
        [(1, seconds(0), seconds(2), "a")],
        [(1, seconds(0), seconds(3), "b")],
        [(1, seconds(0.04), seconds(2), "c"), (2, seconds(2), seconds(3), "d")],
        [(1, seconds(0), seconds(1), "d")],
    ]


def test_vtt_is_read_back_as_written(tmp_path):
    cues = captions.clip([cue(0, 1.25, "x < 2 & y > 1"), cue(61.5, 3725.004, "two\nlines")], seconds(4000))
    video = tmp_path / "v.mp4"
    written = captions.write_beside(video, cues)
    assert written == [tmp_path / "v.srt", tmp_path / "v.vtt"]
    assert [(c.start, c.end, c.content) for c in srt.parse(written[0].read_text(encoding="utf-8"))] == [
        (c.start, c.end, c.content) for c in cues
    ]
    assert parse_vtt(written[1]) == [(c.start, c.end, c.content) for c in cues]
    assert "00:00:00.000 --> 00:00:01.250\n" in written[1].read_text(encoding="utf-8")
    assert captions.write_beside(video, []) and parse_vtt(tmp_path / "v.vtt") == []  # no steps: empty, valid files


# --- a real render --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(lecture_render):
    """`backprop render` of the 2-3-1 lecture and of the loss beat alone, at low quality (conftest's
    shared render, which also made the slide deck)."""
    return lecture_render


ALONE = BY_SCENE["Loss"]  # the beat the shared render also made on its own


def video_length(path: Path) -> timedelta:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return seconds(float(stream.duration * stream.time_base))


def test_every_video_has_its_captions_beside_it(rendered):
    out, printed = rendered
    videos = [out / "2-3-1-Lecture.mp4", out / f"2-3-1-{ALONE.scene}.mp4"]
    assert sorted(p for p in printed if p.endswith(".mp4")) == sorted(map(str, videos))  # captions go beside, unlisted
    media = sorted(p for p in out.iterdir() if p.suffix != ".html")  # (and the deck, test_slides.py)
    assert media == sorted(v.with_suffix(s) for v in videos for s in (".mp4", ".srt", ".vtt"))
    for video in videos:
        cues = list(srt.parse(video.with_suffix(".srt").read_text(encoding="utf-8")))
        assert cues, f"{video.name} has no captions"
        assert [c.index for c in cues] == list(range(1, len(cues) + 1))
        assert all(c.content.strip() for c in cues)
        assert all(c.start < c.end for c in cues) and all(a.end <= b.start for a, b in zip(cues, cues[1:]))
        assert cues[0].start >= timedelta(0) and cues[-1].end <= video_length(video)
        # the WebVTT holds the same cues (to the millisecond, as both formats write them)
        assert parse_vtt(video.with_suffix(".vtt")) == [(c.start, c.end, c.content) for c in cues]


def test_the_lecture_tells_every_beat_with_captions(rendered):
    """A beat alone has the captions it has in the lecture, in order and together: each part's
    cues were shifted onto the joined video. (The slide deck's test checks a caption per step.)"""
    out, _ = rendered
    lecture = [c.content for c in srt.parse((out / "2-3-1-Lecture.srt").read_text(encoding="utf-8"))]
    alone = [c.content for c in srt.parse((out / f"2-3-1-{ALONE.scene}.srt").read_text(encoding="utf-8"))]
    starts = [i for i in range(len(lecture)) if lecture[i : i + len(alone)] == alone]
    assert alone and len(starts) == 1 and starts[0] > 0, (alone, lecture)  # after the beats before it
    assert len(lecture) > len(BEATS)


def test_the_lecture_holds_each_finished_step_and_never_shows_an_empty_page(rendered):
    """Decoded frame by frame: at least 8 still pictures of 3 s or more (a finished step stays
    up to be read), and no blank white page longer than 0.6 s (beats cross-fade)."""
    from video_frames import still_and_blank_runs

    out, _ = rendered
    stills, blanks = still_and_blank_runs(out / "2-3-1-Lecture.mp4")
    assert sum(1 for s in stills if s >= 3.0) >= 8, sorted(stills)[-10:]
    assert max(blanks, default=0.0) <= 0.6, blanks
