"""When nothing can be written (the disk full, the database read-only), every write is
answered 503 saying nothing was saved, nothing is half-saved, and reading goes on."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.test import Client
from django.utils.html import escape
from PIL import Image

from broadsheet.discussion.models import Comment
from broadsheet.media.models import Image as LibraryImage
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import post
from tests.media.samples import encoded
from tests.media.test_upload import upload
from tests.moderation.conftest import make_moderator
from tests.newsroom.test_editing import article_form

# Each write meets the full or read-only database as on a site, in a transaction of its
# own: inside a test's transaction, SQLite's "disk is full" would roll back the test's.
pytestmark = pytest.mark.django_db(transaction=True)

NOTHING_SAVED = "Nothing you sent was saved"
# Longer than a page of the database (4 KB), so that storing it needs new pages.
LONG = "The bridge closes at <nine> 🌉 שלום. " * 200


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False)


@contextlib.contextmanager
def disk_full() -> Iterator[None]:
    """The SQLite database can grow no more, as on a full disk: its pages are capped at
    what it has and its free pages filled, so a write that needs a new page (a text
    longer than a page: ``LONG``) fails with ``SQLITE_FULL``, "database or disk is full".
    (On a full disk every write fails, SQLite's journal needing room too; a test's
    database is in memory, and has none.)"""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's disk cannot be filled from a test; see read_only()")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE filler (x BLOB)")
        cursor.execute("PRAGMA page_count")
        cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0]}")
        for size in (4000, 1000, 100, 10, 1):
            with contextlib.suppress(DatabaseError):
                while True:
                    cursor.execute("INSERT INTO filler VALUES (zeroblob(%s))", [size])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
            cursor.execute("DROP TABLE filler")


@contextlib.contextmanager
def read_only() -> Iterator[None]:
    """The database takes no writes: SQLite's file read-only (``SQLITE_READONLY``), or a
    PostgreSQL standby (a read-only transaction, SQLSTATE 25006)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = 1")
            try:
                yield
            finally:
                cursor.execute("PRAGMA query_only = 0")
        else:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            try:
                yield
            finally:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")


def api_post(client: Client, article: Article, body: str):
    document = json.dumps({"author_name": "Noa", "body": body})
    url = f"/api/v1/articles/{article.slug}/comments"
    return client.post(url, document, content_type="application/json")


def assert_refused(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]


def test_a_comment_posted_on_a_full_disk_is_refused_its_text_given_back(browser, article):
    form = {"author_name": "Noa", "body": LONG}
    url = f"/article/{article.slug}/comments"
    with disk_full():
        answer = browser.post(url, form)
        page = browser.get(article.get_absolute_url())
    assert_refused(answer)
    html = answer.content.decode()
    assert NOTHING_SAVED in html and "disk is full" in html
    # What the reader wrote, to copy: a browser may not keep the form on going back.
    assert f">{escape(LONG)}</textarea>" in html
    assert not Comment.objects.exists()
    assert page.status_code == 200  # reading goes on
    again = browser.post(url, form)
    assert again.status_code == 302
    assert Comment.objects.get().body == LONG.strip()


def test_the_api_says_nothing_was_stored_on_a_full_disk(browser, article):
    with disk_full():
        answer = api_post(browser, article, LONG)
        listed = browser.get(f"/api/v1/articles/{article.slug}/comments")
    assert_refused(answer)
    assert answer.json() == {
        "errors": {
            "__all__": [
                "The site cannot store anything just now (its disk is full or read-only); "
                "nothing was saved. Try again later."
            ]
        }
    }
    assert listed.status_code == 200
    assert not Comment.objects.exists()
    assert Article.objects.get().comment_count == 0
    assert api_post(browser, article, LONG).status_code == 201


def test_an_editors_save_on_a_full_disk_is_refused_and_the_body_given_back(
    browser, article, django_user_model
):
    browser.force_login(django_user_model.objects.create_superuser("ed", "ed@x.org", "pw"))
    form = article_form(title="Corrected", slug=article.slug, body=LONG)
    with disk_full():
        answer = browser.post(f"/admin/newsroom/article/{article.pk}/change/", form)
    assert_refused(answer)
    assert f">{escape(LONG)}</textarea>" in answer.content.decode()
    assert Article.objects.get().title == "Hello world"


def test_a_read_only_database_refuses_posts_and_still_serves_pages(browser, article, site):
    with read_only():
        answer = api_post(browser, article, "Posted to a standby.")
        form = browser.post(f"/article/{article.slug}/comments", {"author_name": "N", "body": "x"})
        page = browser.get(article.get_absolute_url())
        listed = browser.get(f"/api/v1/articles/{article.slug}/comments")
    assert_refused(answer)
    assert_refused(form)
    assert "read-only" in answer.json()["errors"]["__all__"][0]
    assert (page.status_code, listed.status_code) == (200, 200)
    assert not Comment.objects.exists()


def test_a_moderators_decision_on_a_read_only_database_changes_nothing(browser, article, site):
    SiteSettings.objects.update(comment_policy="hold")
    held = post(article, "Waiting for a moderator.")
    assert held.status == Comment.Status.PENDING
    browser.force_login(make_moderator())
    with read_only():
        answer = browser.post("/moderation/decide", {"one": f"approve:{held.pk}"})
    assert_refused(answer)
    assert NOTHING_SAVED in answer.content.decode()
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
    assert Article.objects.get().comment_count == 0


def test_the_refusal_is_in_the_sites_language(browser, article, site):
    SiteSettings.objects.update(language="he")
    form = {"author_name": "N", "body": "ש"}
    with read_only():
        answer = browser.post(f"/article/{article.slug}/comments", form)
    assert_refused(answer)
    html = answer.content.decode()
    assert '<html lang="he" dir="rtl">' in html
    assert NOTHING_SAVED not in html


@contextlib.contextmanager
def files_limited_to(size: int) -> Iterator[None]:
    """Files this process writes may grow to ``size`` bytes and no further (``EFBIG``,
    as a disk that fills up while an upload is written)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_an_image_the_disk_cannot_take_is_refused_and_leaves_no_part_behind(
    browser, django_user_model
):
    browser.force_login(django_user_model.objects.create_superuser("ed", "ed@x.org", "pw"))
    picture = encoded(Image.frombytes("RGB", (100, 100), os.urandom(30_000)), "PNG")
    with files_limited_to(200):
        answer = upload(browser, "flood.png", picture, content_type="image/png")
    assert_refused(answer)
    assert NOTHING_SAVED in answer.content.decode()
    assert not LibraryImage.objects.exists()
    # Before, the part written stayed under the image's name, and the same upload again
    # (the disk freed) was taken as stored: a broken image for good.
    again = upload(browser, "flood.png", picture, content_type="image/png")
    assert again.status_code == 302
    image = LibraryImage.objects.get()
    with default_storage.open(image.file, "rb") as stored:
        assert len(stored.read()) == image.size


def test_the_refusal_page_is_valid_html(browser, article, site):
    from tests.test_html import check_page

    with read_only():
        answer = browser.post(
            f"/article/{article.slug}/comments", {"author_name": "N", "body": "x"}
        )
    check_page(answer.content.decode())


# Run as a site's process, on a database file: a comment posted while a rate limit's
# counter (the database cache, which swallows its own write errors) joins a transaction
# grown past SQLite's page cache, on a disk that has no room left.
SPILLED = """
import json, resource, signal
import django
django.setup()
from django.db import connection
from django.test import Client
from broadsheet.discussion.models import Comment
from tests.conftest import make_article

make_article(title="Hello", slug="hello")
reader = Client(HTTP_HOST="localhost", raise_request_exception=False)
first = reader.post("/article/hello/comments", {"author_name": "Ann", "body": "First."})
assert first.status_code == 302
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE ballast (x BLOB)")
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

def grown(execute, sql, params, many, context):
    # 8 MB against SQLite's 2 MB page cache: pages spill to the journal mid-transaction.
    if sql.startswith('INSERT INTO "broadsheet_counters"'):
        context["cursor"].execute("INSERT INTO ballast VALUES (zeroblob(8000000))")
    return execute(sql, params, many, context)

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (1, resource.RLIM_INFINITY))  # no room left
with connection.execute_wrapper(grown):
    answer = reader.post("/article/hello/comments", {"author_name": "Noa", "body": "Second."})
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
print(json.dumps([answer.status_code, answer.content.decode(), Comment.objects.count()]))
"""


def test_a_transaction_sqlite_gives_up_on_a_full_disk_is_a_503_and_keeps_nothing(tmp_path):
    """SQLite drops the whole transaction when a write that spills mid-way meets a full
    disk; Django's rollback to the savepoint then fails ("no such savepoint"), and the
    database cache, which swallows its errors, went on: the next query was refused
    (TransactionManagementError), a 500. Now the request ends there, a 503."""
    from pathlib import Path

    from tests.test_cli import run

    data_dir = tmp_path / "data"
    assert run("migrate", "-v", "0", data_dir=data_dir).returncode == 0
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "broadsheet.settings"}
    env["BROADSHEET_DATA_DIR"] = str(data_dir)
    env.pop("BROADSHEET_DATABASE_URL", None)
    env.pop("BROADSHEET_REDIS_URL", None)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", SPILLED], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    status, page, comments = json.loads(result.stdout.splitlines()[-1])
    assert status == 503, result.stderr
    assert NOTHING_SAVED in page
    assert comments == 1  # the first alone: nothing of the second was kept


def test_a_connection_made_again_and_again_is_guarded_once():
    # Django announces each new connection of a thread's database wrapper, which keeps
    # its list of wrappers: the guard is added to it once, not once a connection.
    from django.db import connections
    from django.db.backends.signals import connection_created

    from broadsheet import outage

    fresh = connections.create_connection("default")
    for _ in range(3):
        connection_created.send(sender=type(fresh), connection=fresh)
    guards = fresh.execute_wrappers.count(outage._transaction_kept)
    assert guards == (1 if fresh.vendor == "sqlite" else 0)
