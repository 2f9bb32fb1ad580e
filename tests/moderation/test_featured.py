"""Editors' picks: moderators feature a few published comments, which lead the article's
discussion; taken down, a pick leaves the list; every pick is in the audit log."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from broadsheet.discussion.actions import FEATURED_MAX
from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from broadsheet.moderation.models import AuditEntry
from tests.conftest import post
from tests.test_html import check_page

pytestmark = pytest.mark.django_db
Status = Comment.Status


def picks_of(html: str) -> str:
    if 'class="picks"' not in html:
        return ""
    return html[html.index('class="picks"') : html.index("</section>", html.index('class="picks"'))]


def test_a_featured_comment_leads_the_discussion_at_once(staff, article):
    reader = Client()
    post(article, "First!")
    thoughtful = post(article, "The timetable **doubles** the night service.", author_name="Ines")
    url = article.get_absolute_url()
    etag = reader.get(url)["ETag"]
    assert picks_of(reader.get(url).content.decode()) == ""

    answer = staff.post(
        "/moderation/decide", {"one": f"feature:{thoughtful.pk}", "next": "/moderation/"}
    )
    assert answer.status_code == 302

    page = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert page.status_code == 200  # drawn anew, not a 304
    html = page.content.decode()
    picks = picks_of(html)
    assert "Editors' picks" in picks and "<bdi>Ines</bdi>" in picks
    assert "The timetable <strong>doubles</strong> the night service." in picks
    assert f'href="/c/{thoughtful.pk}"' in picks and "First!" not in picks
    check_page(html)
    entry = AuditEntry.objects.get(comment=thoughtful)
    assert entry.action == AuditEntry.Action.FEATURE and entry.actor is not None
    # The queue marks it, and offers to stop featuring it.
    queue = staff.get(f"/moderation/{thoughtful.pk}/", follow=True).content.decode()
    assert f'value="unfeature:{thoughtful.pk}"' in queue and "Editors' pick" in queue

    staff.post("/moderation/decide", {"one": f"unfeature:{thoughtful.pk}"})
    assert picks_of(reader.get(url).content.decode()) == ""
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNFEATURE).count() == 1


def test_only_a_published_comment_can_be_picked_and_taking_it_down_unpicks_it(
    staff, article, moderator
):
    held = post(article, "Waiting.")
    Comment.objects.filter(pk=held.pk).update(status=Status.PENDING)
    answer = staff.post("/moderation/decide", {"one": f"feature:{held.pk}"}, follow=True)
    assert "Only a published comment can be featured." in answer.content.decode()
    assert Comment.objects.get(pk=held.pk).featured_at is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.FEATURE).exists()

    pick = post(article, "A fine point.")
    actions.feature(pick, actor=moderator)
    actions.reject(pick, actor=moderator)
    assert Comment.objects.get(pk=pick.pk).featured_at is None
    actions.undo_last(moderator)  # published again: not a pick until picked again
    assert Comment.objects.get(pk=pick.pk).status == Status.APPROVED
    assert picks_of(Client().get(article.get_absolute_url()).content.decode()) == ""


def test_a_story_has_a_few_picks_at_most(staff, article, moderator):
    comments = [post(article, f"Point {i}.") for i in range(FEATURED_MAX + 1)]
    for comment in comments[:FEATURED_MAX]:
        assert actions.feature(comment, actor=moderator) is not None
    answer = staff.post("/moderation/decide", {"one": f"feature:{comments[-1].pk}"}, follow=True)
    said = unescape(answer.content.decode())
    assert f"already has {FEATURED_MAX} editors' picks: stop featuring one first" in said
    html = Client().get(article.get_absolute_url()).content.decode()
    assert picks_of(html).count("<li>") == FEATURED_MAX
    assert actions.feature(comments[0], actor=moderator) is None  # already picked: no entry
    assert AuditEntry.objects.filter(action=AuditEntry.Action.FEATURE).count() == FEATURED_MAX


def test_picks_lead_the_first_page_only(article, moderator, site):
    site.comments_per_page = 2
    site.save()
    comments = [post(article, f"Comment {i}.") for i in range(5)]
    actions.feature(comments[4], actor=moderator)
    reader = Client()
    assert "Comment 4." in picks_of(reader.get(article.get_absolute_url()).content.decode())
    second = reader.get(article.get_absolute_url(), {"page": 2}).content.decode()
    assert picks_of(second) == ""


def test_a_bad_comment_id_is_refused(staff):
    assert staff.post("/moderation/decide", {"one": "feature:abc"}).status_code == 400
    assert staff.post("/moderation/decide", {"one": "feature:999999"}).status_code == 404


def test_the_api_says_which_comments_are_picks(client, article, moderator):
    plain, pick = post(article, "Plain."), post(article, "Picked.")
    actions.feature(pick, actor=moderator)
    results = client.get(f"/api/v1/articles/{article.slug}/comments").json()["results"]
    assert {r["id"]: r["featured"] for r in results} == {plain.pk: False, pick.pk: True}
    schema = client.get("/api/v1/openapi.json").json()
    comment = schema["components"]["schemas"]["Comment"]
    assert comment["properties"]["featured"]["type"] == "boolean"
    assert "featured" in comment["required"]
