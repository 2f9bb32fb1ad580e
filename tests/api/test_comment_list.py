from __future__ import annotations

from datetime import timedelta

import pytest

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions as moderation
from tests.api.conftest import comments_url, errors_of
from tests.conftest import make_article, post
from tests.moderation.conftest import make_moderator

pytestmark = pytest.mark.django_db

PAGE_ERROR = "Must be a whole number from 1 to 999999999."


def listing(client, article, query: str = "", **extra):
    return client.get(comments_url(article) + query, **extra)


def bodies(response) -> list[str]:
    return [c["body"] for c in response.json()["results"]]


def test_comment_has_its_public_fields_and_an_absolute_permalink(client, article):
    root = post(article, "First", author_name="Jane Doe", author_url="https://jane.example")
    reply = post(article, "Second", parent=root, author_email="bob@example.org")
    data = listing(client, article).json()
    assert data["count"] == 2 and data["next"] is None
    first, second = data["results"]
    assert first == {
        "id": root.pk,
        "parent_id": None,
        "author_name": "Jane Doe",
        "author_url": "https://jane.example",
        "body": "First",
        "body_html": "<p>First</p>\n",
        "created_at": first["created_at"],
        "edited_at": None,
        "featured": False,
        "url": f"http://testserver/c/{root.pk}",
    }
    assert second["parent_id"] == root.pk and second["id"] == reply.pk
    assert "author_email" not in second and "bob@example.org" not in listing(client, article).text


def test_only_approved_comments_are_listed_and_counted(client, article):
    post(article, "approved")
    moderation.reject(post(article, "rejected"), actor=None)
    moderation.mark_spam(post(article, "spam"), actor=None)
    moderation.delete(post(article, "deleted"), actor=None)
    held = post(article, "approved later")
    discussion_actions.change_status(held, Comment.Status.PENDING)
    post(make_article(), "another article")
    response = listing(client, article)
    assert bodies(response) == ["approved"]
    assert response.json()["count"] == 1


def test_replies_are_listed_flat_by_time_oldest_or_newest_first(client, article):
    old_root = post(article, "old root")
    new_root = post(article, "new root")
    post(article, "late reply to old root", parent=old_root)
    post(article, "reply to new root", parent=new_root)
    expected = ["old root", "new root", "late reply to old root", "reply to new root"]
    assert bodies(listing(client, article)) == expected
    assert bodies(listing(client, article, "?order=oldest")) == expected
    assert bodies(listing(client, article, "?order=newest")) == expected[::-1]


def test_comments_with_the_same_time_keep_a_stable_order(client, article):
    comments = [post(article, f"c{i}") for i in range(3)]
    Comment.objects.update(created_at=comments[0].created_at)
    assert bodies(listing(client, article)) == ["c0", "c1", "c2"]
    assert bodies(listing(client, article, "?order=newest")) == ["c2", "c1", "c0"]


def test_pages_follow_each_other_through_absolute_next_links(client, article, settings):
    settings.BROADSHEET_API_PAGE_SIZE = 2
    for i in range(5):
        post(article, f"c{i}")
    seen, url, pages = [], comments_url(article) + "?order=newest", 0
    while url:
        data = client.get(url).json()
        assert data["count"] == 5
        seen += [c["body"] for c in data["results"]]
        url, pages = data["next"], pages + 1
        if url:
            assert url.startswith("http://testserver/api/v1/articles/hello-world/comments?")
            assert "order=newest" in url
    assert pages == 3
    assert seen == ["c4", "c3", "c2", "c1", "c0"]


def test_a_full_last_page_has_no_next(client, article, settings):
    settings.BROADSHEET_API_PAGE_SIZE = 2
    post(article, "a")
    post(article, "b")
    assert listing(client, article).json()["next"] is None


def test_an_empty_discussion_is_one_empty_page(client, article):
    assert listing(client, article).json() == {"count": 0, "next": None, "results": []}


def test_a_page_past_the_last_is_404(client, article, settings):
    settings.BROADSHEET_API_PAGE_SIZE = 2
    post(article, "a")
    response = listing(client, article, "?page=2")
    assert response.status_code == 404
    assert errors_of(response) == {"page": ["There is no page 2."]}


@pytest.mark.parametrize("method", ["get", "head"])
def test_if_none_match_star_is_no_proof_that_a_page_exists(client, article, settings, method):
    # "*" asks for a 304 when any copy exists (RFC 9110, 13.1.2): a page past the last
    # has none, and stays a 404, where it was answered 304 before drawing it.
    settings.BROADSHEET_API_PAGE_SIZE = 2
    post(article, "a")
    ask = getattr(client, method)
    past = ask(comments_url(article) + "?page=2", HTTP_IF_NONE_MATCH="*")
    assert past.status_code == 404
    assert "ETag" not in past
    assert ask(comments_url(article), HTTP_IF_NONE_MATCH="*").status_code == 304
    # Once kept, page 1 answers "*" the same way from the cache.
    assert ask(comments_url(article), HTTP_IF_NONE_MATCH="*").status_code == 304
    assert ask(comments_url(article) + "?page=2", HTTP_IF_NONE_MATCH="*").status_code == 404


@pytest.mark.parametrize(
    "page", ["0", "-1", "x", "1.5", "", " 1", "1_0", "١", "1000000000", "9" * 5000]
)
def test_a_malformed_page_is_400(client, article, page):
    response = client.get(comments_url(article), {"page": page})
    assert response.status_code == 400
    assert errors_of(response) == {"page": [PAGE_ERROR]}


def test_an_unknown_order_is_400(client, article):
    response = listing(client, article, "?order=best&page=0")
    assert response.status_code == 400
    assert errors_of(response) == {
        "order": ["Must be oldest or newest."],
        "page": [PAGE_ERROR],
    }


def test_comments_of_an_unknown_or_unpublished_article_are_404(client, db):
    make_article(slug="draft", status="draft", published_at=None)
    for slug in ("draft", "nope"):
        response = client.get(f"/api/v1/articles/{slug}/comments")
        assert response.status_code == 404
        assert errors_of(response) == {"__all__": ["There is no such article."]}


def test_a_page_costs_one_query_once_kept_whatever_the_discussion_size(
    client, article, settings, django_assert_num_queries
):
    settings.BROADSHEET_API_PAGE_SIZE = 10
    roots = [post(article, f"root {i}") for i in range(30)]
    for root in roots[:10]:
        post(article, "reply", parent=post(article, "reply", parent=root))
    # Drawn: the article's stamp, the article (with its stored count), the page.
    with django_assert_num_queries(3):
        drawn = listing(client, article, "?page=3&order=newest")
    assert drawn.json()["count"] == 50 and len(drawn.json()["results"]) == 10
    # Kept: the stamp alone, for the copy or for a 304.
    with django_assert_num_queries(1):
        kept = listing(client, article, "?page=3&order=newest")
    assert kept.content == drawn.content and kept["ETag"] == drawn["ETag"]
    with django_assert_num_queries(1):
        again = listing(client, article, "?page=3&order=newest", HTTP_IF_NONE_MATCH=kept["ETag"])
    assert again.status_code == 304 and not again.content


def test_a_kept_page_gives_way_to_every_change_at_once(client, article, settings):
    """Each change to the discussion or to what the page is drawn from shows at the next
    request after a client was served the kept copy, under another ETag."""
    first = post(article, "first", author_name="Ann")
    mine = post(article, "mine")
    editor = make_moderator()
    seen: list[str] = []

    def shows(**query: str) -> dict:
        response = client.get(comments_url(article), query)
        assert response.status_code == 200
        assert not seen or response["ETag"] != seen[-1]
        seen.append(response["ETag"])
        assert client.get(comments_url(article), query).content == response.content  # kept
        return response.json()

    assert [c["body"] for c in shows()["results"]] == ["first", "mine"]
    post(article, "third")
    assert shows()["count"] == 3
    discussion_actions.edit_comment(mine, "mine, edited", token=mine._token)
    assert shows()["results"][1]["body"] == "mine, edited"
    moderation.edit_text(first, "first, tidied", actor=editor)
    assert shows()["results"][0]["body"] == "first, tidied"
    moderation.feature(first, actor=editor)
    assert shows()["results"][0]["featured"] is True
    moderation.reject(first, actor=editor)
    assert [c["body"] for c in shows()["results"]] == ["mine, edited", "third"]
    moderation.approve(first, actor=editor)
    assert shows()["count"] == 3
    discussion_actions.delete_own_comment(mine, token=mine._token)
    assert shows()["count"] == 2
    settings.BROADSHEET_API_PAGE_SIZE = 1
    assert shows()["next"] is not None
    assert (
        client.get(comments_url(article), HTTP_HOST="localhost")
        .json()["results"][0]["url"]
        .startswith("http://localhost/")
    )
    article.status = article.Status.DRAFT
    article.save()
    assert client.get(comments_url(article)).status_code == 404


def test_listing_is_cacheable_and_revalidated_by_etag(client, article):
    post(article, "one")
    response = listing(client, article)
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Set-Cookie" not in response and "Vary" not in response
    etag = response["ETag"]
    assert listing(client, article, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert listing(client, article, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    post(article, "two")
    assert listing(client, article, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_edit_shows_with_its_time(client, article):
    comment = post(article, "before")
    discussion_actions.edit_comment(comment, "after", token=comment._token)
    (data,) = listing(client, article).json()["results"]
    assert data["body"] == "after" and data["body_html"] == "<p>after</p>\n"
    assert data["edited_at"] is not None and data["edited_at"] >= data["created_at"]


def test_times_are_utc_with_milliseconds(client, article):
    comment = post(article, "x")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at.replace(microsecond=123456) - timedelta(days=1)
    )
    created = listing(client, article).json()["results"][0]["created_at"]
    assert created.endswith(".123Z") and len(created) == len("2026-01-01T00:00:00.123Z")


def test_parameters_the_api_does_not_read_share_one_kept_page(
    client, article, settings, database_page_cache
):
    """A query string padded with parameters the API does not read (a cache-buster, or
    someone flooding the cache) names the page drawn from the ones it does: one ETag,
    one kept copy, and a ``next`` link free of them, where each address kept a copy of
    its own in the site's database cache and pushed readers' pages out of it."""
    settings.BROADSHEET_API_PAGE_SIZE = 1
    post(article, "first")
    post(article, "second")
    plain = listing(client, article, "?order=oldest&page=1")
    assert plain.status_code == 200
    for n in range(100):
        junk = listing(client, article, f"?page=1&utm_source=x{n}&order=oldest&cb={n}")
        assert junk["ETag"] == plain["ETag"] and junk.content == plain.content
    assert listing(client, article).content == plain.content  # the defaults, said or not
    assert plain.json()["next"] == f"http://testserver{comments_url(article)}?order=oldest&page=2"
    rows = database_page_cache()
    assert len(rows) == 2, rows  # the page's digest under its ETag, and the page
