"""Helpers for talking to the API the way a program does: JSON in, JSON out."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Decision, Verdict
from broadsheet.newsroom.models import Article

API = "/api/v1"


def comments_url(article: Article) -> str:
    return f"{API}/articles/{article.slug}/comments"


def comment_url(comment: Comment | int) -> str:
    return f"{API}/comments/{getattr(comment, 'pk', comment)}"


def send(
    client: Client,
    method: str,
    url: str,
    payload: Any = None,
    *,
    raw: str | bytes | None = None,
    token: str | None = None,
    content_type: str = "application/json",
    **extra: Any,
):
    """``payload`` is sent as JSON; ``raw`` is sent byte for byte (for broken JSON)."""
    body = raw if raw is not None else (json.dumps(payload) if payload is not None else "")
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    # Set the header even for an empty body, which the test client would send without one.
    extra.setdefault("CONTENT_TYPE", content_type)
    return client.generic(method, url, body, content_type=content_type, **extra)


def post_json(client: Client, article: Article, payload: Any = None, **kwargs: Any):
    return send(client, "POST", comments_url(article), payload, **kwargs)


def errors_of(response) -> dict[str, list[str]]:
    assert response["Content-Type"] == "application/json", response.content
    data = response.json()
    assert set(data) == {"errors"}
    assert all(isinstance(m, list) and m for m in data["errors"].values())
    return data["errors"]


class Clock:
    """Moves django.utils.timezone.now, which models and actions read the time from."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._real = timezone.now
        self.offset = timedelta(0)
        monkeypatch.setattr(timezone, "now", lambda: self._real() + self.offset)

    def set(self, moment: datetime) -> None:
        self.offset = moment - self._real()


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


class VerdictPolicy:
    """A moderation policy whose decision a test sets on the class."""

    decision = Decision(status=Comment.Status.APPROVED)

    def decide(self, submission) -> Decision:
        return self.decision


class SpamPolicy(VerdictPolicy):
    decision = Decision(
        status=Comment.Status.SPAM, verdicts=[Verdict("test", "spam", "Judged spam by a test.")]
    )


class ThrottlePolicy(VerdictPolicy):
    decision = Decision(
        status=Comment.Status.PENDING,
        verdicts=[Verdict("rate", "throttle", "Too many comments.", retry_after=42)],
    )


class BlockPolicy(VerdictPolicy):
    decision = Decision(
        status=Comment.Status.PENDING,
        verdicts=[Verdict("blocklist", "refuse", "This author is blocked.")],
    )


@pytest.fixture
def use_policy(settings):
    """Swap the moderation policy (by dotted path, as the setting is read) for one above."""

    def use(policy: type[VerdictPolicy]) -> None:
        settings.BROADSHEET_MODERATION_POLICY = f"{__name__}.{policy.__name__}"

    return use
