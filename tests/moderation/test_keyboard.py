"""The queue's keyboard, in a real browser: j/k move, a/r/s decide, x ticks, u undoes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from broadsheet.discussion.models import Comment
from tests.browser.fixtures import signed_in_as
from tests.browser.test_accessibility import STRICT, assert_accessible
from tests.conftest import post
from tests.moderation.conftest import make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = Comment.Status


@pytest.fixture
def staff_page(new_context, live_server) -> Page:
    return signed_in(new_context(), live_server)


def signed_in(context, live_server) -> Page:
    """A page of ``context`` signed in as a new moderator."""
    return signed_in_as(context, live_server, make_moderator("kb"))


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


def test_a_queue_just_opened_gives_its_first_tab_to_the_pages_first_link(staff_page: Page, article):
    (first,) = held(article, "first held")
    staff_page.goto("/moderation/")
    expect(staff_page.locator(f"#q-{first.pk}")).to_have_class("queue-item status-pending current")
    staff_page.keyboard.press("Tab")
    expect(staff_page.get_by_role("link", name="Skip to content")).to_be_focused()


def test_a_key_decides_the_comment_tabbed_to_not_the_one_marked_before(staff_page: Page, article):
    first, second, third = held(article, "one", "two", "three")
    staff_page.goto("/moderation/")
    reject = staff_page.locator(f"#q-{third.pk}").get_by_role("button", name="Reject")
    for _ in range(60):  # the page's links and buttons, one Tab at a time
        if reject.evaluate("b => b === document.activeElement"):
            break
        staff_page.keyboard.press("Tab")
    expect(reject).to_be_focused()
    expect(staff_page.locator(f"#q-{third.pk}")).to_have_class("queue-item status-pending current")
    with staff_page.expect_navigation():
        staff_page.keyboard.press("s")
    assert [status_of(c) for c in (first, second, third)] == [
        Status.PENDING, Status.PENDING, Status.SPAM,
    ]  # fmt: skip


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


def test_select_all_works_without_javascript_and_is_not_carried_on(
    new_context, live_server, article
):
    comments = held(article, "one", "two", "three")
    page = signed_in(new_context(java_script_enabled=False), live_server)
    page.goto("/moderation/?tab=pending")
    boxes = page.locator("input[name=ids]")
    assert [boxes.nth(n).is_checked() for n in range(3)] == [False] * 3
    page.get_by_role("link", name="Select all 3 on this page").click()
    assert [boxes.nth(n).is_checked() for n in range(3)] == [True] * 3
    later = held(article, "four")
    page.locator("fieldset.bulk").get_by_role("button", name="Reject").click()
    assert [status_of(x) for x in comments] == [Status.REJECTED] * 3
    # Back on the queue, the comment that came meanwhile is not ticked for the next decision.
    assert page.url.endswith("/moderation/?tab=pending")
    assert not page.locator(f"#pick-{later[0].pk}").is_checked()


def test_with_javascript_the_link_becomes_a_box(staff_page: Page, article):
    held(article, "one", "two")
    staff_page.goto("/moderation/")
    expect(staff_page.get_by_label("Select all 2 on this page")).to_be_visible()
    expect(staff_page.locator("a.pick-all-link")).to_have_count(0)


def test_undo_keeps_the_place_in_the_list(staff_page: Page, article):
    _, _, c, d = held(article, "one", "two", "three", "four")
    staff_page.goto("/moderation/")
    for _ in range(2):
        staff_page.keyboard.press("j")
    with staff_page.expect_navigation():
        staff_page.keyboard.press("r")  # "three" rejected: "four" is now third
    expect(staff_page.locator(f"#q-{d.pk}")).to_have_class("queue-item status-pending current")
    with staff_page.expect_navigation():
        staff_page.keyboard.press("u")  # "three" is back, third again, and current
    assert status_of(c) == Status.PENDING
    expect(staff_page.locator(f"#q-{c.pk}")).to_have_class("queue-item status-pending current")


def test_a_queue_just_opened_on_a_phone_starts_at_its_heading(new_context, live_server, article):
    held(article, *[f"comment number {n}" for n in range(8)])
    page = signed_in(new_context(viewport={"width": 390, "height": 700}), live_server)
    page.goto("/moderation/")
    expect(page.locator(".queue-item").first).to_have_class("queue-item status-pending current")
    assert page.evaluate("window.scrollY") == 0
    expect(page.get_by_role("heading", name="Moderation queue")).to_be_in_viewport()


def test_the_audit_log_on_a_phone_shows_every_column_of_an_entry(
    new_context, live_server, article, moderator
):
    from broadsheet.moderation import actions

    (comment,) = held(article, "to be rejected")
    actions.moderate(
        comment, "reject", actor=moderator, note="Off topic, and rude about the mayor."
    )
    page = signed_in(new_context(viewport={"width": 390, "height": 700}), live_server)
    page.goto("/moderation/log/")
    note = page.get_by_text("Off topic, and rude about the mayor.")
    box = note.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_select_all_box_speaks_the_sites_language(staff_page: Page, article):
    from broadsheet.newsroom.actions import save_site_settings
    from broadsheet.newsroom.models import SiteSettings

    site = SiteSettings.load()
    site.language = "he"
    save_site_settings(site)
    comments = held(article, "one", "two", "three")
    staff_page.goto("/moderation/")
    # The page script's box says what the page's own link said, in Hebrew's plural.
    staff_page.get_by_label("בחירת כל 3 התגובות שבעמוד").check()
    expect(staff_page.locator("fieldset.bulk")).not_to_contain_text("Select all")
    with staff_page.expect_navigation():
        staff_page.locator("fieldset.bulk").get_by_role("button", name="דחייה").click()
    assert [status_of(x) for x in comments] == [Status.REJECTED] * 3


# Every element given a live region, and what it said, in order: whether it came into
# the page empty, and the text it was filled with after.
WATCH_LIVE_REGIONS = """
window.liveRegions = [];
new MutationObserver(function (changes) {
  changes.forEach(function (change) {
    change.addedNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.hasAttribute("aria-live")) {
        window.liveRegions.push({added: node.textContent.trim()});
      }
    });
    var region = change.target.closest && change.target.closest("[aria-live]");
    if (region && change.type === "childList" && change.addedNodes.length) {
      window.liveRegions.push({filled: region.textContent.trim()});
    }
  });
}).observe(document, {childList: true, subtree: true});
"""


def test_a_decision_far_down_a_long_queue_is_said_where_the_moderator_is(
    new_context, live_server, article
):
    comments = held(
        article, *[f"Held comment number {n}.\n\n" + "A line. " * 80 for n in range(30)]
    )
    page = signed_in(new_context(viewport={"width": 1024, "height": 700}), live_server)
    page.add_init_script(WATCH_LIVE_REGIONS)
    page.goto("/moderation/?tab=pending")
    for _ in range(20):
        page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("r")
    assert status_of(comments[20]) == Status.REJECTED
    said = page.get_by_role("status").filter(has_text="Rejected: 1 comment.")
    expect(said).to_be_in_viewport()
    expect(said).to_have_attribute("aria-live", "polite")
    # Far from the top of the page, where the message was drawn.
    assert page.evaluate("window.scrollY > 5 * window.innerHeight")
    expect(page.get_by_role("heading", name="Moderation queue")).not_to_be_in_viewport()
    # Said once, and the focus left on the comment that followed, in view beside it.
    expect(page.get_by_text("Rejected: 1 comment.")).to_have_count(1)
    current = page.locator(f"#q-{comments[21].pk}")
    expect(current).to_be_focused()
    expect(current).to_be_in_viewport()
    # Announced: the region came into the page empty, then the message was put in it.
    assert page.evaluate("window.liveRegions")[:2] == [
        {"added": ""},
        {"filled": "Rejected: 1 comment. Undo u"},
    ]
    assert_accessible(page, STRICT)

    with page.expect_navigation():
        page.keyboard.press("u")
    assert status_of(comments[20]) == Status.PENDING
    undone = f"Undid “Rejected” on #{comments[20].pk} by Reader."
    undid = page.get_by_role("status").filter(has_text=undone)
    expect(undid).to_be_in_viewport()
    expect(page.locator(f"#q-{comments[20].pk}")).to_be_focused()
    expect(page.get_by_role("heading", name="Moderation queue")).not_to_be_in_viewport()


def test_a_comments_own_button_clicked_far_down_keeps_the_place_and_says_so_there(
    new_context, live_server, article
):
    comments = held(
        article, *[f"Held comment number {n}.\n\n" + "A line. " * 80 for n in range(12)]
    )
    page = signed_in(new_context(viewport={"width": 1024, "height": 700}), live_server)
    page.goto("/moderation/?tab=pending")
    with page.expect_navigation():
        page.locator(f"#q-{comments[9].pk}").get_by_role("button", name="Spam").click()
    assert status_of(comments[9]) == Status.SPAM
    expect(page.get_by_role("status").filter(has_text="Spam: 1 comment.")).to_be_in_viewport()
    expect(page.locator(f"#q-{comments[10].pk}")).to_be_focused()
