from __future__ import annotations

from django.conf import settings
from django.db import models

from broadsheet.discussion.models import Comment


class AuditEntry(models.Model):
    """One moderator action. Append-only: never updated or deleted by the application."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        SPAM = "spam", "Marked as spam"
        DELETE = "delete", "Deleted"
        RESTORE = "restore", "Restored"
        UNDO = "undo", "Undone"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            # The audit log page, newest first.
            models.Index(fields=["-created_at"], name="audit_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} #{self.comment_id}"
