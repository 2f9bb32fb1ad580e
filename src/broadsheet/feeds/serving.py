"""A feed served as the article page is: revalidated by an ETag, kept rendered.

A feed reader asks again every few minutes or hours, almost always for a document
that has not changed. So a feed's ETag is made from a stamp, a query of a row or
twenty that reads what the document is made of (its articles' or comments' ids and
``changed_at``, the site's settings), never from the document itself: a client
that holds the current copy is answered 304 after that query alone, and a client
that does not gets the copy the shared cache keeps under the ETag (the article
page's cache, ``discussion.pagecache``), rendered once.

Every change to an article or its discussion moves the article's ``changed_at``
(a comment posted, approved, edited or removed does, in the same transaction), so
a new comment is in its feeds, and a removed one gone, at the next request.

Each page of a feed (``broadsheet.feeds.paging``) is a document of its own, with
its own address, stamp and ETag, kept and revalidated as the first page is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet import release
from broadsheet.discussion import pagecache
from broadsheet.feeds.atom import AtomFeed
from broadsheet.feeds.paging import LAST, BadCursor, Cursor, Page
from broadsheet.newsroom.models import SiteSettings


@dataclass(frozen=True)
class Entry:
    """One entry of a feed, its addresses absolute."""

    title: str
    link: str
    id: str
    published: datetime
    updated: datetime
    content: str  # HTML
    author_name: str | None = None
    author_link: str | None = None
    summary: str | None = None  # HTML
    categories: tuple[str, ...] = ()
    # AtomFeed's own keys: via, replies, in_reply_to.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Subject:
    """What a feed is of, with the request it is drawn for (its host makes the
    addresses absolute)."""

    request: HttpRequest
    # The page of the feed asked for, and its rows once read (``CachedFeed.page``).
    cursor: Cursor = field(default=Cursor(), init=False)
    read: Page | None = field(default=None, init=False)

    @cached_property
    def site(self) -> SiteSettings:
        return SiteSettings.for_request(self.request)

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def tag_uri(self, kind: str, pk: int, created: datetime) -> str:
        """An entry's permanent id (RFC 4151): its address changes with its slug,
        its id must not."""
        host = urlsplit(self.absolute("/")).hostname
        return f"tag:{host},{timezone.localdate(created):%Y-%m-%d}:{kind}/{pk}"


def row_values(row: models.Model | None) -> list[Any]:
    """Every stored value of ``row`` (none for None), for a stamp."""
    if row is None:
        return []
    return [getattr(row, f.attname) for f in row._meta.concrete_fields]


class CachedFeed(Feed):
    """An Atom feed of ``Entry`` items, served from its stamp (see the module).

    A subclass's ``get_object`` returns its ``Subject``, or a response (a redirect);
    ``stamp`` the values the document of its page is made of; ``read_page`` the
    page's rows, and ``entry`` the entry of each.
    """

    feed_type = AtomFeed
    item_guid_is_permalink = False

    def stamp(self, subject: Any) -> Iterable[object]:
        raise NotImplementedError

    def read_page(self, subject: Any) -> Page:
        raise NotImplementedError

    def entry(self, row: Any, subject: Any) -> Entry:
        raise NotImplementedError

    def page(self, subject: Subject) -> Page:
        """The page of the feed ``subject`` asks for, read once for its links and its
        entries both."""
        if subject.read is None:
            subject.read = self.read_page(subject)
        return subject.read

    def items(self, subject: Subject) -> list[Entry]:
        return [self.entry(row, subject) for row in self.page(subject).rows]

    def feed_extra_kwargs(self, subject: Subject) -> dict[str, Any]:
        return {"pages": self.page(subject).links(subject.request)}

    def feed_url(self, subject: Subject) -> str | None:
        # A page other than the first names itself (None: the feed's own address).
        cursor = subject.cursor
        return None if cursor.is_first else subject.absolute(subject.request.path + cursor.query())

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        try:
            cursor = Cursor.of(request.GET)  # Http404 for a number no entry has
        except BadCursor:
            return HttpResponseBadRequest(
                _(
                    "A page of a feed is named by before=N or after=N (one of them),"
                    " N a whole number: follow the feed's next and previous links."
                ),
                content_type="text/plain; charset=utf-8",
            )
        try:
            subject = self.get_object(request, *args, **kwargs)
            if isinstance(subject, HttpResponse):
                return subject
            assert isinstance(subject, Subject)
            subject.cursor = cursor
            # Named by what it reads: a query string padded with anything else (a
            # cache-buster, or someone flooding the cache) is the same page.
            etag = pagecache.etag_of(
                ["feed", release.fingerprint(), request.scheme, request.get_host(),
                 request.path + cursor.query(), *self.stamp(subject)]
            )  # fmt: skip

            def draw() -> bytes | pagecache.Unkept:
                content = self.get_feed(subject, request).writeString("utf-8").encode()
                # Every entry's number names a page, so one client could fill the shared
                # cache with pages nobody else asks for: only the first and the last,
                # which every page links to, are kept; a page between them is drawn
                # again (one indexed query) for the rare reader walking back.
                return content if cursor.is_first or cursor == LAST else pagecache.Unkept(content)

            # No Last-Modified: a comment removed makes a feed older, not newer, and a
            # client asking If-Modified-Since would keep it. The ETag says every change.
            return pagecache.served(request, etag, draw, content_type=AtomFeed.content_type)
        except ObjectDoesNotExist:
            # The article went out of sight between the stamp and the drawing.
            raise Http404("No such feed.") from None

    def feed_guid(self, subject: Subject) -> str:
        # Its own address: two feeds may lead to one page (the front page's).
        return subject.absolute(subject.request.path)

    def author_name(self, subject: Subject) -> str:
        # Atom wants an author for every entry: the site's name stands for an article
        # without a byline.
        return subject.site.site_name

    def item_title(self, entry: Entry) -> str:
        return entry.title  # Atom's titles are text: no escaping here

    def item_link(self, entry: Entry) -> str:
        return entry.link

    def item_guid(self, entry: Entry) -> str:
        return entry.id

    # None writes no <summary> (Django's own signature says str).
    def item_description(self, entry: Entry) -> str | None:  # type: ignore[override]
        return entry.summary

    def item_pubdate(self, entry: Entry) -> datetime:
        return entry.published

    def item_updateddate(self, entry: Entry) -> datetime:
        return entry.updated

    def item_author_name(self, entry: Entry) -> str | None:
        return entry.author_name

    def item_author_link(self, entry: Entry) -> str | None:
        return entry.author_link

    def item_categories(self, entry: Entry) -> tuple[str, ...]:
        return entry.categories

    def item_extra_kwargs(self, entry: Entry) -> dict[str, Any]:
        return {"content": entry.content, **entry.extra}
