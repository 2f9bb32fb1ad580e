"""robots.txt and the sitemaps: what search engines are sent to, and what not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from broadsheet.newsroom import sitemaps
from broadsheet.newsroom.models import Article, Author, Section, Tag
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}  # fmt: skip


def xml(client, url: str):
    response = client.get(url, HTTP_HOST="news.example.org")
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def locations(client, url: str) -> list[str]:
    return xml(client, url).xpath("//s:loc/text()", namespaces=NS)


@pytest.fixture
def filing():
    section, empty = (
        Section.objects.create(name="City", slug="city"),
        Section.objects.create(name="Empty", slug="empty"),
    )
    tag = Tag.objects.create(name="Trams", slug="trams")
    author = Author.objects.create(name="Ana Lee", slug="ana-lee")
    return section, empty, tag, author


def test_robots_txt_keeps_crawlers_off_staff_pages_and_names_the_sitemap(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    response = client.get("/robots.txt", HTTP_HOST="news.example.org")
    lines = response.content.decode().splitlines()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert {"Disallow: /admin/", "Disallow: /moderation/", "Disallow: /api/"} <= set(lines)
    assert "Sitemap: http://news.example.org/sitemap.xml" in lines
    assert (
        client.get(
            "/robots.txt", HTTP_HOST="news.example.org", HTTP_IF_NONE_MATCH=response["ETag"]
        ).status_code
        == 304
    )


def test_the_articles_sitemap_lists_live_articles_only(client, settings, filing):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    live = make_article(title="Live", slug="live")
    due = make_article(title="Due", slug="due", status=Article.Status.SCHEDULED)
    make_article(title="Draft", slug="draft", status=Article.Status.DRAFT, published_at=None)
    make_article(
        title="Later", slug="later", status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    root = xml(client, "/sitemap-articles.xml")
    assert root.xpath("//s:loc/text()", namespaces=NS) == [
        f"http://news.example.org{a.get_absolute_url()}" for a in (live, due)
    ]
    assert root.xpath("//s:lastmod/text()", namespaces=NS) == [
        timezone.localtime(a.changed_at).strftime("%Y-%m-%d") for a in (live, due)
    ]


def test_archives_are_listed_only_while_they_have_a_live_article(client, filing):
    section, _empty, tag, author = filing
    make_article(section=section, tags=[tag], author=author)
    make_article(title="Draft", status=Article.Status.DRAFT, published_at=None,
                 section=Section.objects.get(slug="empty"))  # fmt: skip
    assert locations(client, "/sitemap-sections.xml") == ["http://news.example.org/section/city/"]
    assert locations(client, "/sitemap-tags.xml") == ["http://news.example.org/tag/trams/"]
    assert locations(client, "/sitemap-authors.xml") == ["http://news.example.org/author/ana-lee/"]
    assert locations(client, "/sitemap-front.xml") == ["http://news.example.org/"]


@pytest.fixture(autouse=True)
def _host(settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]


def test_the_index_pages_a_large_site_in_a_fixed_number_of_queries(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    for n in range(3):
        make_article(title=f"A{n}", slug=f"a{n}")
    client.get("/sitemap.xml", HTTP_HOST="news.example.org")  # the site settings made
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap.xml", HTTP_HOST="news.example.org")
    for n in range(3, 7):
        make_article(title=f"A{n}", slug=f"a{n}")
    with CaptureQueriesContext(connection) as more:
        listed = locations(client, "/sitemap.xml")
    assert len(more.captured_queries) == len(few.captured_queries)
    base = "http://news.example.org/sitemap-articles.xml"
    assert [u for u in listed if u.startswith(base)] == [
        base,
        f"{base}?p=2",
        f"{base}?p=3",
        f"{base}?p=4",
    ]
    assert "http://news.example.org/sitemap-news.xml" in listed
    assert len(locations(client, "/sitemap-articles.xml?p=4")) == 1


def test_the_news_sitemap_holds_the_last_two_days_with_title_and_time(client, site):
    site.site_name = "The Quay & Dock Gazette"
    site.save()
    fresh = make_article(title="Tom & Jerry <live>", slug="fresh")
    make_article(title="Old", slug="old", published_at=timezone.now() - timedelta(days=3))
    root = xml(client, "/sitemap-news.xml")
    (url,) = root.xpath("//s:url", namespaces=NS)
    assert url.xpath("s:loc/text()", namespaces=NS) == ["http://news.example.org/article/fresh/"]
    assert url.xpath("news:news/news:title/text()", namespaces=NS) == ["Tom & Jerry <live>"]
    assert url.xpath("news:news/news:publication/news:name/text()", namespaces=NS) == [
        "The Quay & Dock Gazette"
    ]
    assert url.xpath("news:news/news:publication/news:language/text()", namespaces=NS) == ["en"]
    published = url.xpath("news:news/news:publication_date/text()", namespaces=NS)[0]
    assert published == timezone.localtime(fresh.published_at).isoformat(timespec="seconds")


def test_an_unknown_sitemap_is_not_found(client):
    assert client.get("/sitemap-drafts.xml", HTTP_HOST="news.example.org").status_code == 404
