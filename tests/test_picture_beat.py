"""The picture beat (`backprop render --data NAME --sample N --scene image`): a data set's image
through the network. Its mobjects are checked as built (no rendering), on digits (8×8 images,
64-16-10, in the package: fast); one low-quality render of the beat alone is decoded frame by
frame. The same checks as every beat's, after every animation, are in test_lecture_layout.py."""

import subprocess
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import MathTex, Text  # noqa: E402

from visualizer.cli.data_sample import sample_spec  # noqa: E402
from visualizer.network.mlp import run  # noqa: E402
from visualizer.network.sources import load_spec  # noqa: E402
from visualizer.render.video.beats import PICTURE_SCENES, lecture_parts, slowest_first  # noqa: E402
from visualizer.render.video.formulas import readable  # noqa: E402
from visualizer.render.video.frame import inside_safe_area  # noqa: E402
from visualizer.render.video.network_mobject import NetworkMobject  # noqa: E402
from visualizer.render.video.picture_beat import build  # noqa: E402
from visualizer.style import format_display, signed_color  # noqa: E402

BIN = Path(sys.executable).parent
DIGITS = ["--net", "64-16-10", "--output-activation", "softmax", "--loss", "cross_entropy", "--data", "digits"]


def digits_trace(sample: int = 3):
    spec = load_spec("64-16-10").with_overrides(output_activation="softmax", loss="cross_entropy")
    spec, info = sample_spec(spec, "digits", sample)
    return run(spec).with_sample(info)


@pytest.fixture(scope="module")
def trace():
    return digits_trace()


@pytest.fixture(scope="module")
def parts(trace):
    return build(trace, 4)


def test_the_picture_becomes_the_input_column_row_by_row(trace, parts):
    h, w = trace.sample.image_shape
    assert (len(parts.grid), len(parts.grid[0])) == (h, w)  # a square per pixel, rows first
    assert (len(parts.column), len(parts.column[0])) == (h, w)  # the column: the same cells, rows end to end
    cells = [cell for row in parts.column for cell in row]
    ys = [cell.get_y() for cell in cells]
    assert ys == sorted(ys, reverse=True)  # x₁ at the top, then row by row
    raw = np.asarray(trace.sample.raw)
    for (i, k), cell in zip(np.ndindex(h, w), cells):  # each cell the grey of its pixel, as the grid's
        assert cell.get_fill_color().to_hex() == parts.grid[i][k].get_fill_color().to_hex()
        grey = round(255 * raw[i, k] / raw.max())
        assert abs(int(cell.get_fill_color().to_hex()[1:3], 16) - grey) <= 1
    assert parts.labels[0].original_text == f"{h * w} inputs"
    # the followed pixel: its value as stored, and its x from the Trace, at the right index
    i, k = parts.pixel
    x = trace.input[0, i * w + k]
    assert parts.follow[2][0].tex_string == f"x_{{{i * w + k + 1}}} = {format_display(x, 4)}"
    assert f"pixel {format_display(raw[i, k])}" in parts.follow[2][1].original_text


def test_the_hidden_neurons_show_their_activations_from_the_trace(trace, parts):
    hidden, outputs = parts.layers
    a = trace.steps[0].layers[0].a[0]
    assert sorted(hidden["circles"]) == list(range(16)) and sorted(outputs["circles"]) == list(range(10))
    for j, card in hidden["numbers"].items():
        assert card[1].original_text == format_display(a[j], 4, zeros=True)
        assert card.get_right()[0] <= hidden["circles"][j].get_left()[0]  # beside its neuron, not on it
        assert hidden["circles"][j].get_fill_color().to_hex().lower() == signed_color(a[j], 1.0).lower()
    ys = [c.get_y() for c in hidden["circles"].values()]
    assert min(np.diff(sorted(ys))) > 2 * hidden["circles"][0].width / 2  # the circles do not touch


def test_the_outputs_are_bars_named_after_their_classes_and_the_answer_is_the_largest(trace, parts):
    a = trace.steps[0].layers[-1].a[0]
    assert [n.original_text for n in parts.names] == list(trace.class_names)
    widths = np.array([bar[0].width for bar in parts.bars])
    big = a > 0.05  # the tiny ones are a sliver, so they can be seen at all
    np.testing.assert_allclose(widths[big] / widths[big].max(), a[big] / a[big].max(), rtol=1e-6)
    assert [bar[1].original_text for bar in parts.bars] == [format_display(v, 4, zeros=True) for v in a]
    predicted, actual = int(np.argmax(a)), trace.sample.label
    name = trace.class_names
    assert (
        parts.verdict[0].original_text
        == f"predicted: {name[predicted]} ({format_display(100 * a[predicted], 3, zeros=True)} %)"
    )
    mark = "✓" if predicted == actual else "✗"
    assert parts.verdict[1].original_text == f"actual: {name[actual]} {mark}"
    assert len(parts.box) == (1 if predicted == actual else 2)
    row = parts.bars[predicted]
    box = parts.box[0]
    assert box.get_left()[0] < parts.names[predicted].get_left()[0] and box.get_right()[0] > row.get_right()[0]


def test_everything_is_inside_the_frame_readable_and_apart(parts):
    shown = [parts.labels, parts.names, parts.bars, parts.verdict, parts.box, parts.small, parts.column, parts.follow]
    shown += [info["circles"][j] for info in parts.layers for j in info["circles"]]
    shown += [card for info in parts.layers for card in info["numbers"].values()]
    for mob in shown + [parts.grid, parts.facts]:
        assert inside_safe_area(mob), mob
        assert readable(mob)
    words = [m for m in (*parts.labels, *parts.names, *parts.verdict) if isinstance(m, Text)]
    words += [bar[1] for bar in parts.bars] + [card for info in parts.layers for card in info["numbers"].values()]
    for first, second in combinations(words, 2):  # no text on another
        apart = (
            first.get_right()[0] <= second.get_left()[0]
            or second.get_right()[0] <= first.get_left()[0]
            or first.get_top()[1] <= second.get_bottom()[1]
            or second.get_top()[1] <= first.get_bottom()[1]
        )
        assert apart, (getattr(first, "original_text", first), getattr(second, "original_text", second))
    # the facts beside the big picture, not on it
    assert parts.facts[0].get_left()[0] > parts.grid.get_right()[0]
    assert isinstance(parts.follow[2][0], MathTex) and parts.follow[2][0].font_size >= 45  # its subscript too


def test_the_other_beats_show_the_picture_beside_the_input_column(trace):
    import dataclasses

    net = NetworkMobject(trace, values="inputs")
    assert len(net.thumbnail) == 2  # the picture and its frame
    column = [c for key, c in net.neurons.items() if key[0] == 0]
    assert net.thumbnail.get_right()[0] < min(c.get_left()[0] for c in column)
    assert net.thumbnail.get_top()[1] < max(c.get_top()[1] for c in column)
    plain = NetworkMobject(dataclasses.replace(trace, sample=None), values="inputs")
    assert len(plain.thumbnail) == 0 and plain.width < net.width


def test_the_lecture_has_the_picture_beat_only_for_a_picture():
    assert "ImageToPrediction" not in lecture_parts(False)
    with_picture = lecture_parts(True)
    assert with_picture[:2] == ("TitleCard", "ImageToPrediction") and len(with_picture) == len(lecture_parts()) + 1
    assert set(slowest_first(True)) == set(with_picture) and set(slowest_first(False)) == set(lecture_parts())
    assert PICTURE_SCENES == {"image"}


@pytest.mark.parametrize(
    "args, says",
    [
        (["--net", "784-16-10"], "add --data fashion-mnist --sample N"),
        (["--net", "2-16-1", "--data", "moons", "--sample", "0"], "moons's samples are rows of numbers"),
    ],
)
def test_the_picture_beat_without_a_picture_says_how_to_fix_it(tmp_path, args, says):
    result = subprocess.run(
        [str(BIN / "backprop"), "render", *args, "--scene", "image", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_the_picture_beat_renders_the_picture_and_holds_each_step(tmp_path):
    """One low-quality render of the beat alone, decoded: the first still shows the picture, pixel
    for pixel; each of the five steps has its caption and ends on a still of 3 s or more."""
    import av
    import srt
    from video_frames import still_and_blank_runs

    command = [str(BIN / "backprop"), "render", *DIGITS, "--sample", "3", "--scene", "image", "--quality", "low"]
    result = subprocess.run([*command, "-o", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    video = tmp_path / "64-16-10-ImageToPrediction.mp4"
    cues = list(srt.parse(video.with_suffix(".srt").read_text(encoding="utf-8")))
    assert len(cues) == 5 and "predicted" in cues[-1].content
    stills, blanks = still_and_blank_runs(video)
    assert sum(1 for s in stills if s >= 3.0) >= 5, stills
    trace, parts = digits_trace(), build(digits_trace(), 4)
    with av.open(str(video)) as container:  # the frame at the end of the first step's hold
        stream = container.streams.video[0]
        end = cues[0].end.total_seconds() - 0.2
        frame = next(f for f in container.decode(stream) if f.pts * stream.time_base >= end)
        grey, scale = frame.to_ndarray(format="gray").astype(float), frame.height / 8.0
    seen = []
    for row in parts.grid:
        for cell in row:  # the middle of each pixel's square, in the frame's pixels
            x, y = cell.get_center()[:2]
            seen.append(grey[int(frame.height / 2 - y * scale), int(frame.width / 2 + x * scale)])
    raw = np.asarray(trace.sample.raw, dtype=float).ravel()
    assert np.corrcoef(seen, raw)[0, 1] > 0.98
