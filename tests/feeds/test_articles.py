"""The feeds of articles: the site's, and a section's, tag's or byline's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article, Author, Section, Tag
from tests.conftest import make_article, post
from tests.feeds.conftest import NS, read_feed

pytestmark = pytest.mark.django_db


def ago(**delta) -> timezone.datetime:
    return timezone.now() - timedelta(**delta)


def test_the_site_feed_lists_live_articles_newest_first(article):
    make_article(title="Older", published_at=ago(days=2))
    make_article(title="Newest", published_at=ago(minutes=5))
    make_article(title="Same time, made later", published_at=article.published_at)
    feed = read_feed("/feed/")
    assert feed.titles == ["Newest", "Same time, made later", "Hello world", "Older"]
    assert feed.text("a:title") == "Broadsheet"
    assert feed.text("a:subtitle") == "News and discussion"
    assert feed.link("self") == "http://testserver/feed/"
    assert feed.link("alternate") == "http://testserver/"
    assert feed.text("a:id") == "http://testserver/feed/"


def test_an_article_entry_says_what_its_page_says(article):
    article.tags.add(Tag.objects.create(name="Bridges", slug="bridges"))
    article.summary = "Tom & Jerry <3"
    actions.save_article(article)
    post(article, "One.")
    post(article, "Two.")
    (entry,) = read_feed("/feed/").entries
    article.refresh_from_db()
    assert entry.title == "Hello world"
    assert entry.link == "http://testserver/article/hello-world/"
    assert entry.author == "Dana Writer"
    assert entry.author_uri == "http://testserver/author/dana-writer/"
    assert entry.published == article.published_at.isoformat()
    assert entry.updated == article.updated_at.isoformat()
    assert entry.categories == ["World", "Bridges"]
    # The summary is HTML (type="html"): the text, escaped.
    assert entry.summary == "Tom &amp; Jerry &lt;3"
    assert entry.element.find("a:summary", NS).get("type") == "html"
    assert entry.element.find("a:content", NS).get("type") == "html"
    assert entry.content.startswith("<p>Some <em>text</em> for the article.</p>")
    # Republished: the outlet is credited in the text and linked as the entry's source.
    assert (
        'Originally published by <a href="https://news.example.org/story">The Daily Example</a>.'
        in entry.content
    )
    via = entry.link_of("via")
    assert via.get("href") == "https://news.example.org/story"
    assert via.get("title") == "The Daily Example"
    # Its discussion's feed, and how many comments it holds (RFC 4685).
    replies = entry.link_of("replies")
    assert replies.get("href") == "http://testserver/article/hello-world/feed/"
    assert replies.get(f"{{{NS['thr']}}}count") == "2"
    assert replies.get("type") == "application/atom+xml"
    # A permanent id: the address may change with the slug, the id does not.
    created = timezone.localdate(article.created_at)
    assert entry.id == f"tag:testserver,{created}:article/{article.pk}"
    renamed = Article.objects.get(pk=article.pk)
    renamed.slug = "hello-again"
    actions.save_article(renamed)
    (entry,) = read_feed("/feed/").entries
    assert entry.link == "http://testserver/article/hello-again/"
    assert entry.id.endswith(f":article/{article.pk}")


def test_an_article_without_a_byline_is_the_sites(db):
    make_article(title="Unsigned")
    feed = read_feed("/feed/")
    (entry,) = feed.entries
    assert entry.author is None and entry.element.find("a:link[@rel='via']", NS) is None
    # Atom wants an author for every entry: the feed's stands in.
    assert feed.text("a:author/a:name") == "Broadsheet"


def test_drafts_and_scheduled_articles_appear_only_when_readers_can_see_them(article):
    make_article(title="A draft", status=Article.Status.DRAFT, published_at=None)
    scheduled = make_article(
        title="Tomorrow's", status=Article.Status.SCHEDULED, published_at=ago(days=-1)
    )
    client = Client()
    assert read_feed("/feed/", client).titles == ["Hello world"]
    # Its time comes: nothing stored changes, and it is in the feed.
    Article.objects.filter(pk=scheduled.pk).update(published_at=ago(seconds=1))
    assert read_feed("/feed/", client).titles == ["Tomorrow's", "Hello world"]
    actions.unpublish(Article.objects.get(pk=article.pk))
    assert read_feed("/feed/", client).titles == ["Tomorrow's"]


def test_a_feed_holds_the_newest_feed_items_articles(db, settings):
    settings.BROADSHEET_FEED_ITEMS = 3
    for day in range(5):
        make_article(title=f"Day {day}", published_at=ago(days=day))
    assert read_feed("/feed/").titles == ["Day 0", "Day 1", "Day 2"]


def test_section_tag_and_byline_feeds_list_only_their_articles(article):
    bridges = Tag.objects.create(name="Bridges", slug="bridges")
    article.tags.add(bridges)
    other = make_article(
        title="Elsewhere",
        section=Section.objects.create(name="Sport", slug="sport", description="Games."),
        author=Author.objects.create(name="Lee Other", slug="lee"),
    )
    make_article(title="Draft in World", section=article.section, status=Article.Status.DRAFT)
    assert read_feed("/section/world/feed/").titles == ["Hello world"]
    sport = read_feed("/section/sport/feed/")
    assert sport.titles == [other.title]
    assert sport.text("a:title") == "Broadsheet: Sport"
    assert sport.text("a:subtitle") == "Games."
    assert sport.link("alternate") == "http://testserver/section/sport/"
    assert read_feed("/tag/bridges/feed/").titles == ["Hello world"]
    author = read_feed("/author/dana-writer/feed/")
    assert author.titles == ["Hello world"]
    assert author.text("a:title") == "Broadsheet: Dana Writer"
    assert read_feed("/author/lee/feed/").titles == ["Elsewhere"]
    for missing in ("/section/nope/feed/", "/tag/nope/feed/", "/author/nope/feed/"):
        assert Client().get(missing).status_code == 404


def test_a_renamed_sections_old_feed_address_redirects_to_its_feed(article):
    section = article.section
    section.slug = "world-news"
    section.save()
    response = Client().get("/section/world/feed/")
    assert response.status_code == 301
    assert response["Location"] == "/section/world-news/feed/"
    assert read_feed(response["Location"]).titles == ["Hello world"]


def test_relative_links_and_images_in_an_article_are_made_absolute(db):
    make_article(
        title="Links",
        body="[Earlier](/article/earlier/) and [away](https://example.org/x?a=1&b=2)\n\n"
        "![A map](/media/map.png)",
    )
    (entry,) = read_feed("/feed/").entries
    earlier = '<a href="http://testserver/article/earlier/" rel="noopener">Earlier</a>'
    assert earlier in entry.content
    assert 'href="https://example.org/x?a=1&amp;b=2"' in entry.content
    assert 'src="http://testserver/media/map.png"' in entry.content


def test_addresses_are_those_of_the_host_asked(article):
    feed = read_feed("/feed/", HTTP_HOST="localhost:8000", secure=True)
    assert feed.link("self") == "https://localhost:8000/feed/"
    assert feed.entries[0].link == "https://localhost:8000/article/hello-world/"
    # The id's authority is the host's name, without its port.
    assert feed.entries[0].id.startswith("tag:localhost,")


def test_every_character_survives_and_those_xml_cannot_carry_do_not_break_it(db):
    # Text pasted from a word processor, or imported, may hold control characters
    # (a vertical tab for a line break) that XML 1.0 cannot carry at all.
    make_article(
        title="שלום 👋 cafe\u0301\x0bnews\x1f",
        summary="Line\x0bbreak\x0cfeed",
        body="Emoji 🇮🇱 and עברית, e\u0301, with a\x0bvertical tab and a\x1funit separator.",
    )
    (entry,) = read_feed("/feed/").entries
    # Replaced as the pages replace them: a vertical tab is a line break, any other
    # U+FFFD (docs/reading.md); a form feed, which XML alone forbids, a space.
    assert entry.title == "שלום 👋 cafe\u0301\nnews\ufffd"
    assert entry.summary == "Line\nbreak feed"
    assert "Emoji 🇮🇱 and עברית, e\u0301, with a\nvertical tab and a\ufffdunit separator." in (
        entry.content
    )


def test_wordpress_addresses_of_other_formats_lead_to_the_atom_feeds(db):
    for old, new in (
        ("/feed/rss2/", "/feed/"),
        ("/feed/atom/", "/feed/"),
        ("/comments/feed/rss2/", "/comments/feed/"),
    ):
        response = Client().get(old)
        assert response.status_code == 301 and response["Location"] == new


def test_a_feed_only_answers_reading(db):
    response = Client().post("/feed/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    head = Client().head("/feed/")
    assert head.status_code == 200 and head.content == b"" and head["ETag"]
