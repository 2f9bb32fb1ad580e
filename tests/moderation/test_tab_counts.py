"""The count beside each tab of the queue is the number of comments (or decisions) the
tab lists, after every kind of decision a moderator takes from the queue: one comment's
button, a bulk one, an undo (u, and one entry of Recently decided), keeping reported
comments, deleting spam, blocking an author, featuring, and readers' reports."""

from __future__ import annotations

import re

import pytest

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from broadsheet.moderation.models import AuditEntry
from tests.conftest import post

pytestmark = pytest.mark.django_db
Status = Comment.Status
TABS = ("pending", "reported", "spam", "decided")


def shown_counts(client) -> dict[str, int]:
    """The count beside each tab, as the queue's page shows it."""
    page = client.get("/moderation/").content.decode()
    found = re.findall(r'\?tab=(\w+)"[^>]*>[^<]*<span class="count">\((\d+)\)</span>', page)
    return {tab: int(n) for tab, n in found}


def listed(client, tab: str) -> int:
    """How many comments (or decisions) the tab's own page lists."""
    page = client.get(f"/moderation/?tab={tab}").content.decode()
    return page.count('<li class="queue-item') + page.count('<li id="q-')


def assert_counts_true(client) -> None:
    counts = shown_counts(client)
    assert set(counts) == set(TABS)
    assert counts == {tab: listed(client, tab) for tab in TABS}


def decide(client, action: str, comments: list[Comment], *, one: bool = False):
    fields: dict[str, object] = {
        "next": "/moderation/",
        "was": [f"{c.pk}:{Comment.objects.get(pk=c.pk).status}" for c in comments],
    }
    if one:
        fields["one"] = f"{action}:{comments[0].pk}"
    else:
        fields["action"], fields["ids"] = action, [c.pk for c in comments]
    assert client.post("/moderation/decide", fields).status_code == 302


def test_every_tab_counts_what_it_lists_after_every_kind_of_decision(staff, article, moderator):
    waiting = [post(article, f"waiting {i}", author_email=f"w{i}@example.org") for i in range(8)]
    Comment.objects.filter(pk__in=[c.pk for c in waiting]).update(status=Status.PENDING)
    shown = post(article, "published and reported", author_email="p@example.org")
    for n in range(2):
        actions.report(shown, reason="abuse", reporter_key=f"reader {n}")
    assert_counts_true(staff)

    steps = [
        lambda: decide(staff, "approve", waiting[:1], one=True),
        lambda: decide(staff, "reject", waiting[1:2], one=True),
        lambda: decide(staff, "spam", waiting[2:5]),  # bulk
        lambda: staff.post("/moderation/undo", {"next": "/moderation/"}),  # u: the bulk one
        lambda: decide(staff, "spam", waiting[2:4]),
        lambda: decide(staff, "delete", waiting[2:3], one=True),
        lambda: staff.post("/moderation/undo", {"next": "/moderation/?tab=spam"}),
        lambda: decide(staff, "keep", [shown], one=True),
        lambda: actions.report(shown, reason="spam", reporter_key="reader 3"),
        lambda: decide(staff, "spam", [shown]),
        lambda: staff.post(
            "/moderation/undo",
            {"entry": AuditEntry.objects.filter(comment=shown).latest("id").pk, "at": "1"},
        ),
        lambda: decide(staff, "approve", waiting[5:7]),
        lambda: decide(staff, "feature", waiting[5:6], one=True),
        lambda: staff.post(
            f"/moderation/{waiting[7].pk}/block",
            {"kinds": ["email"], "days": "", "reason": "", "next": "/moderation/"},
        ),
        lambda: staff.post("/moderation/undo", {"next": "/moderation/"}),
        lambda: staff.post("/moderation/undo", {"next": "/moderation/"}),
    ]
    for n, step in enumerate(steps):
        step()
        try:
            assert_counts_true(staff)
        except AssertionError as wrong:
            raise AssertionError(f"after step {n}: {wrong}") from None
