from __future__ import annotations

from django.db import models


class CommentQuerySet(models.QuerySet):
    def visible(self) -> CommentQuerySet:
        """What every reader sees: approved comments. Counts are of exactly these."""
        return self.filter(status=self.model.Status.APPROVED)

    def known_to_disqus_as(self, post_id: str) -> CommentQuerySet:
        """The comment Disqus knew as post ``post_id``: imported from Disqus, or a
        WordPress comment that Disqus's plugin copied."""
        alias = disqus_alias(post_id)
        if not alias:
            return self.none()
        return self.filter(
            models.Q(alias=alias)
            | models.Q(origin__startswith="disqus:", origin__endswith=f"#{post_id.strip()}")
        )

    def pending(self) -> CommentQuerySet:
        return self.filter(status=self.model.Status.PENDING)

    def spam(self) -> CommentQuerySet:
        return self.filter(status=self.model.Status.SPAM)

    def in_thread_order(self, newest_first: bool = False) -> CommentQuerySet:
        threads = ("-thread_key", "-thread_id") if newest_first else ("thread_key", "thread_id")
        return self.order_by(*threads, "created_at", "id")


def disqus_alias(post_id: str) -> str:
    """The key of a comment copied to or from Disqus post ``post_id`` (``Comment.alias``):
    Disqus's post ids are the same in every forum."""
    post_id = post_id.strip()
    return f"disqus-post:{post_id}" if post_id.isascii() and post_id.isdigit() else ""
