"""Moderator verbs: audit log, undo, reports, blocks, and counts that stay true."""

from __future__ import annotations

import pytest
from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.moderation import actions
from broadsheet.moderation.models import AuditEntry, Block, Report
from tests.conftest import post

pytestmark = pytest.mark.django_db
Status = Comment.Status
Action = AuditEntry.Action


def count(article) -> int:
    article.refresh_from_db()
    return article.comment_count


def test_every_decision_is_audited_with_who_what_and_the_statuses(article, moderator):
    comment = post(article, "Hello")
    actions.reject(comment, actor=moderator)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.comment, entry.action) == (moderator, comment, Action.REJECT)
    assert (entry.from_status, entry.to_status) == (Status.APPROVED, Status.REJECTED)
    assert entry.created_at is not None


def test_moderate_keeps_its_signature_and_the_count_true(article, moderator):
    comment = post(article, "Hello")
    assert count(article) == 1
    entry = actions.moderate(comment, "spam", actor=moderator, note="obvious")
    assert entry.note == "obvious"
    assert count(article) == 0
    actions.restore(comment, actor=moderator)
    assert count(article) == 1
    actions.delete(comment, actor=moderator)
    assert count(article) == 0


def test_moderate_refuses_what_is_not_a_decision(article, moderator):
    with pytest.raises(ValueError):
        actions.moderate(post(article), "undo", actor=moderator)


def test_bulk_decision_is_one_audit_entry_per_comment(article, moderator):
    comments = [post(article, f"c {n}") for n in range(3)]
    actions.moderate_many(comments, "spam", actor=moderator)
    assert AuditEntry.objects.filter(action=Action.SPAM).count() == 3
    assert count(article) == 0
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.SPAM}


def test_undo_puts_the_comment_back_and_is_itself_audited(article, moderator):
    comment = post(article, "Hello")
    entry = actions.mark_spam(comment, actor=moderator)
    undo = actions.undo(entry, actor=moderator)
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert count(article) == 1
    assert (undo.action, undo.reverts, undo.from_status, undo.to_status) == (
        Action.UNDO,
        entry,
        Status.SPAM,
        Status.APPROVED,
    )
    with pytest.raises(ValueError, match="already undone"):
        actions.undo(entry, actor=moderator)


def test_last_undoable_is_the_moderators_own_latest_not_yet_undone(article, moderator):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user("other", is_staff=True)
    a, b = post(article, "a"), post(article, "b")
    first = actions.reject(a, actor=moderator)
    actions.reject(b, actor=other)
    assert actions.last_undoable(moderator) == first
    actions.undo(first, actor=moderator)
    assert actions.last_undoable(moderator) is None
    # A decision someone else has overridden since is passed over.
    c = post(article, "c")
    earlier = actions.reject(c, actor=moderator)
    actions.approve(b, actor=moderator)
    actions.mark_spam(b, actor=other)
    assert actions.last_undoable(moderator) == earlier


def test_audit_log_is_append_only_in_the_admin(admin_client, article, moderator):
    actions.reject(post(article), actor=moderator)
    entry = AuditEntry.objects.get()
    url = f"/admin/moderation/auditentry/{entry.pk}/delete/"
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_comment_admin_cannot_move_or_delete_a_comment(admin_client, article):
    from broadsheet.newsroom.models import Article
    from tests.conftest import make_article

    comment = post(article, "Stays where it was posted")
    other = make_article(title="Another", slug="another")
    assert Article.objects.get(pk=article.pk).comment_count == 1
    url = f"/admin/discussion/comment/{comment.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    assert not {"article", "parent", "thread", "thread_key", "depth"} & set(form.fields)
    response = admin_client.post(f"/admin/discussion/comment/{comment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.article_id == article.pk != other.pk
    assert Article.objects.get(pk=article.pk).comment_count == 1


def test_a_report_reaches_the_queue_and_one_reader_counts_once(article):
    comment = post(article, "Contested")
    assert actions.report(comment, reason="abuse", reporter_key="k1") is not None
    assert actions.report(comment, reason="spam", reporter_key="k1") is None
    assert Report.objects.filter(comment=comment, status=Report.Status.OPEN).count() == 1
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_enough_reports_hide_the_comment_and_keep_the_count_true(article, rules):
    rules.reports_to_hide = 2
    rules.save()
    comment = post(article, "Contested")
    actions.report(comment, reason="abuse", reporter_key="k1")
    assert count(article) == 1
    actions.report(comment, reason="abuse", reporter_key="k2")
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert count(article) == 0
    hide = AuditEntry.objects.get(action=Action.HIDE)
    assert hide.actor is None and hide.said == "Hidden after 2 readers' reports."


def test_reports_to_hide_zero_never_hides(article, rules):
    rules.reports_to_hide = 0
    rules.save()
    comment = post(article, "Contested")
    for n in range(5):
        actions.report(comment, reason="abuse", reporter_key=f"k{n}")
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_rejecting_a_reported_comment_upholds_its_reports(article, moderator):
    comment = post(article, "Contested")
    actions.report(comment, reason="abuse", reporter_key="k1")
    actions.reject(comment, actor=moderator)
    assert Report.objects.get().status == Report.Status.UPHELD


def test_keeping_a_reported_comment_dismisses_reports_and_shows_it_again(article, rules, moderator):
    rules.reports_to_hide = 1
    rules.save()
    comment = post(article, "Contested")
    actions.report(comment, reason="abuse", reporter_key="k1")
    assert count(article) == 0
    entry = actions.dismiss_reports(comment, actor=moderator)
    assert entry.action == Action.DISMISS
    assert Report.objects.get().status == Report.Status.DISMISSED
    assert count(article) == 1
    actions.undo(entry, actor=moderator)
    assert Report.objects.get().status == Report.Status.OPEN
    assert count(article) == 0


def test_undoing_keep_on_a_shown_comment_takes_back_its_lesson(article, rules, moderator):
    from broadsheet.moderation import learned

    rules.reports_to_hide = 0  # reported, and shown all along
    rules.save()
    comment = post(article, "Contested but fine")
    actions.report(comment, reason="abuse", reporter_key="k1")
    entry = actions.dismiss_reports(comment, actor=moderator)
    assert (entry.from_status, entry.to_status) == ("approved", "approved")
    taught = learned.site_filter()
    assert taught is not None and taught.published_examples == 1
    actions.undo(entry, actor=moderator)
    learned.forget()
    untaught = learned.site_filter()
    assert untaught is not None and untaught.published_examples == 0
    assert Report.objects.get().status == Report.Status.OPEN


def test_block_and_unblock_are_audited(article, moderator):
    comment = post(article, "Troll", author_email="t@example.org", ip_address="192.0.2.5")
    blocks = actions.block_author(comment, actor=moderator, days=7, reason="abuse")
    assert {b.kind for b in blocks} == {Block.Kind.EMAIL, Block.Kind.IP}
    assert all(b.expires_at is not None for b in blocks)
    entry = AuditEntry.objects.get(action=Action.BLOCK)
    assert entry.said == "Blocked by e-mail address, IP address for 7 days. abuse"
    assert entry.note == "abuse" and entry.comment == comment
    actions.unblock(blocks[0], actor=moderator)
    assert Block.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.UNBLOCK, actor=moderator).exists()


def test_an_unblock_is_logged_against_the_comment_the_block_was_made_from(
    client, article, moderator
):
    comment = post(article, "Troll", author_name="Tom", author_email="t@example.org")
    (timed,) = actions.block_author(comment, actor=moderator, kinds=["email"], days=7)
    lifted = actions.unblock(timed, actor=moderator)
    assert lifted.comment == comment
    ends = timezone.localtime(timed.expires_at).strftime("%Y-%m-%d %H:%M")
    assert lifted.said == f"Unblocked the e-mail address of Tom (comment #{comment.pk}), " + (
        f"blocked until {ends}."
    )
    (for_good,) = actions.block_author(comment, actor=moderator, kinds=["email"])
    assert actions.unblock(for_good, actor=moderator).said.endswith(", blocked for good.")
    # The log shows the block and its lifting against the same comment, linked.
    client.force_login(moderator)
    page = client.get("/moderation/log/").content.decode()
    assert page.count(f'<a href="/moderation/{comment.pk}/">#{comment.pk}</a>') == 4
    # A block whose comment is gone since: the entry still names it, links nothing.
    (again,) = actions.block_author(comment, actor=moderator, kinds=["email"], days=1)
    Comment.objects.filter(pk=comment.pk).delete()
    gone = actions.unblock(again, actor=moderator)
    assert gone.comment is None and f"(comment #{comment.pk})" in gone.said


def test_nothing_to_block_by_is_an_error(article, moderator):
    with pytest.raises(ValueError):
        actions.block_author(post(article, "anon"), actor=moderator)


def test_keeping_a_comment_again_after_new_reports_teaches_nothing_new(article, rules, moderator):
    from broadsheet.moderation import learned

    rules.reports_to_hide = 1
    rules.save()
    comment = post(article, "Contested but fine")

    def published_examples() -> int:
        learned.forget()
        taught = learned.site_filter()
        return taught.published_examples if taught is not None else 0

    actions.report(comment, reason="abuse", reporter_key="k1")
    actions.dismiss_reports(comment, actor=moderator)
    assert published_examples() == 1
    actions.report(comment, reason="abuse", reporter_key="k2")  # hidden again
    again = actions.dismiss_reports(comment, actor=moderator)
    assert published_examples() == 1 and count(article) == 1
    # Undoing the second keep takes back nothing the first one taught.
    actions.undo(again, actor=moderator)
    assert published_examples() == 1 and count(article) == 0
    # A keep after a rejection teaches "publish" again: the lesson changed.
    actions.reject(comment, actor=moderator)
    actions.report(comment, reason="abuse", reporter_key="k3")
    actions.dismiss_reports(comment, actor=moderator)
    assert published_examples() == 2
