"""`backprop explore --serve` as a student uses it: the page from 127.0.0.1 in a real browser; an
edited learning rate or weight is recomputed and verified (the numbers become those of a fresh
`explain` of the edited network), a bad edit shows the command line's one-line message and keeps
the numbers; Ctrl-C stops the server cleanly, and a port in use is one line, exit 2."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("networkx")

from visualizer.render.explore.page import katex_dir  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no {CHROMIUM}; make setup installs it"),
    pytest.mark.skipif(not (katex_dir() / "dist").is_dir(), reason="no KaTeX; make setup unpacks it"),
]
COMMAND = [sys.executable, "-m", "visualizer", "explore", "--net", "2-3-1", "--steps", "3", "--serve"]


@pytest.fixture(scope="module")
def server():
    process = subprocess.Popen(COMMAND, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line.startswith("serving the explorer of 2-3-1 at http://127.0.0.1:"), process.stderr.read()
    url = line.split(" at ")[1].split()[0]
    yield process, url
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def page(server):
    _, url = server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        tab = browser.new_page(viewport={"width": 1600, "height": 1000})
        problems = []
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.goto(url + "#sel=n-1-2")
        tab.wait_for_selector(".bp-node")
        yield tab
        assert problems == []
        browser.close()


def _lines(tab) -> list[str]:
    return tab.eval_on_selector_all(".bp-panel .bp-eq", "es => es.map(e => e.dataset.text)")


def _explain(net: str, *options: str) -> str:
    """A fresh `explain --show all` of `net` with `options`, 3 steps, as plain text."""
    command = [sys.executable, "-m", "visualizer", "explain", "--net", net, "--steps", "3", "--show", "all", *options]
    result = subprocess.run(command + ["--no-verify", "--width", "400", "--no-color"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _edit(tab, field: str, value: str) -> None:
    """Type a value into one of the page's fields and wait for the server's answer."""
    with tab.expect_response(lambda r: r.url.endswith("/recompute")):
        tab.fill(field, value)
        tab.dispatch_event(field, "change")
    tab.wait_for_function("() => !document.querySelector('.bp-busy').textContent")


def test_an_edited_learning_rate_is_recomputed(page):
    page.keyboard.press("End")  # the last step: the learning rate has acted twice before it
    before = _lines(page)
    _edit(page, '.bp-edit input[name="lr"]', "0.9")
    after = _lines(page)
    assert after != before and page.text_content(".bp-error") == ""
    text = _explain("2-3-1", "--lr", "0.9")
    assert all(line in text for line in after)
    assert "η = 0.9" in page.text_content(".bp-about")
    assert page.text_content(".bp-verdict").startswith("✓ verified")


def test_an_edited_weight_is_recomputed(page, tmp_path):
    """(after the learning rate's edit: the server keeps every edit until the next)"""
    page.dispatch_event('[data-id="e-1-2-1"] .bp-hit', "click")  # the edge itself, wherever others cross it
    _edit(page, '.bp-start input[name="weight"]', "0.3")
    page.keyboard.press("Home")
    page.click('[data-id="n-1-2"]')
    z = _lines(page)[0]
    assert "= 0.3·0.05 + " in z
    # the preset with w₂₁⁽¹⁾ = 0.3 (was 0.25) and η = 0.9
    preset = (Path(__file__).parents[1] / "networks" / "2-3-1.toml").read_text(encoding="utf-8")
    assert preset.count("[0.25, 0.30]") == 1
    spec = tmp_path / "edited.toml"
    spec.write_text(preset.replace("[0.25, 0.30]", "[0.3, 0.30]"), encoding="utf-8")
    text = _explain(str(spec), "--lr", "0.9")
    assert all(line in text for line in _lines(page))


def test_a_bad_edit_says_why_and_keeps_the_numbers(page):
    before = _lines(page)
    _edit(page, '.bp-edit input[name="lr"]', "fast")
    assert page.text_content(".bp-error") == "backprop: error: Invalid value for '--lr': 'fast' is not a valid number."
    assert _lines(page) == before
    _edit(page, '.bp-edit input[name="input"]', "1,2,3")
    assert page.text_content(".bp-error") == (
        "backprop: error: input has 3 values per sample but the input layer has 2 neurons"
    )
    assert _lines(page) == before


def test_ctrl_c_stops_the_server(server, page):
    process, _ = server
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    assert "stopped serving" in process.stderr.read()


def test_a_port_in_use_is_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(COMMAND + ["--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert (
        result.stderr
        == f"backprop: error: port {port} is in use; give another with --port, or leave it out for a free one\n"
    )
