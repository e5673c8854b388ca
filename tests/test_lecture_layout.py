"""The lecture's frames as a hall sees them, checked on the scenes themselves (manim's dry run:
every animation is played, nothing is drawn): after every animation of every beat, each number
on screen is at least 28 px tall at 1080p and every mobject lies inside the title-safe area; and
a value written on an edge sits above the edge, never on it."""

import os
import re

import pytest

pytest.importorskip("manim")

from manim import MathTex, Text, VMobject, tempconfig  # noqa: E402

from visualizer.render.video.beats import BEATS  # noqa: E402
from visualizer.render.video.formulas import drawn_size  # noqa: E402
from visualizer.render.video.frame import MIN_TEX_SIZE, MIN_TEXT_SIZE, SAFE_X, SAFE_Y  # noqa: E402

DIGIT = re.compile(r"\d")


def text_of(mob) -> str:
    if isinstance(mob, MathTex):
        return "".join(mob.tex_strings)
    return getattr(mob, "original_text", getattr(mob, "text", ""))


def opacity(mob) -> float:
    """How visible a mobject is (images count as fully visible)."""
    if isinstance(mob, VMobject):
        return mob.get_fill_opacity() + mob.get_stroke_opacity()
    return 1.0


def problems(scene) -> list[str]:
    """What is wrong with the scene as it stands now."""
    found = []
    for top in scene.mobjects:
        if max(opacity(m) for m in top.get_family()) < 0.5:
            continue  # on its way out (or in)
        left, right, bottom, up = top.get_left()[0], top.get_right()[0], top.get_bottom()[1], top.get_top()[1]
        if left < -SAFE_X - 1e-3 or right > SAFE_X + 1e-3 or bottom < -SAFE_Y - 1e-3 or up > SAFE_Y + 1e-3:
            found.append(
                f"a {type(top).__name__} outside the title-safe area ({left:.2f}…{right:.2f}, {bottom:.2f}…{up:.2f})"
            )
        for mob in top.get_family():
            if not isinstance(mob, (Text, MathTex)) or not DIGIT.search(text_of(mob)):
                continue
            if mob.get_fill_opacity() < 0.5:  # a number on its way out (or in)
                continue
            least = MIN_TEX_SIZE if isinstance(mob, MathTex) else MIN_TEXT_SIZE
            if drawn_size(mob) < least - 0.5:
                found.append(f"{text_of(mob)!r} at font size {drawn_size(mob):.1f} (< {least})")
            left, right = mob.get_left()[0], mob.get_right()[0]
            bottom, top_ = mob.get_bottom()[1], mob.get_top()[1]
            if left < -SAFE_X - 1e-3 or right > SAFE_X + 1e-3 or bottom < -SAFE_Y - 1e-3 or top_ > SAFE_Y + 1e-3:
                found.append(
                    f"{text_of(mob)!r} outside the title-safe area ({left:.2f}…{right:.2f}, {bottom:.2f}…{top_:.2f})"
                )
    return found


def play_beat(scene_name: str, net: str, tmp_path, trace: str | None = None) -> list[str]:
    """`trace`: a Trace's JSON file to play the beat on instead of `net`."""
    import importlib.util
    from pathlib import Path

    os.environ.update(BACKPROP_NET=net, BACKPROP_STEPS="12")
    os.environ.pop("BACKPROP_TRACE", None)
    if trace:
        os.environ["BACKPROP_TRACE"] = trace
    os.environ.pop("BACKPROP_PRECISION", None)
    path = Path(__file__).resolve().parents[1] / "scenes" / "lecture.py"
    spec = importlib.util.spec_from_file_location("lecture_for_layout", path)
    lecture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lecture)
    found: list[str] = []
    cls = getattr(lecture, scene_name)

    class Checked(cls):
        def play(self, *args, **kwargs):
            super().play(*args, **kwargs)
            found.extend(f"after animation {self.renderer.num_plays}: {p}" for p in problems(self))

        def wait(self, *args, **kwargs):
            super().wait(*args, **kwargs)
            found.extend(f"in a hold: {p}" for p in problems(self))

    # one frame a second: only the state after each animation is checked, not the frames between
    settings = {"dry_run": True, "media_dir": str(tmp_path), "quality": "low_quality", "disable_caching": True}
    settings["frame_rate"] = 1
    try:
        with tempconfig({**settings, "output_file": str(tmp_path / f"{scene_name}-{net}")}):
            Checked().render()
    finally:
        os.environ.pop("BACKPROP_TRACE", None)
    return sorted(set(found))


@pytest.fixture(scope="module")
def tex_cache(tmp_path_factory):
    """One media folder for every beat: its Tex/ cache typesets each formula once."""
    return tmp_path_factory.mktemp("layout")


# every beat of a regression net and of a softmax classifier (the beats whose pictures change with
# the shape, for wider nets: test_lecture_layout_wide.py, a file of its own so that the two halves
# run side by side under pytest-xdist)
CASES = [(b.scene, net) for net in ("2-3-1", "classifier") for b in BEATS if not b.picture]


@pytest.mark.parametrize("beat, net", CASES)
def test_every_number_is_readable_and_inside_the_safe_area(beat, net, tex_cache, monkeypatch):
    monkeypatch.setenv("BACKPROP_NET", net)
    found = play_beat(beat, net, tex_cache)
    assert not found, "\n".join(found[:12])
