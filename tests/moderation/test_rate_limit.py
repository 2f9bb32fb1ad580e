"""Rate limits reach readers as 429 with Retry-After, from the web form and from the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from broadsheet.discussion.models import Comment
from tests.conftest import table_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_a_minute(settings, rules, frozen_clock):
    settings.BROADSHEET_RATE_LIMIT = "on"
    rules.rate_per_minute = 1
    rules.save()


def web_post(client, article, body, ip="192.0.2.50"):
    return client.post(
        f"/article/{article.slug}/comments",
        {"author_name": "Jane", "body": body},
        HTTP_ORIGIN="http://testserver",
        REMOTE_ADDR=ip,
    )


def api_post(client, article, body, ip="192.0.2.60"):
    return client.post(
        f"/api/v1/articles/{article.slug}/comments",
        json.dumps({"author_name": "Jane", "body": body}),
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def test_web_form_answers_429_with_retry_after(client, article, one_a_minute):
    assert web_post(client, article, "first").status_code == 302
    response = web_post(client, article, "second")
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert "Too many comments" in response.content.decode()
    assert Comment.objects.count() == 1


def test_api_answers_429_with_retry_after(client, article, one_a_minute):
    assert api_post(client, article, "first").status_code == 201
    response = api_post(client, article, "second")
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert Comment.objects.count() == 1


def test_web_and_api_share_the_counters(client, article, one_a_minute):
    assert web_post(client, article, "first", ip="192.0.2.70").status_code == 302
    assert api_post(client, article, "second", ip="192.0.2.70").status_code == 429


def test_rate_limit_off_is_the_benchmark_switch(client, article, rules):
    rules.rate_per_minute = 1
    rules.save()
    for n in range(3):
        assert web_post(client, article, f"c {n}").status_code == 302


def test_blocked_author_gets_403_from_the_api_and_the_form(client, article, moderator):
    from broadsheet.moderation import actions
    from tests.conftest import post

    first = post(article, "hello", ip_address="192.0.2.80")
    actions.block_author(first, actor=moderator)
    assert api_post(client, article, "again", ip="192.0.2.80").status_code == 403
    assert web_post(client, article, "again", ip="192.0.2.80").status_code == 403


def test_spam_is_reported_to_its_poster_as_pending(client, article):
    from broadsheet.moderation.models import WordRule

    WordRule.objects.create(phrase="casino", list=WordRule.List.BLOCK)
    response = api_post(client, article, "best casino")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_spam_is_shown_to_its_poster_as_held_and_to_nobody_else(client, article):
    from broadsheet.moderation.models import WordRule

    WordRule.objects.create(phrase="casino", list=WordRule.List.BLOCK)
    response = web_post(client, article, "the best casino")
    assert response.status_code == 302
    spam = Comment.objects.get()
    assert spam.status == Comment.Status.SPAM
    assert response["Location"].endswith(f"#comment-{spam.pk}")
    mine = client.get(response["Location"]).content.decode()
    assert f'id="comment-{spam.pk}"' in mine and "the best casino" in mine
    assert "Your comment is awaiting moderation" in mine
    assert "spam" not in mine.lower().replace("anti-spam", "")
    stranger = Client().get(article.get_absolute_url()).content.decode()
    assert "the best casino" not in stranger


def test_ipv4_readers_seen_through_ipv6_each_have_their_own_counter(client, article, one_a_minute):
    # A server listening on [::] sees IPv4 readers as ::ffff:a.b.c.d.
    assert web_post(client, article, "first", ip="::ffff:192.0.2.7").status_code == 302
    assert web_post(client, article, "second", ip="::ffff:198.51.100.9").status_code == 302
    assert web_post(client, article, "third", ip="192.0.2.7").status_code == 429  # the same reader


def test_throttled_addresses_stay_throttled_however_busy_the_database_cache(
    client, article, one_a_minute, settings, site_caches
):
    """On the database cache (a site without Redis), Django culls a full table by key
    order, expired or not: the counters must not share a table with what fills it."""
    settings.BROADSHEET_SEARCHES_PER_MINUTE = 5
    spammers = [f"198.51.100.{n}" for n in range(1, 21)]
    for ip in spammers:
        assert web_post(client, article, f"First from {ip}, and fine.", ip=ip).status_code == 302
        assert web_post(client, article, f"Second from {ip}, too soon.", ip=ip).status_code == 429
    # A busy minute: 400 readers search, each address counted in the same cache.
    for n in range(400):
        searched = client.get("/search/?q=news", REMOTE_ADDR=f"10.0.{n // 250}.{n % 250}")
        assert searched.status_code == 200
    still = [
        ip
        for ip in spammers
        if web_post(client, article, f"Third from {ip}, still too soon.", ip=ip).status_code == 429
    ]
    assert still == spammers
    assert Comment.objects.count() == len(spammers)


def test_posts_refused_by_their_address_add_no_counters(client, article, one_a_minute, site_caches):
    """A post its address's limit refuses is not counted against its e-mail address too:
    a flood of refused posts, each with a made-up address, would add two counters each
    (a minute's, an hour's) to the table of 100,000 that every site's limits share, until
    Django culled a third of it, live counters included."""

    def posted(n: int) -> int:
        return client.post(
            f"/api/v1/articles/{article.slug}/comments",
            json.dumps(
                {
                    "author_name": "Jane",
                    "author_email": f"x{n}@example.org",
                    "body": f"Number {n}, made up.",
                }
            ),
            content_type="application/json",
            REMOTE_ADDR="192.0.2.80",
        ).status_code

    assert posted(0) == 201
    before = table_keys("broadsheet_counters")
    assert [posted(n) for n in range(1, 31)] == [429] * 30
    assert sorted(table_keys("broadsheet_counters")) == sorted(before)
    assert Comment.objects.count() == 1
