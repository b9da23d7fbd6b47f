"""Browser harness: one headless Debian Chromium per session, a fresh context per test, axe checks.

Tests using `browser_page` run against pytest-django's `live_server` (a real HTTP server in a
thread, static files served from the app folders by its StaticFilesHandler), so they need the
transactional database; mark them `@pytest.mark.browser`. The migration data (the authorities)
is put back after each flush by the hook in tests/conftest.py.
"""

from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
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
# Every success criterion of WCAG 2.0, 2.1 and 2.2 at levels A and AA that axe-core can test.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_axe = Axe()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(chromium: Browser, live_server, *, javascript: bool) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live_server.url, java_script_enabled=javascript, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def browser_page(chromium: Browser, live_server) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), its base_url the live server."""
    yield from _page(chromium, live_server, javascript=True)


@pytest.fixture
def browser_page_without_javascript(chromium: Browser, live_server) -> Iterator[Page]:
    """The same, with JavaScript disabled: every page must work without it."""
    yield from _page(chromium, live_server, javascript=False)


def check_accessible(page: Page) -> None:
    """Fail on any axe-core violation of a WCAG 2.0/2.1/2.2 A or AA rule on the current page.

    axe is injected through the DevTools protocol, which the Content-Security-Policy does not
    govern, so the page under test keeps its real policy. It needs JavaScript in the context.
    """
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
    violations = results.response["violations"]
    assert violations == [], f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """`assert_accessible(page)`: the axe check, as a fixture (test modules are not packages)."""
    return check_accessible
