"""A real headless Chromium (Debian's `chromium`) driven by Playwright, against
pytest-django's live server.

Playwright's sync API runs an asyncio loop in the test thread, which makes
Django refuse ORM calls from that thread (SynchronousOnlyOperation); the
browser fixture therefore sets DJANGO_ALLOW_ASYNC_UNSAFE while the browser
runs, and puts it back afterwards so the rest of the suite keeps the check.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# git-ignored; CI keeps it as an artifact.
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no Chromium: install Debian's `chromium` package to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser context (no cookies) on the live server."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
