"""The base of every scene of the lecture: a story beat, told in steps with narration, holds
and a title, on the Trace the scenes load.

The Trace is loaded by the scenes' entry point (scenes/lecture.py sets `Beat.load`): loading
may run the network, which a renderer never does itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from manim import DOWN, LEFT, UP, WHITE, FadeOut, Scene, Text

from visualizer.style import PHASE_COLORS

from .beats import BY_SCENE
from .formulas import Board, equations
from .frame import SAFE_MARGIN, SAFE_Y
from .legend import signed_legend
from .network_mobject import NetworkMobject
from .notes import step_notes
from .scales import delta_limit

HOLD = 3.5  # the least time a finished step stays on screen, so the hall can read it
NETWORK_DIGITS = 4  # the most digits a number in a circle has (the equations may have more)
OUTPUT_CARD = 1.5  # the width of a number's card beside an output neuron
NET_WIDTH = 6.2  # the network's share of the frame's width when equations are beside it


class Beat(Scene):
    """A story beat: the Trace, and a title in the colour of its phase (both from BEATS).

    A beat is told in steps (`step`): each has a narration, shown as a caption until the next
    step and given to the slide deck as the speaker notes of the slide that starts there, with
    every number of the step. A step ends on a hold (`hold`): its finished picture stays still
    long enough to read. A beat's first animation (`enter`) brings its title and content in
    while the previous beat's leave, so there is never an empty page between beats."""

    phase = "forward"
    heading = ""
    # () -> (Trace, digits of the equations): set by the scenes' entry point
    load: Callable | None = None
    by_scene: dict[str, type[Beat]] = {}  # each beat's class, by name

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__name__ in BY_SCENE:
            cls.phase, cls.heading = BY_SCENE[cls.__name__].phase, BY_SCENE[cls.__name__].heading
            Beat.by_scene[cls.__name__] = cls

    def setup(self):
        # A white page: the colours of the static diagrams and slides; the signed map's dark
        # ends would vanish on black.
        self.camera.background_color = WHITE
        self.trace, self.digits = type(self).load()
        self.leaving: list = []  # the previous beat's mobjects, which `enter` fades out
        self.caption = None  # the caption on screen, ended by the next step

    def title(self) -> Text:
        text = Text(f"{self.heading} · {self.trace.network.name}", font_size=34, color=PHASE_COLORS[self.phase])
        return text.to_corner(UP + LEFT, buff=SAFE_MARGIN)

    @property
    def net_digits(self) -> int:
        """The precision of the numbers on the network: the equations', up to what a circle holds."""
        return min(self.digits, NETWORK_DIGITS)

    def sample_note(self) -> str:
        """Where a batch is drawn by its first sample, the narration says so."""
        batch = len(self.trace.input)
        return f" (The picture shows sample 1 of the batch of {batch}.)" if batch > 1 else ""

    def beside(self, net: NetworkMobject, title) -> Board:
        """The network on the left under the title, a board of equations on its right; with a
        key to its colours under it."""
        top = title.get_bottom()[1] - 0.35
        net.fit(NET_WIDTH - (0 if net.every_number else 1.0), top + SAFE_Y - (1.2 if net.every_number else 1.8))
        # a wide network's numbers are cards around its neurons: room above it for them
        net.next_to(title, DOWN, buff=0.5 if net.every_number else 1.3).to_edge(LEFT, buff=SAFE_MARGIN[0] + 0.1)
        if self.phase == "backward":
            legend = signed_legend(delta_limit(self.trace), "δ")
        else:
            legend = signed_legend(net.weight_limit, "weight w")
        legend.scale(0.8).to_corner(DOWN + LEFT, buff=SAFE_MARGIN + [0.1, 0.05, 0])
        net.add(legend)
        # where numbers are cards beside the outputs, they need room before the board
        room = 0.5 if net.every_number else 0.5 + OUTPUT_CARD
        return Board(self, left=net.get_right()[0] + room, top=top)

    def equations(self, phase: str) -> dict:
        """explain's equations of `phase` for the first step, at the spec's precision."""
        return equations(self.trace, phase, self.digits)

    def step(self, say: str, numbers: Sequence[str] = ()) -> None:
        """A step of the story begins: a slide stop (in the deck), the narration as a caption from
        now until the next step, and the speaker notes: the narration and the step's numbers."""
        self.end_caption()
        self.stop(step_notes(say, numbers))
        self.add_subcaption(say, duration=1)  # ended by the next step (end_caption)
        self.caption = self.renderer.file_writer.subcaptions[-1]

    def end_caption(self) -> None:
        if self.caption is not None:
            self.caption.end = timedelta(seconds=float(self.time))
            self.caption = None

    def stop(self, notes: str) -> None:
        """A slide stop: nothing in a video; LectureSlides starts a slide here."""

    def hold(self, seconds: float = HOLD) -> None:
        """The finished picture stays still (manim writes a still as one frame, repeated)."""
        self.wait(seconds)

    def enter(self, *animations, run_time: float = 1.0) -> None:
        """The beat's first animation: its title and content arrive as the previous beat's leave."""
        self.play(*animations, *(FadeOut(mob) for mob in self.leaving), run_time=run_time)
        self.leaving = []

    def tear_down(self):
        self.end_caption()
        super().tear_down()
