"""Shared fixtures. Data is built through the same actions the site uses."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache, caches
from django.utils import timezone

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.policy import Submission
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, Author, Section, SiteSettings
from tests.mailserver import Mailbox, free_port, point_django_at, start_server

IN_CI = os.environ.get("CI", "").lower() == "true"

# One Playwright browser per test process, shared by every folder's browser tests.
pytest_plugins = ["tests.browser.fixtures"]


def service_reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """Skip when a service is down, except in CI, where every test must run."""
    if service_reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message}, and CI=true requires it")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    # Rate-limit and duplicate-text counters live in the cache: start each test clean.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "counters": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "counters",
        },
    }
    cache.clear()
    caches["counters"].clear()
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    # Tests post forms straight away; the posting-speed check has tests of its own.
    settings.BROADSHEET_MIN_SECONDS_TO_POST = 0
    settings.BROADSHEET_RATE_LIMIT = "off"
    # Argon2 spends a tenth of a second and 100 MB on each password by design: paid for
    # every account the tests make, it was minutes of the suite's time. The site's own
    # hasher is checked where passwords are the point (test_signin); its hashes, made
    # outside a test (the demo's, once a module), still verify.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture(autouse=True)
def _no_digest_look_after_requests(monkeypatch):
    """After a request, a process looks for due moderators' digests once a minute (one
    query after the answer has gone out): a test that counts a page's queries would
    count it or not by the clock. Tests of that look set it due themselves."""
    from broadsheet.notifications import outbox

    monkeypatch.setattr(outbox, "_next_digest_look", float("inf"))


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    """A real SMTP server on loopback, and Django sending to it; what it received."""
    port = free_port()
    point_django_at(settings, port)
    controller, mailbox = start_server(port)
    yield mailbox
    controller.stop()


@pytest.fixture
def forms_clock_stopped(monkeypatch):
    """Each copy of a kept article page goes out with the time it was served
    (``pagecache.restamped``): with the forms' clock stopped, copies served in one test
    are the same bytes."""
    from broadsheet.discussion import forms

    now = time.time()
    monkeypatch.setattr(forms, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture
def site(db) -> SiteSettings:
    return SiteSettings.load()


def make_article(**fields) -> Article:
    n = Article.objects.count() + 1
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("slug", f"article-{n}")
    fields.setdefault("body", "Some *text* for the article.")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    tags = fields.pop("tags", [])
    article = newsroom_actions.save_article(Article(**fields))
    if tags:
        article.tags.set(tags)
    return article


def post(article: Article, body: str = "A comment.", **fields):
    """Post through the real action; returns the stored comment (with ._token)."""
    fields.setdefault("author_name", "Reader")
    posted = discussion_actions.post_comment(Submission(article=article, body=body, **fields))
    posted.comment._token = posted.edit_token
    return posted.comment


@pytest.fixture
def article(db) -> Article:
    author = Author.objects.create(name="Dana Writer", slug="dana-writer")
    section = Section.objects.create(name="World", slug="world")
    return make_article(
        title="Hello world", slug="hello-world", author=author, section=section,
        source_name="The Daily Example", source_url="https://news.example.org/story",
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Each test's uploaded images go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site_caches(db, settings):
    """The site's own caches without Redis (pages in ``broadsheet_cache``, counters in
    ``broadsheet_counters``), empty."""
    from django.core.management import call_command

    from broadsheet import settings as site_settings

    if site_settings.REDIS_URL:
        pytest.skip("the site's caches are Redis here")
    settings.CACHES = site_settings.CACHES
    call_command("createcachetable", verbosity=0)
    for name in settings.CACHES:
        caches[name].clear()


def table_keys(table: str, like: str = "%") -> list[str]:
    """The keys of the rows of the database cache ``table`` that are ``like`` a pattern."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT cache_key FROM {connection.ops.quote_name(table)} WHERE cache_key LIKE %s",
            [like],
        )
        return [key for (key,) in cursor.fetchall()]


@pytest.fixture
def database_page_cache(site_caches):
    """``site_caches``; gives a function listing the kept pages' rows."""
    return lambda: table_keys("broadsheet_cache", "%broadsheet:page%")
