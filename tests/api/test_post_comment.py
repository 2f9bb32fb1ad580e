from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.handlers.asgi import ASGIRequest
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from broadsheet.api import views
from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import SiteSettings
from tests.api.conftest import (
    BlockPolicy,
    SpamPolicy,
    ThrottlePolicy,
    comments_url,
    errors_of,
    post_json,
)
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db


def new(**fields):
    return {"author_name": "Jane Doe", "body": "Hello.", **fields}


def only_comment() -> Comment:
    (comment,) = Comment.objects.all()
    return comment


def test_posted_comment_is_stored_and_described_with_its_edit_token(client, article):
    response = post_json(
        client,
        article,
        new(author_email="jane@example.org", author_url="https://jane.example"),
        HTTP_USER_AGENT="curl/8",
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 201
    data = response.json()
    stored = only_comment()
    assert data == {
        "id": stored.pk,
        "status": "approved",
        "edit_token": data["edit_token"],
        "editable_until": data["editable_until"],
        "parent_id": None,
        "author_name": "Jane Doe",
        "author_url": "https://jane.example",
        "body": "Hello.",
        "body_html": "<p>Hello.</p>\n",
        "created_at": data["created_at"],
        "edited_at": None,
        "featured": False,
        "url": f"http://testserver/c/{stored.pk}",
    }
    assert response["Location"] == data["url"]
    assert stored.author_email == "jane@example.org"
    assert (stored.ip_address, stored.user_agent) == ("192.0.2.7", "curl/8")
    discussion_actions.check_edit_token(stored, data["edit_token"])
    window = parse_datetime(data["editable_until"]) - parse_datetime(data["created_at"])
    assert window == timedelta(minutes=15)
    article.refresh_from_db()
    assert article.comment_count == 1


def test_answer_to_a_post_is_never_cached(client, article):
    response = post_json(client, article, new())
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/json"


def test_reply_names_its_parent(client, article):
    parent = post(article, "Parent")
    response = post_json(client, article, new(parent_id=parent.pk))
    assert response.status_code == 201
    assert response.json()["parent_id"] == parent.pk
    assert Comment.objects.get(pk=response.json()["id"]).depth == 1


@pytest.mark.parametrize("where", ["other article", "held", "missing"])
def test_reply_to_a_comment_readers_cannot_see_here_is_400(client, article, where):
    if where == "other article":
        parent_id = post(make_article(), "Elsewhere").pk
    elif where == "held":
        held = post(article, "Held")
        discussion_actions.change_status(held, Comment.Status.PENDING)
        parent_id = held.pk
    else:
        parent_id = 2**70
    before = Comment.objects.count()
    response = post_json(client, article, new(parent_id=parent_id))
    assert response.status_code == 400
    assert errors_of(response) == {
        "parent_id": ["The comment you are replying to does not exist here."]
    }
    assert Comment.objects.count() == before


def test_held_comment_is_reported_pending(client, article, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    response = post_json(client, article, new())
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert only_comment().status == Comment.Status.PENDING


def test_comment_judged_spam_is_reported_pending_and_stored_as_spam(client, article, use_policy):
    use_policy(SpamPolicy)
    response = post_json(client, article, new())
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert "spam" not in response.text.lower()
    assert only_comment().status == Comment.Status.SPAM


TEXTS = {
    "emoji": "Nice 😀👍🏽 and a family 👩‍👩‍👧 🇮🇱",
    "hebrew": "שלום, עולם! זו תגובה.",
    "arabic": "مرحبا بالعالم، هذا تعليق.",
    "mixed direction": "He said \u202bשלום\u202c and left \u200f.",
    "combining marks": "Cafe\u0301 nai\u0308ve, e\u0301 not é",
    "astral": "G clef 𝄞, 𝕏, 𠜎",
    "markdown and markup": "*as written* <b>not html</b> & 1 < 2",
    "inner white space": "a  b\t\tc\n\n\nd",
}


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_every_character_comes_back_as_sent(client, article, text):
    name = text[:40].replace("\n", " ")  # a name is one line (a line break is a 400)
    response = post_json(client, article, new(body=text, author_name=name))
    assert response.status_code == 201, response.content
    assert response.json()["body"] == text
    stored = only_comment()
    assert stored.body == text and stored.author_name == name
    (listed,) = client.get(comments_url(article)).json()["results"]
    assert listed["body"] == text and listed["author_name"] == name


def test_line_endings_become_newlines_and_outer_space_is_trimmed(client, article):
    response = post_json(client, article, new(body="  \r\n one\r\ntwo\rthree\n\tfour  \r\n "))
    assert response.json()["body"] == "one\ntwo\nthree\n\tfour"
    assert only_comment().body == "one\ntwo\nthree\n\tfour"


def test_a_surrogate_pair_escape_is_one_astral_character(client, article):
    raw = '{"author_name": "J", "body": "\\ud834\\udd1e"}'
    response = post_json(client, article, raw=raw)
    assert response.status_code == 201 and response.json()["body"] == "𝄞"


UNSTORABLE = {
    "NUL in body": ({"body": "a\x00b"}, "body", "NUL"),
    "NUL in name": ({"author_name": "J\x00"}, "author_name", "NUL"),
    "NUL in url": ({"author_url": "https://a.example/\x00"}, "author_url", "NUL"),
    "NUL in email": ({"author_email": "j\x00@example.org"}, "author_email", "NUL"),
    "surrogate in body": ({"body": "a\ud800b"}, "body", "surrogate"),
    "surrogate in name": ({"author_name": "\udfff"}, "author_name", "surrogate"),
    "surrogate in url": ({"author_url": "https://a\ud800.example"}, "author_url", "surrogate"),
    "surrogate in email": ({"author_email": "j@a\ud800.org"}, "author_email", "surrogate"),
    "line break in name": (
        {"author_name": "Dana\n> [Editor](https://x.test)"},
        "author_name",
        "line",
    ),
    **{
        f"{name} in name": ({"author_name": f"Ann{char}Bee"}, "author_name", "line")
        for name, char in {
            "line separator": "\u2028",
            "paragraph separator": "\u2029",
            "next line": "\x85",
            "vertical tab": "\x0b",
            "form feed": "\x0c",
            "record separator": "\x1e",
        }.items()
    },
    "parent 0": ({"parent_id": 0}, "parent_id", "does not exist"),
}


@pytest.mark.parametrize("fields, field, word", UNSTORABLE.values(), ids=UNSTORABLE.keys())
def test_text_that_cannot_be_stored_is_refused_and_nothing_stored(
    client, article, fields, field, word
):
    # json.dumps writes a lone surrogate as the escape \ud800, as any client would.
    response = post_json(client, article, new(**fields))
    assert response.status_code == 400
    (message,) = errors_of(response)[field]
    assert word in message
    assert not Comment.objects.exists()


BROKEN = {
    "not json": "{body: 'x'}",
    "truncated": '{"author_name": "J", "body": "x"',
    "empty": "",
    "trailing garbage": '{"author_name": "J", "body": "x"} x',
    "array": '[{"author_name": "J", "body": "x"}]',
    "string": '"hello"',
    "number": "42",
    "null": "null",
    "NaN": '{"author_name": "J", "body": "x", "parent_id": NaN}',
    "duplicate key": '{"author_name": "J", "body": "x", "body": "y"}',
    "huge integer": '{"author_name": "J", "body": "x", "parent_id": 1' + "0" * 5000 + "}",
    "deep nesting": '{"author_name": "J", "body": "x", "extra": '
    + "[" * 100_000
    + "]" * 100_000
    + "}",
}


@pytest.mark.parametrize("raw", BROKEN.values(), ids=BROKEN.keys())
def test_body_that_is_not_a_json_object_is_400(client, article, raw):
    response = post_json(client, article, raw=raw)
    assert response.status_code == 400
    assert list(errors_of(response)) == ["__all__"]
    assert not Comment.objects.exists()


def test_body_that_is_not_utf8_is_400(client, article):
    response = post_json(client, article, raw=b'{"author_name": "J", "body": "caf\xe9"}')
    assert response.status_code == 400
    assert errors_of(response) == {"__all__": ["The body is not valid UTF-8."]}


WRONG_TYPES = {
    "number body": ({"body": 5}, "body", "Must be a string."),
    "list body": ({"body": ["x"]}, "body", "Must be a string."),
    "object name": ({"author_name": {"first": "J"}}, "author_name", "Must be a string."),
    "boolean url": ({"author_url": True}, "author_url", "Must be a string."),
    "string parent": ({"parent_id": "1"}, "parent_id", "Must be a whole number."),
    "float parent": ({"parent_id": 1.0}, "parent_id", "Must be a whole number."),
    "boolean parent": ({"parent_id": True}, "parent_id", "Must be a whole number."),
    "unknown field": ({"remember": True}, "remember", "Unknown field."),
}


@pytest.mark.parametrize("fields, field, message", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_field_of_the_wrong_type_or_unknown_is_400(client, article, fields, field, message):
    response = post_json(client, article, new(**fields))
    assert response.status_code == 400
    assert errors_of(response) == {field: [message]}
    assert not Comment.objects.exists()


def test_null_optional_fields_are_as_if_absent(client, article):
    response = post_json(client, article, new(author_email=None, author_url=None, parent_id=None))
    assert response.status_code == 201
    assert response.json()["author_url"] == "" and response.json()["parent_id"] is None


def test_missing_and_invalid_fields_are_reported_by_field(client, article):
    response = post_json(
        client, article, {"author_email": "not an address", "author_url": "not a url"}
    )
    assert response.status_code == 400
    errors = errors_of(response)
    assert set(errors) == {"author_name", "author_email", "author_url", "body"}
    assert errors["body"] == ["This field is required."]


def test_blank_body_is_400(client, article):
    response = post_json(client, article, new(body=" \r\n\t "))
    assert errors_of(response) == {"body": ["This field is required."]}


def test_text_over_the_length_limit_is_a_field_error(client, article, settings):
    settings.BROADSHEET_COMMENT_MAX_LENGTH = 10
    response = post_json(client, article, new(body="x" * 11))
    assert response.status_code == 400
    assert list(errors_of(response)) == ["body"]
    # Lengths count characters, not bytes or UTF-16 units.
    assert post_json(client, article, new(body="𝄞" * 10)).status_code == 201


def test_request_over_the_size_limit_is_413(client, article, settings):
    settings.BROADSHEET_READER_BODY_LIMIT = 1000
    response = post_json(client, article, new(body="x" * 1000))
    assert response.status_code == 413
    assert errors_of(response) == {"__all__": ["The request body is larger than 1000 bytes."]}
    assert not Comment.objects.exists()


@pytest.mark.parametrize("declared", [None, "10"], ids=["no length", "short length"])
def test_body_longer_than_the_limit_is_413_whatever_length_it_declares(article, settings, declared):
    # Under ASGI a chunked request has no Content-Length and the whole body is
    # readable: the limit must hold on what is read, not only on the header.
    settings.BROADSHEET_READER_BODY_LIMIT = 1000
    headers = [(b"host", b"testserver"), (b"content-type", b"application/json")]
    if declared:
        headers.append((b"content-length", declared.encode()))
    scope = {"type": "http", "method": "POST", "path": comments_url(article), "headers": headers}
    body = json.dumps(new(body="x" * 2000)).encode()
    response = views.article_comments(ASGIRequest(scope, io.BytesIO(body)), slug=article.slug)
    assert response.status_code == 413
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "text/plain", "", "application/json; charset=latin-1"],
)
def test_body_not_sent_as_json_is_415(client, article, content_type):
    response = post_json(client, article, new(), content_type=content_type)
    assert response.status_code == 415
    assert list(errors_of(response)) == ["__all__"]
    assert not Comment.objects.exists()


def test_json_with_a_utf8_charset_is_accepted(client, article):
    response = post_json(client, article, new(), content_type="application/json; charset=UTF-8")
    assert response.status_code == 201


def test_closed_article_refuses_with_403(client, db):
    closed = make_article(slug="closed", comments_open=False)
    response = post_json(client, closed, new())
    assert response.status_code == 403
    assert errors_of(response) == {"__all__": ["Comments are closed on this article."]}
    assert not Comment.objects.exists()


def test_article_past_its_closing_date_refuses_with_403(client, site):
    site.close_comments_after_days = 1
    site.save()
    old = make_article(slug="old", published_at=timezone.now() - timedelta(days=2))
    assert post_json(client, old, new()).status_code == 403


def test_blocked_author_is_refused_with_403(client, article, use_policy):
    use_policy(BlockPolicy)
    response = post_json(client, article, new())
    assert response.status_code == 403
    assert errors_of(response) == {"__all__": ["This author is blocked."]}
    assert not Comment.objects.exists()


def test_too_many_comments_is_429_with_retry_after(client, article, use_policy):
    use_policy(ThrottlePolicy)
    response = post_json(client, article, new())
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert errors_of(response) == {"__all__": ["Too many comments."]}
    assert not Comment.objects.exists()


def test_unknown_or_unpublished_article_is_404(client, db):
    draft = make_article(slug="draft", status="draft", published_at=None)
    assert post_json(client, draft, new()).status_code == 404
    response = client.post("/api/v1/articles/nope/comments", new(), "application/json")
    assert response.status_code == 404
    assert errors_of(response) == {"__all__": ["There is no such article."]}
    assert not Comment.objects.exists()


def test_posting_needs_no_csrf_token(article):
    client = Client(enforce_csrf_checks=True)
    assert post_json(client, article, new()).status_code == 201


def test_session_cookies_are_ignored(client, article):
    # A signed-in editor's browser cookie neither names nor vouches for the poster.
    staff = User.objects.create_user("editor", password="x" * 20, is_staff=True)
    client.force_login(staff)
    response = post_json(client, article, {"body": "Hi"})
    assert errors_of(response) == {"author_name": ["This field is required."]}
    response = post_json(client, article, new())
    assert response.status_code == 201
    assert only_comment().user is None


def test_other_methods_on_the_comment_list_are_405(client, article):
    response = client.put(comments_url(article), new(), "application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert response["Cache-Control"] == "private, no-store"
    assert list(errors_of(response)) == ["__all__"]


@pytest.mark.parametrize(
    "body", ["> " * 200 + "hidden text", "".join("  " * i + "- x\n" for i in range(40)) + "hidden"]
)
def test_text_nested_too_deep_to_be_shown_is_refused_not_hidden(client, article, body):
    # Markdown stops reading quotes and lists past its depth limit and drops their text:
    # moderators would approve words they never saw.
    response = post_json(client, article, new(body=body))
    assert response.status_code == 400
    assert "nested too deeply" in errors_of(response)["body"][0]
    assert not Comment.objects.exists()
    # A long chain of quotes of quotes, as Quote makes them, is fine and shown whole.
    fine = post_json(client, article, new(body="> " * 30 + "all there"))
    assert fine.status_code == 201
    assert "all there" in Comment.objects.get().body_html


def test_a_name_limit_set_past_the_column_stops_at_the_column(client, article, settings):
    # An operator's larger limit would have PostgreSQL refuse the row (a 500) after
    # the comment was accepted; the column's 255 is the most a name can be.
    settings.BROADSHEET_COMMENT_NAME_MAX_LENGTH = 300
    longest = "N" * 255
    assert post_json(client, article, {"author_name": longest, "body": "Hi"}).status_code == 201
    refused = post_json(client, article, {"author_name": longest + "N", "body": "Hi"})
    assert refused.status_code == 400 and "author_name" in errors_of(refused)
    assert list(Comment.objects.values_list("author_name", flat=True)) == [longest]
    schema = client.get("/api/v1/openapi.json").json()
    new_comment = schema["components"]["schemas"]["NewComment"]["properties"]["author_name"]
    assert new_comment["maxLength"] == 255


def test_a_chunked_body_ended_by_the_server_is_read(client, article, settings):
    """A chunked request has no Content-Length; gunicorn takes the chunks apart and
    ends the input with the body (``wsgi.input_terminated``). The comment is posted,
    where Django read the body as empty and answered "not valid JSON"; the size
    limit holds on it as on any body."""
    chunked = {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked",
               "wsgi.input_terminated": True}  # fmt: skip
    body = json.dumps(new(body="Sent in chunks.")).encode()
    response = post_json(client, article, raw=body, **chunked, **{"wsgi.input": io.BytesIO(body)})
    assert response.status_code == 201, response.content
    assert Comment.objects.get().body == "Sent in chunks."
    settings.BROADSHEET_READER_BODY_LIMIT = 1000
    body = json.dumps(new(body="x" * 2000)).encode()
    response = post_json(client, article, raw=body, **chunked, **{"wsgi.input": io.BytesIO(body)})
    assert response.status_code == 413
    assert Comment.objects.count() == 1
