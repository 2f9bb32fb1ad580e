"""Images through WXR: the library out as WordPress media items, and a WordPress site's
uploads folder in (``--uploads``)."""

from __future__ import annotations

from broadsheet.interchange.wxr import reader
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article
from tests.conftest import make_article
from tests.interchange.conftest import run_export
from tests.media.samples import add, png

BASE = "https://new.example.com"


def items(text: str, tmp_path) -> list[reader.Post]:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    return [r for r in reader.read(path) if isinstance(r, reader.Post)]


def test_the_library_goes_out_as_attachments_wordpress_fetches(db, tmp_path):
    lead = add(png(), alt_text="Council chamber", caption="The vote", credit="Jane Doe/AP")
    inline = add(png((3000, 40), colour=(1, 2, 3)), alt_text="A wide view")
    story = make_article(
        title="Vote", slug="vote", lead_image=lead,
        body=f"See [the map](/section/world/).\n\n{inline.markdown}\n\n[Anchor](#top)",
    )  # fmt: skip
    text = run_export("wxr", "--base-url", BASE)
    posts = items(text, tmp_path)
    attachments = {p.title: p for p in posts if p.post_type == "attachment"}
    (article,) = [p for p in posts if p.post_type == "post"]

    assert set(attachments) == {"Council chamber", "A wide view"}
    wide = attachments["A wide view"]
    # The address the article's HTML uses (the smaller copy of a large photo), absolute.
    assert wide.attachment_url == f"{BASE}{inline.url}" and inline.web_file in inline.url
    assert f'src="{wide.attachment_url}"' in article.content
    assert f'href="{BASE}/section/world/"' in article.content
    assert 'href="#top"' in article.content  # an anchor on the page stays one
    assert 'src="/' not in article.content and 'href="/' not in article.content
    chamber = attachments["Council chamber"]
    assert chamber.status == "inherit" and chamber.excerpt == "The vote"
    assert chamber.meta["_wp_attachment_image_alt"] == "Council chamber"
    assert chamber.meta["_broadsheet_credit"] == "Jane Doe/AP"
    assert chamber.meta["_wp_attached_file"] == lead.file
    # WordPress's featured image names the attachment's post id, which no article has.
    assert article.meta["_thumbnail_id"] == chamber.post_id
    ids = [p.post_id for p in posts]
    assert len(set(ids)) == len(ids) and article.post_id == str(story.pk)


def test_an_imported_html_body_goes_out_as_it_came_but_for_library_addresses(db, tmp_path):
    image = add(png(), alt_text="A photo")
    body = (
        '<p><a href="/about/">About</a> <img src="/wp-content/x.jpg" alt=""></p>\n'
        f'<img src="{image.url}" alt="A photo"> <img src="{image.url}">'
    )
    article = Article(
        title="Imported", slug="imported", body=body, origin="wxr:x#1",
        body_format=Article.BodyFormat.HTML, status=Article.Status.PUBLISHED,
    )  # fmt: skip
    newsroom_actions.import_article(article, body_html=body)
    exported = items(run_export("wxr", "--base-url", BASE), tmp_path)
    (post,) = [p for p in exported if p.post_type == "post"]
    assert post.content == body.replace(f'"{image.url}"', f'"{BASE}{image.url}"')
    assert "_thumbnail_id" not in post.meta
