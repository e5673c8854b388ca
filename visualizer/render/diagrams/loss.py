"""The loss over the training steps of a trace."""

from __future__ import annotations

from visualizer.network.trace import Trace
from visualizer.style import DEFAULT_DIGITS, PHASE_COLORS, format_display

from .figure import Diagram


def draw_loss(trace: Trace, *, precision: int | None = None) -> Diagram:
    digits = precision or DEFAULT_DIGITS
    history = trace.loss_history
    fig = Diagram(figsize=(7.5, 4.2), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.plot(
        range(len(history)),
        history,
        color=PHASE_COLORS["loss"],
        lw=2,
        marker="o" if len(history) <= 30 else None,
        ms=3.5,
    )
    ax.set_xlabel("training step")
    ax.set_ylabel(f"loss E ({trace.network.loss})")
    ax.grid(alpha=0.3)
    ax.margins(x=0.02)
    fig.suptitle(
        f"{trace.network.name} · {len(history) - 1} steps · E {format_display(history[0], digits, zeros=True)} → "
        f"{format_display(history[-1], digits, zeros=True)}",
        fontsize=13,
        fontweight="bold",
    )
    return fig
