"""Every change to a comment goes through these functions.

Each runs in one transaction, keeps ``Article.comment_count`` equal to the
number of comments a reader can see, and announces itself after commit.
Views, the API, the admin, commands and importers call these; nothing else
assigns a comment's status.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from broadsheet.conf import conf
from broadsheet.discussion import signals
from broadsheet.discussion.actions.counts import lock_article, recount
from broadsheet.discussion.actions.importing import (
    KEPT_ID_LIMIT,
    ImportedComment,
    attach_replies,
    decided_here,
    import_comments,
    reserve_ids,
)
from broadsheet.discussion.exceptions import CommentRefused, EditNotAllowed, RateLimited
from broadsheet.discussion.mail import Following, get_moderator_mail, get_reply_mail
from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Decision, Submission, get_policy
from broadsheet.discussion.reasons import edited_note
from broadsheet.markup import render_comment
from broadsheet.newsroom.models import Article

Status = Comment.Status


@dataclass
class Posted:
    comment: Comment
    edit_token: str
    decision: Decision
    # What came of the author's wish to be e-mailed about replies (OFF: none made).
    following: Following = Following.OFF


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _raise_for_refusal(decision: Decision) -> None:
    for verdict in decision.verdicts:
        if verdict.action == "throttle":
            raise RateLimited(verdict.reason, verdict.retry_after or 60)
        if verdict.action == "refuse":
            raise CommentRefused(
                verdict.reason, verdict.check, verdict.field, retry_after=verdict.retry_after
            )


def post_comment(submission: Submission) -> Posted:
    """Judge and store a new comment. Raises CommentRefused or RateLimited, and
    Article.DoesNotExist when the article was deleted meanwhile."""
    decision = get_policy().decide(submission)
    try:
        return _store(submission, decision)
    except BaseException:
        # Refused, or the database failed before the comment was stored: what judging
        # reserved for it (the duplicate check's fingerprint) is given back, so that a
        # second try is judged as the first was.
        decision.give_back()
        raise


def _store(submission: Submission, decision: Decision) -> Posted:
    _raise_for_refusal(decision)
    token = secrets.token_urlsafe(32)
    # Rendered before the transaction: on SQLite every writer waits while it is open.
    body_html = render_comment(submission.body)
    parent = submission.parent
    now = timezone.now()
    following = Following.OFF
    with transaction.atomic():
        # Stored once this commits: nothing to give back then, even should a receiver
        # of the signals below fail.
        transaction.on_commit(decision.reserved.clear)
        if not lock_article(submission.article.pk):
            # Deleted by an editor while the comment was read and judged.
            raise Article.DoesNotExist("The article was deleted as the comment was posted.")
        comment = Comment(
            article=submission.article,
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
            thread_id=parent.thread_id if parent else None,
            thread_key=parent.thread_key if parent else now,
            status=decision.status,
            author_name=submission.author_name,
            author_email=submission.author_email,
            author_url=submission.author_url,
            user=submission.user if getattr(submission.user, "is_authenticated", False) else None,
            ip_address=submission.ip_address,
            user_agent=submission.user_agent[:500],
            body=submission.body,
            body_html=body_html,
            created_at=now,
            status_changed_at=now,
            edit_token_hash=hash_token(token),
            score=decision.score,
            reasons=decision.reasons,
        )
        comment.save()
        if parent is None:
            comment.thread_id = comment.pk
            Comment.objects.filter(pk=comment.pk).update(thread_id=comment.pk)
        recount(submission.article.pk)
        # In this transaction: the wish and the notice are kept if and only if the comment is.
        if submission.notify_replies:
            following = get_reply_mail().follow(comment)
        if comment.status == Status.APPROVED:
            get_reply_mail().shown(comment)
        elif comment.status == Status.PENDING and submission.channel != "import":
            get_moderator_mail().waiting(comment, "held")
        transaction.on_commit(
            lambda: signals.comment_posted.send(Comment, comment=comment, decision=decision)
        )
    return Posted(comment=comment, edit_token=token, decision=decision, following=following)


def change_status(comment: Comment, new_status: str, *, actor: Any = None) -> str:
    """Move a comment to ``new_status``; returns the status it had.

    The caller (moderation's actions, importers) writes its own audit record.
    """
    if new_status not in Status.values:
        raise ValueError(f"unknown status {new_status!r}")
    with transaction.atomic():
        lock_article(comment.article_id)
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        old_status = current.status
        if old_status != new_status:
            current.status = new_status
            current.status_changed_at = timezone.now()
            changed = ["status", "status_changed_at"]
            if current.featured_at is not None:
                # Taken down, it leaves the editors' picks for good: published again
                # (an undo, say), it waits to be picked again.
                current.featured_at = None
                changed.append("featured_at")
            current.save(update_fields=changed)
            recount(comment.article_id)
            if new_status == Status.APPROVED:
                get_reply_mail().shown(current)
            transaction.on_commit(
                lambda: signals.comment_status_changed.send(
                    Comment,
                    comment=current,
                    old_status=old_status,
                    new_status=new_status,
                    actor=actor,
                )
            )
    comment.status = new_status
    comment.status_changed_at = current.status_changed_at
    comment.featured_at = current.featured_at
    return old_status


# The most comments an article shows as its editors' picks.
FEATURED_MAX = 5


def set_featured(comment: Comment, featured: bool) -> bool:
    """Put a published comment among its article's editors' picks, or take it off; the
    article's page is drawn anew. Returns whether anything changed; ``ValueError``
    saying why a comment cannot be picked. The caller writes the audit record."""
    with transaction.atomic():
        lock_article(comment.article_id)
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if featured == (current.featured_at is not None):
            return False
        if featured and current.status != Status.APPROVED:
            raise ValueError(_("Only a published comment can be featured."))
        picked = Comment.objects.filter(
            article_id=comment.article_id, status=Status.APPROVED, featured_at__isnull=False
        )
        if featured and picked.count() >= FEATURED_MAX:
            raise ValueError(
                _("This story already has %(count)s editors' picks: stop featuring one first.")
                % {"count": FEATURED_MAX}
            )
        current.featured_at = timezone.now() if featured else None
        current.save(update_fields=["featured_at"])
        # The article's changed_at, which its page's ETag and cache key hold.
        recount(comment.article_id)
    comment.featured_at = current.featured_at
    return True


def check_edit_token(comment: Comment, token: str | None) -> None:
    """Raise EditNotAllowed unless ``token`` is the comment's and the window is open."""
    if not token or not comment.edit_token_hash:
        raise EditNotAllowed(_("A valid edit token is required."), code="token")
    if not hmac.compare_digest(hash_token(token), comment.edit_token_hash):
        raise EditNotAllowed(_("This token does not belong to this comment."), code="token")
    if comment.status in (Status.REJECTED, Status.DELETED):
        raise EditNotAllowed(_("This comment has been removed and can no longer be changed."))
    if not comment.is_editable():
        raise EditNotAllowed(_("The time for editing this comment has passed."))


def edit_comment(comment: Comment, body: str, *, token: str | None) -> Comment:
    """The author's own edit, within the edit window. The new text is judged again."""
    check_edit_token(comment, token)
    decision = get_policy().decide(
        Submission(
            article=comment.article,
            body=body,
            author_name=comment.author_name,
            author_email=comment.author_email,
            author_url=comment.author_url,
            parent=comment.parent,
            ip_address=comment.ip_address,
            channel="edit",
            editing=comment,
        )
    )
    _raise_for_refusal(decision)

    def judged(current: Comment) -> list[str]:
        # Moderators read the new text: the score and reasons shown are the new text's,
        # and for a comment the edit cannot publish, why it waits all the same.
        # Why it was held or filed as spam stays in view too: the edit may have taken
        # out what caught it. A second edit keeps the first's note (the first reasons).
        reasons = list(decision.reasons)
        if current.status != Status.APPROVED:
            earlier = next((r for r in current.reasons if r.get("check") == "edited"), None)
            if earlier is None:
                earlier = edited_note(current.reasons)
            reasons.append(earlier)
        current.reasons = reasons
        current.score = decision.score
        fields = ["reasons", "score"]
        # An edit can lose a comment its approval (a link added to spam), never gain it.
        if current.status == Status.APPROVED and decision.status != Status.APPROVED:
            current.status = decision.status
            fields.append("status")
            if current.status == Status.PENDING:
                # Saved by _rewrite right after this, in the same transaction.
                get_moderator_mail().waiting(current, "held")
        return fields

    return _rewrite(comment, body, also=judged)


def edit_as_moderator(comment: Comment, body: str, *, actor: Any = None) -> Comment:
    """A moderator's edit of the text (a phone number taken out, say): stored and shown at
    once, marked edited as an author's edit is, and neither judged again nor moved: its
    status, score, thread and the article's count stay as they are. The caller
    (moderation's actions) writes the audit record."""
    return _rewrite(comment, body, actor=actor)


def _rewrite(
    comment: Comment,
    body: str,
    *,
    actor: Any = None,
    also: Callable[[Comment], list[str]] | None = None,
) -> Comment:
    """Store ``body`` as the comment's text, rendered in the comment's own format, and
    mark it edited; ``also`` changes more of the locked row and names the fields it set."""
    with transaction.atomic():
        lock_article(comment.article_id)
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        current.body = body
        current.body_html = render_body(current, body)
        current.edited_at = timezone.now()
        fields = ["body", "body_html", "edited_at"]
        if also is not None:
            fields += also(current)
        current.save(update_fields=fields)
        # Also bumps the article's changed_at, which its page's ETag and cache key hold.
        recount(comment.article_id)
        transaction.on_commit(
            lambda: signals.comment_edited.send(Comment, comment=current, actor=actor)
        )
    return current


def render_body(comment: Comment, body: str) -> str:
    """``body`` as the comment's page shows it: Markdown rendered, or the HTML of a
    comment imported as HTML formatted as its import formatted it (by the function
    ``BROADSHEET_COMMENT_HTML_RENDERER`` names: discussion does not import the importers)."""
    if comment.body_is_html:
        return import_string(conf.COMMENT_HTML_RENDERER)(body)
    return render_comment(body)


def delete_own_comment(comment: Comment, *, token: str | None) -> None:
    check_edit_token(comment, token)
    change_status(comment, Status.DELETED)


__all__ = [
    "KEPT_ID_LIMIT", "ImportedComment", "Posted", "attach_replies", "change_status",
    "check_edit_token", "decided_here", "delete_own_comment", "edit_as_moderator",
    "edit_comment", "hash_token", "import_comments", "post_comment", "recount", "render_body",
    "reserve_ids",
]  # fmt: skip
