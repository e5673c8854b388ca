"""The loss over the training steps of a trace."""

from __future__ import annotations

from matplotlib.figure import Figure

from visualizer.network.trace import Trace
from visualizer.style import PHASE_COLORS, format_number


def draw_loss(trace: Trace) -> Figure:
    history = trace.loss_history
    fig = Figure(figsize=(7.5, 4.2), dpi=100, layout="constrained")
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
        f"{trace.network.name} · {len(history) - 1} steps · E {format_number(history[0])} → "
        f"{format_number(history[-1])}",
        fontsize=13,
        fontweight="bold",
    )
    return fig
