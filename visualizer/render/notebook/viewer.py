"""What a Trace shows in a notebook: the renderers' side of network/display.py.

`bundle` is the Trace's MIME bundle. A front end shows the richest type it can: the explorer
page (text/html) in Jupyter, VS Code, marimo and an exported notebook; explain's Markdown where
HTML is not shown; the summary as plain text. Every line of it comes from explain's document
and the Trace: nothing is computed here.
"""

from __future__ import annotations

from visualizer.network.trace import Trace
from visualizer.style import DEFAULT_DIGITS, count, format_display

from ..explain import Explanation, Options, verification_line
from ..explain.builder import header
from ..explain.builder.context import Context
from ..explain.document import Note


def bundle(trace: Trace) -> dict:
    from .embed import iframe  # the explorer (networkx, the page) is imported when shown: repr needs none of it

    return {
        "text/html": iframe(trace),
        "text/markdown": Explanation(trace).markdown(),
        "text/plain": summary(trace),
    }


def html(trace: Trace) -> str:
    """The explorer for marimo, which reads `_repr_html_`: the frame without the script that fits
    it to its page (embed.py says why)."""
    from .embed import iframe

    return iframe(trace, fit=False)


def summary(trace: Trace) -> str:
    """The network as explain's header describes it, the loss from first to last, the verdict."""
    net = trace.network
    if not trace.steps:
        return f"Trace of {net.name} (no steps)"
    first = Context(trace, Options(), trace.steps[0])
    notes = []
    for item in header.sections(first)[0].items:
        if not isinstance(item, Note) or item.text.startswith("input"):
            break  # the data and the weights follow: the explanation shows those
        notes.append(item.text)
    history = trace.loss_history
    run = f"{count(len(trace.steps), 'step')} on {count(len(trace.input), 'sample')}"
    loss = f"{run}: E {format_display(history[0], zeros=True)} → {format_display(history[-1], zeros=True)}"
    verdict = verification_line(trace.verification) if trace.verification else "not verified"
    return "\n".join([f"Trace of {net.name}", *(f"  {n}" for n in notes), f"  {loss}", f"  {verdict}"])


def explain(trace: Trace, *, phase: str, precision: int | None, show: str) -> Explanation:
    return Explanation(trace, Options(precision=precision or DEFAULT_DIGITS, phase=phase, show=show))


def diagram(trace: Trace, kind: str, *, precision: int | None):
    from ..diagrams import draw

    return draw(trace, kind, precision=precision)


def widget(trace: Trace, *, precision: int | None):
    return explorer_class()(trace, precision=precision)


def explorer_class():
    """The widget's class (widget.py), or what to install for it."""
    from visualizer.errors import UsageError

    try:
        from .widget import Explorer
    except ModuleNotFoundError as err:  # anywidget comes with the notebook extra
        raise UsageError(f"the explorer widget needs {err.name}: pip install -e '.[notebook]' (make does)") from None
    return Explorer
