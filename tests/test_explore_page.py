"""The explorer page in a real browser (Debian's Chromium driven by Playwright): it loads from
file:// with every other request refused and none failing, KaTeX typesets every equation, a
click on a neuron shows explain's lines for it with the Trace's numbers, stepping and the phase
change them, and the URL fragment holds the moment. One browser for the module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("networkx")

from visualizer.render.explain import Explanation, Options  # noqa: E402
from visualizer.render.explore.page import check_katex, katex_dir  # noqa: E402
from visualizer.style import format_display  # noqa: E402

CHROMIUM = "/usr/bin/chromium"  # Debian's (make setup); Playwright's own browser download is not used
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no {CHROMIUM}; make setup installs it"),
    pytest.mark.skipif(not (katex_dir() / "dist").is_dir(), reason="no KaTeX; make setup unpacks it"),
]


@pytest.fixture(scope="module")
def trace():
    from visualizer.network.mlp import run
    from visualizer.network.sources import load_spec
    from visualizer.network.verify import verify

    t = run(load_spec("xor"), 3)  # a batch of four: the sample control too
    return t.with_verification(verify(t))


@pytest.fixture(scope="module")
def page_file(trace, tmp_path_factory):
    from visualizer.render.explore import page_html

    check_katex()
    path = tmp_path_factory.mktemp("explore") / "xor.html"
    path.write_text(page_html(trace), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM)
        yield b
        b.close()


class Visit:
    """A page opened with every request that is not file: or data: refused, and everything that
    went wrong recorded: console errors, uncaught exceptions, failed and refused requests."""

    def __init__(self, browser, url: str, **context):
        self.context = browser.new_context(viewport={"width": 1600, "height": 1000}, **context)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.route("**/*", self._only_local)
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.goto(url)
        self.page.wait_for_selector(".bp-node")

    def _only_local(self, route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.problems.append(f"network: {route.request.url}")
            route.abort()

    def panel_lines(self) -> list[str]:
        return self.page.eval_on_selector_all(".bp-panel .bp-eq", "es => es.map(e => e.dataset.text)")

    def circle(self, id_: str) -> str:
        return self.page.text_content(f'[data-id="{id_}"] .bp-value')

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, page_file):
    opened = []

    def open_(fragment: str = "", **context):
        v = Visit(browser, page_file.as_uri() + fragment, **context)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        assert v.problems == []
        v.close()


def _explain_lines(trace, step: int, about: tuple, phase: str, sample: int = 0) -> list[str]:
    """explain's lines about one neuron or weight (Equation.about) in one step and phase, for one
    sample of the batch and for the batch as a whole."""
    from visualizer.render.explain import build_document

    lines, at = [], 0
    for section in build_document(trace, Options(show="all", layout=8)):
        at += section.phase == "step"  # each step's sections follow its heading
        if at == step and section.phase == phase:
            lines += [
                item.line("text")
                for item in section.items
                if getattr(item, "about", None) == about and item.sample in (None, sample)
            ]
    return lines


def test_the_page_loads_offline_and_typesets(visit):
    v = visit("#sel=n-1-2")
    assert v.page.locator(".bp-panel .katex").count() >= 4
    assert v.page.locator(".katex-error").count() == 0
    assert v.page.title() == "xor: backprop explorer"


def test_a_click_shows_the_neurons_equations_with_the_traces_numbers(visit, trace):
    v = visit()
    v.page.click('[data-id="n-1-2"]')
    shown = v.panel_lines()
    step = trace.steps[0]
    z, a = step.layers[0].z[0, 1], step.layers[0].a[0, 1]
    assert shown[0].startswith("z₂⁽¹⁾ = w₂₁⁽¹⁾x₁ + w₂₂⁽¹⁾x₂ + b₂⁽¹⁾ = ")
    assert shown[0].endswith(f" = {format_display(z, 4, zeros=True)}")
    assert shown[1].endswith(f" = {format_display(a, 4, zeros=True)}")
    expected = [
        line
        for phase in ("forward", "backward", "update")
        for line in _explain_lines(trace, 1, ("neuron", 1, 1), phase)
    ]
    assert shown == expected
    # and each is a line of explain's own text
    text = Explanation(trace, Options(show="all")).text(width=1000)
    assert all(line in text for line in shown)
    assert v.circle("n-1-2") == format_display(a, 4)


def test_stepping_and_samples_change_the_numbers(visit, trace):
    v = visit("#sel=n-1-2")
    first = v.panel_lines()
    v.page.keyboard.press("PageDown")
    second = v.panel_lines()
    assert second != first and second[0] == _explain_lines(trace, 2, ("neuron", 1, 1), "forward")[0]
    assert v.page.text_content(".bp-step").startswith("step 2 of 3")
    v.page.select_option(".bp-sample select", "3")
    third = v.panel_lines()
    assert third[0] == _explain_lines(trace, 2, ("neuron", 1, 1), "forward", sample=2)[0]
    assert v.circle("n-1-2") == format_display(trace.steps[1].layers[0].a[2, 1], 4)


def test_the_phase_says_what_the_circles_hold(visit, trace):
    v = visit("#step=1&phase=forward")
    assert "circles: activation a" in v.page.text_content(".bp-caption")
    v.page.keyboard.press("ArrowRight")
    v.page.keyboard.press("ArrowRight")  # loss, then the backward pass
    assert "circles: error signal δ" in v.page.text_content(".bp-caption")
    assert v.page.get_attribute(".bp-phase[aria-pressed=true]", "class") == "bp-phase"
    assert v.page.text_content(".bp-phase[aria-pressed=true]") == "backward pass"
    assert v.circle("n-2-1") == format_display(trace.steps[0].layers[1].delta[0, 0], 4)


def test_the_fragment_holds_the_moment(visit, trace):
    v = visit("#step=2&phase=backward&sel=e-2-1-2&sample=2")
    assert v.page.text_content(".bp-panel h2").startswith("w₁₂⁽²⁾")
    assert v.page.input_value(".bp-sample select") == "2"
    assert v.panel_lines()[0] == _explain_lines(trace, 2, ("edge", 2, 0, 1), "backward")[0]
    v.page.keyboard.press("ArrowRight")  # to the update
    v.page.keyboard.press("l")  # large font
    assert re.search(r"#step=2&phase=update&sel=e-2-1-2&sample=2&big=1$", v.page.url)
    assert "bp-big" in v.page.get_attribute("#explorer", "class")
    v.page.reload()
    v.page.wait_for_selector(".bp-node")
    assert v.page.text_content(".bp-phase[aria-pressed=true]") == "update"
    assert "bp-big" in v.page.get_attribute("#explorer", "class")
    assert v.page.text_content(".bp-panel h2").startswith("w₁₂⁽²⁾")


def test_the_loss_curve_and_checks(visit, trace):
    v = visit("#step=3")
    assert v.page.text_content(".bp-check").startswith("step 3 checked: torch max |Δ| ")
    assert v.page.text_content(".bp-verdict").startswith("✓ verified: torch autograd max |Δ|")
    ticks = v.page.eval_on_selector_all(".bp-tick", "ts => ts.map(t => t.textContent)")
    assert format_display(max(trace.loss_history), 4) in ticks and "3 steps" in ticks


def test_reduced_motion_has_no_transitions(visit):
    v = visit(reduced_motion="reduce")
    duration = v.page.eval_on_selector('[data-id="n-1-1"] circle', "c => getComputedStyle(c).transitionDuration")
    assert duration == "0s"
    moving = visit()
    assert (
        moving.page.eval_on_selector('[data-id="n-1-1"] circle', "c => getComputedStyle(c).transitionDuration") != "0s"
    )


def test_keyboard_reaches_every_neuron(visit):
    v = visit()
    v.page.focus('[data-id="n-2-1"]')
    v.page.keyboard.press("Enter")
    assert v.page.text_content(".bp-panel h2").startswith("a₁⁽²⁾: output neuron 1 of layer 2")
    v.page.click(".bp-links button >> nth=0")  # its first weight in, by the panel's button
    assert v.page.text_content(".bp-panel h2").startswith("w₁₁⁽²⁾")
    v.page.keyboard.press("Escape")
    assert v.page.text_content(".bp-panel h2") == "Click a neuron, a weight or the loss E"
