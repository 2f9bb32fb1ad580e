"""Library images in an article's body, in a real browser: a phone fetches a narrow
copy, an image further down waits until the reader scrolls to it, and its place is
kept while it loads."""

from __future__ import annotations

import pytest
from PIL import Image

from broadsheet.media.models import Image as LibraryImage
from tests.browser.test_accessibility import assert_accessible
from tests.conftest import make_article
from tests.media.samples import add, encoded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Far more text than a screen, and than the distance at which Chromium starts
# fetching a lazy image.
FILLER = "\n\n".join(f"Paragraph {n} of the report on the flood." for n in range(250))


def photo(colour: tuple[int, int, int]) -> bytes:
    return encoded(Image.new("RGB", (1000, 500), colour), "JPEG")


# Each picture is 1000 pixels wide, with copies 480 and 800 wide. The body column on
# a phone 390 CSS pixels wide is 358 wide: at one device pixel to the CSS pixel the
# 480 copy fills it, at two the 800 copy; a desktop's 704-pixel column at two takes
# the picture itself.
@pytest.mark.parametrize(("width", "density", "loaded"), [(390, 1, 480), (390, 2, 800),
                                                          (1280, 2, 1000)])  # fmt: skip
def test_a_phone_fetches_a_narrow_copy_of_each_body_image(new_context, width, density, loaded):
    top = add(photo((200, 30, 30)), alt_text="Boats on a flooded street")
    below = add(photo((30, 30, 200)), alt_text="The square under water")
    article = make_article(body=f"{top.markdown}\n\n{FILLER}\n\n{below.markdown}\n")
    assert [size["width"] for size in top.sizes] == [480, 800] == [s["width"] for s in below.sizes]
    context = new_context(viewport={"width": width, "height": 800}, device_scale_factor=density)
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(article.get_absolute_url())
    page.wait_for_load_state("load")

    def chosen(image: LibraryImage) -> str:
        copies = {size["width"]: size["file"] for size in image.sizes}
        return copies.get(loaded, image.file)

    first = page.locator(".body img").first
    # A lazy picture, even one in view, does not hold the page's load event back.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    assert first.evaluate("img => img.currentSrc").endswith(chosen(top))
    # The one further down is not fetched yet, but its place is kept at its height.
    last = page.locator(".body img").last
    assert not any("/media/" in url and url.endswith(tuple(below.files)) for url in fetched)
    shown = min(width - 32, 704)
    box = last.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (shown, shown / 2)

    last.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=last.element_handle())
    assert last.evaluate("img => img.currentSrc").endswith(chosen(below))
    files = [url.split("/media/", 1)[1] for url in fetched if "/media/" in url]
    assert sorted(files) == sorted([chosen(top), chosen(below)])  # and nothing wider
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
