"""Paged feeds (RFC 5005): a feed reader or a reader catching up follows ``next``
back through every entry, a page at a time, each page a valid Atom document."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.discussion import pagecache
from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions as moderation
from broadsheet.newsroom import actions as newsroom
from broadsheet.newsroom.models import Article, Tag
from tests.conftest import make_article, post
from tests.feeds.conftest import NS, Document, parse_feed, read_feed
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db

PAGE = 3
DISCUSSION = "/article/hello-world/feed/"
COMMENT_FEEDS = [DISCUSSION, "/comments/feed/"]
ARTICLE_FEEDS = [
    "/feed/",
    "/section/world/feed/",
    "/tag/bridges/feed/",
    "/author/dana-writer/feed/",
]
PAGING = ("first", "previous", "next", "last")


@pytest.fixture(autouse=True)
def _small_pages(settings):
    settings.BROADSHEET_FEED_ITEMS = PAGE
    pagecache.copies.clear()
    yield
    pagecache.copies.clear()


def comments(article: Article, count: int) -> list[Comment]:
    """``count`` comments on ``article``, newest first; three pairs share their time
    to the microsecond (an import's whole seconds do), one pair across a page's end."""
    made = [post(article, f"Number {n}.", author_name=f"N{n}") for n in range(count)]
    start = timezone.now() - timedelta(hours=1)
    times = [start + timedelta(minutes=n // 2 if n < 6 else n) for n in range(count)]
    for comment, at in zip(made, times, strict=True):
        Comment.objects.filter(pk=comment.pk).update(created_at=at)
    return sorted(made, key=lambda c: (times[made.index(c)], c.pk), reverse=True)


def articles(article: Article, count: int) -> list[Article]:
    """``article`` and ``count - 1`` more in its section, tag and byline, newest first;
    some published at the same instant."""
    bridges = Tag.objects.create(name="Bridges", slug="bridges")
    article.tags.add(bridges)
    made = [article] + [
        make_article(
            title=f"Story {n}", section=article.section, author=article.author, tags=[bridges]
        )
        for n in range(count - 1)
    ]
    start = timezone.now() - timedelta(days=1)
    times = [start + timedelta(minutes=n // 3) for n in range(count)]
    for story, at in zip(made, times, strict=True):
        Article.objects.filter(pk=story.pk).update(published_at=at)
    return sorted(made, key=lambda a: (times[made.index(a)], a.pk), reverse=True)


def entry_number(entry_id: str) -> int:
    return int(entry_id.rsplit("/", 1)[1])


def read_page(url: str, client: Client | None = None) -> Document:
    """One page, read as a strict feed reader does, checked for what every page says."""
    response = (client or Client()).get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    document = parse_feed(response.content)
    url = url if url.startswith("http://") else f"http://testserver{url}"
    feed = url.split("?")[0]
    assert document.link("self") == url
    # One logical feed: every page has the feed's id.
    assert document.text("a:id") == feed
    # Every address in it is absolute, a feed reader reads it far from the site.
    for element in document.root.iter():
        for name in ("href", "ref"):
            if (address := element.get(name)) is not None and not address.startswith("tag:"):
                parts = urlsplit(address)
                assert parts.scheme in ("http", "https") and parts.netloc, address
        if element.tag == "{http://www.w3.org/2005/Atom}uri":
            assert urlsplit(element.text).scheme in ("http", "https")
    # The paging links, each at most once, lead to pages of this feed.
    for rel in PAGING:
        found = document.root.findall(f"a:link[@rel='{rel}']", NS)
        assert len(found) <= 1, rel
        if found:
            assert found[0].get("href").startswith(feed)
    return document


def walk(url: str, rel: str) -> list[Document]:
    """Every page from ``url`` on, following ``rel``."""
    pages = [read_page(url)]
    while (following := pages[-1].link(rel)) is not None:
        pages.append(read_page(following))
        assert len(pages) < 50, "the pages go round"
    return pages


def numbers(pages: list[Document]) -> list[int]:
    return [entry_number(entry.id) for page in pages for entry in page.entries]


@pytest.mark.parametrize("url", COMMENT_FEEDS)
def test_following_next_visits_every_comment_once_newest_first(article, url):
    made = comments(article, 11)
    if url == "/comments/feed/":
        made = [*comments(make_article(title="Elsewhere"), 2), *made]
        made.sort(key=lambda c: (Comment.objects.get(pk=c.pk).created_at, c.pk), reverse=True)
    pages = walk(url, "next")
    assert numbers(pages) == [c.pk for c in made]
    assert [len(page.entries) for page in pages][:-1] == [PAGE] * (len(pages) - 1)
    first, *rest = pages
    assert first.link("previous") is None
    assert first.link("first") == f"http://testserver{url}"
    assert first.link("last") == f"http://testserver{url}?after=0"
    assert first.link("next") == f"http://testserver{url}?before={made[PAGE - 1].pk}"
    for page in rest:
        assert page.link("first") == f"http://testserver{url}"
        assert page.link("previous") is not None
        assert page.link("last") == f"http://testserver{url}?after=0"
    # Following previous back from the end visits them all once again.
    back = walk(pages[-1].link("self"), "previous")
    assert numbers(back[::-1]) == [c.pk for c in made]
    # The last page holds the oldest entries, newest first as everywhere.
    last = read_page(f"http://testserver{url}?after=0")
    assert numbers([last]) == [c.pk for c in made[-PAGE:]]
    assert last.link("next") is None and last.link("previous") is not None


@pytest.mark.parametrize("url", ARTICLE_FEEDS)
def test_following_next_visits_every_article_once_newest_first(article, url):
    made = articles(article, 10)
    make_article(title="Draft", section=article.section, status=Article.Status.DRAFT)
    pages = walk(url, "next")
    assert numbers(pages) == [a.pk for a in made]
    assert len(pages) == 4
    back = walk(pages[-1].link("self"), "previous")
    assert numbers(back[::-1]) == [a.pk for a in made]


def test_a_feed_on_one_page_has_no_paging_links_and_the_first_page_is_the_newest(article):
    for n in range(PAGE):
        post(article, f"Number {n}.")
    for url in ["/feed/", *COMMENT_FEEDS]:
        document = read_page(url)
        assert all(document.link(rel) is None for rel in PAGING)
    post(article, "One more.", author_name="Late")
    document = read_feed(DISCUSSION)
    # The first page is the feed subscribers always read: the newest entries.
    assert [e.author for e in document.entries] == ["Late", "Reader", "Reader"]
    assert document.link("self") == f"http://testserver{DISCUSSION}"
    assert document.link("next") is not None and document.link("previous") is None


def test_comments_posted_while_a_reader_pages_back_neither_repeat_nor_skip_an_entry(article):
    made = comments(article, 9)
    pages = [read_page(DISCUSSION)]
    post(article, "Posted meanwhile.")
    post(article, "And another.")
    while (following := pages[-1].link("next")) is not None:
        pages.append(read_page(following))
    assert numbers(pages) == [c.pk for c in made]


def test_a_removed_comment_leaves_its_page_and_the_page_still_leads_on(article):
    made = comments(article, 9)
    second = read_page(DISCUSSION).link("next")
    moderation.delete(made[PAGE], actor=make_moderator())  # the first of the second page
    pages = walk(second, "next")
    assert numbers(pages) == [c.pk for c in made[PAGE + 1 :]]
    # A page named by the removed comment still reads: its place is kept.
    named = read_page(f"http://testserver{DISCUSSION}?before={made[PAGE].pk}")
    assert numbers([named])[0] == made[PAGE + 1].pk


MALFORMED = ["before=abc", "before=", "after=-1", "before=1.0", "before=%EF%BC%91",
             "before=1&after=2", "before=1&before=2", "after=0x10"]  # fmt: skip
# Numbers no entry has, past what a 64-bit column holds (SQLite refuses them outright).
UNHELD = ["9223372036854775807", "9223372036854775808", "18446744073709551616",
          "99999999999999999999999999999999", "9" * 5000, "0" * 30 + "1"]  # fmt: skip


@pytest.mark.parametrize("url", [DISCUSSION, "/comments/feed/", "/feed/", "/tag/bridges/feed/"])
def test_a_malformed_page_is_refused_with_400(article, url):
    Tag.objects.create(name="Bridges", slug="bridges")
    client = Client()
    for query in MALFORMED:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, query
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert b"before=N or after=N" in response.content


@pytest.mark.parametrize("url", [DISCUSSION, "/comments/feed/", "/feed/", "/section/world/feed/"])
def test_a_page_no_entry_names_answers_404_however_large_the_number(article, url):
    comments(article, 5)
    client = Client()
    for number in UNHELD:
        for name in ("before", "after"):
            response = client.get(f"{url}?{name}={number}")
            assert response.status_code == 404, (name, number[:30])


def test_a_page_past_the_end_or_named_by_anothers_entry_answers_404(article):
    made = comments(article, 5)
    elsewhere = post(make_article(title="Elsewhere", slug="elsewhere"), "Not here.")
    client = Client()
    for query in (f"before={made[-1].pk}", "before=0", f"after={made[0].pk}",
                  f"before={elsewhere.pk}", f"after={elsewhere.pk}"):  # fmt: skip
        assert client.get(f"{DISCUSSION}?{query}").status_code == 404, query
    # Another discussion's comment names a page of the site's comment feed.
    assert client.get(f"/comments/feed/?before={elsewhere.pk}").status_code == 200
    # A feed with no entries is still a feed, on its first page alone.
    moderation.delete(elsewhere, actor=make_moderator())
    assert read_page("/article/elsewhere/feed/").entries == []
    assert client.get("/article/elsewhere/feed/?after=0").status_code == 404


@pytest.mark.parametrize("url", [*COMMENT_FEEDS, "/feed/"])
def test_each_page_has_its_own_etag_and_answers_304(article, url):
    comments(article, 7)
    articles(article, 7)
    client = Client()
    second = read_page(url).link("next")
    first = client.get(second)
    assert first.status_code == 200
    assert first["ETag"] != client.get(url)["ETag"]
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Last-Modified" not in first
    again = client.get(second, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    pagecache.copies.clear()
    drawn = Client().get(second)
    assert drawn.content == first.content and drawn["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", [*COMMENT_FEEDS, "/feed/"])
def test_only_the_first_and_last_pages_are_kept_whatever_the_query_string_holds(
    article, url, database_page_cache
):
    """Any entry's number names a page of a feed, and parameters the feed does not read
    were part of the kept page's key: one client walking the numbers, or padding the
    address (a cache-buster), filled the shared cache with copies nobody else asks for
    and pushed readers' pages out of it. The first and last pages are kept once; the
    pages between are drawn again when asked for."""
    comments(article, 7)
    articles(article, 7)
    first = read_page(url)
    middle, last = first.link("next"), first.link("last")
    assert middle and last and middle != last
    client = Client()
    plain = {address: client.get(address) for address in (url, middle, last)}
    kept = database_page_cache()
    assert len(kept) == 4, kept  # the first and the last page, each under its ETag
    for n in range(30):
        for address, answer in plain.items():
            joiner = "&" if "?" in address else "?"
            padded = client.get(f"{address}{joiner}utm_source=x{n}&cb={n}")
            assert padded.status_code == 200
            assert padded["ETag"] == answer["ETag"] and padded.content == answer.content
    assert database_page_cache() == kept
    again = client.get(middle, HTTP_IF_NONE_MATCH=plain[middle]["ETag"])
    assert again.status_code == 304  # a page not kept is still revalidated by its ETag


def test_a_deeper_page_costs_the_queries_of_the_first(article):
    """One query draws a page's comments wherever it is: the index is entered at the
    entry that names the page (no OFFSET walking the ones before it)."""
    comments(article, 11)
    client = Client()
    pages = walk(DISCUSSION, "next")
    costs = []
    for page in pages[:-1]:  # the last holds fewer entries
        url = page.link("self")
        pagecache.copies.clear()
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            etag = client.get(url)["ETag"]
        assert not any("OFFSET" in q["sql"].upper() for q in ctx.captured_queries), url
        costs.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        # A revalidation costs the article page's stamp alone, as on the first page.
        assert len(ctx.captured_queries) == 1
    assert len(pages) == 4 and len(set(costs)) == 1, costs


def test_every_page_of_a_discussion_changes_when_the_discussion_does(article):
    made = comments(article, 9)
    client = Client()
    urls = [page.link("self") for page in walk(DISCUSSION, "next")]
    held = {url: client.get(url)["ETag"] for url in urls}
    moderator = make_moderator()
    moderation.edit_text(made[-1], "Mended words.", actor=moderator)
    for url in urls:
        response = client.get(url, HTTP_IF_NONE_MATCH=held[url])
        assert response.status_code == 200 and response["ETag"] != held[url]
    assert "Mended words." in parse_feed(response.content).entries[-1].content
    # The site's comment feed: the page that holds the comment changes.
    site = [page.link("self") for page in walk("/comments/feed/", "next")]
    held = {url: client.get(url)["ETag"] for url in site}
    moderation.edit_text(Comment.objects.get(pk=made[-1].pk), "Mended again.", actor=moderator)
    response = client.get(site[-1], HTTP_IF_NONE_MATCH=held[site[-1]])
    assert response.status_code == 200
    assert "Mended again." in parse_feed(response.content).entries[-1].content


def test_an_article_edited_changes_the_page_of_the_articles_feed_it_is_on(article):
    made = articles(article, 7)
    client = Client()
    urls = [page.link("self") for page in walk("/feed/", "next")]
    held = {url: client.get(url)["ETag"] for url in urls}
    oldest = Article.objects.get(pk=made[-1].pk)
    oldest.title = "Retitled"
    newsroom.save_article(oldest)
    response = client.get(urls[-1], HTTP_IF_NONE_MATCH=held[urls[-1]])
    assert response.status_code == 200
    assert parse_feed(response.content).titles[-1] == "Retitled"
