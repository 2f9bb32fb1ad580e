"""The discussion actions importers store comments through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.discussion import actions
from broadsheet.discussion.actions import ImportedComment
from broadsheet.discussion.models import Comment

T0 = datetime(2020, 1, 1, 12, tzinfo=UTC)


def record(article, n: int, status: str = "approved", **fields) -> ImportedComment:
    return ImportedComment(
        article_id=article.pk, author_name=f"Author {n}", body=f"Body {n}",
        body_html=f"<p>Body {n}</p>", created_at=T0 + timedelta(minutes=n), status=status,
        origin=f"test#{n}", **fields,
    )  # fmt: skip


def test_parents_later_in_the_list_and_counts(article):
    root = record(article, 1)
    child = record(article, 2, parent=root)
    grandchild = record(article, 3, status="pending", parent=child)
    stored = actions.import_comments([grandchild, child, root])
    assert len(stored) == 3
    assert (grandchild.comment.depth, grandchild.comment.thread_id) == (2, root.comment.pk)
    assert grandchild.comment.thread_key == root.comment.created_at == T0 + timedelta(minutes=1)
    assert Comment.objects.get(pk=root.comment.pk).thread_id == root.comment.pk
    article.refresh_from_db()
    assert article.comment_count == 2


def test_reply_to_a_stored_comment_and_an_update(article):
    (first,) = actions.import_comments([record(article, 1)])
    reply = record(article, 2, parent_id=first.pk)
    changed = record(article, 1, status="spam", existing_id=first.pk)
    actions.import_comments([reply, changed])
    assert reply.comment.parent_id == first.pk and reply.comment.depth == 1
    first.refresh_from_db()
    assert first.status == "spam"
    article.refresh_from_db()
    assert article.comment_count == 1


def test_a_circle_of_parents_is_refused(article):
    a = record(article, 1)
    b = record(article, 2, parent=a)
    a.parent = b
    with pytest.raises(ValueError, match="cycle"):
        actions.import_comments([a, b])


def test_attach_replies_rethreads_and_cuts_circles(article):
    a, b, c = actions.import_comments([record(article, n) for n in (1, 2, 3)])
    broken = actions.attach_replies({b.pk: a.pk, c.pk: b.pk})
    assert broken == []
    c.refresh_from_db()
    assert (c.parent_id, c.thread_id, c.depth, c.thread_key) == (b.pk, a.pk, 2, a.created_at)
    broken = actions.attach_replies({a.pk: c.pk})  # a -> c -> b -> a
    assert len(broken) == 1
    rows = {x.pk: x for x in Comment.objects.filter(article=article)}
    roots = [x for x in rows.values() if x.parent_id is None]
    assert len(roots) == 1 and roots[0].depth == 0
