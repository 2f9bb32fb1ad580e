from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.discussion import actions
from broadsheet.discussion.exceptions import CommentRefused, EditNotAllowed
from broadsheet.discussion.models import Comment
from broadsheet.discussion.quoting import quote_markdown
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, SiteSettings
from tests.conftest import make_article, post

pytestmark = pytest.mark.django_db


def refresh(article: Article) -> Article:
    return Article.objects.get(pk=article.pk)


def test_posted_comment_is_approved_and_counted(article):
    comment = post(article, "Hello there")
    assert comment.status == Comment.Status.APPROVED
    assert comment.thread_id == comment.pk
    assert comment.depth == 0
    assert refresh(article).comment_count == 1


def test_reply_joins_its_parents_thread(article):
    root = post(article, "root")
    child = post(article, "child", parent=root)
    grandchild = post(article, "grandchild", parent=child)
    assert (child.thread_id, child.depth) == (root.pk, 1)
    assert (grandchild.thread_id, grandchild.depth) == (root.pk, 2)
    assert grandchild.thread_key == root.thread_key


def test_hold_policy_keeps_comment_pending_and_uncounted(article, site):
    site.comment_policy = SiteSettings.CommentPolicy.HOLD
    site.save()
    comment = post(article, "Wait for me")
    assert comment.status == Comment.Status.PENDING
    assert refresh(article).comment_count == 0
    assert comment.reasons and comment.reasons[0]["check"] == "hold_all"


def test_closed_article_refuses_comments(article):
    newsroom_actions.set_comments_open(article, False)
    with pytest.raises(CommentRefused):
        post(article, "too late")
    assert Comment.objects.count() == 0


def test_comments_close_automatically_after_the_site_setting(site):
    site.close_comments_after_days = 3
    site.save()
    old = make_article(published_at=timezone.now() - timedelta(days=4))
    fresh = make_article(published_at=timezone.now() - timedelta(days=2))
    with pytest.raises(CommentRefused):
        post(old, "closed by age")
    assert post(fresh, "still open").status == Comment.Status.APPROVED


def test_honeypot_marks_spam_without_counting(article):
    comment = post(article, "buy now", honeypot="http://spam.example")
    assert comment.status == Comment.Status.SPAM
    assert refresh(article).comment_count == 0


def test_fast_posting_is_spam(article, settings):
    settings.BROADSHEET_MIN_SECONDS_TO_POST = 3
    assert post(article, "bot", elapsed_seconds=0.5).status == Comment.Status.SPAM
    assert post(article, "human", elapsed_seconds=30).status == Comment.Status.APPROVED


def test_change_status_keeps_count_true(article):
    a = post(article, "a")
    post(article, "b")
    actions.change_status(a, Comment.Status.REJECTED)
    assert refresh(article).comment_count == 1
    actions.change_status(a, Comment.Status.APPROVED)
    assert refresh(article).comment_count == 2


def test_change_status_refuses_unknown_status(article):
    comment = post(article)
    with pytest.raises(ValueError):
        actions.change_status(comment, "vanished")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.APPROVED


def test_author_can_edit_within_window(article):
    comment = post(article, "tpyo")
    edited = actions.edit_comment(comment, "typo", token=comment._token)
    assert edited.body == "typo"
    assert edited.body_html == "<p>typo</p>\n"
    assert edited.edited_at is not None


def test_edit_with_wrong_token_is_refused(article):
    comment = post(article, "mine")
    with pytest.raises(EditNotAllowed):
        actions.edit_comment(comment, "theirs", token="not-the-token")
    assert Comment.objects.get(pk=comment.pk).body == "mine"


def test_edit_after_window_is_refused(article, settings):
    comment = post(article, "old words")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    comment.refresh_from_db()
    with pytest.raises(EditNotAllowed, match="passed"):
        actions.edit_comment(comment, "new words", token=comment._token)


def test_edit_window_is_a_setting(article, settings):
    settings.BROADSHEET_COMMENT_EDIT_WINDOW_MINUTES = 60
    comment = post(article, "old words")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    comment.refresh_from_db()
    assert actions.edit_comment(comment, "new", token=comment._token).body == "new"


def test_author_delete_hides_and_uncounts(article):
    comment = post(article, "regret")
    actions.delete_own_comment(comment, token=comment._token)
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.DELETED
    assert refresh(article).comment_count == 0


def test_comment_markdown_is_sanitized_and_links_are_nofollow(article):
    comment = post(article, "<script>alert(1)</script> [site](https://example.org)")
    assert "<script>" not in comment.body_html
    assert 'rel="nofollow ugc noopener"' in comment.body_html
    assert comment.body == "<script>alert(1)</script> [site](https://example.org)"


def test_a_pasted_web_address_becomes_a_link_and_look_alikes_stay_text(article):
    comment = post(article, "See https://example.org/a?b=1&c=2, README.md and me@example.org")
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.org/a?b=1&amp;c=2</a>, README.md and me@example.org" in comment.body_html
    )
    code = post(article, "`https://example.org/in-code` javascript:alert(1)")
    assert "<a" not in code.body_html


def test_a_name_quoted_stays_a_name(article):
    # A name written as Markdown must not turn the quote's link into another one.
    quoted = post(article, "Log in here.", author_name="Dana\\](https://evil.example/login)")
    reply = post(article, quote_markdown(quoted) + "\n\nNo thanks.")
    links = re.findall(r'<a href="([^"]*)"', reply.body_html)
    assert links == [f"/c/{quoted.pk}"]
    assert "Dana\\](https://evil.example/login) wrote:</a>" in reply.body_html
