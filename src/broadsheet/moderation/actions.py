"""Moderator verbs: each changes a comment's status and writes an audit record."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.models import Comment
from broadsheet.moderation.models import AuditEntry

_TARGET = {
    AuditEntry.Action.APPROVE: Comment.Status.APPROVED,
    AuditEntry.Action.REJECT: Comment.Status.REJECTED,
    AuditEntry.Action.SPAM: Comment.Status.SPAM,
    AuditEntry.Action.DELETE: Comment.Status.DELETED,
    AuditEntry.Action.RESTORE: Comment.Status.APPROVED,
}


def moderate(comment: Comment, action: str, *, actor: Any, note: str = "") -> AuditEntry:
    """Apply a moderator's decision (approve, reject, spam, delete, restore)."""
    action = AuditEntry.Action(action)
    if action not in _TARGET:
        raise ValueError(f"{action} is not a moderation decision")
    with transaction.atomic():
        old = discussion_actions.change_status(comment, _TARGET[action], actor=actor)
        return AuditEntry.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            comment=comment,
            action=action,
            from_status=old,
            to_status=_TARGET[action],
            note=note,
        )


def approve(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, AuditEntry.Action.APPROVE, actor=actor)


def reject(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, AuditEntry.Action.REJECT, actor=actor)


def mark_spam(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, AuditEntry.Action.SPAM, actor=actor)


def delete(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, AuditEntry.Action.DELETE, actor=actor)


def restore(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, AuditEntry.Action.RESTORE, actor=actor)
