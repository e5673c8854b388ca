"""The lecture as slides: manim-slides renders LectureSlides (a slide per beat, the step's numbers
as speaker notes) and converts it into one HTML file that works offline.

manim-slides' HTML template loads reveal.js from a CDN, and a lecture hall may have no network,
so the template is rebuilt with reveal.js inlined, from the npm package `make setup` unpacks into
the virtual environment; the videos are embedded as data URIs (--one-file).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

from visualizer.errors import UsageError
from visualizer.files import atomic_target

REVEAL_VERSION = "6.0.1"  # manim-slides 5.7.0's default; its template is written for it
THEME = "white"  # a theme without web fonts (most @import Google Fonts), on the videos' white page


def reveal_dir() -> Path:
    return Path(sys.prefix) / "share" / f"reveal.js-{REVEAL_VERSION}"


def check_slides_tools() -> None:
    try:
        import manim_slides  # noqa: F401  (only: is it installed?)
    except ImportError:
        raise UsageError(
            "--slides needs manim-slides; install it with: pip install 'backprop[video]' (or run `make setup`)"
        ) from None
    if not (reveal_dir() / "dist" / "reveal.js").is_file():
        raise UsageError(
            f"--slides needs reveal.js {REVEAL_VERSION} in {reveal_dir()}; run `make setup` "
            f"(it unpacks `npm pack reveal.js@{REVEAL_VERSION}` there)"
        )


def offline_template() -> str:
    """manim-slides' own reveal.js template, with each file it would fetch from the CDN inlined."""
    import manim_slides.templates

    template = resources.files(manim_slides.templates).joinpath("revealjs.html").read_text(encoding="utf-8")
    dist = reveal_dir() / "dist"
    inlined = {
        '<link rel="stylesheet" href="{{ cdn_url }}/dist/reveal.css">': _inline(dist / "reveal.css", "style"),
        '<link rel="stylesheet" href="{{ cdn_url }}/dist/theme/{{ reveal_theme }}.css">': _inline(
            dist / "theme" / f"{THEME}.css", "style"
        ),
        # code highlighting: slides of videos have no code
        '<link rel="stylesheet" href="{{ cdn_url }}/dist/plugin/highlight/zenburn.css">': "",
        '<script src="{{ cdn_url }}/dist/reveal.js"></script>': _inline(dist / "reveal.js", "script"),
        '<script src="{{ cdn_url }}/dist/plugin/notes.js"></script>': _inline(dist / "plugin" / "notes.js", "script"),
        '<script src="{{ cdn_url }}/dist/plugin/markdown.js"></script>': _inline(
            dist / "plugin" / "markdown.js", "script"
        ),
    }
    for tag, text in inlined.items():
        if template.count(tag) != 1:
            raise RuntimeError(f"manim-slides' template changed (no single {tag!r}); check the pinned version")
        template = template.replace(tag, text)
    if "cdn_url" in template:
        raise RuntimeError("manim-slides' template still loads something from the CDN")
    return template


def _inline(path: Path, tag: str) -> str:
    text = path.read_text(encoding="utf-8")
    if "{% endraw %}" in text or f"</{tag}" in text:
        raise RuntimeError(f"{path} cannot be inlined in a <{tag}>")
    # {% raw %}: the template is Jinja, and reveal.js is full of braces
    return f"<{tag}>{{% raw %}}\n{text}\n{{% endraw %}}</{tag}>"


def convert_to_html(work: Path, scene: str, target: Path, title: str) -> None:
    """Turn the slides manim wrote under `work` (its slides/ folder) into one HTML file."""
    template = work / "revealjs-offline.html"
    template.write_text(offline_template(), encoding="utf-8")
    html = work / f"{scene}.html"
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "manim-slides"),
            "convert",
            "--to",
            "html",
            "--one-file",
            "--use-template",
            str(template),
            f"-ctitle={title}",
            scene,
            str(html),
        ],
        cwd=work,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not html.is_file() or html.stat().st_size == 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise RuntimeError(f"manim-slides could not convert the slides: {last}")
    with atomic_target(target) as tmp:
        shutil.copyfile(html, tmp)
