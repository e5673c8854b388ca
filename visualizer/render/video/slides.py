"""The lecture as slides: manim-slides renders LectureSlides (a slide per step of the story, its
narration and numbers as speaker notes) and converts it into one HTML file that works offline.

manim-slides' HTML template loads reveal.js from a CDN, and a lecture hall may have no network,
so the template is rebuilt with reveal.js inlined, from the npm package `make setup` unpacks into
the virtual environment; the videos are embedded as data URIs (--one-file).

The template shows each slide's video as reveal.js' background video, and a background video
cannot take a caption track (reveal.js makes that element itself, from an attribute holding one
URL). So each slide is a <video> element of its own instead, with a <track> of the captions of
that slide (the lecture's cues cut at the slide boundaries, a WebVTT data URI): reveal.js plays
it from the start when the slide is shown (data-autoplay) and pauses it when the slide is left;
it stops on its last frame.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

from visualizer.errors import UsageError
from visualizer.files import atomic_target

from . import captions

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
    replaced = {**inlined, **VIDEO_ELEMENTS}
    for tag, text in replaced.items():
        if template.count(tag) != 1:
            raise RuntimeError(f"manim-slides' template changed (no single {tag!r}); check the pinned version")
        template = template.replace(tag, text)
    if "cdn_url" in template:
        raise RuntimeError("manim-slides' template still loads something from the CDN")
    return template


# Each slide a <video> with a caption track, in place of reveal.js' background video (see above).
# The track's src is a placeholder, `captions:N` for the N-th slide, filled in after the conversion
# (the template only gets what manim-slides gives it).
BACKGROUND_SLIDE = """        <section
          data-background-size={{ background_size }}
          data-background-color="{{ presentation_config.background_color }}"
          {% if slide_config.type.value == "image" %}
          data-background-image="{{ file }}"
          {% else %}
          data-background-video="{{ file }}"
          {% if loop.index == 1 and outer_loop.index == 1 %}
          data-background-video-muted
          {% endif %}
          {% if slide_config.loop %}
          data-background-video-loop
          {% endif %}
          {% endif %}
          {% if slide_config.auto_next %}
          data-autoslide="{{ get_duration_ms(slide_config.file) }}"
          {% endif %}
          >
"""
VIDEO_SLIDE = """        <section class="manim-slide"
          data-background-color="{{ presentation_config.background_color }}"
          {% if slide_config.auto_next %}
          data-autoslide="{{ get_duration_ms(slide_config.file) }}"
          {% endif %}
          >
          {% if slide_config.type.value == "image" %}
          <img src="{{ file }}">
          {% else %}
          <video src="{{ file }}" data-autoplay muted playsinline preload="auto"{% if slide_config.loop %} loop{% endif %}>
            <track kind="captions" srclang="en" label="English" default src="captions:{{ loop.index0 }}">
          </video>
          {% endif %}
"""
VIDEO_ELEMENTS = {
    BACKGROUND_SLIDE: VIDEO_SLIDE,
    # the video fills the slide, its picture whole (reveal.js' r-stretch cannot: manim-slides sizes
    # the deck in percent, and r-stretch works out the room left in pixels from those)
    "  </head>": "    <style>.reveal .slides section.manim-slide { height: 100%; padding: 0; }\n"
    ".reveal .manim-slide video, .reveal .manim-slide img "
    "{ display: block; width: 100%; height: 100%; object-fit: contain; margin: 0; }</style>\n  </head>",
    # space plays and pauses the slide's video (manim-slides' looks for a background video)
    "Reveal.getCurrentSlide().slideBackgroundContentElement.getElementsByTagName": (
        "Reveal.getCurrentSlide().getElementsByTagName"
    ),
    # manim-slides' fix for background videos of data URIs, which reveal.js splits at the comma
    "Reveal.on( 'ready', fixBase64VideoBackground );": "",
}
TRACK = re.compile(r'src="captions:(\d+)"')


def _inline(path: Path, tag: str) -> str:
    text = path.read_text(encoding="utf-8")
    if "{% endraw %}" in text or f"</{tag}" in text:
        raise RuntimeError(f"{path} cannot be inlined in a <{tag}>")
    # {% raw %}: the template is Jinja, and reveal.js is full of braces
    return f"<{tag}>{{% raw %}}\n{text}\n{{% endraw %}}</{tag}>"


def convert_to_html(work: Path, scene: str, target: Path, title: str, cues: captions.Cues = ()) -> None:
    """Turn the slides manim wrote under `work` (its slides/ folder) into one HTML file, each
    slide's video with its share of `cues` (the captions of the whole scene's video)."""
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
    slides = slide_videos(work, scene)
    tracks = [
        captions.vtt_data_uri(part)
        for part in captions.split(list(cues), [captions.video_duration(video) for video in slides])
    ]
    text = html.read_text(encoding="utf-8")
    if [int(n) for n in TRACK.findall(text)] != list(range(len(slides))):
        raise RuntimeError("the slides' caption tracks are not one a slide; check manim-slides' template")
    text = TRACK.sub(lambda match: f'src="{tracks[int(match[1])]}"', text)
    with atomic_target(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def slide_videos(work: Path, scene: str) -> list[Path]:
    """Each slide's video, in order, as manim-slides listed them in slides/<scene>.json."""
    config = json.loads((work / "slides" / f"{scene}.json").read_text(encoding="utf-8"))
    return [work / slide["file"] for slide in config["slides"]]
