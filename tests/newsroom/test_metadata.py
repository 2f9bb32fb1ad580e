"""What an article page tells programs besides readers: Open Graph for the preview a
social network draws, and schema.org NewsArticle for search engines."""

from __future__ import annotations

import json
import re

import pytest
from lxml import html as lxml_html

from broadsheet.newsroom.models import Article, Author, Section, Tag
from tests.conftest import make_article
from tests.test_html import check_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["news.example.org", "www.news.example.org"]


def page(client, article: Article, host: str = "news.example.org", **extra) -> str:
    response = client.get(article.get_absolute_url(), HTTP_HOST=host, **extra)
    assert response.status_code == 200
    return response.content.decode()


def properties(text: str) -> list[tuple[str, str]]:
    doc = lxml_html.fromstring(text)
    return [(m.get("property"), m.get("content")) for m in doc.xpath("//head/meta[@property]")]


def structured(text: str) -> dict:
    doc = lxml_html.fromstring(text)
    (script,) = doc.xpath('//head/script[@type="application/ld+json"]')
    return json.loads(script.text)


@pytest.fixture
def story(site):
    site.site_name = "The Quay Gazette"
    site.save()
    return make_article(
        title="Trams return </script><script>alert(1)</script> to the quay",
        slug="trams-return",
        summary="After ten years, the \u201cred line\u201d runs again. \u05e9\u05dc\u05d5\u05dd",
        author=Author.objects.create(name="Ana Lee", slug="ana-lee"),
        section=Section.objects.create(name="City", slug="city"),
        tags=[Tag.objects.create(name="Trams", slug="trams")],
        source_name="Harbour Times",
        source_url="https://harbour.example/trams",
    )


def test_open_graph_describes_the_article_at_its_full_address(client, story):
    text = page(client, story)
    check_page(text)
    props = dict(properties(text))
    assert props["og:type"] == "article"
    assert props["og:url"] == "http://news.example.org/article/trams-return/"
    assert props["og:title"] == story.title
    assert props["og:description"] == story.summary
    assert props["og:site_name"] == "The Quay Gazette"
    assert props["article:section"] == "City"
    assert ("article:tag", "Trams") in properties(text)
    assert props["article:published_time"] == story.published_at.isoformat()


def test_structured_data_is_a_news_article_no_text_can_break_out_of(client, story):
    text = page(client, story)
    # The title's "</script>" is escaped in the JSON: one script element, whole.
    assert len(re.findall(r"<script", text.split("</head>")[0])) == 1
    data = structured(text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.title
    assert data["description"] == story.summary
    assert data["author"] == {
        "@type": "Person", "name": "Ana Lee", "url": "http://news.example.org/author/ana-lee/"
    }  # fmt: skip
    assert data["publisher"]["name"] == "The Quay Gazette"
    assert data["isBasedOn"] == "https://harbour.example/trams"
    assert data["commentCount"] == 0
    assert data["discussionUrl"] == "http://news.example.org/article/trams-return/#comments"


def test_each_host_gets_a_page_that_names_its_own_address(client, story):
    first = page(client, story)
    other = page(client, story, host="www.news.example.org")
    assert dict(properties(first))["og:url"].startswith("http://news.example.org/")
    assert dict(properties(other))["og:url"].startswith("http://www.news.example.org/")


def test_a_preview_of_an_unpublished_article_tells_programs_nothing(admin_client):
    draft = make_article(status=Article.Status.DRAFT, published_at=None, summary="Secret")
    text = page(admin_client, draft)
    assert properties(text) == [] and "ld+json" not in text
