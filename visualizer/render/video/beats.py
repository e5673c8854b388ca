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
    # only with a picture as the input (`--data NAME --sample N` of an image set): in the lecture
    # when the Trace's sample is one, and refused on its own without one
    picture: bool = False


BEATS = (
    Beat("TitleCard", "Backpropagation", "forward", None, 8),
    Beat("ImageToPrediction", "From pixels to a prediction", "forward", "image", 7, picture=True),
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
PICTURE_SCENES = {beat.option for beat in BEATS if beat.picture}  # the --scene names that need a picture


def is_picture(sample) -> bool:
    """Whether a Trace's sample (`trace.sample`, or None) is a picture: the beats marked `picture` show it."""
    return sample is not None and sample.image_shape is not None and len(sample.image_shape) == 2


def lecture_parts(picture: bool = False) -> tuple[str, ...]:
    """The lecture's beats in video order: those that need a picture only when the input is one."""
    return tuple(beat.scene for beat in BEATS if picture or not beat.picture)


def slowest_first(picture: bool = False) -> tuple[str, ...]:
    """The lecture's beats in the order the parallel renderer starts them."""
    parts = lecture_parts(picture)
    return tuple(beat.scene for beat in sorted(BEATS, key=lambda beat: beat.render_order) if beat.scene in parts)
