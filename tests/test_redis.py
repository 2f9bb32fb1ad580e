"""With BROADSHEET_REDIS_URL, the cache, rate-limit counters and sessions live in Redis."""

from __future__ import annotations

import importlib
import uuid

import pytest
from django.core.cache import cache

from broadsheet.discussion.models import Comment
from tests.conftest import post, require_service

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def redis_cache(settings):
    require_service("Redis", "127.0.0.1", 6379)
    redis = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        # Each test its own keys: several suites may share the server.
        "KEY_PREFIX": f"broadsheet-test-{uuid.uuid4().hex}",
    }
    settings.CACHES = {"default": redis, "counters": redis}  # as settings.py makes them
    yield cache
    cache.delete_pattern("*")  # this test's prefix only; clear() would flush the database


def test_settings_use_redis_for_cache_and_sessions(monkeypatch):
    import broadsheet.settings as module

    monkeypatch.setenv("BROADSHEET_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        reloaded = importlib.reload(module)
        assert reloaded.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
        assert reloaded.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/0"
        assert reloaded.CACHES["counters"] == reloaded.CACHES["default"]
        assert reloaded.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
    finally:
        monkeypatch.delenv("BROADSHEET_REDIS_URL")
        importlib.reload(module)


def test_rate_limit_counts_in_redis_and_answers_429(client, article, redis_cache, settings):
    from broadsheet.moderation.models import ModerationSettings

    settings.BROADSHEET_RATE_LIMIT = "on"
    rules = ModerationSettings.load()
    rules.rate_per_minute = 2
    rules.save()
    codes = []
    for i in range(3):
        response = client.post(
            f"/article/{article.slug}/comments",
            {"author_name": "Quick", "body": f"comment number {i} with its own words"},
            HTTP_ORIGIN="http://testserver",
        )
        codes.append(response.status_code)
    assert codes == [302, 302, 429]
    assert int(response["Retry-After"]) >= 1
    assert Comment.objects.count() == 2
    assert any(key for key in redis_cache.keys("bs:rate:*"))


def test_article_page_is_cached_in_redis_for_every_server(
    client, article, redis_cache, forms_clock_stopped
):
    from broadsheet.discussion import pagecache

    url = article.get_absolute_url()
    first = client.get(url)
    [digest] = [redis_cache.get(key) for key in redis_cache.keys("broadsheet:page-digest:*")]
    assert redis_cache.get(f"broadsheet:page:{digest}") == first.content
    pagecache.copies.clear()  # a server that has not served it yet
    again = client.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    post(article, "News in the discussion.")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and b"News in the discussion." in changed.content


def test_staff_names_are_kept_in_redis_for_every_server(
    article, redis_cache, django_user_model, django_capture_on_commit_callbacks
):
    from broadsheet.discussion.exceptions import CommentRefused

    user = django_user_model.objects.create_user("nokafor", first_name="Nell", last_name="Okafor")
    assert post(article, "Before.", author_name="Nell Okafor").pk
    generation = redis_cache.get("bs:staff-names:generation")
    assert redis_cache.get(f"bs:staff-names:{generation}") == {}  # nobody's name is kept
    with django_capture_on_commit_callbacks(execute=True):
        user.is_staff = True
        user.save()
    # The change gave the set a new generation in Redis, which every server reads.
    assert redis_cache.get("bs:staff-names:generation") != generation
    with pytest.raises(CommentRefused):
        post(article, "After.", author_name="Nell Okafor")
    kept = redis_cache.get(f"bs:staff-names:{redis_cache.get('bs:staff-names:generation')}")
    assert kept["nell okafor"] == [user.pk] and "nokafor" not in kept
