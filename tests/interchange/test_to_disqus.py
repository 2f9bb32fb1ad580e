"""Moving a site's discussion to Disqus: Disqus's importer reads WordPress's WXR, and needs
of each thread its page's full address, its date in GMT and whether it is open, and of each
comment the fields below. The WXR export gives them all."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article
from tests.conftest import make_article, post
from tests.interchange.conftest import run_export

pytestmark = pytest.mark.django_db

WP = "{http://wordpress.org/export/1.2/}"
GMT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\Z")  # what Disqus asks: YYYY-MM-DD HH:MM:SS
COMMENT_FIELDS = (
    "comment_id", "comment_author", "comment_author_email", "comment_author_url",
    "comment_author_IP", "comment_date_gmt", "comment_content", "comment_approved",
    "comment_parent",
)  # fmt: skip


def test_every_thread_and_comment_has_what_disquss_importer_reads(tmp_path):
    open_story = make_article(slug="open-story", title="Open story")
    closed = make_article(slug="closed-story", title="Closed story")
    Article.objects.filter(pk=closed.pk).update(comments_open=False)
    root = post(open_story, "First", author_name="Ann", author_email="ann@example.org")
    post(open_story, "A reply", author_name="Bo", parent=root)
    post(closed, "Said before it closed", author_name="Cy")
    path = tmp_path / "to-disqus.xml"
    run_export("wxr", "--base-url", "https://news.example.org", "-o", str(path))

    items = etree.parse(str(path)).getroot().findall("channel/item")
    by_link = {item.findtext("link"): item for item in items}
    assert set(by_link) == {
        "https://news.example.org/article/open-story/",
        "https://news.example.org/article/closed-story/",
    }
    assert (
        by_link["https://news.example.org/article/closed-story/"].findtext(f"{WP}comment_status")
        == "closed"
    )
    exported = 0
    for item in items:
        assert GMT.match(item.findtext(f"{WP}post_date_gmt"))
        assert item.findtext(f"{WP}comment_status") in {"open", "closed"}
        comments = item.findall(f"{WP}comment")
        ids = {c.findtext(f"{WP}comment_id") for c in comments}
        for comment in comments:
            for field in COMMENT_FIELDS:
                assert comment.find(f"{WP}{field}") is not None, field
            assert GMT.match(comment.findtext(f"{WP}comment_date_gmt"))
            parent = comment.findtext(f"{WP}comment_parent")
            assert parent == "0" or parent in ids  # a reply's parent is in its own thread
            exported += 1
    assert exported == Comment.objects.count() == 3
    reply = Comment.objects.get(body="A reply")
    (written,) = [
        c for item in items for c in item.findall(f"{WP}comment")
        if c.findtext(f"{WP}comment_id") == str(reply.pk)
    ]  # fmt: skip
    assert written.findtext(f"{WP}comment_parent") == str(root.pk)


def test_visible_only_leaves_out_what_readers_cannot_see(tmp_path):
    article = make_article(slug="story")
    shown = post(article, "Shown", author_name="Ann")
    held = post(article, "Held back", author_name="Bo")
    reply = post(article, "A reply to the held one", author_name="Cy", parent=held)
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    spam = post(article, "Buy now", author_name="Spammer")
    Comment.objects.filter(pk=spam.pk).update(status=Comment.Status.SPAM)
    path = tmp_path / "visible.xml"
    run_export("wxr", "--visible-only", "-o", str(path))
    (item,) = etree.parse(str(path)).getroot().findall("channel/item")
    written = {
        c.findtext(f"{WP}comment_id"): c.findtext(f"{WP}comment_parent")
        for c in item.findall(f"{WP}comment")
    }
    # The reply stays, at the top, since its parent is not in the file.
    assert written == {str(shown.pk): "0", str(reply.pk): "0"}
    assert all(c.findtext(f"{WP}comment_approved") == "1" for c in item.findall(f"{WP}comment"))


def test_visible_only_is_refused_for_a_backup(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="a backup holds everything"):
        run_export("json", "--visible-only", "-o", str(tmp_path / "b.json"))
    assert not list(tmp_path.iterdir())


def test_the_export_names_the_sites_language(tmp_path):
    from broadsheet.newsroom.models import SiteSettings

    make_article(slug="story")
    path = tmp_path / "site.xml"
    run_export("wxr", "-o", str(path))
    assert etree.parse(str(path)).getroot().findtext("channel/language") == "en-US"
    SiteSettings.objects.filter(pk=1).update(language="he")
    run_export("wxr", "-o", str(path))
    assert etree.parse(str(path)).getroot().findtext("channel/language") == "he"
