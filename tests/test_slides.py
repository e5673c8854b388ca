"""The slide deck (`backprop render --slides`): a slide per step, each ending on its picture, with
speaker notes and a caption track, in one HTML file that works offline and plays in a browser."""

import base64
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("manim")
pytest.importorskip("manim_slides")

import srt  # noqa: E402  (manim's dependency)

from visualizer.render.video.beats import BEATS  # noqa: E402
from visualizer.render.video.notes import step_notes  # noqa: E402

CHROMIUM = "/usr/bin/chromium"  # Debian's (make setup); Playwright's own browser download is not used


def test_step_notes_are_the_narration_then_every_number():
    numbers = [f"w_{i} = {i}*2" for i in range(30)]
    notes = step_notes("The error flows back <here>", numbers).splitlines()
    assert notes[0] == "The error flows back &lt;here&gt;"
    assert len(notes) == 31 and notes[1] == r"- w\_0 = 0\*2" and notes[-1] == r"- w\_29 = 29\*2"  # never cut


def test_slides_template_loads_nothing_from_the_network():
    from visualizer.render.video.slides import check_slides_tools, offline_template

    check_slides_tools()
    template = offline_template()
    assert "cdn_url" not in template and "Reveal.initialize" in template
    assert not re.search(r"""(src|href)=["']?https?:""", template)
    assert 'data-background-video="{{ file }}"' not in template and '<track kind="captions"' in template


def test_slides_are_of_the_lecture(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "visualizer", "render", "--scene", "forward", "--slides", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "add --scene lecture" in result.stderr


class Slide:
    def __init__(self, section: str, folder: Path, n: int):
        self.video = folder / f"slide{n}.mp4"
        self.video.write_bytes(base64.b64decode(re.search(r'<video src="data:video/mp4;base64,([^"]+)"', section)[1]))
        track = re.search(r'<track kind="captions" srclang="en" label="English" default src="([^"]+)"', section)
        self.track = track[1]
        notes = re.search(r'<aside class="notes" data-markdown>(.*?)</aside>', section, re.S)
        self.notes = notes[1].strip() if notes else ""


@pytest.fixture(scope="module")
def deck(lecture_render, tmp_path_factory):
    """`backprop render --slides` of the 2-3-1 lecture at low quality (conftest's shared render):
    the files, the lecture's cues and each slide (its video, caption track and notes) read out of
    the deck."""
    out, printed = lecture_render
    assert printed[:2] == [str(out / "2-3-1-Lecture.mp4"), str(out / "2-3-1-Lecture.html")]
    page = (out / "2-3-1-Lecture.html").read_text(encoding="utf-8")
    slides_div = page[page.index('<div class="slides">') : page.index("<script", page.index('<div class="slides">'))]
    sections = re.findall(r"<section.*?</section>", slides_div, re.S)
    folder = tmp_path_factory.mktemp("slide-videos")
    slides = [Slide(section, folder, n) for n, section in enumerate(sections)]
    cues = list(srt.parse((out / "2-3-1-Lecture.srt").read_text(encoding="utf-8")))
    return out, page, cues, slides


def test_the_deck_is_one_offline_file(deck):
    out, page, _, slides = deck
    lecture = sorted(p.name for p in out.iterdir() if p.name.startswith("2-3-1-Lecture."))
    assert lecture == [f"2-3-1-Lecture.{ext}" for ext in ("html", "mp4", "srt", "vtt")]
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert all(slide.track.startswith("data:text/vtt;base64,") for slide in slides)


def test_a_slide_stop_at_every_step(deck):
    """Each step adds a caption (the lecture's .srt) and starts a slide: as many slides as
    captions, more than beats, and each slide's caption is the narration of its step."""
    _, _, cues, slides = deck
    assert len(slides) == len(cues) > len(BEATS)
    for slide, cue in zip(slides, cues):
        vtt = base64.b64decode(slide.track.split(",", 1)[1]).decode("utf-8")
        texts = re.findall(r"\d\d:\d\d:\d\d\.\d\d\d --> \d\d:\d\d:\d\d\.\d\d\d\n(.*?)(?:\n\n|\n?$)", vtt, re.S)
        assert [html.unescape(text) for text in texts] == [cue.content]


def test_every_slide_has_the_notes_of_its_step(deck):
    _, _, cues, slides = deck
    assert all(slide.notes for slide in slides), "a slide without speaker notes"
    for slide, cue in zip(slides, cues):
        narration = slide.notes.splitlines()[0]
        assert re.sub(r"\\([*_])", r"\1", html.unescape(narration)) == cue.content.splitlines()[0]


def test_every_slide_ends_on_its_picture(deck):
    """A slide stops on its last frame, which must show something: the fade to the next beat
    belongs to the next slide's start."""
    import av

    *_, slides = deck
    for n, slide in enumerate(slides):
        with av.open(str(slide.video)) as container:
            last = None
            for frame in container.decode(video=0):
                last = frame
        ink = (last.to_ndarray(format="gray") < 240).mean()
        assert ink > 0.002, f"slide {n + 1} ends on an empty page"


def test_the_deck_plays_in_a_browser_with_captions(deck, tmp_path):
    """Chromium opens the deck from disk: each slide plays its video on arrival, with a caption
    track whose cues are there, and stops on its last frame."""
    playwright = pytest.importorskip("playwright.sync_api")
    import numpy as np
    from PIL import Image

    out, _, cues, slides = deck
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)  # no flag: muted videos may autoplay
        try:
            page = browser.new_page(viewport={"width": 960, "height": 540})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto((out / "2-3-1-Lecture.html").as_uri())
            page.wait_for_function("window.Reveal && Reveal.isReady()")
            assert page.evaluate("Reveal.getTotalSlides()") == len(slides)
            for n, cue in enumerate(cues):
                page.evaluate(f"Reveal.slide({n})")
                state = page.evaluate(
                    """async () => {
                        const video = Reveal.getCurrentSlide().querySelector('video');
                        const track = video.textTracks[0];
                        track.mode = 'showing';
                        const wait = () => new Promise(done => setTimeout(done, 50));
                        for (let i = 0; i < 100 && !(track.cues && track.cues.length); i++) await wait();
                        for (let i = 0; i < 100 && video.currentTime === 0; i++) await wait();
                        return {kind: track.kind, language: track.language, time: video.currentTime,
                                cues: Array.from(track.cues || [], c => c.getCueAsHTML().textContent)};
                    }"""
                )
                assert state["kind"] == "captions" and state["language"] == "en"
                assert state["cues"] == [cue.content], f"slide {n + 1}"
                assert state["time"] > 0, f"slide {n + 1} did not play on arrival"
            page.evaluate("Reveal.slide(1)")  # a slide plays once and stops on its last frame
            page.wait_for_function("Reveal.getCurrentSlide().querySelector('video').ended", timeout=30_000)
            assert page.evaluate(f"Reveal.getSlides()[{len(cues) - 1}].querySelector('video').paused")  # left behind
            page.evaluate(
                "(() => { const v = Reveal.getCurrentSlide().querySelector('video'); v.currentTime = 0.9; })()"
            )
            page.wait_for_function("Reveal.getCurrentSlide().querySelector('video').textTracks[0].activeCues.length")
            page.wait_for_timeout(300)
            page.screenshot(path=str(tmp_path / "slide.png"))
            assert errors == []
        finally:
            browser.close()
    picture = np.asarray(Image.open(tmp_path / "slide.png").convert("L"))
    assert (picture < 240).mean() > 0.01  # the slide's picture and its caption are on the page
