"""A data set's sample as the step's input (`--data NAME --sample N`): the picture itself, what
the input and target are, the class each output stands for, and the outputs as bars with the
predicted and the actual class marked."""

from __future__ import annotations

import numpy as np

from ..document import Bars, Note, Picture
from ..notation import a_
from .context import Context


def sources(c: Context) -> dict[str, str]:
    """What the input and the target notes say they are, for a data set's sample."""
    sample = c.trace.sample
    if sample is None:
        return {}
    how = (c.trace.network.input_scaling or {}).get("how")
    scaled = f", scaled as in training ({how})" if how else ""
    label = "its target values" if sample.label is None else f"its label, class {sample.label}{_named(c, sample.label)}"
    return {
        "input": f"test sample {sample.index} of {sample.data}{scaled}",
        "target": label,
    }


def picture(c: Context) -> list:
    """The sample as the data set shows it (light ink on black), with its label."""
    sample = c.trace.sample
    if sample is None or sample.image_shape is None or len(sample.image_shape) != 2:
        return []
    raw = np.asarray(sample.raw, dtype=np.float64)
    ink = tuple(tuple(float(v) for v in row) for row in raw / (raw.max() or 1.0))  # as imshow spreads its greys
    h, w = sample.image_shape
    what = "" if sample.label is None else f": class {sample.label}{_named(c, sample.label)}"
    return [Picture(ink, f"test sample {sample.index} of {sample.data}, {h}×{w} pixels{what}")]


def output_names(c: Context) -> list[Note]:
    """Which class each output neuron stands for, when the network names them."""
    names = c.trace.network.classes
    if len(names) != c.sizes[-1]:
        return []
    listed = ", ".join(f"{a_(c.L, j + 1).text()} {name}" for j, name in enumerate(names))
    return [Note(f"the outputs stand for the classes: {listed}")]


def prediction(c: Context) -> list:
    """Each written-out sample's outputs as bars, named after the classes, predicted and actual marked."""
    names = c.trace.network.classes
    if len(names) != c.sizes[-1] or c.sizes[-1] < 2:
        return []
    a = c.step.layers[-1].a
    items = []
    for s in c.samples():
        if s is None:
            continue
        predicted, actual = int(c.trace.predicted(c.step)[s]), c.right_class(s)
        marks = {predicted: "predicted"}
        marks[actual] = "predicted, actual" if actual == predicted else "actual"
        symbols = tuple(a_(c.L, j + 1) for j in range(c.sizes[-1]))
        items += c.sample_note(s)
        items.append(
            Bars(tuple(names), symbols, tuple(float(v) for v in a[s]), c.options.precision, tuple(marks.items()))
        )
        verdict = "right" if predicted == actual else "wrong"
        items.append(
            Note(
                f"predicted: {names[predicted]} ({a_(c.L, predicted + 1).text()} = {c.num(a[s, predicted])}, the "
                f"largest output); actual: {names[actual]}; {verdict}",
                result=True,
            )
        )
    return items


def _named(c: Context, label: int) -> str:
    names = c.trace.network.classes
    named = 0 <= label < len(names) and names[label] != str(label)  # digits' names are their classes
    return f" ({names[label]})" if named else ""
