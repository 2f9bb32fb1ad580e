"""An article's lead image loads in a real browser, fits a phone, and the page stays
accessible."""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import assert_accessible
from tests.conftest import make_article
from tests.media.samples import add, jpeg_with_location

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOADED = "img => img.complete && img.naturalWidth > 0"


# The stored picture is 600 pixels wide, with a narrower copy 480 wide: a phone's
# browser takes the copy, unless its screen has two device pixels to the CSS pixel.
@pytest.mark.parametrize(("width", "density", "loaded"), [(390, 1, 480), (390, 2, 600),
                                                          (1280, 1, 600)])  # fmt: skip
def test_the_lead_image_loads_and_the_page_is_accessible(new_context, width, density, loaded):
    image = add(
        jpeg_with_location((900, 600)), alt_text="Boats on a flooded street",
        caption="Main Street on Tuesday.", credit="Jane Doe/AP",
    )  # fmt: skip
    # The body shows another picture: a browser may take a srcset's candidate that the
    # page already shows elsewhere instead of the one that fits.
    inside = add(jpeg_with_location((450, 300)), alt_text="The flooded square")
    article = make_article(title="Flood", lead_image=image, body=f"Inside:\n\n{inside.markdown}\n")
    viewport = {"width": width, "height": 800}
    page = new_context(viewport=viewport, device_scale_factor=density).new_page()
    page.goto(article.get_absolute_url())
    lead = page.locator("figure.lead-image img")
    lead.wait_for()
    page.wait_for_load_state("load")
    assert lead.evaluate(LOADED)
    assert lead.evaluate("img => img.currentSrc").endswith(
        image.sizes[0]["file"] if loaded == 480 else image.file
    )
    # The body's picture loads lazily: the page's load event does not wait for it.
    inside_img = page.locator(".body img")
    inside_img.scroll_into_view_if_needed()
    page.wait_for_function(LOADED, arg=inside_img.element_handle())
    assert inside_img.evaluate("img => img.naturalWidth") == 300  # upright
    box = lead.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
