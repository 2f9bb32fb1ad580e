"""An article imported from WordPress whose images were written without alt text, in a
real browser: axe finds no image without a text alternative where its caption or its
link says what it is."""

from __future__ import annotations

import pytest

from broadsheet.newsroom.models import Article
from tests.browser.test_accessibility import assert_accessible
from tests.interchange.conftest import WXR_BLOG, run_import, wxr_file, wxr_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMAGES = f"{WXR_BLOG}/wp-content/uploads/2020/01"
BODY = f"""The harbour reopened on Monday.

[caption id="attachment_7" width="300"]<img src="{IMAGES}/quay.jpg" /> Boats at the \
quay[/caption]

<a href="{WXR_BLOG}/tide/"><img src="{IMAGES}/tide.jpg" /> Read the tide report</a>"""


def test_captioned_and_linked_images_without_alt_text_pass_axe(new_context, tmp_path):
    path = wxr_file(tmp_path, "harbour.xml", wxr_post(1, "Harbour", BODY, slug="harbour"))
    run_import("wxr", path, "--no-train")
    page = new_context().new_page()
    # The images' old site does not answer: what is checked is the markup.
    page.route(f"{WXR_BLOG}/**", lambda route: route.abort())
    page.goto(Article.objects.get().get_absolute_url())
    assert page.locator(".body img").count() == 2
    assert_accessible(page)
