"""The attack corpus in a real Chromium: no payload runs, with the Content-Security-
Policy switched off (the sanitizer alone holds) and with it on.

The site is the one tests/test_attacks.py checks without a browser: every field a
reader, an editor or a reporter writes holds the corpus. Every payload calls a
marker (a dialog, ``top.__pwned``, the document's title); a test fails on any
dialog, a set marker, a script error or a console message other than a picture
that did not load. Some payloads need a reader's hand, so each link in reader and
editor text is hovered and focused, and any link that is not a web, mail or
on-site address is clicked.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import BrowserContext, ConsoleMessage, Dialog, Page, Route

from tests.test_attacks import Hostile, build_hostile_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reader and editor text on every page that shows it, and the author links.
USER_LINKS = ".comment-body a, .body a, blockquote a, .parent-comment a, .author a, .source a"
# At most this many links hovered per page: the corpus's links are alike, and the
# test must stay quick on CI's two cores.
MOST_LINKS = 50
MOST_CLICKS = 10
MARKERS = "({pwned: window.__pwned === 1, title: document.title === 'pwned'})"


class Watch:
    """What a page did that only a running payload does."""

    def __init__(self, page: Page) -> None:
        self.seen: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.seen.append(f"script error: {error}"))
        page.on("console", self._console)

    def _dialog(self, dialog: Dialog) -> None:
        self.seen.append(f"{dialog.type} dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        # A picture at "x" or on another host does not load: that is no payload running.
        if "Failed to load resource" not in message.text:
            self.seen.append(f"console {message.type}: {message.text}")


def _only_this_site(context: BrowserContext, origin: str) -> None:
    """Requests leave for nowhere but the live server (the machine has no network)."""

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(origin) or urlsplit(url).scheme in ("data", "blob", "about"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)


def _markers(page: Page, url: str) -> list[str]:
    return [f"{url}: {name} set" for name, on in page.evaluate(MARKERS).items() if on]


def _hover_and_focus(page: Page) -> list[int]:
    """Hover and focus each link in reader and editor text; the ones that lead
    anywhere but a web or mail address (by the number the locator gives them)."""
    links = page.locator(USER_LINKS)
    odd = []
    for i in range(min(links.count(), MOST_LINKS)):
        link = links.nth(i)
        if not link.is_visible():
            continue
        link.hover()
        link.focus()
        # The scheme as the browser read the address, relative ones resolved.
        if link.evaluate("a => a.protocol") not in ("http:", "https:", "mailto:"):
            odd.append(i)
    return odd


def _visit(page: Page, url: str, watch: Watch) -> list[str]:
    page.goto(url)
    # Animations, SVG timelines and toggles fire soon after load.
    page.wait_for_timeout(300)
    found = _markers(page, url)
    odd = _hover_and_focus(page)
    found += _markers(page, url)
    # A script address runs here, on this page: click each (there should be none).
    for i in odd[:MOST_CLICKS]:
        page.locator(USER_LINKS).nth(i).click(no_wait_after=True)
        page.wait_for_timeout(100)
        found += [f"{url}: a link to {page.url}"] if page.url != urljoin(page.url, url) else []
        found += _markers(page, url) if not found else []
    found += [f"{url}: {event}" for event in watch.seen]
    watch.seen.clear()
    return found


@pytest.fixture
def hostile(live_server) -> Hostile:
    return build_hostile_site()


@pytest.fixture
def visit_all(new_context, live_server, hostile) -> Callable[[], list[str]]:
    """Visit the hostile site's reader and staff pages; what ran."""

    def run() -> list[str]:
        context = new_context()
        _only_this_site(context, live_server.url)
        staff = Client()
        staff.force_login(hostile.moderator)
        name = django_settings.SESSION_COOKIE_NAME
        session = staff.cookies[name].value
        context.add_cookies([{"name": name, "value": session, "url": live_server.url}])
        page = context.new_page()
        watch = Watch(page)
        # One page of each kind (a tag's and a byline's are drawn as a section's is).
        urls = [*hostile.pages()[:2], *hostile.pages()[3:7], *hostile.staff_pages()[:3:2]]
        return [event for url in urls for event in _visit(page, url, watch)]

    return run


def test_no_payload_runs_with_the_sanitizer_alone_nor_with_the_policy(visit_all, settings):
    policy = settings.CONTENT_SECURITY_POLICY
    assert policy
    settings.CONTENT_SECURITY_POLICY = ""
    assert visit_all() == []
    settings.CONTENT_SECURITY_POLICY = policy
    assert visit_all() == []


def test_the_watch_sees_a_payload_that_runs(page, live_server, settings):
    """The test's own check: a live handler put on a page is caught."""
    settings.CONTENT_SECURITY_POLICY = ""
    watch = Watch(page)
    page.goto("/")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', "
        "'<img src=x onerror=\"top.__pwned=1; alert(1)\">')"
    )
    # The handler runs once the server has answered for "x", which on a busy machine
    # can take a while: wait for the marker rather than for a fixed time.
    page.wait_for_function("window.__pwned === 1", timeout=15_000)
    assert page.evaluate(MARKERS)["pwned"]
    for _ in range(50):
        if any("alert dialog" in event for event in watch.seen):
            break
        page.wait_for_timeout(100)
    assert any("alert dialog" in event for event in watch.seen)
