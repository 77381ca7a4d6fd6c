"""A real headless Chromium (Debian's `chromium`) driven by Playwright, against
pytest-django's live server.

Playwright's sync API runs an asyncio loop in the test thread, which makes
Django refuse ORM calls from that thread (SynchronousOnlyOperation); the
browser fixture therefore sets DJANGO_ALLOW_ASYNC_UNSAFE while the browser
runs, and puts it back afterwards so the rest of the suite keeps the check.
"""

import os
import shutil
import time
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


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "demo-pass-2023"  # accounts/demo.py


@pytest.fixture
def demo(transactional_db):
    """The demo data (`load_demo`), committed so the live server sees it;
    flushed after the test like any transactional test. An earlier flush also
    emptied the lists the migrations seed, so they are seeded again first."""
    from importlib import import_module
    from io import StringIO

    from django.apps import apps
    from django.core.management import call_command

    for module in ("grants.migrations.0002_seed_managed_lists",
                   "reporting.migrations.0002_seed_feature_tags"):
        import_module(module).seed(apps, None)
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """new_page(viewport=PHONE) → a fresh context (Japanese, no cookies) on the
    live server; every context is closed after the test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    contexts = []

    def make(viewport=PHONE, locale="ja-JP"):
        context = browser.new_context(
            base_url=live_server.url, accept_downloads=True, viewport=viewport, locale=locale,
            extra_http_headers={"Accept-Language": "ja"},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in_as(page, email, password=DEMO_PASSWORD):
    """Log in through the login page, in any language, and take the second
    step (a one-time code) when the account asks for one."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    pass_two_factor(page, email)
    expect(page.locator("form[action$='/logout/'] button")).to_be_visible()


def _code(key: bytes, *, drift: int = 0) -> str:
    from django_otp.oath import totp

    return f"{totp(key, step=30, t0=0, digits=6, drift=drift):06d}"


def pass_two_factor(page, email):
    """After the password: set up an authenticator app the way a keyboard or
    screen-reader user does (the secret key as text, not the QR code) and
    give its code; or, when one is set up, give the code it shows now (the
    device's key read from the database, as the app holds it)."""
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import expect

    page.wait_for_load_state()
    if "/accounts/two-factor/enrol/" in page.url:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / "two-factor-enrol.png", full_page=True)
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        key = b32decode(secret + "=" * (-len(secret) % 8))
        page.locator("input[name=otp]").fill(_code(key))
        page.locator("main button[type=submit]").click()
        expect(page.locator("ul.recovery-codes li")).to_have_count(10)
        page.locator("main ul.recovery-codes + p a").click()
    elif "/accounts/two-factor/verify/" in page.url:
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        # A code is good once: right after an earlier login, the next one.
        now_t = int(time.time()) // device.step
        drift = 1 if device.last_t >= now_t else 0
        page.locator("input[name=otp]").fill(_code(device.bin_key, drift=drift))
        page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def assert_fits(page, width=PHONE["width"]):
    """The page never scrolls sideways: nothing is wider than the viewport
    (wide tables scroll inside their own container)."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} is {scroll_width}px wide at a {width}px viewport: "
        + ", ".join(page.evaluate(
            """w => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > w + 1
                              && !e.closest('.table-scroll'))
                 .slice(0, 5).map(e => e.tagName + '.' + e.className)""", width))
    )
