"""When the database or Redis does not answer, the site says so: 503 with Retry-After,
nothing stored, and the next request after the service is back is answered as usual."""

from __future__ import annotations

import ctypes
import json
import os
import socket
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client

from broadsheet.discussion.models import Comment
from tests.test_cli import run

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


def test_a_database_short_of_memory_or_a_limit_is_not_said_to_be_full(browser, article):
    """PostgreSQL's class 53 is "insufficient resources": disk_full (53100) is one; out
    of memory, too many connections and a configured limit (53400, met here for real:
    a sort past ``temp_file_limit``) say nothing of the disk, and a reader who only
    read is not told that nothing was saved."""
    if connection.vendor != "postgresql":
        pytest.skip("temp_file_limit is PostgreSQL's")

    def past_the_limit(execute, sql, params, many, context):
        # The driver's own cursor, under this wrapper; SET LOCAL ends with the test's
        # transaction, which the page's queries run in.
        cursor = context["cursor"].cursor
        with context["connection"].wrap_database_errors:  # Django's errors, as a query's
            cursor.execute("SET LOCAL work_mem = '64kB'")
            cursor.execute("SET LOCAL temp_file_limit = 0")
            cursor.execute("SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(past_the_limit):
        answer = browser.get(article.get_absolute_url())
    assert (answer.status_code, answer["Retry-After"]) == (503, "30")
    page = answer.content.decode()
    # Before, "Nothing could be saved … its disk is full".
    assert "Unavailable for a moment" in page and "disk is full" not in page


def as_the_sites_account() -> None:
    """For ``preexec_fn``: the command runs as a site's own account does, which a file
    of another account's (or mode 000) refuses. As root, that is root without the power
    to pass over a file's permissions (CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, taken
    out of the set its command may have)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for capability in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_file_the_site_may_not_read_is_a_500_not_a_full_disk(tmp_path):
    """A read refused (an image copied in by another account, unreadable to the site's)
    is the site's own fault: a 500, where it was the 503 that says the disk is full and
    nothing was saved, to a reader who saved nothing."""
    data_dir = tmp_path / "data"
    assert run("migrate", "-v", "0", data_dir=data_dir).returncode == 0
    name = f"images/ab/ab{'0' * 30}.png"
    image = data_dir / "media" / name
    image.parent.mkdir(parents=True)
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    image.chmod(0)
    page = (
        "import django; django.setup(); from django.test import Client; "
        "answer = Client(HTTP_HOST='localhost', raise_request_exception=False)"
        f".get('/media/{name}'); print(answer.status_code, answer.content.decode())"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "broadsheet.settings"}
    env["BROADSHEET_DATA_DIR"] = str(data_dir)
    env.pop("BROADSHEET_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", page], env=env, capture_output=True, text=True, timeout=120,
        preexec_fn=as_the_sites_account,
    )  # fmt: skip
    assert "Permission denied" in result.stderr  # logged, with the file's name
    status, html = result.stdout.split(" ", 1)
    assert status == "500"
    assert "Something went wrong" in html and "Nothing you sent was saved" not in html
