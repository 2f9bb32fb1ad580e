"""An article's lead image loads in a real browser, fits a phone, and the page stays
accessible."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import assert_accessible
from tests.conftest import make_article
from tests.media.samples import add, jpeg_with_location

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_lead_image_loads_and_the_page_is_accessible(new_context, width):
    image = add(
        jpeg_with_location((900, 600)), alt_text="Boats on a flooded street",
        caption="Main Street on Tuesday.", credit="Jane Doe/AP",
    )  # fmt: skip
    article = make_article(title="Flood", lead_image=image, body=f"Inside:\n\n{image.markdown}\n")
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(article.get_absolute_url())
    lead = page.locator("figure.lead-image img")
    lead.wait_for()
    page.wait_for_load_state("load")
    assert lead.evaluate("img => img.complete && img.naturalWidth") == 600  # stored upright
    assert page.locator(".body img").evaluate("img => img.naturalWidth") == 600
    box = lead.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
