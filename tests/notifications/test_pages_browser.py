"""The pages behind the e-mails' links, in a real browser: no accessibility violations,
and their buttons work (plain forms: the pages load no script of their own)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from broadsheet.notifications import links
from broadsheet.notifications.models import Address, Subscription
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import post

pytestmark = pytest.mark.browser


def path_of(url: str) -> str:
    return url.removeprefix(links.site_url())


def test_confirm_and_stop_pages_are_accessible_and_their_buttons_work(page: Page, article):
    comment = post(article, "Tell me.", author_email="anna@example.org", notify_replies=True)
    key = links.address_key("anna@example.org")
    # axe runs as a script in the page, so this page keeps JavaScript on.
    page.goto(path_of(links.confirm_url(key)))
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, e-mail me about replies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Address confirmed")
    assert_accessible(page)
    assert Address.objects.get(key=key).status == Address.Status.CONFIRMED

    page.goto(path_of(links.stop_comment_url(comment.pk)))
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Stop e-mail about this comment").click()
    assert_accessible(page)
    assert not Subscription.objects.exists()

    page.get_by_role("link", name="stop all e-mail from Broadsheet").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Stop all e-mail to me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All e-mail stopped")
    assert_accessible(page)
    assert Address.objects.get(key=key).status == Address.Status.STOPPED

    page.goto("/mail/stop/not-a-token")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(page)
