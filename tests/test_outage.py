"""When the database or Redis does not answer, the site says so: 503 with Retry-After,
nothing stored, and the next request after the service is back is answered as usual."""

from __future__ import annotations

import json
import socket

import pytest
from django.core.cache import caches
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client

from broadsheet.discussion.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: a Redis that has gone away."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False)


def redis_at(port: int) -> dict:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }


def test_a_page_asked_for_while_redis_is_away_is_a_503_then_the_page(
    browser, article, settings, closed_port
):
    working = settings.CACHES
    settings.CACHES = {"default": redis_at(closed_port), "counters": redis_at(closed_port)}
    response = browser.get(article.get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Unavailable for a moment" in response.content.decode()
    settings.CACHES = working  # Redis is back
    caches["default"].clear()
    assert browser.get(article.get_absolute_url()).status_code == 200


def test_a_comment_posted_while_redis_is_away_is_refused_with_503_and_not_stored(
    browser, article, settings, closed_port
):
    working = settings.CACHES
    settings.CACHES = {**working, "counters": redis_at(closed_port)}
    body = json.dumps({"author_name": "Jane", "body": "Posted while the cache was away."})
    url = f"/api/v1/articles/{article.slug}/comments"
    response = browser.post(url, body, content_type="application/json")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "try again in a moment" in response.json()["errors"]["__all__"][0]
    assert "no-store" in response["Cache-Control"]
    assert not Comment.objects.exists()
    settings.CACHES = working
    again = browser.post(url, body, content_type="application/json")
    assert (again.status_code, again.json()["status"]) == (201, "approved")


def test_a_database_that_stops_answering_is_a_503_and_any_other_error_a_500(browser, article):
    def failing(error):
        def wrapper(execute, sql, params, many, context):
            raise error

        return wrapper

    with connection.execute_wrapper(failing(OperationalError("server closed the connection"))):
        unavailable = browser.get(article.get_absolute_url())
        api = browser.get(f"/api/v1/articles/{article.slug}")
    assert (unavailable.status_code, unavailable["Retry-After"]) == (503, "30")
    assert (api.status_code, api["Retry-After"]) == (503, "30")
    # A schema the code does not match (PostgreSQL's error, then SQLite's) is no outage.
    schema_errors = [ProgrammingError("column x does not exist"), OperationalError("no such table")]
    for error in schema_errors:
        with connection.execute_wrapper(failing(error)):
            broken = browser.get(article.get_absolute_url())
        assert broken.status_code == 500
        assert "Retry-After" not in broken
        assert "Something went wrong" in broken.content.decode()
