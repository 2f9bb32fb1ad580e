from __future__ import annotations

from django.db import models


class CommentQuerySet(models.QuerySet):
    def visible(self) -> CommentQuerySet:
        """What every reader sees: approved comments. Counts are of exactly these."""
        return self.filter(status=self.model.Status.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=self.model.Status.PENDING)

    def spam(self) -> CommentQuerySet:
        return self.filter(status=self.model.Status.SPAM)

    def in_thread_order(self, newest_first: bool = False) -> CommentQuerySet:
        threads = ("-thread_key", "-thread_id") if newest_first else ("thread_key", "thread_id")
        return self.order_by(*threads, "created_at", "id")
