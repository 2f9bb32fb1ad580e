"""GET /api/v1/search: the site's search for programs, paged as the comment list is.
Run on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from broadsheet.newsroom import actions
from broadsheet.newsroom.models import Article
from tests.api.conftest import API, errors_of
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db

URL = f"{API}/search"
PAGE_ERROR = "Must be a whole number from 1 to 999999999."


def ago(**delta) -> timezone.datetime:
    return timezone.now() - timedelta(**delta)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["title"] for r in response.json()["results"]]


def test_a_result_has_the_articles_fields_and_a_plain_text_excerpt(client, article):
    article.body = "Opening words. The *harbour* & the <quay> reopened today. " + "More. " * 40
    actions.save_article(article)
    post(article, "A comment.")
    data = client.get(URL, {"q": "harbour"}).json()
    assert data["count"] == 1 and data["next"] is None
    [result] = data["results"]
    assert result == client.get(f"{API}/articles/{article.slug}").json() | {
        "excerpt": result["excerpt"]
    }
    assert result["comment_count"] == 1
    assert result["url"] == "http://testserver/article/hello-world/"
    # The body as text around the word found: no markup, no marks, cut with "…".
    assert result["excerpt"].startswith("Opening words. The harbour & the <quay> reopened")
    assert result["excerpt"].endswith(" …")


def test_the_excerpt_is_the_summary_when_the_body_holds_no_word_found(client):
    make_article(title="Harbour news", slug="news", summary="All about boats.", body="Text.")
    [result] = client.get(URL, {"q": "harbour"}).json()["results"]
    assert result["excerpt"] == "All about boats."


def test_results_are_the_search_pages_best_first_live_only(client):
    make_article(title="Ferry times", slug="body", body="The harbour closes.",
                 published_at=ago(hours=1))  # fmt: skip
    make_article(title="The harbour reopens", slug="headline", published_at=ago(days=30))
    make_article(title="Harbour draft", slug="draft", status=Article.Status.DRAFT,
                 published_at=None)  # fmt: skip
    make_article(title="Harbour tomorrow", slug="later", status=Article.Status.SCHEDULED,
                 published_at=timezone.now() + timedelta(days=1))  # fmt: skip
    assert titles(client.get(URL, {"q": "harbour"})) == ["The harbour reopens", "Ferry times"]
    assert titles(client.get(URL, {"q": "HARBOUR ferry"})) == ["Ferry times"]
    assert titles(client.get(URL, {"q": "zzyzx"})) == []


def test_hebrew_is_found_with_and_without_its_prefixes(client):
    make_article(title="חג בירושלים", slug="in")
    make_article(title="ירושלים בשלג", slug="bare")
    response = client.get(URL, {"q": "ירושלים"})
    assert titles(response) == ["ירושלים בשלג", "חג בירושלים"]
    assert "\\u05d9" in response.content.decode()  # ASCII, as every answer


def test_pages_follow_each_other_through_absolute_next_links(client, settings):
    settings.BROADSHEET_API_PAGE_SIZE = 2
    for n in range(5):
        make_article(title=f"Budget {n}", slug=f"b{n}", published_at=ago(hours=n))
    response = client.get(URL, {"q": "budget"})
    seen = titles(response)
    data = response.json()
    assert data["count"] == 5
    assert data["next"] == "http://testserver/api/v1/search?q=budget&page=2"
    while data["next"]:
        response = client.get(data["next"])
        seen += titles(response)
        data = response.json()
    assert seen == [f"Budget {n}" for n in range(5)]
    assert client.get(URL, {"q": "budget", "page": 3}).json()["next"] is None


def test_a_page_past_the_last_is_404_and_page_one_always_exists(client, settings):
    settings.BROADSHEET_API_PAGE_SIZE = 2
    make_article(title="Budget", slug="budget")
    response = client.get(URL, {"q": "budget", "page": 2})
    assert response.status_code == 404
    assert errors_of(response) == {"page": ["There is no page 2."]}
    assert client.get(URL, {"q": "nothing"}).json() == {"count": 0, "next": None, "results": []}


@pytest.mark.parametrize(
    "params, errors",
    [
        ({}, {"q": ["Send one or more words to search for."]}),
        ({"q": "  \t "}, {"q": ["Send one or more words to search for."]}),
        ({"q": "🎉 — !!"}, {"q": [
            "Search for words: punctuation, symbols and emoji are not searched for."]}),
        ({"q": "a" * 201}, {"q": ["Must be at most 200 characters."]}),
        # A word longer than the index keeps was told it held no word at all.
        ({"q": "0" * 200}, {"q": ["Words longer than 100 characters are not searched for."]}),
        ({"q": f"{'x' * 101} !?"}, {"q": [
            "Words longer than 100 characters are not searched for."]}),
        ({"q": "budget", "page": "0"}, {"page": [PAGE_ERROR]}),
        ({"q": "budget", "page": "x"}, {"page": [PAGE_ERROR]}),
        ({"q": "budget", "page": "1" * 10}, {"page": [PAGE_ERROR]}),
        ({"page": "-1"}, {"q": ["Send one or more words to search for."], "page": [PAGE_ERROR]}),
    ],
)  # fmt: skip
def test_a_query_or_page_that_cannot_be_searched_is_400(client, db, params, errors):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert errors_of(response) == errors


def test_query_syntax_and_control_characters_are_not_operators(client):
    make_article(title="Near the quay", slug="near")
    assert titles(client.get(URL, {"q": 'near" OR zzyzx*'})) == []
    assert titles(client.get(URL, {"q": "(near) -quay\x00"})) == ["Near the quay"]


def test_search_shares_the_per_address_limit_with_the_search_page(client, settings):
    settings.BROADSHEET_RATE_LIMIT = "on"
    settings.BROADSHEET_SEARCHES_PER_MINUTE = 3
    make_article(title="Harbour", slug="harbour")
    assert client.get("/search/", {"q": "harbour"}).status_code == 200
    assert client.get(URL, {"q": "harbour"}).status_code == 200
    # A query refused as malformed searches nothing, and is not counted.
    assert client.get(URL, {"q": "!!"}).status_code == 400
    assert client.get(URL, {"q": "harbour"}).status_code == 200
    for answer in (client.get(URL, {"q": "harbour"}), client.get("/search/", {"q": "harbour"})):
        assert answer.status_code == 429
        assert 1 <= int(answer["Retry-After"]) <= 60
        assert "no-store" in answer["Cache-Control"] and "public" not in answer["Cache-Control"]
    assert errors_of(client.get(URL, {"q": "harbour"})) == {
        "__all__": ["Too many searches from this address; try again in a minute."]
    }
    # Another address is not held back.
    assert Client(REMOTE_ADDR="192.0.2.9").get(URL, {"q": "harbour"}).status_code == 200


def test_results_are_cacheable_and_revalidated_by_etag(client):
    article = make_article(title="Harbour", slug="harbour")
    response = client.get(URL, {"q": "harbour"})
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    etag = response["ETag"]
    again = client.get(URL, {"q": "harbour"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    # Unpublished, the article leaves the results at once: the ETag no longer holds.
    actions.unpublish(article)
    response = client.get(URL, {"q": "harbour"}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["count"] == 0


def test_a_page_costs_a_few_queries_whatever_it_lists(
    client, site, settings, django_assert_max_num_queries
):
    settings.BROADSHEET_API_PAGE_SIZE = 20
    for n in range(12):
        make_article(title=f"Budget {n}", slug=f"b{n}", body=f"The budget, part {n}.")
    # The site's settings, the count, the page (and on PostgreSQL the stems to mark,
    # and the planner set to the index and back around the count and the page).
    with django_assert_max_num_queries(4 if connection.vendor == "sqlite" else 8):
        assert len(titles(client.get(URL, {"q": "budget"}))) == 12


def test_head_answers_like_get_and_other_methods_are_405(client, db):
    assert client.head(URL, {"q": "budget"}).status_code == 200
    response = client.post(URL, {"q": "budget"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
