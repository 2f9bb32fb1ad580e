"""On a phone (Chromium at 390 pixels), every tick box and radio button a reader or a
moderator uses has a target of at least 24 by 24 pixels (WCAG 2.2, 2.5.8): its label,
which ticks it as the box does. The box itself is drawn as the browser draws it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.browser.fixtures import signed_in_as
from tests.conftest import post
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LEAST = 24

# For each box on the page: the box's size, and the largest box of a label that ticks it.
MEASURE = """() => [...document.querySelectorAll("input[type=checkbox], input[type=radio]")]
  .filter(box => box.getClientRects().length)
  .map(box => {
    const own = box.getBoundingClientRect();
    const labels = [...box.labels].map(l => l.getBoundingClientRect());
    const least = r => Math.min(r.width, r.height);
    const best = labels.sort((a, b) => least(b) - least(a))[0];
    return {id: box.id || box.name, box: [own.width, own.height],
            label: best ? [best.width, best.height, best.x, best.y] : null};
  })"""


def undersized(page: Page) -> list[dict]:
    """Each box whose best label is smaller than the least target, or that has none."""
    found = page.evaluate(MEASURE)
    assert found, page.url
    return [m for m in found if m["label"] is None or min(m["label"][:2]) < LEAST]


def tick_by_its_label_edge(page: Page, box_id: str) -> None:
    """A click one pixel inside the corner of the label's first line, where its target
    begins: away from its words, and from the box."""
    label = page.locator(f"label[for='{box_id}']")
    label.scroll_into_view_if_needed()
    y, start = label.evaluate(
        "l => { const r = l.getClientRects()[0];"
        " return [r.y, getComputedStyle(l).direction === 'rtl' ? r.right - 2 : r.x + 1]; }"
    )
    before = page.locator(f"#{box_id}").is_checked()
    page.mouse.click(start, y + 1)
    assert page.locator(f"#{box_id}").is_checked() is not before, box_id


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_readers_tick_boxes_are_big_enough_to_tap(new_context, article: Article, language):
    site = SiteSettings.load()
    site.language = language
    actions.save_site_settings(site)
    comment = post(article, "Worth a report?")
    page = new_context(viewport=PHONE, has_touch=True).new_page()
    page.goto(article.get_absolute_url())
    assert undersized(page) == []
    tick_by_its_label_edge(page, "id_remember")
    page.goto(f"/moderation/report/{comment.pk}")
    assert undersized(page) == []


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_queues_selection_boxes_are_big_enough_to_tap(
    new_context, live_server, article: Article, language
):
    site = SiteSettings.load()
    site.language, site.comment_policy = language, SiteSettings.CommentPolicy.HOLD
    actions.save_site_settings(site)
    # A one-letter name is the shortest label a selection box has.
    held = post(article, "Held for a look.", author_name="Q", author_email="q@example.org",
                ip_address="192.0.2.7")  # fmt: skip
    post(article, "Another one.", author_name="ליאור")
    page = signed_in_as(new_context(viewport=PHONE, has_touch=True), live_server,
                        make_moderator("phone"))  # fmt: skip
    page.goto("/moderation/")
    assert undersized(page) == []
    tick_by_its_label_edge(page, f"pick-{held.pk}")
    page.goto(f"/moderation/{held.pk}/block")
    assert undersized(page) == []
