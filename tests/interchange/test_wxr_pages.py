"""WordPress pages and media items: every comment a reader could see on the old site is
kept. Pages come in as unlisted articles; comments on a media item go to its post."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article, Redirect
from tests.conftest import make_article
from tests.interchange.conftest import run_export, run_import, tally
from tests.interchange.test_roundtrip import wipe

ORIGIN = "wxr:https://harbour.example.org"


def _file(tmp_path, items: str, name: str = "harbour.xml"):
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Harbour</title>'
        "<link>https://harbour.example.org</link><wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>port</wp:category_nicename>"
        "<wp:category_parent></wp:category_parent><wp:cat_name>Port</wp:cat_name></wp:category>"
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    return path


def _comment(cid: int, when: str, text: str, parent: int = 0) -> str:
    return (
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author>Reader {cid}</wp:comment_author>"
        f"<wp:comment_date_gmt>{when}</wp:comment_date_gmt>"
        f"<wp:comment_content>{text}</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def _item(
    post_id: int, post_type: str, title: str, slug: str, *, parent: int = 0, extra: str = ""
) -> str:
    link = f"https://harbour.example.org/{slug}/"
    if post_type == "page":
        link = f"https://harbour.example.org/?page_id={post_id}"
    status = "inherit" if post_type == "attachment" else "publish"
    return (
        f"<item><title>{title}</title><link>{link}</link><dc:creator>ed</dc:creator>"
        f"<content:encoded>Words about {title}: the quay, the ferry.</content:encoded>"
        f"<wp:post_id>{post_id}</wp:post_id>"
        "<wp:post_date_gmt>2020-05-01 09:00:00</wp:post_date_gmt>"
        f"<wp:comment_status>open</wp:comment_status><wp:post_name>{slug}</wp:post_name>"
        f"<wp:status>{status}</wp:status><wp:post_parent>{parent}</wp:post_parent>"
        f"<wp:post_type>{post_type}</wp:post_type>{extra}</item>"
    )


FILED = '<category domain="category" nicename="port"><![CDATA[Port]]></category>'
STORY = _item(10, "post", "Ferry timetable", "ferry", extra=FILED + _comment(
    100, "2020-05-01 10:00:00", "First on the story."))  # fmt: skip
# A page filed in a section (a plugin allows it) and bylined: still no news story.
PAGE = _item(20, "page", "About the harbour", "about", extra=FILED + _comment(
    200, "2020-05-02 10:00:00", "Lovely page.") + _comment(
    201, "2020-05-02 11:00:00", "Agreed.", parent=200))  # fmt: skip


@pytest.fixture
def harbour(db, tmp_path) -> str:
    return run_import("wxr", _file(tmp_path, STORY + PAGE), "--no-train")


def test_by_default_a_page_comes_in_with_its_comments(harbour):
    assert tally(harbour, "pages") == [1, 1, 0, 0, 0]
    assert tally(harbour, "comments") == [3, 3, 0, 0, 0]
    page = Article.objects.get(origin=f"{ORIGIN}#20")
    assert not page.listed and page.comment_count == 2
    assert set(page.comments.values_list("body", flat=True)) == {"Lovely page.", "Agreed."}
    assert Comment.objects.get(body="Agreed.").parent == Comment.objects.get(body="Lovely page.")
    assert Article.objects.get(origin=f"{ORIGIN}#10").listed
    assert "1 WordPress page is an unlisted article" in harbour


def test_a_page_is_kept_out_of_the_news_but_has_its_page_and_is_found(harbour, client):
    page = Article.objects.get(origin=f"{ORIGIN}#20")
    story = Article.objects.get(origin=f"{ORIGIN}#10")
    # Both of this morning: the news sitemap shows the last two days'.
    Article.objects.update(published_at=timezone.now() - timedelta(hours=1))
    listings = [
        reverse("newsroom:front"),
        reverse("newsroom:section", args=["port"]),
        reverse("newsroom:author", args=["ed"]),
        reverse("feeds:articles"),
        reverse("feeds:section", args=["port"]),
        reverse("feeds:author", args=["ed"]),
        reverse("sitemap", args=["news"]),
    ]
    for url in listings:
        shown = client.get(url).content.decode()
        assert "Ferry timetable" in shown, url
        assert "About the harbour" not in shown, url
        assert page.get_absolute_url() not in shown, url
    shown = client.get(page.get_absolute_url()).content.decode()
    assert "About the harbour" in shown and "Lovely page." in shown and "Agreed." in shown
    assert 'action="{}"'.format(reverse("discussion:post", args=[page.slug])) in shown
    assert "2 Comments" in shown and '"@type": "WebPage"' in shown
    assert client.get("/?page_id=20")["Location"] == page.get_absolute_url()
    articles = client.get(reverse("sitemap", args=["articles"])).content.decode()
    assert page.get_absolute_url() in articles and story.get_absolute_url() in articles
    found = client.get(reverse("search"), {"q": "quay"}).content.decode()
    assert "About the harbour" in found and "Ferry timetable" in found
    # Its comments are comments a reader can see: in the site's comments feed too.
    assert "Lovely page." in client.get(reverse("feeds:comments")).content.decode()


def test_an_editor_can_make_a_page_of_their_own(db, client):
    make_article(title="Front story", slug="front-story")
    make_article(title="Contact us", slug="contact", listed=False)
    assert "Contact us" not in client.get("/").content.decode()
    assert "Contact us" in client.get("/article/contact/").content.decode()


def test_comments_on_a_media_item_go_to_the_post_that_shows_it(db, tmp_path):
    # The photo comes before its post in the file, and has replies among its comments.
    photo = _item(5, "attachment", "Ferry at dawn", "ferry-at-dawn", parent=10, extra=(
        _comment(50, "2020-05-01 09:30:00", "Great photo.")
        + _comment(51, "2020-05-01 11:00:00", "Who took it?")
        + _comment(52, "2020-05-01 12:00:00", "I did.", parent=51)))  # fmt: skip
    loose = _item(6, "attachment", "Loose", "loose", extra=_comment(
        60, "2020-05-01 09:00:00", "On nothing."))  # fmt: skip
    lost = _item(7, "attachment", "Lost", "lost", parent=99, extra=_comment(
        70, "2020-05-01 09:00:00", "On a post not here."))  # fmt: skip
    path = _file(tmp_path, photo + loose + lost + STORY)
    output = run_import("wxr", path, "--no-train")
    story = Article.objects.get(origin=f"{ORIGIN}#10")
    assert story.comment_count == 4
    top = story.comments.filter(parent=None).order_by("thread_key", "pk")
    # In date order among the post's own: the photo's first comment came before it.
    assert list(top.values_list("body", flat=True)) == [
        "Great photo.", "First on the story.", "Who took it?",
    ]  # fmt: skip
    assert Comment.objects.get(body="I did.").parent == Comment.objects.get(body="Who took it?")
    assert (
        "comments on attachment 5 were moved to post 10 (/article/ferry/), which shows it: 3"
        in (output)
    )
    assert "3 comments on media items (attachments) were moved" in output
    assert "comments on attachment 6 were skipped with it: 1 (it belongs to no post)" in output
    assert (
        "comments on attachment 7 were skipped with it: 1 (it belongs to post 99, which was not "
        "imported)" in output
    )
    assert tally(output, "comments") == [6, 4, 0, 2, 0]
    assert not Comment.objects.filter(body__in=["On nothing.", "On a post not here."]).exists()
    again = run_import("wxr", path, "--no-train")
    assert tally(again, "comments") == [6, 0, 0, 6, 0] and Comment.objects.count() == 4


def test_a_page_stays_a_page_through_a_wordpress_export_and_import(harbour, tmp_path):
    make_article(title="Contact us", slug="contact", listed=False)
    exported = run_export("wxr", "--base-url", "https://new.example.com")
    assert exported.count("<wp:post_type><![CDATA[page]]></wp:post_type>") == 2
    wipe()
    output = run_import("wxr", _write(tmp_path, "export.xml", exported), "--no-train")
    assert tally(output, "pages")[:2] == [2, 2] and tally(output, "posts")[:2] == [1, 1]
    unlisted = Article.objects.filter(listed=False).values_list("title", flat=True)
    assert sorted(unlisted) == ["About the harbour", "Contact us"]
    assert Article.objects.get(title="About the harbour").comment_count == 2
    assert "About the harbour" not in Client().get("/").content.decode()


def test_a_page_stays_a_page_through_a_backup_and_restore(harbour, tmp_path):
    backup = _write(tmp_path, "backup.json", run_export("json"))
    wipe()
    run_import("json", backup, "--no-train")
    page = Article.objects.get(origin=f"{ORIGIN}#20")
    assert not page.listed and page.comment_count == 2
    assert Article.objects.get(origin=f"{ORIGIN}#10").listed


def test_a_backup_from_before_pages_were_unlisted_restores_its_pages_unlisted(harbour, tmp_path):
    document = json.loads(run_export("json"))
    for record in document["articles"]:
        del record["listed"]  # as a backup made before the field was written
    wipe()
    run_import("json", _write(tmp_path, "old.json", json.dumps(document)), "--no-train")
    assert not Article.objects.get(origin=f"{ORIGIN}#20").listed
    assert Article.objects.get(origin=f"{ORIGIN}#10").listed


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_unlists_the_pages_an_earlier_import_brought_in():
    page = make_article(title="About", slug="about", origin=f"{ORIGIN}#20")
    story = make_article(title="Story", slug="story", origin=f"{ORIGIN}#10")
    Redirect.objects.create(old_path="/?page_id=20", article=page)
    Redirect.objects.create(old_path="/?p=10", article=story)
    executor = MigrationExecutor(connection)
    executor.migrate([("newsroom", "0012_rerender_characters_html_forbids")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(Article.objects.values_list("slug", "listed")) == {"about": False, "story": True}


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
