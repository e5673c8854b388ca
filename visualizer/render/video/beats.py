"""The lecture's beats, listed once: the story of the video, in the order a lecturer tells it.

Everything that names beats reads this table: the scenes (scenes/lecture.py: each beat's title
and colour, and the Lecture's order), `backprop render --scene`, the parallel renderer (which
starts the slowest beats first) and the slides' speaker notes (which of explain's phases a
beat's numbers come from).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Beat:
    scene: str  # its class in scenes/lecture.py
    heading: str  # the title on screen
    phase: str  # explain's phase its numbers come from, and the colour of its title
    option: str | None  # its name for `backprop render --scene` (None: only part of the lecture)
    # its place when rendering the lecture's beats side by side: slowest first (1), so the two
    # workers finish together; by the render times of 2-3-1's beats
    render_order: int


BEATS = (
    Beat("TitleCard", "Backpropagation", "forward", None, 7),
    Beat("NeuronDotProduct", "One neuron", "forward", "dot-product", 2),
    Beat("ForwardPass", "Forward pass", "forward", "forward", 5),
    Beat("Loss", "Loss", "loss", "loss", 6),
    Beat("BackwardPass", "Backward pass", "backward", "backward", 1),
    Beat("WeightUpdate", "Weight update", "update", "update", 4),
    Beat("Training", "Training", "update", "training", 3),
)
BY_SCENE = {beat.scene: beat for beat in BEATS}

# the --scene names, in video order: the whole lecture, then each beat on its own
SCENES = {"lecture": "Lecture", **{beat.option: beat.scene for beat in BEATS if beat.option}}
LECTURE_PARTS = tuple(beat.scene for beat in BEATS)  # in video order
SLOWEST_FIRST = tuple(beat.scene for beat in sorted(BEATS, key=lambda beat: beat.render_order))
