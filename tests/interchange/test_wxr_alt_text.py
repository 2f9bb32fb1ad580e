"""Images a WordPress post shows without alt text: given an empty one where their
caption or link says what they are, else left as written and reported."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.utils import timezone

from broadsheet.newsroom.actions import render_body
from broadsheet.newsroom.models import Article
from tests.conftest import make_article
from tests.interchange.conftest import WXR_BLOG, run_import, wxr_file, wxr_post

UPLOADS = f"{WXR_BLOG}/wp-content/uploads/2020/01"
BODY = f"""[caption id="attachment_7" width="300"]<img src="{UPLOADS}/quay.jpg" /> \
Boats at the quay[/caption]

<a href="{WXR_BLOG}/tide/"><img src="{UPLOADS}/tide.jpg"> Read the tide report</a>

<img src="{UPLOADS}/bare.jpg">

<a href="{UPLOADS}/big.jpg"><img src="{UPLOADS}/small.jpg" /></a>

<img src="{UPLOADS}/named.jpg" alt="The harbour at dawn"> <img src="{UPLOADS}/shy.jpg" alt="">"""


def _alts(html: str) -> dict[str, str | None]:
    """Each image's file name and its alt text (None: no alt attribute)."""
    found = {}
    for tag in re.findall(r"<img\b[^>]*>", html):
        name = re.search(r'src="[^"]*/([^/"]+)"', tag)
        alt = re.search(r'alt="([^"]*)"', tag)
        assert name is not None
        found[name[1]] = alt[1] if alt else None
    return found


EXPECTED = {
    "quay.jpg": "",  # its figure's caption says what it shows
    "tide.jpg": "",  # its link's text does
    "bare.jpg": None,  # nothing does: left for an editor
    "small.jpg": None,  # a link with no words of its own
    "named.jpg": "The harbour at dawn",
    "shy.jpg": "",
}


def test_images_are_described_by_their_caption_or_link_and_the_others_reported(db, tmp_path):
    path = wxr_file(tmp_path, "images.xml", wxr_post(1, "Harbour", BODY, slug="harbour"))
    output = " ".join(run_import("wxr", path, "--no-train").split())
    article = Article.objects.get()
    assert _alts(article.body_html) == EXPECTED
    # The body stays as WordPress wrote it; an editor's save lays it out the same way.
    assert article.body == BODY
    assert _alts(render_body(article)) == EXPECTED
    assert "post 1 (/article/harbour/): 2 images have no alt text" in output
    assert "2 images in 1 article (noted below) have no alt text" in output


def test_a_post_whose_images_all_say_what_they_are_is_not_reported(db, tmp_path):
    body = f'<img src="{UPLOADS}/a.jpg" alt="A pier"> <img src="{UPLOADS}/b.jpg" title="A boat">'
    path = wxr_file(tmp_path, "fine.xml", wxr_post(1, "Pier", body, slug="pier"))
    output = run_import("wxr", path, "--no-train")
    assert "alt text" not in output


def test_the_upgrade_gives_empty_alts_to_the_bodies_stored_before(db, tmp_path):
    path = wxr_file(tmp_path, "images.xml", wxr_post(1, "Harbour", BODY, slug="harbour"))
    run_import("wxr", path, "--no-train")
    article = Article.objects.get()
    # As the version before stored it: the captioned and the linked image without alt.
    before = re.sub(r'(<img src="[^"]*/(?:quay|tide)\.jpg"[^>]*?) alt=""', r"\1", article.body_html)
    assert _alts(before)["quay.jpg"] is None and _alts(before)["tide.jpg"] is None
    earlier = timezone.now() - timedelta(days=1)
    Article.objects.filter(pk=article.pk).update(body_html=before, changed_at=earlier)
    untouched = make_article(slug="plain", body="<p>No pictures.</p>", body_format="html")
    Article.objects.filter(pk=untouched.pk).update(changed_at=earlier)

    migration = importlib.import_module("broadsheet.newsroom.migrations.0019_empty_alts")
    migration.give_empty_alts(apps, SimpleNamespace(connection=connection))

    article.refresh_from_db()
    assert _alts(article.body_html) == EXPECTED
    assert article.changed_at > earlier
    untouched.refresh_from_db()
    assert untouched.changed_at == earlier
