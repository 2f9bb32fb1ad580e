"""Characters HTML forbids: kept exactly in a comment's text, never in what is drawn
of it, and refused in a name, an e-mail address or a website (docs/api.md)."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.discussion.models import Comment
from tests.api.conftest import comment_url, comments_url, errors_of, post_json, send
from tests.test_html import EVERY_FORBIDDEN, FORBIDDEN

pytestmark = pytest.mark.django_db

BODY = f"Pasted from Word:\x0bits line break.\n\n{EVERY_FORBIDDEN} and the rest."


def test_a_body_holding_them_comes_back_exactly_and_its_html_without_them(client, article):
    response = post_json(client, article, {"author_name": "Jane", "body": BODY})
    assert response.status_code == 201
    assert response.json()["body"] == BODY
    (listed,) = Client().get(comments_url(article)).json()["results"]
    assert listed["body"] == BODY == Comment.objects.get().body
    assert listed["body_html"] == (
        "<p>Pasted from Word:<br>\nits line break.</p>\n"
        # The vertical tab opening the paragraph is a blank line before it.
        "<p>\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd and the rest.</p>\n"
    )


def test_an_edit_holding_them_comes_back_exactly(client, article):
    posted = post_json(client, article, {"author_name": "Jane", "body": "First."}).json()
    response = send(
        client, "PATCH", comment_url(posted["id"]), {"body": BODY}, token=posted["edit_token"]
    )
    assert response.status_code == 200
    assert response.json()["body"] == BODY == Comment.objects.get().body
    assert "\ufffd" * 7 in response.json()["body_html"]


ONE_LINE = {
    "author_name": lambda char: f"Ann{char}Bee",
    "author_email": lambda char: f"ann@exa{char}mple.org",
    "author_url": lambda char: f"https://example.org/a{char}b",
}


@pytest.mark.parametrize("char", FORBIDDEN.values(), ids=FORBIDDEN.keys())
@pytest.mark.parametrize("field", ONE_LINE)
def test_a_name_address_or_website_holding_one_is_refused(client, article, field, char):
    payload = {"author_name": "Jane", "body": "Hello.", field: ONE_LINE[field](char)}
    response = post_json(client, article, payload)
    assert response.status_code == 400
    assert set(errors_of(response)) == {field}
    assert not Comment.objects.exists()
