"""An article's footnotes in a real browser: a reference takes the reader to its note
and the note's arrow back to the reference, in English and in Hebrew."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import SiteSettings
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILLER = "\n\n".join(f"Paragraph {n} of the story, long enough to push the notes down." * 3
                     for n in range(30))  # fmt: skip


def in_view(page: Page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )


def test_a_reference_leads_to_its_note_and_the_arrow_back_to_the_reference(page: Page):
    body = f"The claim.[^1] Another.[^2]\n\n{FILLER}\n\nThe claim again.[^1]\n\n{FILLER}\n\n"
    body += "[^1]: The source of the claim.\n[^2]: The other source."
    article = make_article(slug="claims", body=body)
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(article.get_absolute_url())
    later = page.locator("sup a.footnote-ref").nth(2)  # the second reference to note 1
    later.scroll_into_view_if_needed()
    later.click()
    note = page.locator(".footnotes li").first
    expect(note).to_contain_text("The source of the claim.")
    assert page.evaluate("location.hash") == "#" + note.get_attribute("id")
    assert note.evaluate("e => e.matches(':target')") and in_view(page, ".footnotes li >> nth=0")
    assert not in_view(page, "sup a.footnote-ref >> nth=2")
    # The note has one arrow per reference; the second goes back to the second.
    arrows = note.locator("a.footnote-backref")
    expect(arrows).to_have_count(2)
    arrows.nth(1).click()
    assert page.evaluate("location.hash") == "#" + later.get_attribute("id")
    assert in_view(page, "sup a.footnote-ref >> nth=2")
    assert not in_view(page, ".footnotes li >> nth=0")
    assert_accessible(page)


def test_hebrew_notes_read_right_to_left_in_the_sites_words(page: Page):
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    body = f"המועצה הצביעה בעד המזח.[^1]\n\n{FILLER}\n\n[^1]: שבעה מול שניים, לפי הפרוטוקול."
    article = make_article(slug="pier", body=body)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(article.get_absolute_url())
    heading = page.locator(".footnotes h2")
    expect(heading).to_have_text("הערות")
    ref = page.locator("sup a.footnote-ref")
    expect(ref).to_have_attribute("aria-label", "הערה 1")
    ref.click()
    note = page.locator(".footnotes li").first
    assert note.evaluate("e => e.matches(':target')")
    back = note.locator("a.footnote-backref")
    expect(back).to_have_attribute("aria-label", "חזרה אל הטקסט")
    expect(back).to_have_text("↑")
    # The note and the heading start at the right, as the story does; the arrow
    # ends the note's line, on its left.
    body_box, heading_box = page.locator(".body").bounding_box(), heading.bounding_box()
    assert body_box is not None and heading_box is not None
    text_right = heading.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return r.getBoundingClientRect().right; }"
    )
    assert text_right == pytest.approx(body_box["x"] + body_box["width"], abs=2)
    assert note.evaluate("e => getComputedStyle(e).direction") == "rtl"
    note_text = note.locator("p").bounding_box()
    back_box = back.bounding_box()
    assert note_text is not None and back_box is not None
    assert back_box["x"] < note_text["x"] + note_text["width"] / 2
    back.click()
    assert in_view(page, "sup a.footnote-ref")
    assert_accessible(page)


def test_a_quoted_passage_of_the_article_leaves_the_notes_numbers_out(page: Page):
    article = make_article(body="The council voted.[^1] The bridge reopens.\n\n[^1]: Seven to two.")
    page.goto(article.get_absolute_url())
    page.locator(".story .body p").first.evaluate(
        "p => { const r = document.createRange(); r.selectNodeContents(p);"
        " getSelection().removeAllRanges(); getSelection().addRange(r); }"
    )
    page.get_by_role("button", name="Quote the selected passage of the article").click()
    written = page.locator("form.comment-form").get_by_label("Comment", exact=True).input_value()
    assert written == "> The council voted. The bridge reopens.\n\n"
