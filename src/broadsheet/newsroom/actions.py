"""Editorial state changes: saving, publishing and scheduling articles."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from broadsheet.markup import render_article
from broadsheet.newsroom.models import Article


def save_article(article: Article, *, actor=None) -> Article:
    """Render the body once, here, so that pages only assemble stored HTML."""
    article.body_html = render_article(article.body)
    if article.status != Article.Status.DRAFT and article.published_at is None:
        article.published_at = timezone.now()
    if article.status == Article.Status.PUBLISHED and article.published_at > timezone.now():
        article.status = Article.Status.SCHEDULED
    article.changed_at = timezone.now()
    with transaction.atomic():
        article.save()
    return article


def publish(article: Article, *, actor=None, at: datetime | None = None) -> Article:
    """Publish now, or schedule for ``at`` (the article appears by itself then)."""
    now = timezone.now()
    article.published_at = at or article.published_at or now
    if article.published_at > now:
        article.status = Article.Status.SCHEDULED
    else:
        article.status = Article.Status.PUBLISHED
    return save_article(article, actor=actor)


def unpublish(article: Article, *, actor=None) -> Article:
    article.status = Article.Status.DRAFT
    return save_article(article, actor=actor)


def set_comments_open(article: Article, is_open: bool, *, actor=None) -> Article:
    article.comments_open = is_open
    article.changed_at = timezone.now()
    article.save(update_fields=["comments_open", "changed_at", "updated_at"])
    return article
