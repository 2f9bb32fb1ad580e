"""Feeds are revalidated as pages are: an ETag, a 304, and a new one at every change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from broadsheet.discussion import actions as discussion
from broadsheet.discussion import pagecache
from broadsheet.moderation import actions as moderation
from broadsheet.newsroom import actions as newsroom
from broadsheet.newsroom.models import Article, SiteSettings, Tag
from tests.conftest import make_article, post
from tests.feeds.conftest import parse_feed, read_feed
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db

FEEDS = [
    "/feed/",
    "/comments/feed/",
    "/article/hello-world/feed/",
    "/section/world/feed/",
    "/author/dana-writer/feed/",
]


@pytest.fixture(autouse=True)
def _no_pages_in_memory():
    pagecache.copies.clear()
    yield
    pagecache.copies.clear()


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_answers_304_to_its_etag(article, url):
    post(article, "A comment.")
    client = Client()
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    # A removed comment makes a feed older, not newer: a date could not say so.
    assert "Last-Modified" not in first
    assert not first.cookies and "Cookie" not in first.get("Vary", "")
    for names in (etag, f"W/{etag}", f'"other", {etag}'):
        again = client.get(url, HTTP_IF_NONE_MATCH=names)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag
        assert again["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.parametrize("url, queries", [(FEEDS[2], 1), (FEEDS[0], 2), (FEEDS[1], 2)])
def test_a_revalidation_or_a_kept_copy_costs_only_the_stamps_queries(article, url, queries):
    post(article, "A comment.")
    first = Client().get(url)
    with CaptureQueriesContext(connection) as ctx:
        again = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert len(ctx.captured_queries) == queries
    # Another reader without a copy gets the one the shared cache keeps.
    pagecache.copies.clear()
    with CaptureQueriesContext(connection) as ctx:
        kept = Client().get(url)
    assert len(ctx.captured_queries) == queries
    assert kept.content == first.content and kept["ETag"] == first["ETag"]


def changes(url: str, client: Client, etag: str) -> bytes:
    """The feed again, asked as a reader holding ``etag``: it must have changed."""
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200, url
    assert response["ETag"] != etag
    return response.content


def etags(client: Client, urls: list[str]) -> dict[str, str]:
    return {url: client.get(url)["ETag"] for url in urls}


def test_a_new_comment_is_in_the_feeds_at_once(article):
    post(article, "First.")
    client = Client()
    held = etags(client, FEEDS)
    post(article, "Second.", author_name="Jane")
    for url in FEEDS[1:3]:
        assert parse_feed(changes(url, client, held[url])).entries[0].author == "Jane"
    # The article's entry counts its comments.
    assert b'thr:count="2"' in changes("/feed/", client, held["/feed/"])


def test_a_comment_approved_or_removed_by_a_moderator_is_in_or_out_at_once(article):
    moderator = make_moderator()
    shown = post(article, "Shown.")
    newsroom.set_comment_policy(article, Article.CommentPolicy.HOLD)
    held = post(article, "Held.", author_name="Patient")
    client = Client()
    urls = FEEDS[1:3]
    before = etags(client, urls)
    assert all(read_feed(url).titles[0] != "Comment by Patient" for url in urls)

    moderation.approve(held, actor=moderator)
    for url in urls:
        assert parse_feed(changes(url, client, before[url])).entries[0].author == "Patient"

    before = etags(client, urls)
    moderation.delete(held, actor=moderator)
    for url in urls:
        assert [e.author for e in parse_feed(changes(url, client, before[url])).entries] == [
            "Reader"
        ]
    before = etags(client, urls)
    moderation.mark_spam(shown, actor=moderator)
    for url in urls:
        assert parse_feed(changes(url, client, before[url])).entries == []


def test_an_edited_comment_is_shown_edited_at_once(article):
    comment = post(article, "Teh words.")
    client = Client()
    before = etags(client, FEEDS[1:3])
    discussion.edit_comment(comment, "The words.", token=comment._token)
    for url in FEEDS[1:3]:
        assert "The words." in parse_feed(changes(url, client, before[url])).entries[0].content


def test_an_article_changed_or_renamed_site_changes_its_feeds(article):
    post(article, "A comment.")
    client = Client()
    before = etags(client, FEEDS)
    article = Article.objects.get(pk=article.pk)
    article.title = "Hello, world"
    newsroom.save_article(article)
    for url in FEEDS:
        assert "Hello, world" in changes(url, client, before[url]).decode()
    before = etags(client, FEEDS)
    site = SiteSettings.load()
    site.site_name = "The Gazette"
    newsroom.save_site_settings(site)
    for url in FEEDS:
        assert "The Gazette" in changes(url, client, before[url]).decode()


def test_a_byline_renamed_changes_the_articles_feeds(article):
    client = Client()
    before = etags(client, ["/feed/"])
    article.author.name = "Dana Q. Writer"
    article.author.save()
    assert "Dana Q. Writer" in changes("/feed/", client, before["/feed/"]).decode()


def test_each_host_gets_its_own_addresses(article):
    post(article, "A comment.")
    for url in FEEDS:
        here = Client().get(url)
        there = Client().get(url, HTTP_HOST="localhost")
        assert here["ETag"] != there["ETag"]
        assert b"http://localhost/" in there.content and b"testserver" not in there.content


def test_a_new_article_is_in_the_feeds_at_once(article):
    client = Client()
    before = etags(client, ["/feed/", "/section/world/feed/"])
    make_article(title="Breaking", section=article.section)
    for url in before:
        assert parse_feed(changes(url, client, before[url])).titles[0] == "Breaking"


@pytest.mark.parametrize("url, queries", [(FEEDS[0], 4), (FEEDS[1], 3), (FEEDS[2], 4)])
def test_drawing_a_feed_costs_the_same_queries_however_many_entries(article, url, queries):
    """No query per entry: the articles' bylines, sections and tags, and the comments'
    articles and parents, load with them."""
    article.tags.add(*[Tag.objects.create(name=f"T{n}", slug=f"t{n}") for n in range(3)])
    for n in range(4):
        make_article(title=f"Story {n}", section=article.section, author=article.author)
        root = post(article, f"Root {n}.")
        post(article, f"Reply {n}.", parent=root)
    with CaptureQueriesContext(connection) as ctx:
        feed = read_feed(url)
    assert len(feed.entries) >= 5
    assert len(ctx.captured_queries) == queries, [q["sql"] for q in ctx.captured_queries]
