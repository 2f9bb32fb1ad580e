"""Library images in an article's body: rendered with their narrower copies and their
size, and rendered again whenever the copies change."""

from __future__ import annotations

import importlib
import io
import json
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from broadsheet.interchange.wxr.writer import article_html
from broadsheet.media import actions
from broadsheet.media.backup import image_rows, restore_image
from broadsheet.media.images import prepare
from broadsheet.media.models import Image as LibraryImage
from broadsheet.newsroom.models import Article
from tests.conftest import make_article
from tests.media.samples import add, png

pytestmark = pytest.mark.django_db

SIZES = 'sizes="(min-width: 46rem) 44rem, calc(100vw - 2rem)"'


def images_of(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def srcset(image: LibraryImage, up_to: int | None = None) -> str:
    """The srcset a body gives ``image``: its copies, then the file the body names."""
    copies = [(f"/media/{size['file']}", size["width"]) for size in image.sizes]
    if image.web_file:
        copies.append((image.url, image.web_width))
    copies.append((image.original_url, image.width))
    return ", ".join(f"{url} {width}w" for url, width in copies if width <= (up_to or 10**6))


def test_a_body_image_lists_its_copies_and_gives_its_size():
    image = add(png((1000, 500)), alt_text="Boats on a flooded street")
    article = make_article(body=f"Before.\n\n{image.markdown}\n\n![Again]({image.url})\n")
    first, second = images_of(article.body_html)
    assert [size["width"] for size in image.sizes] == [480, 800]
    assert first == (
        f'<img src="{image.url}" alt="Boats on a flooded street" width="1000" height="500" '
        f'srcset="{srcset(image)}" {SIZES} decoding="async">'
    )
    # With no lead image the first is at the top of the page: fetched at once. The
    # next waits until the reader scrolls near it.
    assert second == (
        f'<img src="{image.url}" alt="Again" width="1000" height="500" '
        f'srcset="{srcset(image)}" {SIZES} loading="lazy" decoding="async">'
    )
    page = Client().get(article.get_absolute_url()).content.decode()
    assert first in page and second in page


def test_under_a_lead_image_every_body_image_waits_to_be_scrolled_to():
    lead, image = add(png((900, 600))), add(png((1000, 500), colour=(0, 0, 0)))
    article = make_article(body=image.markdown, lead_image=lead)
    assert 'loading="lazy" decoding="async"' in images_of(article.body_html)[0]


def test_the_copies_go_up_to_the_file_the_body_names():
    image = add(png((3000, 2000)))
    body = f"![Shown]({image.url})\n\n![Original]({image.original_url})\n"
    shown, original = images_of(make_article(body=body).body_html)
    assert f'width="2400" height="1600" srcset="{srcset(image, 2400)}"' in shown
    assert srcset(image, 2400).endswith(f"{image.url} 2400w")
    assert f'width="3000" height="2000" srcset="{srcset(image)}"' in original


def test_a_small_image_gets_its_size_and_no_srcset():
    image = add(png((300, 200)))
    (shown,) = images_of(make_article(body=image.markdown).body_html)
    assert shown == (
        f'<img src="{image.url}" alt="A red square" width="300" height="200" decoding="async">'
    )


def test_another_sites_images_and_unknown_files_stay_as_they_are():
    image = add(png((1000, 500)))
    elsewhere = f"https://photos.example.org{image.url}"
    missing = "/media/images/ab/abababababababababababababababab.png"
    article = make_article(body=f"![Far]({elsewhere})\n\n![Lost]({missing})\n")
    assert images_of(article.body_html) == [
        f'<img src="{elsewhere}" alt="Far">',
        f'<img src="{missing}" alt="Lost">',
    ]


def test_a_body_cannot_give_an_image_a_srcset_or_loading_of_its_own():
    image = add(png((1000, 500)))
    body = (
        f'<p><img src="{image.url}" srcset="https://tracker.example/p.gif 480w" '
        'sizes="1px" loading="eager" decoding="sync" width="500" height="250" alt="Ours"></p>'
        '<p><img src="https://example.org/a.jpg" srcset="https://example.org/b.jpg 2x" '
        'loading="lazy" decoding="async" alt="Theirs"></p>'
    )
    article = make_article(body=body, body_format=Article.BodyFormat.HTML)
    ours, theirs = images_of(article.body_html)
    # The width the HTML gave is kept; the rest is the library's.
    assert ours == (
        f'<img src="{image.url}" width="500" height="250" alt="Ours" srcset="{srcset(image)}" '
        f'{SIZES} decoding="async">'
    )
    assert theirs == '<img src="https://example.org/a.jpg" alt="Theirs">'


def test_an_image_uploaded_after_the_article_is_listed_in_its_body_once_it_comes():
    data = png((1000, 500))
    prepared = prepare(io.BytesIO(data), len(data))
    # Moved from another Broadsheet site: the body names the file before it is here.
    article = make_article(body=f"![Boats](/media/{prepared.original.name})")
    assert "srcset" not in article.body_html
    stamp = article.changed_at
    image = actions.add_image(prepared, alt_text="Boats")
    article.refresh_from_db()
    assert f'srcset="{srcset(image)}"' in article.body_html
    assert 'width="1000" height="500"' in article.body_html
    assert article.changed_at > stamp


def test_a_body_forgets_the_copies_of_a_removed_image_and_a_restore_lists_them_again():
    image = add(png((1000, 500)))
    article = make_article(body=image.markdown)
    other = make_article(body="No pictures.")
    rows = json.loads(json.dumps(list(image_rows())))
    LibraryImage.objects.filter(pk=image.pk).delete()  # as from a shell: no action refuses
    article.refresh_from_db()
    assert images_of(article.body_html) == [f'<img src="{image.url}" alt="A red square">']
    restored = restore_image(rows[0])
    article.refresh_from_db()
    assert f'srcset="{srcset(restored)}"' in article.body_html
    assert Article.objects.get(pk=other.pk).changed_at == other.changed_at


def test_a_page_drawn_before_an_upload_is_drawn_again():
    data = png((1000, 500))
    prepared = prepare(io.BytesIO(data), len(data))
    article = make_article(body=f"![Boats](/media/{prepared.original.name})")
    client = Client()
    assert "srcset" not in client.get(article.get_absolute_url()).content.decode()
    actions.add_image(prepared, alt_text="Boats")
    assert "srcset" in client.get(article.get_absolute_url()).content.decode()


def test_the_upgrade_renders_again_the_bodies_that_show_library_images():
    image = add(png((1000, 500)))
    shows = make_article(body=f"Boats.\n\n{image.markdown}\n")
    elsewhere = make_article(body="![Far](https://example.org/images/boats.png)")
    # As the version before rendered them: no srcset, no size.
    before = f'<p>Boats.</p>\n<p><img src="{image.url}" alt="A red square"></p>\n'
    earlier = timezone.now() - timedelta(days=1)
    Article.objects.filter(pk=shows.pk).update(body_html=before, changed_at=earlier)
    Article.objects.filter(pk=elsewhere.pk).update(changed_at=earlier)

    migration = importlib.import_module("broadsheet.newsroom.migrations.0010_body_image_copies")
    migration.render_bodies_again(apps, SimpleNamespace(connection=connection))

    shows.refresh_from_db()
    assert shows.body_html == make_article(body=shows.body).body_html
    assert f'srcset="{srcset(image)}"' in shows.body_html and shows.changed_at > earlier
    assert Article.objects.get(pk=elsewhere.pk).changed_at == earlier


def test_the_feed_gives_the_copies_in_full_and_the_wordpress_export_leaves_them_out():
    image = add(png((1000, 500)))
    article = make_article(body=image.markdown)
    absolute = ", ".join(f"http://testserver{candidate}" for candidate in srcset(image).split(", "))
    assert f'srcset="{absolute}"' in Client().get("/feed/").content.decode()
    # WordPress makes its own copies of the attachment; it is given the image alone.
    assert images_of(article_html(article, "http://testserver")) == [
        f'<img src="http://testserver{image.url}" alt="A red square" width="1000" '
        'height="500" decoding="async">'
    ]
