"""PATCH and DELETE /api/v1/comments/{id}: the author's own changes, with the edit token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.models import Comment
from tests.api.conftest import (
    BlockPolicy,
    SpamPolicy,
    ThrottlePolicy,
    VerdictPolicy,
    comment_url,
    errors_of,
    post_json,
    send,
)
from tests.conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(client, article) -> tuple[Comment, str]:
    """A comment posted through the API, and the edit token it came with."""
    data = post_json(client, article, {"author_name": "Jane", "body": "Original"}).json()
    return Comment.objects.get(pk=data["id"]), data["edit_token"]


def patch(client, comment, payload=None, **kwargs):
    return send(client, "PATCH", comment_url(comment), payload, **kwargs)


def delete(client, comment, **kwargs):
    return send(client, "DELETE", comment_url(comment), **kwargs)


def unchanged(comment: Comment) -> bool:
    fresh = Comment.objects.get(pk=comment.pk)
    return (fresh.body, fresh.status, fresh.edited_at) == (
        comment.body,
        comment.status,
        comment.edited_at,
    )


def test_author_changes_the_text_within_the_window(client, mine):
    comment, token = mine
    response = patch(client, comment, {"body": "Changed\r\nagain "}, token=token)
    assert response.status_code == 200
    data = response.json()
    assert data == {
        "id": comment.pk,
        "status": "approved",
        "editable_until": data["editable_until"],
        "parent_id": None,
        "author_name": "Jane",
        "author_url": "",
        "body": "Changed\nagain",
        "body_html": "<p>Changed<br>\nagain</p>\n",
        "created_at": data["created_at"],
        "edited_at": data["edited_at"],
        "featured": False,
        "url": f"http://testserver/c/{comment.pk}",
    }
    assert data["edited_at"] is not None
    assert response["Cache-Control"] == "private, no-store"
    comment.refresh_from_db()
    assert comment.body == "Changed\nagain" and comment.edited_at is not None


@pytest.mark.parametrize("text", ["תגובה מתוקנת 👍🏽", "تعليق معدل", "e\u0301 𝄞"])
def test_an_edit_keeps_every_character(client, mine, text):
    comment, token = mine
    assert patch(client, comment, {"body": text}, token=token).json()["body"] == text
    comment.refresh_from_db()
    assert comment.body == text


def test_editing_a_comment_held_as_spam_reports_it_pending(client, article, use_policy):
    use_policy(SpamPolicy)
    data = post_json(client, article, {"author_name": "J", "body": "Buy"}).json()
    use_policy(VerdictPolicy)
    response = patch(client, data["id"], {"body": "Buy now"}, token=data["edit_token"])
    assert response.status_code == 200 and response.json()["status"] == "pending"
    assert Comment.objects.get(pk=data["id"]).status == Comment.Status.SPAM


def test_author_deletes_within_the_window(client, article, mine):
    comment, token = mine
    response = delete(client, comment, token=token)
    assert response.status_code == 204
    assert response.content == b"" and "Content-Type" not in response
    assert response["Cache-Control"] == "private, no-store"
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.DELETED
    article.refresh_from_db()
    assert article.comment_count == 0
    assert delete(client, comment, token=token).status_code == 404


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Token {token}", "Basic {token}"],
    ids=["absent", "empty", "no token", "blank token", "other scheme", "basic"],
)
def test_missing_token_is_401(client, mine, method, authorization):
    comment, token = mine
    extra = (
        {} if authorization is None else {"HTTP_AUTHORIZATION": authorization.format(token=token)}
    )
    response = send(client, method, comment_url(comment), {"body": "x"}, **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="broadsheet"'
    assert list(errors_of(response)) == ["__all__"]
    assert unchanged(comment)


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_wrong_token_is_401(client, article, mine, method):
    comment, _ = mine
    other = post(article, "Someone else's")
    for token in ("nonsense", other._token):
        response = send(client, method, comment_url(comment), {"body": "x"}, token=token)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == ('Bearer realm="broadsheet", error="invalid_token"')
        assert errors_of(response) == {"__all__": ["This is not the comment's edit token."]}
    assert unchanged(comment)


def test_token_is_read_with_any_case_of_bearer(client, mine):
    comment, token = mine
    response = patch(client, comment, {"body": "x"}, HTTP_AUTHORIZATION=f"bearer {token}")
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_edit_window_holds_to_the_minute(client, mine, clock, method):
    comment, token = mine
    clock.set(comment.editable_until + timedelta(seconds=1))
    response = send(client, method, comment_url(comment), {"body": "Too late"}, token=token)
    assert response.status_code == 403
    assert errors_of(response) == {"__all__": ["The time for editing this comment has passed."]}
    assert unchanged(comment)
    clock.set(comment.editable_until - timedelta(seconds=1))
    response = send(client, method, comment_url(comment), {"body": "Just in time"}, token=token)
    assert response.status_code == (200 if method == "PATCH" else 204)


def test_old_comment_cannot_be_changed_even_with_its_token(client, article):
    comment = post(article, "Old")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert patch(client, comment, {"body": "x"}, token=comment._token).status_code == 403
    assert delete(client, comment, token=comment._token).status_code == 403


def test_wrong_token_after_the_window_is_still_401(client, mine, clock):
    comment, _ = mine
    clock.set(comment.editable_until + timedelta(days=1))
    assert patch(client, comment, {"body": "x"}, token="nonsense").status_code == 401


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_unknown_comment_is_404(client, db, method):
    for pk in (999, 2**70):
        response = send(client, method, comment_url(pk), {"body": "x"}, token="t")
        assert response.status_code == 404
        assert errors_of(response) == {"__all__": ["There is no such comment."]}


INVALID_EDITS = {
    "NUL": ({"body": "a\x00b"}, "body"),
    "surrogate": ({"body": "\ud800"}, "body"),
    "blank": ({"body": "  \r\n "}, "body"),
    "missing": ({}, "body"),
    "number": ({"body": 3}, "body"),
    "unknown field": ({"body": "x", "author_name": "Other"}, "author_name"),
}


@pytest.mark.parametrize("payload, field", INVALID_EDITS.values(), ids=INVALID_EDITS.keys())
def test_invalid_edit_is_400_and_changes_nothing(client, mine, payload, field):
    comment, token = mine
    response = patch(client, comment, payload, token=token)
    assert response.status_code == 400
    assert list(errors_of(response)) == [field]
    assert unchanged(comment)


def test_edit_over_the_length_limit_is_400(client, mine, settings):
    comment, token = mine
    settings.BROADSHEET_COMMENT_MAX_LENGTH = 5
    response = patch(client, comment, {"body": "x" * 6}, token=token)
    assert response.status_code == 400 and list(errors_of(response)) == ["body"]


def test_edit_that_is_not_json_is_400_or_415(client, mine):
    comment, token = mine
    assert patch(client, comment, raw="{", token=token).status_code == 400
    assert patch(client, comment, raw="[]", token=token).status_code == 400
    response = patch(client, comment, raw="body=x", token=token, content_type="text/plain")
    assert response.status_code == 415
    assert unchanged(comment)


def test_edit_over_the_size_limit_is_413(client, mine, settings):
    comment, token = mine
    settings.BROADSHEET_READER_BODY_LIMIT = 100
    response = patch(client, comment, {"body": "x" * 200}, token=token)
    assert response.status_code == 413
    assert unchanged(comment)


def test_edit_refused_by_moderation_is_403(client, mine, use_policy):
    comment, token = mine
    use_policy(BlockPolicy)
    response = patch(client, comment, {"body": "x"}, token=token)
    assert response.status_code == 403
    assert errors_of(response) == {"__all__": ["This author is blocked."]}
    assert unchanged(comment)


def test_edit_too_fast_is_429(client, mine, use_policy):
    comment, token = mine
    use_policy(ThrottlePolicy)
    response = patch(client, comment, {"body": "x"}, token=token)
    assert response.status_code == 429 and response["Retry-After"] == "42"
    assert unchanged(comment)


def test_comment_address_answers_only_patch_and_delete(client, mine):
    comment, _ = mine
    response = client.get(comment_url(comment))
    assert response.status_code == 405
    assert response["Allow"] == "DELETE, PATCH"
    assert list(errors_of(response)) == ["__all__"]


def test_edit_is_seen_in_the_listing(client, article, mine):
    comment, token = mine
    patch(client, comment, {"body": "New text"}, token=token)
    listed = client.get(f"/api/v1/articles/{article.slug}/comments").json()["results"]
    assert [c["body"] for c in listed] == ["New text"]
    discussion_actions.check_edit_token(Comment.objects.get(pk=comment.pk), token)
