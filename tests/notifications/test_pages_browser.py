"""The pages behind the e-mails' links, in a real browser: no accessibility violations,
and their buttons work (plain forms: the pages load no script of their own)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from broadsheet.notifications import links
from broadsheet.notifications.models import Address, ModeratorChoice, Subscription
from tests.browser.test_accessibility import assert_accessible, sign_in_as_editor
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


def test_moderators_choice_page_and_its_stop_page_are_accessible_and_work_without_script(
    page: Page, new_context
):
    sign_in_as_editor(page, "/moderation/notices/")
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail about the queue")
    expect(page.get_by_label("A digest", exact=False)).to_be_checked()
    assert_accessible(page)

    # The form is a plain one: with JavaScript off, choosing and saving works.
    no_script = new_context(java_script_enabled=False).new_page()
    no_script.goto("/admin/login/?next=/moderation/notices/")
    no_script.get_by_label("Username").fill("editor")
    no_script.get_by_label("Password").fill("correct horse")
    with no_script.expect_navigation():
        no_script.get_by_role("button", name="Log in").click()
    no_script.get_by_label("At once, for every comment", exact=False).check()
    with no_script.expect_navigation():
        no_script.get_by_role("button", name="Save").click()
    expect(no_script.get_by_role("status")).to_contain_text("Saved: at once, for every comment.")
    editor = get_user_model().objects.get(username="editor")
    assert ModeratorChoice.objects.get(user=editor).notices == ModeratorChoice.Notices.EACH

    # The e-mails' stop link: a page with a button, then a page that says so.
    page.goto(path_of(links.stop_moderator_url(editor.pk)))
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Stop e-mail about the queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("No more e-mail about the queue")
    assert_accessible(page)
    assert ModeratorChoice.objects.get(user=editor).notices == ModeratorChoice.Notices.NEVER
