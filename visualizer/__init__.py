"""backprop: every number of backpropagation in a small neural network, verified.

The few functions a notebook needs:

    import visualizer as bp

    spec = bp.load_spec("2-3-1", lr=0.5)  # a shape, a preset, a TOML file or a saved model
    trace = bp.run(spec, steps=3)         # the recorded steps, checked against torch
    bp.explain(trace)                     # every equation, written out (Markdown in a notebook)
    bp.explain("mazur")                   # or straight from a network: one verified step
    bp.draw(trace, "backward")            # a matplotlib Figure (it shows itself in a notebook)

In a notebook a Trace shows itself: the explorer page (HTML), explain's Markdown, or a few lines
of text; `trace.explain(phase="backward")` and `trace.diagram("backward")` show inline, and
`bp.Explorer(trace)` is the explorer as a live widget (docs/notebooks.md).

The package is layered along the data flow (docs/architecture.md): `core` (the engine),
`functions` (activations, losses, optimizers), `network` (spec, MLP, Trace, verification),
`render` (explain, diagrams, video), `training`, `cli`. Imports here happen on first use, so
the command line, which imports this package too, starts as fast as before.
"""

from __future__ import annotations

import os

# numpy's OpenBLAS keeps its threads spinning for about 0.1 s after each matrix product, on the
# cores that training's elementwise passes (Adam, spread over the cores by functions/parts.py)
# need next: with them spinning, those passes ran slower on two cores than on one. 2¹⁶ cycles
# (some 25 µs) still covers the gap between one product and the next. OpenBLAS reads this when
# numpy loads it, so it counts when this package is imported before numpy, as the command line
# is; a value already set is kept.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "16")

__all__ = ["load_spec", "run", "verify", "explain", "draw", "load_trace", "Explorer"]


def _notebook_viewer():
    """The renderers' viewer, which a Trace asks what to show in a notebook (network/display.py):
    the network layer may not import the renderers, so the package, which knows both, wires them."""
    from visualizer.render.notebook import viewer

    return viewer


def _register_viewer():
    from visualizer.network.display import use_viewer

    use_viewer(_notebook_viewer)


_register_viewer()


def load_spec(net, **overrides):
    """A checked network spec (NetSpec) from what `--net` takes: a shape like "2-3-1", a preset
    ("mazur", "xor", …), a TOML file or a saved model, with the command line's overrides as
    keywords (seed, input, target, activation, output_activation, loss, optimizer, lr, l1, l2,
    dropout, batch_size). A NetSpec passes through, with the overrides applied."""
    from visualizer.network.sources import load_spec as from_net
    from visualizer.network.spec import NetSpec

    spec = net if isinstance(net, NetSpec) else from_net(str(net))
    return spec.with_overrides(**overrides) if overrides else spec


def run(spec, steps: int = 1, *, verify: bool = True):
    """Train `steps` steps and record every number (a Trace); `spec` is a NetSpec or anything
    load_spec takes. With `verify`, every number is checked against torch autograd and finite
    differences, and the Trace carries the verdict (`trace.verification.passed`)."""
    from visualizer.network.mlp import run as run_steps
    from visualizer.network.verify import verify as check

    trace = run_steps(load_spec(spec), steps)
    return trace.with_verification(check(trace)) if verify else trace


def verify(trace):
    """Check every number of a Trace against torch autograd and finite differences (a
    Verification: `.passed`, and each witness's largest difference and where it is)."""
    from visualizer.network.verify import verify as check

    return check(trace)


def explain(what, *, precision: int | None = None, phase: str = "all", show: str = "first"):
    """A step written out as `explain` prints it, with `.text()`, `.markdown()` and `.latex()`;
    in a notebook it shows itself. `what` is a Trace, or a network as load_spec takes it (then
    one verified step of it, at its spec's precision). `phase`: forward, loss, backward, update
    or all; `show`: which steps are written out in full (first, last or all); `precision`:
    significant figures (default: the spec's, or 4 for a Trace)."""
    from visualizer.network.trace import Trace

    if not isinstance(what, Trace):
        spec = load_spec(what)
        what, precision = run(spec), precision or spec.precision
    return what.explain(precision=precision, phase=phase, show=show)


def draw(trace, kind: str = "forward", *, precision: int | None = None):
    """A diagram of the trace as a matplotlib Figure: forward, backward, update, graph or loss,
    its numbers at `precision` significant figures (default 4). Save it with `fig.savefig("x.svg")`,
    or for slides (SVG text as text, TrueType fonts in PDF) with
    `visualizer.render.diagrams.save(fig, Path("x.svg"))`."""
    from visualizer.render.diagrams import draw as draw_kind

    return draw_kind(trace, kind, precision=precision)


def load_trace(path):
    """A Trace from a JSON file written by `explain --format json -o FILE`."""
    from pathlib import Path

    from visualizer.network.trace import Trace

    return Trace.from_json(Path(path).read_text(encoding="utf-8"))


def __getattr__(name):
    """`bp.Explorer`, the explorer as a live notebook widget (anywidget: Jupyter, marimo, VS Code):
    `bp.Explorer(trace)` steps through the trace, any neuron or weight clicked for its equations,
    and carries the explorer page as its static fallback. Its class is imported on first use."""
    if name == "Explorer":
        from visualizer.render.notebook.viewer import explorer_class

        return explorer_class()
    raise AttributeError(f"module 'visualizer' has no attribute {name!r}")
