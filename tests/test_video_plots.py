"""The small plots, colour scales and keys the video scenes draw: which numbers they write, where,
and how tall (no rendering)."""

import dataclasses

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import BackgroundRectangle  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from visualizer.functions.activations import get_activation  # noqa: E402
from visualizer.network.mlp import predict, run  # noqa: E402
from visualizer.network.sources import load_spec  # noqa: E402
from visualizer.render.video.legend import (  # noqa: E402
    LEGIBLE_DIGIT,
    MATH_SIZE,
    class_color,
    min_scale,
    signed_legend,
)
from visualizer.render.video.plots import (  # noqa: E402
    FIELD_PIXELS,
    activation_plot,
    has_output_field,
    loss_axes,
    output_fields,
    prediction_vs_target,
)
from visualizer.render.video.scales import (  # noqa: E402
    activation_limit,
    activation_range,
    delta_limit,
    weight_limit,
)
from visualizer.style import format_display, signed_color  # noqa: E402

SCENE_SCALE = 0.8  # how far a scene may scale a plot down: its numbers must still be legible there


def digit_height(text) -> float:
    """How tall the tallest glyph of a Text is, its white ground (a reading's) left out."""
    return max(glyph.height for glyph in text.submobjects if not isinstance(glyph, BackgroundRectangle))


def assert_legible(texts):
    texts = list(texts)
    assert texts
    for text in texts:
        assert digit_height(text) * SCENE_SCALE >= LEGIBLE_DIGIT, (text.text, digit_height(text))


def value(text) -> float:
    return float(text.text.replace("−", "-").removeprefix("+"))


def point_on(f, z):
    return z, float(f.function(np.array([z]))[0])


CASES = [("sigmoid", 0.3775), ("tanh", -0.8), ("relu", 1.3), ("relu", -0.7), ("step", 0.4), ("linear", -1.5)]


@pytest.mark.parametrize("name, z", CASES)
def test_activation_ticks_are_round_values_at_their_places(name, z):
    f = get_activation(name)
    plot = activation_plot(f, *point_on(f, z))
    labels = plot.tick_labels
    assert len(labels) >= 4
    on_x = on_y = 0
    for label in labels:
        t = value(label)
        assert label.text == format_display(t) and t == round(t * 2) / 2  # 0.5 steps at most
        x, y, _ = label.get_center()
        tx, ty, _ = plot.axes.c2p(t, 0)
        if t == 0:  # zero once, at a corner of the origin
            assert np.hypot(x - tx, y - ty) < 0.5
        elif abs(x - tx) < 1e-6:
            on_x += 1
            assert 0.1 < abs(y - ty) < 0.4  # under (or over) the z-axis at its tick
        else:
            on_y += 1
            assert abs(y - plot.axes.c2p(0, t)[1]) < 1e-6  # beside the a-axis at its tick
    assert on_x >= 2 and on_y >= 1
    assert_legible(labels)


@pytest.mark.parametrize("name, z", CASES)
def test_activation_guides_run_from_the_axes_to_the_point_where_its_values_are_written(name, z):
    f = get_activation(name)
    z, a = point_on(f, z)
    plot = activation_plot(f, z, a)
    up, across = plot.guides
    point = plot.point.get_center()
    assert np.allclose(up.get_start(), plot.axes.c2p(z, 0)) and np.allclose(up.get_end(), point)
    assert np.allclose(across.get_start(), point) and np.allclose(across.get_end(), plot.axes.c2p(0, a))
    z_reading, a_reading = plot.readings
    assert z_reading.text == format_display(z, 3) and a_reading.text == format_display(a, 3)
    assert abs(z_reading.get_center()[0] - up.get_start()[0]) < 1e-6  # at the guide's foot
    assert abs(a_reading.get_center()[1] - across.get_end()[1]) < 1e-6
    assert_legible(plot.readings)
    # a tick number never covers a reading
    for label in plot.tick_labels:
        for reading in plot.readings:
            apart_x = abs(label.get_center()[0] - reading.get_center()[0]) > (label.width + reading.width) / 2
            apart_y = abs(label.get_center()[1] - reading.get_center()[1]) > (label.height + reading.height) / 2
            assert apart_x or apart_y, (label.text, reading.text)
    assert all(part in plot.group() for part in (plot.ticks, plot.guides, plot.readings))


def test_numbers_are_legible_down_to_the_scale_a_scene_may_use():
    assert min_scale() <= SCENE_SCALE
    trace = run(load_spec("classifier"), 20)
    axes = loss_axes(trace.loss_history)
    numbers, names = axes.decorations
    assert [n.text for n in numbers][0] == "0"
    assert_legible([*numbers, *names])
    rows = prediction_vs_target(run(load_spec("mazur")))
    assert all(label.font_size >= MATH_SIZE - 1e-9 for row in rows for label in row[5:])
    assert_legible(t for row in rows for t in row[1])


def test_bounded_activations_colour_on_their_range_and_the_others_on_what_they_reached():
    assert [activation_range(get_activation(n)) for n in ("sigmoid", "tanh", "step", "softmax")] == [1.0] * 4
    assert all(activation_range(get_activation(n)) is None for n in ("relu", "leaky_relu", "identity"))
    sigmoid = run(load_spec("2-3-1"), 3)
    assert activation_limit(sigmoid, 1) == activation_limit(sigmoid, 2) == 1.0
    assert activation_limit(sigmoid, 0) == np.abs(sigmoid.input).max()
    assert activation_limit(run(load_spec("classifier"), 3), 2) == 1.0  # softmax
    relu = run(dataclasses.replace(load_spec("regression"), activations=("relu", "identity")), 5)
    for layer in (1, 2):
        reached = max(np.abs(s.layers[layer - 1].a).max() for s in relu.steps)
        assert activation_limit(relu, layer) == reached and reached != 1.0
    # dropout's kept activations are scaled up past σ's range: none is clipped
    dropped = run(dataclasses.replace(load_spec("2-3-1"), dropout=0.5, seed=3), 5)
    largest = max(np.abs(s.layers[0].a).max() for s in dropped.steps)
    assert activation_limit(dropped, 1) == max(1.0, largest)


def test_one_weight_scale_for_the_whole_video_covers_the_weights_after_the_last_step():
    trace = run(load_spec("xor"), 300)
    before = max(np.abs(layer.W).max() for s in trace.steps for layer in s.layers)
    after = max(np.abs(layer.W_new).max() for s in trace.steps for layer in s.layers)
    assert after > before  # the weights grew in the last step, so W alone would clip them
    assert weight_limit(trace) == after


def test_delta_scale_is_one_step_over_every_layer():
    trace = run(load_spec("3-4-4-2"), 2)
    for step in (0, 1):
        deltas = [np.abs(layer.delta).max() for layer in trace.steps[step].layers]
        assert delta_limit(trace, step) == max(deltas)
    assert delta_limit(trace) == delta_limit(trace, 0) != delta_limit(trace, 1)


def test_the_signed_legend_writes_its_limits_under_the_bar():
    legend = signed_legend(0.8437, "weight w")
    assert [n.text for n in legend.numbers] == ["−0.84", "0", "+0.84"]
    assert legend.name.original_text == "weight w" and legend.name.get_right()[0] < legend.bar.get_left()[0]
    assert all(n.get_top()[1] < legend.bar.get_bottom()[1] for n in legend.numbers)
    strips = legend.bar[0]
    assert strips[0].get_fill_color().to_hex().lower() == signed_color(-0.8437 * (1 - 1 / len(strips)), 0.8437)
    assert strips[-1].get_fill_color().to_hex().lower() == signed_color(0.8437 * (1 - 1 / len(strips)), 0.8437)
    assert_legible(legend.numbers)
    narrow = signed_legend(0.123456, "δ", width=0.6)  # no room for the middle: the ends stay
    assert [n.text for n in narrow.numbers] == ["−0.12", "+0.12"]


def test_fields_for_two_inputs_and_several_samples_only():
    assert not has_output_field(run(load_spec("2-3-1")))  # one sample: a uniform field teaches nothing
    assert not has_output_field(run(load_spec("3-4-4-2")))  # three inputs
    assert not has_output_field(run(load_spec("mazur")))  # two outputs, one sample, targets not classes
    assert all(has_output_field(run(load_spec(n))) for n in ("xor", "classifier", "regression", "perceptron"))
    with pytest.raises(ValueError):
        output_fields(run(load_spec("2-3-1")), [-1], predict)


def test_output_field_for_two_inputs_and_one_output():
    trace = run(load_spec("xor"), 5)
    field = output_fields(trace, [-1, 4], predict)
    assert field.kind == "output" and len(field.images) == 2 and len(field.samples) == 4
    first, last = (image.get_pixel_array() for image in field.images)
    assert first.shape == (FIELD_PIXELS, FIELD_PIXELS, 4) and not np.array_equal(first, last)
    # one scale for every snapshot and the targets, written on its colour bar
    grid = np.array([[u, v] for u in (-0.5, 1.5) for v in (-0.5, 1.5)])
    reached = np.concatenate([predict(trace, s, grid)[:, 0] for s in (-1, 4)] + [trace.output_target[:, 0]])
    assert field.key.low <= reached.min() and reached.max() <= field.key.high
    assert [n.text for n in field.key.numbers] == [format_display(v, 2) for v in (field.key.low, 0.5, field.key.high)]
    assert_legible(field.key.numbers)
    caption = field.frame[2]
    assert caption.font_size >= 22 - 1e-9 and field.frame[3] is field.key  # shown with the frame


def test_a_signed_output_is_white_at_zero():
    field = output_fields(run(load_spec("regression"), 20), [-1, 19], predict)
    assert field.key.low == -field.key.high and field.key.numbers[1].text == "0"


def test_decision_regions_colour_each_sample_by_its_predicted_class():
    trace = run(load_spec("classifier"), 60)
    steps = [-1, 59]
    field = output_fields(trace, steps, predict)
    assert field.kind == "classes"
    x = trace.input
    low, high = x.min(axis=0) - 0.5, x.max(axis=0) + 0.5
    columns = np.rint((x[:, 0] - low[0]) / (high[0] - low[0]) * (FIELD_PIXELS - 1)).astype(int)
    rows = np.rint((high[1] - x[:, 1]) / (high[1] - low[1]) * (FIELD_PIXELS - 1)).astype(int)
    # a tinted pixel is white moved towards its class's colour: 1 − pixel points along 1 − colour
    away = np.array([1 - np.array(to_rgb(class_color(k))) for k in range(3)])
    away /= np.linalg.norm(away, axis=1, keepdims=True)
    seen = set()
    for step, image in zip(steps, field.images):
        pixels = 1 - image.get_pixel_array()[rows, columns, :3] / 255
        shown = (pixels @ away.T / np.linalg.norm(pixels, axis=1, keepdims=True)).argmax(axis=1)
        predicted = predict(trace, step, x).argmax(axis=1)
        assert list(shown) == list(predicted)
        seen.add(tuple(predicted))
    assert len(seen) == 2  # it learned: the regions moved
    # the dots in their true class's colour, one key entry per class
    truth = trace.output_target.argmax(axis=1)
    assert [dot[1].get_fill_color().to_hex().lower() for dot in field.samples] == [
        class_color(k).lower() for k in truth
    ]
    assert len(field.key.entries) == 3
    assert [e[0].get_fill_color().to_hex().lower() for e in field.key.entries] == [
        class_color(k).lower() for k in range(3)
    ]
    assert [e[1].text for e in field.key.entries] == ["1", "2", "3"]
    assert_legible(e[1] for e in field.key.entries)
