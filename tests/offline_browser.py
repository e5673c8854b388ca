"""A page in Debian's Chromium (driven by Playwright; its own browser download cannot work here)
that answers no request but local files: what it asked the network for, and every script error
on it, are recorded for the test to check."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"  # make setup installs it


@contextmanager
def offline_page(width: int = 1200, height: int = 900):
    """A page whose `.asked` lists the URLs it tried to fetch (all refused) and `.errors` its
    uncaught script errors."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.asked, page.errors = [], []
        local = ("file:", "data:", "blob:", "about:")
        page.route(lambda url: not url.startswith(local), lambda r: (page.asked.append(r.request.url), r.abort()))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        try:
            yield page
        finally:
            browser.close()
