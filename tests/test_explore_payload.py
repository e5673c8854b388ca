"""The explorer's payload and page, without a browser: every neuron and weight the picture draws
has its equations, each one explain's own line; the numbers on the circles and edges are the
Trace's; the page is one file with nothing to fetch, the same bytes for the same trace, and
small enough for 784-16-10 (tests/test_explore_page.py drives it in a browser)."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("networkx")

from visualizer.network.mlp import run  # noqa: E402
from visualizer.network.sources import load_spec  # noqa: E402
from visualizer.network.verify import verify  # noqa: E402
from visualizer.render.explain import Explanation, Options  # noqa: E402
from visualizer.render.explore import page_html, payload  # noqa: E402
from visualizer.render.explore.page import check_katex, unpacked_payload  # noqa: E402
from visualizer.style import format_display  # noqa: E402


def _trace(net: str, steps: int, verified: bool = True):
    trace = run(load_spec(net), steps)
    return trace.with_verification(verify(trace)) if verified else trace


@pytest.fixture(scope="module")
def xor():
    """A batch of four samples, three steps, verified."""
    trace = _trace("xor", 3)
    return trace, payload(trace)


def _lines(data: dict, step: int, id_: str, phase: str | None = None) -> list[str]:
    S = data["strings"]
    return [
        S[q["text"]]
        for q in data["steps"][step]["equations"]
        if q["id"] == id_ and (phase is None or q["phase"] == phase)
    ]


def test_every_drawn_neuron_and_weight_has_its_equations(xor):
    trace, data = xor
    nodes = [n for n in data["layout"]["nodes"] if n["kind"] in ("hidden", "output")]
    assert len(nodes) == 3 and len(data["layout"]["edges"]) == 6
    for i, step in enumerate(data["steps"]):
        for n in nodes:
            phases = {q["phase"] for q in step["equations"] if q["id"] == n["id"]}
            assert phases == {"forward", "backward", "update"}, (i, n["id"])
            # z and a for each of the 4 samples, then ∂E/∂a and δ for each, ∂E/∂b once, b's update once
            assert len(_lines(data, i, n["id"], "forward")) == 8
            assert len(_lines(data, i, n["id"], "backward")) == 9
        for e in data["layout"]["edges"]:
            assert {q["phase"] for q in step["equations"] if q["id"] == e["id"]} == {"backward", "update"}
        assert len(_lines(data, i, "loss", "loss")) == 5  # each sample's loss, then their mean


def test_equations_are_explains_own_lines(xor):
    """Every line the page shows is a line of `explain --show all`, word for word."""
    trace, data = xor
    written = Explanation(trace, Options(show="all")).text(width=1000)
    lines = {line.strip() for line in written.splitlines()}
    shown = {data["strings"][q["text"]] for step in data["steps"] for q in step["equations"]}
    assert len(shown) > 100 and shown <= lines


def test_circles_and_edges_hold_the_traces_numbers(xor):
    trace, data = xor
    ids = [n["id"] for n in data["layout"]["nodes"]]
    for i, step in enumerate(trace.steps):
        circles = data["steps"][i]["circles"]
        for s in range(4):
            a = circles["a"][s][ids.index("n-1-2")]
            assert a[0] == format_display(step.layers[0].a[s, 1], 4) and re.fullmatch(r"#[0-9a-f]{6}", a[1])
            assert circles["delta"][s][ids.index("n-2-1")][0] == format_display(step.layers[1].delta[s, 0], 4)
            assert circles["a"][s][ids.index("n-0-2")][0] == format_display(trace.input[s, 1], 4)
        edges = [e["id"] for e in data["layout"]["edges"]]
        at = edges.index("e-2-1-2")
        assert data["steps"][i]["edges"]["w"][at][0] == format_display(step.layers[1].W[0, 1], 4)
        assert data["steps"][i]["edges"]["grad"][at][0] == format_display(step.layers[1].grad_W[0, 1], 4)
    assert data["curve"]["values"] == [format_display(e, 4) for e in trace.loss_history]


def test_each_step_says_its_check(xor):
    trace, data = xor
    v = trace.verification
    assert len(v.torch.per_step) == 3 and max(v.torch.per_step) == v.torch.max_abs_diff
    for i, step in enumerate(data["steps"]):
        assert step["check"] == (
            f"torch max |Δ| {v.torch.per_step[i]:.1e} · finite differences max |Δ| {v.finite_difference.per_step[i]:.1e}"
        )
    assert data["verdict"]["line"].startswith("✓ verified: torch autograd max |Δ|") and data["verdict"]["passed"]


def test_explains_own_output_is_unchanged_by_the_tags():
    """Options.layout writes out more; without it, explain writes what it always did: the first 3
    neurons of a wide layer, a note, the last, and 8 weight gradients."""
    trace = _trace("6-5-2", 1, verified=False)
    text = Explanation(trace).text(width=200)
    assert "… 1 more neuron, computed the same way" in text
    assert "… 22 more weight gradients of layer 1" in text
    wide = Explanation(trace, Options(layout=8)).text(width=200)
    assert "more neuron" not in wide and "more weight gradient" not in wide


@pytest.fixture(scope="module")
def small_page():
    check_katex()
    trace = _trace("2-3-1", 3)
    return trace, page_html(trace)


def test_the_page_is_one_file_with_nothing_to_fetch(small_page):
    _, page = small_page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:|//|fonts/)", page)
    assert not re.search(r"@import", page)
    # the only http(s) strings are the XML namespaces KaTeX and the explorer name their elements with
    assert set(re.findall(r"https?://[^\s\"'`)]+", page)) <= {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1998/Math/MathML",
    }
    assert page.count("data:font/woff2;base64,") == 20  # every KaTeX font, inlined


def test_the_same_trace_gives_the_same_page(small_page):
    trace, page = small_page
    assert page_html(trace) == page
    assert unpacked_payload(page) == payload(trace)


def test_784_16_10_fits_in_a_small_page():
    """The network of the lecture stays usable: its layers collapsed as the layout collapses them,
    the page under 8 MB (5 steps here; docs/explore.md has the default 50 steps' size)."""
    check_katex()
    trace = _trace("784-16-10", 5, verified=False)
    page = page_html(trace)
    data = unpacked_payload(page)
    nodes = data["layout"]["nodes"]
    assert [n["label"] for n in nodes if n["kind"] == "ellipsis"] == ["… 776 more", "… 8 more", "… 2 more"]
    assert sum(1 for n in nodes if n["kind"] != "ellipsis") == 8 + 8 + 8
    assert len(data["layout"]["edges"]) == 2 * 8 * 8
    assert all(_lines(data, 4, e["id"], "update") for e in data["layout"]["edges"])
    assert len(page.encode()) < 8e6 / 5  # a fifth of 8 MB for a tenth of the default steps
