"""A moderator's edit of a comment's text in the admin is what readers see at once."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from broadsheet.discussion.models import Comment
from broadsheet.moderation.models import AuditEntry
from broadsheet.newsroom.models import Article
from tests.conftest import post
from tests.interchange.conftest import SAMPLES, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client, django_user_model):
    user = django_user_model.objects.create_superuser("mo", "mo@example.org", "pw-long-1234")
    client.force_login(user)
    return user


def change(client, comment: Comment, **fields) -> None:
    """Post the admin's change form as a moderator fills it in."""
    data = {k: ("" if v is None else v) for k, v in model_to_dict(comment).items()}
    data.update(fields)
    url = f"/admin/discussion/comment/{comment.pk}/change/"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_moderators_edit_is_shown_at_once_marked_edited_and_audited(client, moderator, article):
    comment = post(article, "Call me on **555-0199** any time.")
    reply = post(article, "Will do.", parent=comment)
    reader = Client()  # anonymous: the cached, ETagged page
    page = reader.get(article.get_absolute_url())
    assert "555-0199" in page.content.decode()
    etag = page["ETag"]
    before = Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)

    change(client, comment, body="Call me on **[number removed]** any time.")

    comment.refresh_from_db()
    assert comment.body == "Call me on **[number removed]** any time."
    assert comment.body_html == "<p>Call me on <strong>[number removed]</strong> any time.</p>\n"
    assert comment.edited_at is not None
    assert comment.status == Comment.Status.APPROVED
    reply.refresh_from_db()
    assert (reply.thread_id, reply.parent_id) == (comment.pk, comment.pk)
    assert Article.objects.values_list("comment_count", flat=True).get(pk=article.pk) == before
    # The page's ETag changed, so neither a browser nor the shared cache shows the old text.
    again = reader.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    text = again.content.decode()
    assert "555-0199" not in text
    assert "[number removed]" in text and "(edited)" in text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EDIT)
    assert (entry.actor, entry.comment_id) == (moderator, comment.pk)
    assert entry.said == "A moderator edited the text."
    assert "555-0199" not in f"{entry.details} {entry.note}"


def test_an_imported_comment_is_rendered_again_as_html(client, moderator):
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    comment = Comment.objects.filter(origin__startswith="wxr:", kind="comment").first()
    change(client, comment, body="First line\nsecond <b>line</b>\n\nAnother *paragraph*")
    comment.refresh_from_db()
    # WordPress's paragraphs, as the import made them; not Markdown.
    assert comment.body_html == (
        "<p>First line<br>\nsecond <strong>line</strong></p>\n<p>Another *paragraph*</p>"
    )


def test_changing_other_fields_leaves_the_text_and_a_decision_taken_meanwhile(
    client, moderator, article
):
    comment = post(article, "Hello")
    stale = Comment.objects.get(pk=comment.pk)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.SPAM)
    change(client, stale, author_name="Renamed")
    comment.refresh_from_db()
    assert (comment.author_name, comment.status, comment.edited_at) == (
        "Renamed", Comment.Status.SPAM, None,
    )  # fmt: skip
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EDIT).exists()


@pytest.mark.parametrize(
    ("query", "said"),
    [("", "5 comments"), ("?status__exact=pending", "3 comments"), ("?o=2", "5 comments")],
)
def test_the_comment_list_is_counted_by_the_stored_counts(client, moderator, article, query, said):
    """Every comment, or those of one status: the list's count is the stored one
    (``discussion.tally``), true, and no comment is counted for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    comments = [post(article, f"Comment {i}") for i in range(5)]
    Comment.objects.filter(pk__in=[c.pk for c in comments[:3]]).update(status="pending")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(f"/admin/discussion/comment/{query}").content.decode()
    assert said in html
    assert not [
        q
        for q in ctx.captured_queries
        if 'COUNT(*) AS "__count" FROM "discussion_comment"' in q["sql"]
    ]


def test_a_searched_comment_list_is_counted_once(client, moderator, article):
    for i in range(3):
        post(article, f"Comment {i}", author_name="Dana" if i else "Avi")
    html = client.get("/admin/discussion/comment/", {"q": "Dana"}).content.decode()
    assert "2 results" in html and "Show all" in html


def test_the_time_of_a_comments_last_decision_is_not_changed_by_the_form(
    client, moderator, article
):
    comment = post(article, "Kept as it was decided.")
    decided = comment.status_changed_at
    url = f"/admin/discussion/comment/{comment.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="status_changed_at_0"' not in page

    change(
        client,
        comment,
        status_changed_at_0="2001-01-01",
        status_changed_at_1="00:00:00",
        body="Kept as it was decided, and edited.",
    )
    comment.refresh_from_db()
    assert comment.status_changed_at == decided
    assert comment.body == "Kept as it was decided, and edited."
