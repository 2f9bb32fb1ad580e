"""The site's feeds: its latest articles (of a section, tag or byline too), the
latest comments on one article, and the latest comments on all of them.

A feed lists what any reader can see, newest first, ``FEED_ITEMS`` a page (the
older ones on further pages, ``broadsheet.feeds.paging``): live articles only
(never a draft, nor a scheduled article before its time), and of those the listed
ones (not a page that stands on its own, ``ArticleQuerySet.listed``), and approved
comments only, of live articles, pages too (a closed discussion's too).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from broadsheet.conf import conf
from broadsheet.discussion import pagecache
from broadsheet.discussion.models import Comment
from broadsheet.discussion.querysets import CommentQuerySet
from broadsheet.feeds import paging
from broadsheet.feeds.serving import CachedFeed, Entry, Subject, row_values
from broadsheet.markup import absolute_links, isolated, web_url
from broadsheet.newsroom.middleware import sets_site_language, use_site_language
from broadsheet.newsroom.models import Article, Author, Section, Tag
from broadsheet.newsroom.querysets import ArticleQuerySet
from broadsheet.newsroom.views import Filed, filed


@dataclass
class Listing(Subject):
    """The site's articles, or those filed under ``filed``."""

    filed: Section | Tag | Author | None = None


class ArticlesFeed(CachedFeed):
    """The site's latest articles: ``/feed/``."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return Listing(request)

    def articles(self, listing: Listing) -> ArticleQuerySet:
        return Article.objects.all()

    def _page(self, listing: Listing, rows: QuerySet[Article, Any]) -> QuerySet[Article, Any]:
        return paging.window(
            rows,
            listing.cursor,
            key="published_at",
            size=conf.FEED_ITEMS,
            scope=Article.objects.all(),
        )

    def stamp(self, listing: Listing) -> list[Any]:
        # An article's changed_at moves when it, its byline, section or tags change.
        listed = self.articles(listing).listed()
        page = self._page(listing, listed.values_list("pk", "changed_at"))
        return [*row_values(listing.site), *row_values(listing.filed), *page]

    def title(self, listing: Listing) -> str:
        return listing.site.site_name

    def subtitle(self, listing: Listing) -> str | None:
        return listing.site.tagline or None

    def link(self, listing: Listing) -> str:
        return reverse("newsroom:front")

    def read_page(self, listing: Listing) -> paging.Page:
        articles = self.articles(listing).listed().select_related("author", "section")
        rows = self._page(listing, articles.prefetch_related("tags"))
        return paging.Page.of(rows, listing.cursor, conf.FEED_ITEMS)

    def entry(self, article: Article, listing: Listing) -> Entry:
        return _article_entry(article, listing)


class FiledFeed(ArticlesFeed, Generic[Filed]):
    """The latest articles of one section, tag or byline: ``/section/<slug>/feed/``..."""

    def __init__(self, model: type[Filed], field: str, about: str = "") -> None:
        self.model: type[Filed] = model
        self.field = field  # Article's field that files it
        self.about = about  # the model's field said under the feed's title

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        found = filed(request, self.model, kwargs["slug"], then="feed/")
        return found if isinstance(found, HttpResponse) else Listing(request, found)

    def articles(self, listing: Listing) -> ArticleQuerySet:
        return Article.objects.filter(**{self.field: listing.filed})

    def title(self, listing: Listing) -> str:
        return f"{listing.site.site_name}: {listing.filed}"

    def subtitle(self, listing: Listing) -> str | None:
        return getattr(listing.filed, self.about, "") or None if self.about else None

    def link(self, listing: Listing) -> str:
        assert listing.filed is not None
        return listing.filed.get_absolute_url()


def _article_entry(article: Article, listing: Listing) -> Entry:
    assert article.published_at is not None  # live
    link = listing.absolute(article.get_absolute_url())
    content = absolute_links(article.body_html, link)
    extra: dict[str, Any] = {
        "replies": (
            listing.absolute(reverse("feeds:discussion", args=[article.slug])),
            article.comment_count,
        )
    }
    if article.source_name:
        # Said as the article page says it.
        outlet = article.source_name
        if article.source_link:
            outlet = format_html('<a href="{}">{}</a>', article.source_link, outlet)
            extra["via"] = (article.source_link, article.source_name)
        content += format_html('<p class="source">Originally published by {}.</p>', outlet)
    author = article.author
    return Entry(
        title=article.title,
        link=link,
        id=listing.tag_uri("article", article.pk, article.created_at),
        published=article.published_at,
        updated=max(article.published_at, article.updated_at),
        content=content,
        author_name=author.name if author else None,
        author_link=listing.absolute(author.get_absolute_url()) if author else None,
        summary=escape(article.summary) if article.summary else None,
        categories=(
            *([article.section.name] if article.section else []),
            *(tag.name for tag in article.tags.all()),
        ),
        extra=extra,
    )


@dataclass
class Discussion(Subject):
    """The comments of one live article (the one ``page`` stamps), or of all of them."""

    page: pagecache.Stamp | None = None

    @cached_property
    def article(self) -> Article:
        assert self.page is not None
        return Article.objects.live().get(pk=self.page.article_pk)

    def comments(self) -> CommentQuerySet:
        shown = Comment.objects.visible()
        if self.page is None:
            return shown.filter(article__in=Article.objects.live())
        return shown.filter(article_id=self.page.article_pk)

    def window(self, rows: QuerySet[Comment, Any]) -> QuerySet[Comment, Any]:
        """``rows`` (some of ``comments()``) on the page asked for: by time, in the
        index of an article's comments (or of all comments) by status and time."""
        scope = Comment.objects.all()
        if self.page is not None:
            # A page of one article's feed is named by one of its comments.
            scope = scope.filter(article_id=self.page.article_pk)
        return paging.window(rows, self.cursor, key="created_at", size=conf.FEED_ITEMS, scope=scope)

    def paged(self, rows: QuerySet[Comment, Any]) -> paging.Page:
        return paging.Page.of(self.window(rows), self.cursor, conf.FEED_ITEMS)


@sets_site_language  # from the article page's stamp, as that page does
class DiscussionFeed(CachedFeed):
    """The latest comments on one article: ``/article/<slug>/feed/``. A former slug
    of the article redirects here (``LegacyRedirectMiddleware``), as its page does."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # The article page's own stamp: the live article's changed_at and the site's
        # settings, in one query.
        page = pagecache.stamp(kwargs["slug"])
        if page is None:
            raise Http404("No such article.")
        use_site_language(request, page.language)
        return Discussion(request, page=page)

    def stamp(self, discussion: Discussion) -> list[Any]:
        assert discussion.page is not None
        return [discussion.page.article_pk, *discussion.page.values]

    def title(self, discussion: Discussion) -> str:
        return _("Comments on “%(title)s”") % {"title": discussion.article.title}

    def link(self, discussion: Discussion) -> str:
        return discussion.article.get_absolute_url() + "#comments"

    def read_page(self, discussion: Discussion) -> paging.Page:
        return discussion.paged(discussion.comments().select_related("parent"))

    def entry(self, comment: Comment, discussion: Discussion) -> Entry:
        title = _("Comment by %(name)s") % {"name": isolated(comment.author_name)}
        return _comment_entry(comment, discussion, title)


class CommentsFeed(CachedFeed):
    """The latest comments on every article: ``/comments/feed/``."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return Discussion(request)

    def stamp(self, discussion: Discussion) -> list[Any]:
        # A comment's article moves its changed_at whenever the comment changes.
        page = discussion.window(discussion.comments().values_list("pk", "article__changed_at"))
        return [*row_values(discussion.site), *page]

    def title(self, discussion: Discussion) -> str:
        return _("%(site)s: latest comments") % {"site": discussion.site.site_name}

    def link(self, discussion: Discussion) -> str:
        return reverse("newsroom:front")

    def read_page(self, discussion: Discussion) -> paging.Page:
        return discussion.paged(discussion.comments().select_related("article", "parent"))

    def entry(self, comment: Comment, discussion: Discussion) -> Entry:
        title = _("%(name)s on “%(title)s”") % {
            "name": isolated(comment.author_name),
            "title": comment.article.title,
        }
        return _comment_entry(comment, discussion, title)


def _comment_entry(comment: Comment, discussion: Discussion, title: str) -> Entry:
    link = discussion.absolute(comment.get_absolute_url())
    content = absolute_links(comment.body_html, link)
    extra: dict[str, Any] = {}
    parent = comment.parent
    if parent is not None and parent.is_visible:
        answered = discussion.absolute(parent.get_absolute_url())
        content = (
            format_html('<p>In reply to <a href="{}">{}</a>:</p>', answered, parent.author_name)
            + content
        )
        extra["in_reply_to"] = (
            discussion.tag_uri("comment", parent.pk, parent.created_at),
            answered,
        )
    return Entry(
        title=title,
        link=link,
        id=discussion.tag_uri("comment", comment.pk, comment.created_at),
        published=comment.created_at,
        updated=comment.edited_at or comment.created_at,
        content=content,
        author_name=comment.author_name,
        author_link=web_url(comment.author_url) or None,
        extra=extra,
    )
