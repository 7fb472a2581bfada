"""One way to drive Debian's Chromium for every browser test: Playwright against pytest-django's live server.

Screenshots go to test-artifacts/ (gitignored) for a human to look at when something breaks.
"""

import contextlib
from pathlib import Path

import pytest

from django.db import connections

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The machine's network is closed: without the background-networking flags Chromium keeps dialling out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000


@contextlib.contextmanager
def chromium_page(chromium_path: str, **context_options):
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(locale="id-ID", **context_options)
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.set_default_navigation_timeout(TIMEOUT_MS)
                yield page
                context.close()
            finally:
                browser.close()
    finally:
        # ORM calls made while Playwright runs use their own connection (its loop gives them a context of their
        # own); close it — after Playwright's loop has stopped, where Django allows it — or PostgreSQL refuses to
        # drop the test database at the end of the session.
        connections.close_all()


@pytest.fixture
def allow_orm_beside_playwright(monkeypatch):
    # Playwright's sync API keeps an asyncio loop on this thread; the test's own ORM calls are still
    # plain synchronous code, which Django would otherwise refuse (SynchronousOnlyOperation).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def browser_page(chromium_path, allow_orm_beside_playwright):
    """A desktop browser window, as an editor in the office has."""
    with chromium_page(chromium_path, viewport={"width": 1400, "height": 1000}) as page:
        yield page


@pytest.fixture
def phone(chromium_path, allow_orm_beside_playwright):
    """A phone-sized mobile browser, as a KIM contributor in a village has."""
    with chromium_page(
        chromium_path, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    ) as page:
        yield page
