from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from broadsheet.moderation import actions as moderation
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.api.conftest import API, errors_of
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db


def get_article(client, slug: str, **extra):
    return client.get(f"{API}/articles/{slug}", **extra)


def test_article_gives_its_fields_and_absolute_url(client, article):
    post(article, "Seen")
    data = get_article(client, "hello-world").json()
    assert data == {
        "slug": "hello-world",
        "title": "Hello world",
        "url": "http://testserver/article/hello-world/",
        "published_at": data["published_at"],
        "comment_count": 1,
        "comments_open": True,
        "comments_held": False,
    }
    published = article.published_at.astimezone(UTC)
    assert data["published_at"] == published.isoformat(timespec="milliseconds")[:-6] + "Z"


def test_comment_count_counts_only_approved_comments(client, article):
    post(article, "Seen")
    moderation.reject(post(article, "Rejected"), actor=None)
    moderation.mark_spam(post(article, "Spam"), actor=None)
    assert get_article(client, article.slug).json()["comment_count"] == 1


def test_comments_open_is_false_when_an_editor_closed_them(client):
    make_article(slug="closed", comments_open=False)
    assert get_article(client, "closed").json()["comments_open"] is False


def test_comments_open_is_false_once_the_closing_date_passed(client, site):
    site.close_comments_after_days = 1
    site.save()
    make_article(slug="old", published_at=timezone.now() - timedelta(days=2))
    make_article(slug="new")
    assert get_article(client, "old").json()["comments_open"] is False
    assert get_article(client, "new").json()["comments_open"] is True


def test_comments_held_says_whether_every_comment_waits_for_a_moderator(client, site):
    held = make_article(slug="held", comment_policy=Article.CommentPolicy.HOLD)
    make_article(slug="calm")
    make_article(slug="open", comment_policy=Article.CommentPolicy.PUBLISH)
    assert get_article(client, "held").json()["comments_held"] is True
    assert get_article(client, "calm").json()["comments_held"] is False
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    assert get_article(client, "calm").json()["comments_held"] is True
    assert get_article(client, "open").json()["comments_held"] is False
    # Lifted: a client that kept the old answer is told it changed.
    etag = get_article(client, "held")["ETag"]
    newsroom_actions.set_comment_policy(held, Article.CommentPolicy.PUBLISH)
    answer = get_article(client, "held", HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 200 and answer.json()["comments_held"] is False


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.SCHEDULED, "published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_article_not_yet_live_is_404(client, fields):
    make_article(slug="hidden", **fields)
    response = get_article(client, "hidden")
    assert response.status_code == 404
    assert errors_of(response) == {"__all__": ["There is no such article."]}


def test_unknown_article_is_404_json(client, db):
    response = get_article(client, "nope")
    assert response.status_code == 404
    assert errors_of(response)["__all__"]


def test_a_host_the_site_does_not_serve_is_a_json_400_under_the_api(client, article):
    response = get_article(client, "hello-world", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(errors_of(response)) == ["__all__"]
    # Outside the API, Django's own 400 page.
    page = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_unicode_slug_is_found_and_its_url_is_encoded(client):
    make_article(slug="שלום-עולם", title="שלום עולם")
    data = get_article(client, "שלום-עולם").json()
    assert data["title"] == "שלום עולם"
    assert (
        data["url"]
        == "http://testserver/article/%D7%A9%D7%9C%D7%95%D7%9D-%D7%A2%D7%95%D7%9C%D7%9D/"
    )


def test_article_is_cacheable_by_shared_caches(client, article):
    response = get_article(client, article.slug)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Set-Cookie" not in response and "Vary" not in response


def test_article_answers_304_while_its_etag_holds(client, article):
    etag = get_article(client, article.slug)["ETag"]
    again = get_article(client, article.slug, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=0, must-revalidate"
    post(article, "news")
    assert get_article(client, article.slug, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_article_costs_two_queries(client, article, site, django_assert_num_queries):
    with django_assert_num_queries(2):  # the article, the site settings
        assert get_article(client, article.slug).status_code == 200


def test_article_refuses_other_methods_with_json_405(client, article):
    response = client.delete(f"{API}/articles/{article.slug}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert errors_of(response) == {"__all__": ["DELETE is not allowed here."]}


def test_head_answers_like_get(client, article):
    response = client.head(f"{API}/articles/{article.slug}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/", "/articles", "/articles/hello-world/", "/comments/x", "/v2"])
def test_unknown_api_address_is_404_json(client, article, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 404
    assert errors_of(response)["__all__"]
