"""Every time the API sends is RFC 3339 in UTC with milliseconds, as docs/api.md promises."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article
from tests.api.conftest import API, comment_url, comments_url, post_json, send

pytestmark = pytest.mark.django_db

MILLISECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_a_time_on_the_whole_second_still_has_its_milliseconds(client, article):
    # Imported comments and articles saved from the admin have no fraction of a second.
    published = datetime(2026, 11, 25, 18, 25, 28, tzinfo=UTC)
    Article.objects.filter(pk=article.pk).update(published_at=published)
    posted = post_json(client, article, {"author_name": "Jane", "body": "On the second"}).json()
    created = timezone.now().replace(microsecond=0) - timedelta(seconds=1)
    Comment.objects.filter(pk=posted["id"]).update(created_at=created, edited_at=created)

    about = client.get(f"{API}/articles/{article.slug}").json()
    (listed,) = client.get(comments_url(article)).json()["results"]
    edited = send(
        client, "PATCH", comment_url(posted["id"]), {"body": "Changed"}, token=posted["edit_token"]
    ).json()

    assert about["published_at"] == "2026-11-25T18:25:28.000Z"
    stamp = created.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert listed["created_at"] == listed["edited_at"] == edited["created_at"] == stamp
    times = [posted["created_at"], posted["editable_until"], edited["editable_until"]]
    times.append(edited["edited_at"])
    assert all(MILLISECONDS.fullmatch(time) for time in times), times
