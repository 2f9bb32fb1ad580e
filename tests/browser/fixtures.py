"""Browser fixtures for every test folder (a pytest plugin loaded by tests/conftest.py).

A real Chromium, driven through Playwright's sync API, against pytest-django's live server.

One browser is started per test session (per xdist worker) and every test gets
fresh contexts from it, so cookies never leak between tests. We use Debian's
chromium and never let Playwright download one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IN_CI = os.environ.get("CI", "").lower() == "true"
# Generous for a loaded CI machine; a healthy page answers in milliseconds.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests"
        if IN_CI:
            pytest.fail(f"{message} (CI=true requires them)")
        pytest.skip(message)
    # Playwright's sync API keeps an asyncio loop running in this thread, and
    # Django refuses ORM calls made while a loop runs. Tests build data with
    # the ORM between browser steps, strictly one after the other, which is safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator:
    """Make a fresh browser context (its own cookies) pointed at the live server."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def signed_in_as(context: BrowserContext, live_server, user) -> Page:
    """A page of ``context`` with ``user`` signed in (a session made by Django's test
    client, its cookie given to the browser)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return context.new_page()


@pytest.fixture
def page(new_context) -> Page:
    """A page in a fresh context with JavaScript on."""
    return new_context().new_page()
