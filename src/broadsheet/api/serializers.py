"""The shapes the API sends. Field names are a contract (DESIGN.md, docs/api.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from broadsheet.discussion.models import Comment
from broadsheet.newsroom.indexing import plain_text
from broadsheet.newsroom.models import Article, SiteSettings
from broadsheet.search.excerpts import Highlighter

# What a public comment needs from its row; the page query loads only these.
COMMENT_FIELDS = (
    "id", "parent_id", "author_name", "author_url", "body", "body_html", "created_at", "edited_at",
    "featured_at",
)  # fmt: skip


def article_data(request: HttpRequest, article: Article, *, site: SiteSettings) -> dict[str, Any]:
    return {
        "slug": article.slug,
        "title": article.title,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "published_at": article.published_at,
        "comment_count": article.comment_count,
        "comments_open": article.accepts_comments(site),
        "comments_held": article.holds_every_comment(site),
    }


def search_result(
    request: HttpRequest, article: Article, *, site: SiteSettings, highlighter: Highlighter
) -> dict[str, Any]:
    """An article a search found: its fields, and the words of its body around those
    found, as plain text (its summary when only the headline, summary or names hold
    them)."""
    parts = highlighter.excerpt(plain_text(article.body_html))
    excerpt = "".join(text for text, _match in parts) if parts else article.summary
    return article_data(request, article, site=site) | {"excerpt": excerpt}


def comment_data(request: HttpRequest, comment: Comment) -> dict[str, Any]:
    """A comment as every reader may see it."""
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author_name": comment.author_name,
        "author_url": comment.author_url,
        "body": comment.body,
        "body_html": comment.body_html,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "featured": comment.featured_at is not None,
        "url": request.build_absolute_uri(comment.get_absolute_url()),
    }


def own_comment_data(
    request: HttpRequest, comment: Comment, *, edit_token: str | None = None
) -> dict[str, Any]:
    """A comment as its author sees it: with its status and, once, its edit token."""
    data: dict[str, Any] = {"id": comment.pk, "status": public_status(comment)}
    if edit_token is not None:
        data["edit_token"] = edit_token
    data["editable_until"] = comment.editable_until
    return data | comment_data(request, comment)


def public_status(comment: Comment) -> str:
    # A comment held as spam is reported as pending: telling a spammer that the
    # filter caught them would teach them how to get past it.
    return "approved" if comment.status == Comment.Status.APPROVED else "pending"
