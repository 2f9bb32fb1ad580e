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


OLD = "oldsite.example"
UPLOADS = f"https://{OLD}/wp-content/uploads"


def wordpress_export(content: str) -> str:
    """A post and its media as WordPress 6 writes them: a block-editor image with its
    sized copies in srcset, a featured image, and media items after the post."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old Site</title><link>https://{OLD}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://{OLD}</wp:base_site_url>
  <wp:base_blog_url>https://{OLD}</wp:base_blog_url>
  <item>
    <title><![CDATA[Harbour]]></title><link>https://{OLD}/2019/04/harbour/</link>
    <dc:creator><![CDATA[admin]]></dc:creator>
    <guid isPermaLink="false">https://{OLD}/?p=10</guid>
    <content:encoded><![CDATA[{content}]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>10</wp:post_id>
    <wp:post_date><![CDATA[2019-04-02 09:00:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2019-04-02 07:00:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[harbour]]></wp:post_name>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>
      <wp:meta_value><![CDATA[12]]></wp:meta_value></wp:postmeta>
  </item>
{attachment(11, "photo", "2019/04/photo.jpg", "Harbour at dawn", "Boats leaving at six")}
{attachment(12, "chart", "2019/04/chart.png", "Rainfall by month", "Source: the met office")}
{attachment(13, "gone", "2019/05/gone.jpg", "", "")}
</channel>
</rss>
"""


def attachment(post_id: int, title: str, file: str, alt: str, caption: str) -> str:
    return f"""  <item>
    <title><![CDATA[{title}]]></title><link>https://{OLD}/?attachment_id={post_id}</link>
    <guid isPermaLink="false">{UPLOADS}/{file}</guid>
    <content:encoded><![CDATA[]]></content:encoded>
    <excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
    <wp:post_id>{post_id}</wp:post_id>
    <wp:post_date><![CDATA[2019-04-02 08:55:00]]></wp:post_date>
    <wp:post_date_gmt><![CDATA[2019-04-02 06:55:00]]></wp:post_date_gmt>
    <wp:post_name><![CDATA[{title}]]></wp:post_name>
    <wp:status><![CDATA[inherit]]></wp:status>
    <wp:post_parent>10</wp:post_parent>
    <wp:post_type><![CDATA[attachment]]></wp:post_type>
    <wp:attachment_url><![CDATA[{UPLOADS}/{file}]]></wp:attachment_url>
    <wp:postmeta><wp:meta_key><![CDATA[_wp_attached_file]]></wp:meta_key>
      <wp:meta_value><![CDATA[{file}]]></wp:meta_value></wp:postmeta>
    <wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>
      <wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>
  </item>"""


PHOTO = f"{UPLOADS}/2019/04/photo"
CONTENT = f"""<!-- wp:image {{"id":11,"sizeSlug":"large","linkDestination":"media"}} -->
<figure class="wp-block-image size-large"><a href="{PHOTO}.jpg"><img loading="lazy" \
width="1024" height="683" src="{PHOTO}-1024x683.jpg" alt="Harbour at dawn" \
class="wp-image-11" srcset="{PHOTO}-1024x683.jpg 1024w, {PHOTO}-300x200.jpg 300w, \
{PHOTO}.jpg 1600w" sizes="(max-width: 1024px) 100vw, 1024px" /></a></figure>
<!-- /wp:image -->

<p>Gone: <img src="http://www.{OLD}/wp-content/uploads/2019/05/gone.jpg" alt="" /> and \
<img src="{UPLOADS}/2019/05/notes.jpg" alt="" />, elsewhere: \
<img src="https://other.example/wp-content/uploads/2019/04/photo.jpg" alt="" /></p>"""


def uploads_folder(tmp_path):
    """The old site's wp-content/uploads, as an operator copies it: the original photo
    (with the place it was taken), one of its sized copies, the featured chart, and a
    text file that claims to be a JPEG."""
    from PIL import Image as Pillow

    from tests.media.samples import encoded, jpeg_with_location

    folder = tmp_path / "uploads"
    (folder / "2019" / "04").mkdir(parents=True)
    (folder / "2019" / "05").mkdir(parents=True)
    (folder / "2019/04/photo.jpg").write_bytes(jpeg_with_location((160, 100)))
    sized = Pillow.new("RGB", (102, 68), (20, 90, 160))
    (folder / "2019/04/photo-1024x683.jpg").write_bytes(encoded(sized, "JPEG"))
    (folder / "2019/04/chart.png").write_bytes(png((60, 40), colour=(0, 200, 0)))
    (folder / "2019/05/notes.jpg").write_text("not a picture")
    return folder


def import_with_uploads(tmp_path, *args: str, content: str = CONTENT) -> str:
    from tests.interchange.conftest import run_import

    export = tmp_path / "wordpress.xml"
    export.write_text(wordpress_export(content), encoding="utf-8")
    return run_import("wxr", export, "--no-train", *args)


def test_a_posts_images_come_from_the_uploads_folder_into_the_library(db, tmp_path):
    from django.core.files.storage import default_storage
    from PIL import Image as Pillow

    from broadsheet.media.models import Image
    from tests.interchange.conftest import tally

    folder = uploads_folder(tmp_path)
    output = import_with_uploads(tmp_path, "--uploads", str(folder))
    article = Article.objects.get(slug="harbour")
    original = Image.objects.get(height=160)  # turned upright, as the phone said
    sized = Image.objects.get(width=102)
    chart = Image.objects.get(width=60)
    body = article.body
    # The exact sized copy named; the original where a copy is missing (-300x200).
    assert f'src="{sized.url}"' in body and f'href="{original.url}"' in body
    assert f'srcset="{sized.url} 1024w, {original.url} 300w, {original.url} 1600w"' in body
    assert f"{PHOTO}" not in body
    # Missing or refused files, and other hosts, stay where they were.
    assert "http://www.oldsite.example/wp-content/uploads/2019/05/gone.jpg" in body
    assert f"{UPLOADS}/2019/05/notes.jpg" in body
    assert "https://other.example/wp-content/uploads/2019/04/photo.jpg" in body
    assert f'src="{sized.url}"' in article.body_html
    # The featured image leads the article, with what WordPress said of it.
    assert article.lead_image == chart
    assert (chart.alt_text, chart.caption) == ("Rainfall by month", "Source: the met office")
    assert (original.alt_text, original.caption) == ("Harbour at dawn", "Boats leaving at six")
    # Through the library's own checks: the phone's location is gone.
    with default_storage.open(original.file) as fh:
        assert not Pillow.open(fh).getexif()
    assert Image.objects.count() == 3
    assert tally(output, "images") == [5, 3, 0, 0, 2]
    assert tally(output, "attachments") == [3, 2, 0, 1, 0]
    assert "Images: 3 taken into the library" in output
    assert "2 image files were not taken in" in output
    assert "2019/05/gone.jpg (not in the folder)" in output and "2019/05/notes.jpg (" in output


def test_importing_again_with_the_folder_duplicates_nothing(db, tmp_path):
    from broadsheet.media.models import Image
    from tests.interchange.conftest import tally
    from tests.media.samples import stored_files

    folder = uploads_folder(tmp_path)
    import_with_uploads(tmp_path)  # without the folder: the images stay on the old site
    article = Article.objects.get()
    assert article.body == CONTENT and article.lead_image is None
    assert not Image.objects.exists()
    first = import_with_uploads(tmp_path, "--uploads", str(folder))
    assert tally(first, "posts")[2] == 1  # updated
    files = sorted(stored_files())
    again = import_with_uploads(tmp_path, "--uploads", str(folder))
    assert tally(again, "posts") == [1, 0, 0, 1, 0]
    _, created, _, skipped, _ = tally(again, "images")
    assert (created, skipped) == (0, 3)
    assert Image.objects.count() == 3 and sorted(stored_files()) == files


def test_a_dry_run_stores_no_image_file(db, tmp_path):
    from broadsheet.media.models import Image
    from tests.interchange.conftest import tally
    from tests.media.samples import stored_files

    output = import_with_uploads(tmp_path, "--uploads", str(uploads_folder(tmp_path)), "--dry-run")
    assert tally(output, "images")[1] == 3
    assert stored_files() == [] and not Image.objects.exists()


def test_an_address_cannot_reach_outside_the_folder(db, tmp_path):
    from broadsheet.media.models import Image

    folder = uploads_folder(tmp_path)
    (tmp_path / "private.png").write_bytes(png())
    content = (
        f'<img src="{UPLOADS}/../private.png"><img src="{UPLOADS}/2019/%2e%2e/../../private.png">'
    )
    import_with_uploads(tmp_path, "--uploads", str(folder), content=content)
    assert Article.objects.get().body == content
    assert not Image.objects.filter(width=30).exists()


def test_uploads_must_be_a_folder(db, tmp_path):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such folder"):
        import_with_uploads(tmp_path, "--uploads", str(tmp_path / "missing"))
