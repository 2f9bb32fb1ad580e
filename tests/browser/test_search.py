"""The search box in a real browser: a reader types in the masthead's box and lands on
the results, with and without JavaScript, in English and in Hebrew; axe finds
nothing wrong with the results page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import make_article

pytestmark = pytest.mark.browser


@pytest.fixture
def stories(article: Article) -> Article:
    article.summary = "The harbour bridge opens on Friday."
    article.body = "Words before. " * 20 + "The **harbour** bridge is finished. " + "More. " * 30
    actions.save_article(article)
    make_article(title="Tram news", slug="tram", body="Nothing about boats.")
    return article


def search_from_the_masthead(page: Page, words: str) -> None:
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill(words)
    with page.expect_navigation():
        box.press("Enter")


def test_a_reader_types_in_the_masthead_and_lands_on_the_results(page: Page, stories):
    page.goto(stories.get_absolute_url())
    search_from_the_masthead(page, "Harbour bridge")
    assert "/search/?q=Harbour+bridge" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Search: Harbour bridge")
    results = page.locator("article.teaser")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link", name="Hello world")).to_be_visible()
    expect(results.locator(".excerpt mark")).to_have_text(["harbour", "bridge"])
    # The box keeps the words, to change them.
    expect(page.get_by_role("searchbox")).to_have_value("Harbour bridge")
    with page.expect_navigation():
        results.get_by_role("link", name="Hello world").click()
    assert page.url.endswith(stories.get_absolute_url())
    assert_accessible(page)


def test_the_search_box_works_without_javascript(new_context, stories):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/")
    box = page.get_by_label("Search the articles")
    box.fill("tram")
    with page.expect_navigation():
        page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.locator("article.teaser h2")).to_have_text(["Tram news"])


def test_the_results_page_is_accessible(page: Page, stories):
    page.goto("/search/?q=harbour")
    expect(page.locator("mark").first).to_be_visible()
    assert_accessible(page)
    page.goto("/search/?q=lighthouse")
    expect(page.get_by_text("No published article holds all of these words.")).to_be_visible()
    assert_accessible(page)


def test_hebrew_results_read_right_to_left(page: Page, db):
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    make_article(title="הגשר החדש נפתח לתנועה", slug="bridge", summary="הגשר נפתח היום.")
    page.goto("/")
    search_from_the_masthead(page, "הגשר")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("חיפוש: הגשר")
    headline = page.locator("article.teaser h2 a")
    expect(headline).to_have_text("הגשר החדש נפתח לתנועה")
    # The marked word stands at the right, where a Hebrew line begins.
    mark = headline.locator("mark").bounding_box()
    line = headline.bounding_box()
    assert mark is not None and line is not None
    assert abs((mark["x"] + mark["width"]) - (line["x"] + line["width"])) < 2
    assert_accessible(page)


def test_the_search_box_reads_its_words_in_their_own_direction(page: Page, stories):
    # An English site searched in Hebrew: the box reads the words right to left, the
    # quotes around them where a Hebrew reader put them; English words left to right.
    make_article(title="ירושלים של זהב", slug="gold")
    page.goto("/")
    search_from_the_masthead(page, '"ירושלים של זהב"')
    box = page.get_by_role("search").get_by_role("searchbox")
    expect(box).to_have_value('"ירושלים של זהב"')
    assert box.evaluate("box => box.matches(':dir(rtl)')")
    search_from_the_masthead(page, "harbour")
    assert box.evaluate("box => box.matches(':dir(ltr)')")
