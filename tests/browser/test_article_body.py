"""An article's body as a reader's browser lays it out, on a phone and a desktop."""

from __future__ import annotations

import pytest

from tests.conftest import make_article, post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = """An English paragraph first.

עברית: המועצה הצביעה בעד המזח החדש.

| Year | Passengers | Revenue | Cost | Subsidy | Notes on the service and its timetable |
|-----:|-----------:|--------:|-----:|--------:|:---------------------------------------|
| 2024 | 120,000 | €300,000 | €900,000 | €600,000 | Weekday service only, weekends suspended |

```
curl -s https://example.org/api/v1/ferries/timetable?from=quay-street&to=eastmere&date=2027-01-01
```
"""


@pytest.mark.parametrize("width", [390, 1280])
def test_wide_tables_and_code_scroll_and_each_paragraph_has_its_direction(new_context, width):
    article = make_article(body=BODY)
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(article.get_absolute_url())
    # Nothing makes the page itself wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in (".body table", ".body pre"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
    # The Hebrew paragraph reads right to left and ends on the right's far side.
    hebrew = page.locator(".body p", has_text="עברית")
    english = page.locator(".body p", has_text="English")
    hebrew_box, english_box = hebrew.bounding_box(), english.bounding_box()
    assert hebrew_box is not None and english_box is not None
    text_right = page.evaluate(
        "p => { const r = document.createRange(); r.selectNodeContents(p);"
        " return r.getBoundingClientRect().right; }",
        hebrew.element_handle(),
    )
    assert text_right == pytest.approx(hebrew_box["x"] + hebrew_box["width"], abs=2)


LONG_LINK = "https://www.example.org/government/publications/" + "a-very-long-path-segment-" * 6


@pytest.mark.parametrize("width", [390, 1280])
def test_a_long_address_or_name_wraps_instead_of_widening_the_page(new_context, width):
    article = make_article(body=f"The report: {LONG_LINK}\n\nThe table stays whole:\n\n{BODY}")
    post(article, f"See {LONG_LINK} for the rules.", author_name="N" * 100)
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(article.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in (".body p >> nth=0", ".comment-body", ".comment-meta"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
    # The wide table still scrolls on its own rather than squeezing its words apart.
    table = page.locator(".body table")
    assert table.evaluate("t => t.scrollWidth > t.clientWidth") == (width == 390)
