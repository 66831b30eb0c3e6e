"""Browser tests: Debian's Chromium, driven by Playwright, against a real server on 127.0.0.1.

Nothing a page uses may be refused by its Content-Security-Policy (web/security.py).
Every request to anywhere but the test server is blocked and recorded, so a page that needs
the internet (a CDN, a font service, an autocompletion service) fails its test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, Route, sync_playwright

from helpers.sparql import live_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """The project's own graph served by gunicorn on 127.0.0.1; its root URL."""
    with live_server("oxigraph", home=None) as root:
        yield root.rstrip("/")


# The driver and the browser live for one test module, not the session: a session-scoped one
# idled through the rest of the suite (half an hour) and its teardown at the session's end then
# waited on the driver for ever (seen in CI at 8f29379); a module's teardown comes while both are
# fresh, at the cost of one Chromium start (about a second) per module.
@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    """Playwright's driver, shared by every browser of the module."""
    if not CHROMIUM.is_file():
        pytest.fail(f"no {CHROMIUM}: run `bash scripts/run test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        yield playwright


def launch(playwright: Playwright, profile: Path) -> BrowserContext:
    """Chromium with its own profile (so its own storage)."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000},
        locale="en-GB",
    )


@pytest.fixture(scope="module")
def browser_context(
    playwright_driver: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserContext]:
    """One Chromium with a fresh profile for the module."""
    context = launch(playwright_driver, tmp_path_factory.mktemp("chromium-profile"))
    yield context
    context.close()


@contextmanager
def guarded(context: BrowserContext) -> Iterator[Page]:
    """A new tab that may only talk to 127.0.0.1; afterwards, nothing else was asked for."""
    blocked: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    tab = context.new_page()
    tab.route("**/*", guard)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    # what the Content-Security-Policy refused (Chromium reports each on the console)
    refused: list[str] = []
    tab.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield tab
    tab.close()
    assert blocked == [], "the page asked for something beyond 127.0.0.1"
    assert errors == [], "uncaught JavaScript errors"
    assert refused == [], "the Content-Security-Policy refused something the page uses"


@pytest.fixture
def page(browser_context: BrowserContext) -> Iterator[Page]:
    """A new tab of the session's browser that may only talk to 127.0.0.1."""
    with guarded(browser_context) as tab:
        yield tab


@pytest.fixture
def fresh_page(playwright_driver: Playwright, tmp_path: Path) -> Iterator[Page]:
    """A tab of a browser started afresh (empty profile: no storage, no cache), guarded alike."""
    context = launch(playwright_driver, tmp_path / "fresh-profile")
    try:
        with guarded(context) as tab:
            yield tab
    finally:
        context.close()
