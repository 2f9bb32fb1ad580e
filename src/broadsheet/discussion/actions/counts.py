"""The count every change keeps true: an article's comments a reader can see."""

from __future__ import annotations

from django.utils import timezone

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article


def recount(article_id: int) -> int:
    """Store the article's visible-comment count. Call inside the changing transaction."""
    count = Comment.objects.filter(article_id=article_id).visible().count()
    Article.objects.filter(pk=article_id).update(comment_count=count, changed_at=timezone.now())
    return count


def lock_article(article_id: int) -> bool:
    """Lock the article's row, and say whether it is still there (an editor may have
    deleted it since the caller read it). Serialises count updates per article: two
    approvals at once both see the other's row when they recount."""
    locked = Article.objects.select_for_update().filter(pk=article_id).values_list("pk")
    return locked.first() is not None
