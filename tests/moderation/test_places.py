"""Without JavaScript, a form of the moderators' pages brings the moderator back where
they were, with its message there (moderation/views/places.py): in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from broadsheet.moderation.models import AuditEntry, Block
from tests.browser.test_accessibility import STRICT, assert_accessible
from tests.moderation.conftest import make_moderator
from tests.moderation.test_keyboard import held, signed_in, status_of
from tests.test_html import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = Comment.Status
LONG = "A line. " * 80


def plain_page(new_context, live_server) -> Page:
    """A moderator's page in a browser without JavaScript, a window shorter than the list."""
    context = new_context(java_script_enabled=False, viewport={"width": 1024, "height": 700})
    return signed_in(context, live_server)


def far_from_the_top(page: Page) -> None:
    assert page.evaluate("window.scrollY > 3 * window.innerHeight")
    expect(page.get_by_role("heading", name="Moderation queue")).not_to_be_in_viewport()


def pending_tab(new_context, live_server, article, n: int) -> tuple[list[Comment], Page]:
    """``n`` long comments held, and the Pending tab opened without JavaScript."""
    comments = held(article, *[f"Held comment {i}.\n\n{LONG}" for i in range(n)])
    page = plain_page(new_context, live_server)
    page.goto("/moderation/?tab=pending")
    return comments, page


def click(page: Page, comment: Comment, button: str) -> None:
    with page.expect_navigation():
        page.locator(f"#q-{comment.pk}").get_by_role("button", name=button).click()


def test_a_comments_button_far_down_returns_to_the_next_comment_with_its_message(
    new_context, live_server, article
):
    comments, page = pending_tab(new_context, live_server, article, 20)
    click(page, comments[12], "Reject")
    assert status_of(comments[12]) == Status.REJECTED
    assert page.url.endswith("/moderation/?tab=pending#said")
    far_from_the_top(page)
    # The message is drawn in the comment that followed, in view, with its Undo button.
    said = page.locator(f"#q-{comments[13].pk} #said")
    expect(said).to_contain_text("Rejected: 1 comment.")
    expect(said).to_be_in_viewport()
    expect(page.get_by_text("Rejected: 1 comment.")).to_have_count(1)
    expect(page.locator(f"#q-{comments[13].pk} .comment-body")).to_be_in_viewport()
    check_page(page.content())

    # Its Undo button takes the decision back, and the page opens on the comment again.
    with page.expect_navigation():
        said.get_by_role("button", name="Undo").click()
    assert status_of(comments[12]) == Status.PENDING
    far_from_the_top(page)
    undid = page.locator(f"#q-{comments[12].pk} #said")
    expect(undid).to_contain_text(f"Undid “Rejected” on #{comments[12].pk} by Reader.")
    expect(undid).to_be_in_viewport()


def test_the_last_comment_of_the_list_decided_says_so_after_the_list(
    new_context, live_server, article
):
    comments, page = pending_tab(new_context, live_server, article, 6)
    click(page, comments[-1], "Spam")
    far_from_the_top(page)
    said = page.locator("#queue-form > #said")
    expect(said).to_contain_text("Marked as spam: 1 comment.")
    expect(said).to_be_in_viewport()


def test_an_undo_far_down_recently_decided_returns_to_the_next_decision(
    new_context, live_server, article
):
    comments = held(article, *[f"Held comment {n}.\n\n{LONG}" for n in range(14)])
    # The page has no script: with JavaScript it is as without (and axe can run).
    page = signed_in(new_context(viewport={"width": 1024, "height": 700}), live_server)
    moderator = make_moderator("placed")
    for comment in comments:
        actions.moderate(comment, AuditEntry.Action.APPROVE, actor=moderator)
    page.goto("/moderation/?tab=decided")
    items = page.locator("ol.decided > li")
    # Newest first: the tenth item is the fifth comment's decision.
    with page.expect_navigation():
        items.nth(9).get_by_role("button", name="Undo").click()
    assert status_of(comments[4]) == Status.PENDING
    assert status_of(comments[3]) == Status.APPROVED
    far_from_the_top(page)
    said = items.nth(9).locator("#said")
    expect(said).to_contain_text(f"Undid “Approved” on #{comments[4].pk} by Reader.")
    expect(said).to_be_in_viewport()
    expect(items.nth(9)).to_contain_text("Held comment 3.")
    assert_accessible(page, STRICT)


def test_unblocking_far_down_the_list_stays_there(new_context, live_server, article):
    moderator = make_moderator("blocker")
    comments = [
        Comment.objects.get(pk=c.pk) for c in held(article, *[f"comment {n}" for n in range(40)])
    ]
    for n, comment in enumerate(comments):
        Comment.objects.filter(pk=comment.pk).update(author_email=f"reader{n}@example.org")
        comment.author_email = f"reader{n}@example.org"
        actions.block_author(comment, actor=moderator, kinds=[Block.Kind.EMAIL], days=7)
    page = signed_in(new_context(viewport={"width": 1024, "height": 700}), live_server)
    page.goto("/moderation/blocks/")
    rows = page.locator("table.blocks tbody tr")
    gone = rows.nth(30).locator("td").first.inner_text()
    with page.expect_navigation():
        rows.nth(30).get_by_role("button", name="Unblock").click()
    assert Block.objects.active().count() == 39
    assert page.evaluate("window.scrollY > window.innerHeight")
    said = page.locator("#said")
    expect(said).to_have_text("Unblocked.")
    expect(said).to_be_in_viewport()
    expect(page.get_by_text(gone, exact=True)).to_have_count(0)
    assert_accessible(page, STRICT)


def test_blocking_from_far_down_the_queue_returns_there(new_context, live_server, article):
    comments = held(article, *[f"Held comment {n}.\n\n{LONG}" for n in range(12)])
    Comment.objects.filter(pk=comments[9].pk).update(author_email="troll@example.org")
    page = plain_page(new_context, live_server)
    page.goto("/moderation/?tab=pending&order=oldest")
    with page.expect_navigation():
        page.locator(f"#q-{comments[9].pk}").get_by_role("link", name="Block author").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Block", exact=True).click()
    assert Block.objects.active().count() == 1
    assert page.url.endswith("/moderation/?tab=pending&order=oldest#said")
    far_from_the_top(page)
    said = page.locator(f"#q-{comments[9].pk} #said")
    expect(said).to_contain_text("Blocked Reader.")
    expect(said).to_be_in_viewport()


def test_with_javascript_the_status_line_holds_the_undo_button(new_context, live_server, article):
    """The message brought beside the comment in hand, at the foot of the window,
    carries its Undo button: a mouse, a keyboard or a screen reader finds it there,
    where the message said "Press u (or Undo my last decision)" of a button at the top."""
    comments = held(article, *[f"Held comment {n}.\n\n{LONG}" for n in range(24)])
    page = signed_in(new_context(viewport={"width": 1024, "height": 700}), live_server)
    page.goto("/moderation/?tab=pending")
    click(page, comments[15], "Spam")
    assert status_of(comments[15]) == Status.SPAM
    line = page.locator(".queue-said")
    expect(line).to_contain_text("Marked as spam: 1 comment.")
    undo = line.get_by_role("button", name="Undo")
    expect(undo).to_be_in_viewport()
    expect(undo).to_have_attribute("aria-keyshortcuts", "u")
    far_from_the_top(page)
    assert_accessible(page, STRICT)

    with page.expect_navigation():
        undo.click()
    assert status_of(comments[15]) == Status.PENDING
    far_from_the_top(page)
    expect(line).to_contain_text(f"Undid “Marked as spam” on #{comments[15].pk} by Reader.")
    expect(page.locator(f"#q-{comments[15].pk}")).to_be_focused()
    expect(page.locator(f"#q-{comments[15].pk}")).to_be_in_viewport()
