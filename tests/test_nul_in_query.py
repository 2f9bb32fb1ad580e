"""A NUL in an address's query: PostgreSQL refuses it in a query (psycopg: "PostgreSQL
text fields cannot contain NUL (0x00) bytes"), where a view looks it up. Such a request
is a 400 saying so, not a 500; pages that read their parameters themselves keep their
answers (broadsheet/encoding.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from tests.conftest import post
from tests.newsroom.test_language import speak

pytestmark = pytest.mark.django_db

SAID = "The address holds a NUL character, which no page can look up"


@pytest.fixture
def admin_client(client, article):
    """A superuser signed in, with an audit entry and a comment to list."""
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-boss-1")
    actions.mark_spam(post(article, "Buy now"), actor=boss)
    client.force_login(boss)
    return client


# Lists whose filters and searches take the query's text to the database as it is.
LOOKED_UP = [
    "/admin/moderation/auditentry/?action__exact=%00",
    "/admin/moderation/auditentry/?action__exact=sp%00am",
    "/admin/discussion/comment/?status__exact=%00",
    "/admin/discussion/comment/?author_name__exact=J%00",
    "/admin/discussion/comment/?article__id__exact=1&status__exact=spam%00",
    "/admin/newsroom/article/?status__exact=%00",
]


@pytest.mark.parametrize("address", LOOKED_UP)
def test_a_nul_the_database_is_asked_for_is_a_clear_400(admin_client, address):
    answer = admin_client.get(address)
    if connection.vendor == "postgresql":
        assert answer.status_code == 400
        assert answer["Content-Type"] == "text/plain; charset=utf-8"
        assert SAID in answer.content.decode()
    else:  # SQLite stores and compares a NUL: the list finds nothing, or what it holds
        assert answer.status_code == 200
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/search/?q=%00", 200),  # the search box drops a NUL: "type one or more words"
        ("/moderation/log/?action=%00", 200),  # an action it does not know: all of them
        ("/moderation/?q=a%00b", 200),  # Find comments drops it
        ("/moderation/?tab=%00&page=%00", 200),  # a tab it does not know: Pending
        ("/tag/%00/", 404),  # a path that holds one names no page
        # Django's admin search refuses a NUL in its form, and lists everything.
        ("/admin/discussion/comment/?q=a%00b", 200),
        ("/admin/auth/user/?q=bo%00ss", 200),
    ],
)
def test_pages_that_read_a_nul_themselves_keep_their_answers(admin_client, address, status):
    answer = admin_client.get(address)
    assert answer.status_code == status
    assert SAID not in answer.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores a NUL")
def test_the_400_is_said_in_the_sites_language(admin_client):
    speak("he")
    answer = admin_client.get(LOOKED_UP[0])
    assert answer.status_code == 400
    said = answer.content.decode()
    assert SAID not in said and "NUL" in said and "כתובת" in said


def test_a_nul_in_a_path_is_a_404_in_the_sites_language_and_json_under_the_api(client):
    speak("he")
    page = client.get("/tag/%00/")
    assert page.status_code == 404 and page.content.decode() == "אין עמוד בכתובת הזו."
    api = client.get("/api/v1/articles/%00")
    assert api.status_code == 404 and api["Content-Type"] == "application/json"
    assert list(api.json()["errors"]) == ["__all__"]
