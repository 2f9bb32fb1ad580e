"""An article's lead image: above its body, in its page's metadata, in its feed."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from broadsheet.media.actions import save_image
from broadsheet.newsroom import actions
from tests.conftest import make_article
from tests.media.samples import add, png
from tests.test_html import check_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    image = add(png((3000, 2000)), alt_text="Boats on a flooded street", caption="Main Street, "
                "Tuesday.", credit="Jane Doe/AP")  # fmt: skip
    return make_article(title="Flood", summary="Water rose.", lead_image=image)


def meta(html: str, name: str) -> str:
    marker = f'<meta property="{name}" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_the_page_shows_it_above_the_body_with_alt_text_and_credit(lead):
    html = Client().get(lead.get_absolute_url()).content.decode()
    image = lead.lead_image
    figure = html[html.index('<figure class="lead-image">') : html.index("</figure>")]
    narrower = ", ".join(f"/media/{size['file']} {size['width']}w" for size in image.sizes)
    assert (
        f'<img src="{image.url}" srcset="{narrower}, {image.url} 2400w" '
        'sizes="(min-width: 46rem) 44rem, calc(100vw - 2rem)" '
        'alt="Boats on a flooded street" width="2400" height="1600">'
    ) in figure
    assert [size["width"] for size in image.sizes] == [480, 800, 1200, 1600]
    assert "Main Street, Tuesday." in figure and '<span class="credit">Jane Doe/AP</span>' in figure
    assert html.index("lead-image") < html.index('<div class="body" dir="auto">')
    check_page(html)


def test_open_graph_and_schema_name_it_at_its_absolute_address(lead):
    html = Client().get(lead.get_absolute_url()).content.decode()
    address = f"http://testserver{lead.lead_image.url}"
    assert meta(html, "og:image") == address
    assert meta(html, "og:image:alt") == "Boats on a flooded street"
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("2400", "1600")
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    document = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(document)
    assert data["image"]["url"] == address
    assert data["image"]["creditText"] == "Jane Doe/AP"


def test_a_page_without_one_has_no_figure_and_no_og_image(db):
    html = Client().get(make_article().get_absolute_url()).content.decode()
    assert "lead-image" not in html and "og:image" not in html
    check_page(html)


def test_a_new_lead_image_is_on_the_cached_page_at_once(lead):
    client = Client()
    client.get(lead.get_absolute_url())  # drawn and kept in the shared cache
    other = add(png(colour=(0, 0, 0)), alt_text="The dam at dawn")
    lead.lead_image = other
    actions.save_article(lead)
    html = client.get(lead.get_absolute_url()).content.decode()
    assert 'alt="The dam at dawn"' in html
    other.alt_text = "The dam at noon"
    save_image(other)
    assert 'alt="The dam at noon"' in client.get(lead.get_absolute_url()).content.decode()


def test_images_in_an_article_body_are_absolute_in_its_feed(db):
    image = add(png())
    make_article(title="Pictures", body=f"Before.\n\n{image.markdown}\n")
    feed = Client().get("/feed/").content.decode()
    assert f'src="http://testserver{image.url}"' in feed
