"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

The browser is the machine's /usr/bin/chromium (CHROMIUM env var to override), launched headless with a
fresh profile; nothing is downloaded (never `playwright install`). Each step's screenshot is written to
test-artifacts/browser/.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _is_browser_test(item) -> bool:
    return "tests/browser/" in str(item.fspath).replace(os.sep, "/")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last, after pytest-django has put transactional tests after the others.
    Each ends with a flush of the database that recreates content types (post_migrate) under new ids,
    which a later `serialized_rollback` test could not restore its copy over."""
    browser_items = [item for item in items if _is_browser_test(item)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        items.remove(item)
    items.extend(browser_items)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module; each test gets a fresh context (cookies, storage) of its own.

    Playwright's sync API keeps an event loop in this thread while it lives, and Django then refuses ORM
    calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set: it is set while the module's browser lives and removed
    after (never for the process: `check --deploy` of a later test would inherit it). The browser tests
    run last, so no other test runs while it is set."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (see .ci/run)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            # launch() gives the browser a fresh temporary profile (user-data dir), removed on close.
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()


@pytest.fixture
def browser_settings(settings):
    """The live server speaks plain http on localhost: the production cookie flags stay as they are
    (Chromium accepts Secure cookies from localhost); staff passwords hash quickly (tests/conftest.py)."""
    settings.LANGUAGE_CODE = "en"
    return settings


@pytest.fixture
def page(browser, live_server, browser_settings, request, seeded):
    from django.db import connections

    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.base_url = live_server.url
    flow = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")
    folder = ARTIFACTS / flow
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    steps = iter(range(1, 100))

    def shot(name: str) -> Path:
        path = folder / f"{next(steps):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    page.shot = shot
    yield page
    context.close()
    # Once Playwright has started, the test runs in another context (greenlet), where Django opened a
    # database connection of its own: close it, or it would outlive the test database.
    connections.close_all()
