"""The queue's keyboard, in a real browser: j/k move, a/r/s decide, x ticks, u undoes."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Page, expect

from broadsheet.discussion.models import Comment
from tests.conftest import post
from tests.moderation.conftest import make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = Comment.Status


@pytest.fixture
def staff_page(new_context, live_server) -> Page:
    user = make_moderator("kb")
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context = new_context()
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return context.new_page()


def held(article, *bodies: str) -> list[Comment]:
    comments = [post(article, body) for body in bodies]
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(status=Status.PENDING)
    return comments


def status_of(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


def test_keys_move_and_decide(staff_page: Page, article):
    first, second = held(article, "first held", "second held")
    staff_page.goto("/moderation/")
    expect(staff_page.locator(f"#q-{first.pk}")).to_have_class("queue-item status-pending current")
    staff_page.keyboard.press("j")
    expect(staff_page.locator(f"#q-{second.pk}")).to_have_class("queue-item status-pending current")
    with staff_page.expect_navigation():
        staff_page.keyboard.press("s")
    assert status_of(second) == Status.SPAM
    with staff_page.expect_navigation():
        staff_page.keyboard.press("a")
    assert status_of(first) == Status.APPROVED
    with staff_page.expect_navigation():
        staff_page.keyboard.press("u")
    assert status_of(first) == Status.PENDING


def test_x_ticks_for_a_bulk_decision(staff_page: Page, article):
    a, b, c = held(article, "one", "two", "three")
    staff_page.goto("/moderation/")
    staff_page.keyboard.press("x")
    staff_page.keyboard.press("j")
    staff_page.keyboard.press("j")
    staff_page.keyboard.press("x")
    with staff_page.expect_navigation():
        staff_page.locator("fieldset.bulk").get_by_role("button", name="Reject").click()
    assert [status_of(x) for x in (a, b, c)] == [Status.REJECTED, Status.PENDING, Status.REJECTED]


def test_after_a_decision_the_next_comment_is_current(staff_page: Page, article):
    _, b, c = held(article, "one", "two", "three")
    staff_page.goto("/moderation/")
    staff_page.keyboard.press("j")
    with staff_page.expect_navigation():
        staff_page.keyboard.press("r")
    assert status_of(b) == Status.REJECTED
    # Not back at the top: the comment that followed the decided one.
    expect(staff_page.locator(f"#q-{c.pk}")).to_have_class("queue-item status-pending current")


def test_select_all_ticks_the_page_for_a_bulk_decision(staff_page: Page, article):
    comments = held(article, "one", "two", "three")
    staff_page.goto("/moderation/")
    staff_page.get_by_label("Select all 3 on this page").check()
    with staff_page.expect_navigation():
        staff_page.locator("fieldset.bulk").get_by_role("button", name="Spam").click()
    assert [status_of(x) for x in comments] == [Status.SPAM] * 3
