"""The explorer as one HTML file that works with no network: the payload, the explorer's
script and style, and KaTeX (its script, its stylesheet and its fonts as data: URIs), all
inlined into assets/page.html. KaTeX comes from the npm package `make setup` unpacks into the
virtual environment, as the slide deck's reveal.js does (a lecture hall may have no network).
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import json
import re
import sys
from importlib import resources
from pathlib import Path

from visualizer.errors import UsageError
from visualizer.network.trace import Trace

from .payload import payload

KATEX_VERSION = "0.19.1"
ASSETS = resources.files(__package__) / "assets"


def katex_dir() -> Path:
    return Path(sys.prefix) / "share" / f"katex-{KATEX_VERSION}"


def check_katex() -> None:
    if not (katex_dir() / "dist" / "katex.min.js").is_file():
        raise UsageError(
            f"the explorer needs KaTeX {KATEX_VERSION} in {katex_dir()}; run `make setup` "
            f"(it unpacks `npm pack katex@{KATEX_VERSION}` there)"
        )


@functools.cache
def katex_assets() -> dict[str, str]:
    """KaTeX's script and its stylesheet, the stylesheet's fonts inlined as data: URIs (woff2,
    which every browser KaTeX supports reads; the woff and ttf fallbacks are dropped)."""
    check_katex()
    dist = katex_dir() / "dist"

    def font(match: re.Match) -> str:
        data = base64.b64encode((dist / "fonts" / f"{match[1]}.woff2").read_bytes()).decode("ascii")
        return f'src:url(data:font/woff2;base64,{data}) format("woff2")'

    css = re.sub(r"src:url\(fonts/([\w-]+)\.woff2\)[^;}]*", font, (dist / "katex.min.css").read_text("utf-8"))
    if "url(fonts/" in css:
        raise RuntimeError(f"KaTeX {KATEX_VERSION}'s stylesheet names a font it was not expected to; check the pin")
    return {"js": (dist / "katex.min.js").read_text("utf-8"), "css": css}


def asset(name: str) -> str:
    return (ASSETS / name).read_text("utf-8")


def script() -> str:
    """The explorer's one ES module: its state and keys (explorer.js), then its views (views.js)."""
    return asset("explorer.js") + "\n" + asset("views.js")


def page_html(trace: Trace, *, precision: int | None = None, serve: bool = False, hash: bool = True) -> str:
    """The explorer of `trace` as a complete HTML document; `serve`: with the controls that send
    edits to the server (`backprop explore --serve`), which answers with a new payload; `hash`:
    the state in the URL fragment (a page inside a notebook's sandboxed iframe has no URL of its
    own to change)."""
    katex = katex_assets()
    data = payload(trace, precision=precision)
    parts = {
        "TITLE": html.escape(f"{trace.network.name}: backprop explorer"),
        "KATEX_CSS": katex["css"],
        "EXPLORER_CSS": asset("explorer.css"),
        "KATEX_JS": _script_safe(katex["js"]),
        "PAYLOAD": packed_payload(data),
        "EXPLORER_JS": _script_safe(script()),
        "OPTIONS": json.dumps({"serve": serve, "hash": hash}),
    }
    # one pass, so nothing inlined is read again as a placeholder
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m[1]], asset("page.html"))


def packed_payload(data: dict) -> str:
    """The payload as gzipped JSON in base64, which the page unpacks with the browser's own
    DecompressionStream: 300 steps of equations are 15 MB of JSON and a tenth of that packed (the
    same symbols and digits recur). mtime 0, so the same trace gives the same bytes."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def unpacked_payload(page: str) -> dict:
    """The payload a page holds (for tests and for whoever wants the numbers back)."""
    packed = re.search(r'<script type="application/octet-stream" id="explorer-data">([^<]*)</script>', page)[1]
    return json.loads(gzip.decompress(base64.b64decode(packed)))


def _script_safe(script: str) -> str:
    """A script to inline: "</script" would end the element early (inside a string, "<\\/" is the same text)."""
    if "<!--" in script:
        raise RuntimeError("a script to inline holds '<!--', which would change how the page is parsed")
    return re.sub(r"</(script)", r"<\\/\1", script, flags=re.IGNORECASE)
