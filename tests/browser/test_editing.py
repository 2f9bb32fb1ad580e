"""The editor's admin in a real browser: the article list at a laptop's width, and the
slug the form writes from a title."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Author, Section, SiteSettings
from tests.browser.test_accessibility import sign_in_as_editor
from tests.conftest import make_article, post

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_article_list_fits_beside_the_menu_and_filters_at_1280_pixels(
    new_context, db, language
):
    section = Section.objects.create(name="City & Council", slug="city")
    author = Author.objects.create(name="Miriam Achterberg-Lindqvist", slug="miriam")
    story = make_article(
        title="Council votes to close Quay Street to cars on Saturdays",
        section=section,
        author=author,
    )
    post(story, "About time.")
    make_article(title="מועצת העיר מצביעה על סגירת רחוב הנמל", section=section, author=author)
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_as_editor(page, "/admin/")
    site = SiteSettings.load()
    site.language = language
    actions.save_site_settings(site)

    page.goto("/admin/newsroom/article/")
    # The menu is open, as an editor first meets it.
    expect(page.locator("#nav-sidebar")).to_be_visible()
    results = page.locator("#changelist-form .results")
    widths = results.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert widths[0] <= widths[1], widths
    # Every column is on the screen: the page's link and the comments with them.
    row = page.locator("#result_list tbody tr", has_text="Quay Street")
    for cell in (row.locator("td.field-state a"), row.locator("td.field-comments")):
        found = cell.bounding_box()
        assert found is not None and found["x"] + found["width"] <= 1280
    assert row.locator("td.field-comments").inner_text().split()[0] == "1"


@pytest.mark.parametrize(
    ("model", "box", "title"),
    [("article", "title", "Cafe\u0301 society"), ("tag", "name", "Cafe\u0301 society")],
)
def test_a_decomposed_accent_makes_the_same_slug_as_a_composed_one(page: Page, model, box, title):
    sign_in_as_editor(page, f"/admin/newsroom/{model}/add/")
    page.locator(f"#id_{box}").press_sequentially(title)
    expect(page.locator("#id_slug")).to_have_value("caf\u00e9-society")
