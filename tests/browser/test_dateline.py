"""The separators of a dateline ("date | byline | section | 4 Comments »") stay with
the words before them however narrow the screen: a line never begins with a "|"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import post

pytestmark = pytest.mark.browser

# Each "|" of the line and what stands before it (the element before its text, or the
# character before it in the same text): whether the two start on the same line.
SEPARATORS = """(selector) => {
  const out = [];
  for (const line of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let at = node.data.indexOf("|"); at >= 0; at = node.data.indexOf("|", at + 1)) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        const pipe = range.getBoundingClientRect();
        const words = node.data.slice(0, at).trimEnd();
        let before;
        if (words) {
          range.setStart(node, words.length - 1);
          range.setEnd(node, words.length);
          before = range.getBoundingClientRect();
        } else {
          const rects = node.previousSibling.getClientRects();
          before = rects[rects.length - 1];
        }
        out.push({line: selector, apart: Math.abs(before.top - pipe.top) > 2});
      }
    }
  }
  return out;
}"""


def separators_apart(page: Page, selector: str) -> list[int]:
    """The widths (390 down to 240 pixels) at which a "|" of ``selector`` begins a line."""
    apart = []
    for width in range(390, 239, -1):
        page.set_viewport_size({"width": width, "height": 800})
        found = page.evaluate(SEPARATORS, selector)
        assert found, selector
        if any(f["apart"] for f in found):
            apart.append(width)
    return apart


@pytest.mark.parametrize("language", ["en", "he"])
def test_a_datelines_separators_keep_to_the_words_before_them(
    new_context, article: Article, language
):
    site = SiteSettings.load()
    site.language = language
    actions.save_site_settings(site)
    for n in range(4):
        post(article, f"Comment {n}")
    page = new_context().new_page()
    page.goto(article.get_absolute_url())
    assert separators_apart(page, ".story .dateline") == []
    page.goto("/")
    assert separators_apart(page, ".teaser .dateline") == []
