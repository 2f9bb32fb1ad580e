"""Pages name their feeds: in the head for feed readers, and in a link for readers."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.newsroom.models import Article, Tag
from tests.conftest import make_article, post
from tests.feeds.conftest import read_feed
from tests.test_html import check_page, staff_client

pytestmark = pytest.mark.django_db

SITE_FEEDS = {"/feed/": "Broadsheet: articles", "/comments/feed/": "Broadsheet: comments"}


def feeds_named(page) -> dict[str, str]:
    return {
        link.get("href"): link.get("title")
        for link in page.iter("link")
        if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"
    }


def follow_links(page) -> dict[str, str]:
    """The links a reader sees that lead to a feed: address -> words."""
    return {
        a.get("href"): "".join(a.itertext())
        for a in page.iter("a")
        if a.get("type") == "application/atom+xml"
    }


@pytest.fixture
def pages(article):
    article.tags.add(Tag.objects.create(name="Bridges", slug="bridges"))
    post(article, "A comment.")
    return article


@pytest.mark.parametrize(
    "url, own_feed, own_title, words",
    [
        ("/", None, None, None),
        ("/?page=2", None, None, None),
        ("/section/world/", "/section/world/feed/", "Section: World",
         "Follow this section: feed of its new articles"),
        ("/tag/bridges/", "/tag/bridges/feed/", "Tag: Bridges",
         "Follow this tag: feed of its new articles"),
        ("/author/dana-writer/", "/author/dana-writer/feed/", "Author: Dana Writer",
         "Follow this author: feed of its new articles"),
        ("/article/hello-world/", "/article/hello-world/feed/", "Comments on Hello world",
         "Follow this discussion: feed of its new comments"),
    ],
)  # fmt: skip
def test_a_page_names_its_feeds_and_stays_valid(pages, url, own_feed, own_title, words):
    response = Client().get(url)
    assert response.status_code == 200
    page = check_page(response.content.decode())
    expected = dict(SITE_FEEDS)
    if own_feed:
        expected[own_feed] = own_title
    assert feeds_named(page) == expected
    shown = follow_links(page)
    assert shown["/feed/"] == "feed of new articles"
    assert shown["/comments/feed/"] == "feed of new comments"
    if own_feed:
        assert shown[own_feed] == words
    for feed in expected:
        read_feed(feed)  # each leads to a feed


def test_an_articles_preview_names_no_feed_of_its_own(db):
    draft = make_article(slug="draft", status=Article.Status.DRAFT, published_at=None)
    response = staff_client().get(draft.get_absolute_url())
    assert response.status_code == 200
    page = check_page(response.content.decode())
    assert feeds_named(page) == SITE_FEEDS
    assert "/article/draft/feed/" not in follow_links(page)
