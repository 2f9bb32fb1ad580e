"""The anonymous article page's shared copy, and the short way to it.

An anonymous article page is the same for every reader, so its rendered copy is
kept in the shared cache under the page's ETag, which changes with the article,
its discussion, the site settings, the address and the day. Serving that copy
must cost little, so nothing on the way to it goes through the ORM: one query of
SQL written once per process reads what the ETag is made of (the live article's
id and ``changed_at``, and every site setting), and the rendered page needs no
decoding.

The shared cache holds, under the ETag, the SHA-256 digest of the page's bytes,
and the bytes under their digest. Each process keeps the bytes of the pages it
served last in memory by digest, and serves them only when the shared cache
names that digest for the ETag asked for, that is, when they are exactly the
page the shared cache holds now: a page that expired there, was cleared, or was
replaced by another server's rendering is never served from memory. A page read
from the shared cache costs a small read for the digest and, when the process
does not have those bytes yet, one read of the page.

Feeds (``broadsheet.feeds.serving``) keep their rendered documents here too,
under ETags of their own made with ``etag_of``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag

from broadsheet import release
from broadsheet.conditional import etag_matches
from broadsheet.conf import conf
from broadsheet.newsroom.models import Article, SiteSettings, comments_close_time

_DIGEST_PREFIX = "broadsheet:page-digest:"
_PAGE_PREFIX = "broadsheet:page:"


@dataclass(frozen=True)
class Stamp:
    """What an anonymous article page's ETag is made of, as the database holds it."""

    article_pk: int
    values: tuple[Any, ...]
    language: str  # the site's (one of ``values`` too)

    def etag(self, request: HttpRequest, address: str) -> str:
        """The page's ETag at ``address``: its path and the query it is drawn from, said
        one way (not the query string as sent)."""
        parts = [
            # The day: the form's signed time (its stamp) in a reader's copy is never more
            # than a day old, even for a browser that keeps revalidating a quiet page.
            int(time.time() // 86400),
            # The release: an upgrade that changed how pages are drawn redraws them.
            release.fingerprint(),
            # The address: the page names itself in full (Open Graph, schema.org). The
            # Host header as sent: CommonMiddleware has checked it (get_host) already.
            request.scheme, request.META.get("HTTP_HOST") or request.get_host(),
            self.article_pk, address,
            *self.values,
        ]  # fmt: skip
        # Weak: the form's signed time differs from one copy to the next (``restamped``);
        # the page is otherwise the same.
        return "W/" + etag_of(parts)


def etag_of(parts: Iterable[object]) -> str:
    """A strong ETag that changes whenever one of ``parts`` (said with ``str``) does."""
    key = "|".join(str(part) for part in parts)
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


@lru_cache(maxsize=4)
def _stamp_sql(vendor: str) -> str:
    # Written from the models' metadata, so a new site setting is part of the ETag
    # without anyone listing it here. ``vendor`` keys the cache: quoting differs.
    name = connection.ops.quote_name
    article = Article._meta
    site = SiteSettings._meta
    # The site's columns in _site_field_names()'s order, after its key.
    site_fields = [site.pk, *(field for field in site.concrete_fields if not field.primary_key)]
    site_columns = [f"s.{name(field.column)}" for field in site_fields]
    columns = {field.name: field.column for field in article.concrete_fields}

    def column(field: str) -> str:
        return f"a.{name(columns[field])}"

    # The conditions are ArticleQuerySet.live()'s (tests hold them to it).
    return (
        f"SELECT {column('id')}, {column('changed_at')}, {column('comment_policy')},"
        f" {column('comments_open')}, {column('published_at')}, {', '.join(site_columns)}"
        f" FROM {name(article.db_table)} a"
        f" LEFT JOIN {name(site.db_table)} s ON s.{name(site.pk.column)} = 1"
        f" WHERE {column('slug')} = %s AND {column('status')} IN (%s, %s)"
        f" AND {column('published_at')} <= %s"
    )


def stamp(slug: str) -> Stamp | None:
    """The live article ``slug``'s stamp; None when no live article has that slug."""
    params = [
        slug,
        Article.Status.PUBLISHED,
        Article.Status.SCHEDULED,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute(_stamp_sql(connection.vendor), params)
            row = cursor.fetchone()
        if row is None:
            return None
        article_pk, changed_at, policy, comments_open, published_at, site_pk, *site_values = row
        if site_pk is not None:
            site = dict(zip(_site_field_names(), site_values, strict=True))
            is_open = comments_open and _open_now(published_at, site["close_comments_after_days"])
            values = (changed_at, policy, *site_values, is_open)
            return Stamp(article_pk, values, site["language"])
        SiteSettings.load()  # a new site's settings row, made once
    raise RuntimeError("The site settings row could not be made.")


@lru_cache(maxsize=1)
def _site_field_names() -> tuple[str, ...]:
    return tuple(f.name for f in SiteSettings._meta.concrete_fields if not f.primary_key)


def _open_now(published_at: Any, close_after_days: int | None) -> bool:
    """Whether the site's closing time (``Article.comments_close_at``) is still to
    come: it changes nothing stored when it passes, but the form must go then."""
    if isinstance(published_at, str):  # SQLite hands back its text
        published_at = datetime.fromisoformat(published_at)
    if timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, UTC)
    close_at = comments_close_time(published_at, close_after_days)
    return close_at is None or timezone.now() < close_at


class _Copies:
    """Pages' bytes by digest, at most ``conf.PAGE_MEMORY_MB`` in all; the least
    recently used go first."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # gunicorn may run threads

    def get(self, digest: str) -> bytes | None:
        with self._lock:
            content = self._pages.get(digest)
            if content is not None:
                self._pages.move_to_end(digest)
            return content

    def put(self, digest: str, content: bytes) -> None:
        budget = conf.PAGE_MEMORY_MB * 1024 * 1024
        with self._lock:
            if digest in self._pages or len(content) > budget:
                return
            self._pages[digest] = content
            self._size += len(content)
            while self._size > budget:
                _, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped)

    def replace(self, digest: str, content: bytes) -> None:
        """Keep ``content`` in place of the page kept under ``digest``, if still kept."""
        with self._lock:
            old = self._pages.get(digest)
            if old is not None:
                self._pages[digest] = content
                self._size += len(content) - len(old)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0


copies = _Copies()


def cached_page(etag: str, *, stamp: str | None = None) -> bytes | None:
    """The page the shared cache holds for ``etag``, if it holds one; with ``stamp``,
    the page with that as its form's time (``restamped``)."""
    digest = cache.get(f"{_DIGEST_PREFIX}{etag}")
    if digest is None:
        return None
    content = copies.get(digest)
    if content is None:
        content = cache.get(f"{_PAGE_PREFIX}{digest}")
        if content is None:
            return None
        copies.put(digest, content)
    if stamp is not None and (fresh := restamped(content, stamp)) is not content:
        # Kept in its place: the pages served in the same second share one copy.
        copies.replace(digest, fresh)
        content = fresh
    return content


# How the comment form carries the time it was served (discussion/_form.html).
_STAMP_FIELD = b'name="stamp" value="'


def restamped(content: bytes, stamp: str) -> bytes:
    """A kept page with ``stamp`` as its form's signed time, so that the time between
    serving the form and posting it is measured from this reader's copy, not from
    when the page was first drawn. A page with no form is returned as it is."""
    start = content.find(_STAMP_FIELD)
    if start < 0:
        return content
    start += len(_STAMP_FIELD)
    end = content.find(b'"', start)
    new = stamp.encode()
    if content[start:end] == new:
        return content
    return b"".join((content[:start], new, content[end:]))


@dataclass(frozen=True)
class Unkept:
    """What ``served``'s ``draw`` returns for a document to serve but not keep."""

    content: bytes


def served(
    request: HttpRequest,
    etag: str,
    draw: Callable[[], bytes | Unkept],
    *,
    content_type: str | None = None,
    stamp: str | None = None,
) -> HttpResponse:
    """The answer for a document the same for every reader, kept under ``etag``: a 304
    when the client holds it, else the kept copy (with ``stamp``, restamped), else
    ``draw()``, kept (unless it says ``Unkept``). The key is the ETag read before
    drawing: a document newer than its key can be kept, never one older."""
    response: HttpResponse
    if_none_match = request.headers.get("If-None-Match", "")
    if etag_matches(etag, if_none_match, star=False):
        response = HttpResponseNotModified()
    else:
        content = cached_page(etag, stamp=stamp)
        if content is None:
            # Raises for a document that does not exist (a page past the last).
            drawn = draw()
            if isinstance(drawn, Unkept):
                content = drawn.content
            else:
                content = drawn
                if usual_host(request):
                    keep_page(etag, content)
        # "*" asks whether any copy exists (RFC 9110, 13.1.2): known only now.
        if etag_matches(etag, if_none_match):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    # A shared cache may keep it but must ask again; the ETag makes asking cheap.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def usual_host(request: HttpRequest) -> bool:
    """Whether the request names the site as browsers and proxies write it: in lower
    case, without a trailing dot, with no port or the one the server listens on.

    ALLOWED_HOSTS lets through every other spelling of an allowed name (LOCALHOST.,
    localhost:1 to localhost:65535), and the pages name themselves with the Host as
    sent, so each spelling is a page of its own: kept, they would let one client fill
    the shared cache with copies nobody else asks for."""
    host = request.META.get("HTTP_HOST", "")
    if not host:
        return True  # the server's own name (SERVER_NAME)
    domain, port = split_domain_port(host)
    return host == (f"{domain}:{port}" if port else domain) and port in (
        "",
        request.META.get("SERVER_PORT"),
    )


def keep_page(etag: str, content: bytes) -> None:
    """Keeps ``content`` in the shared cache as the page for ``etag``."""
    if not conf.PAGE_CACHE_SECONDS:
        return
    digest = hashlib.sha256(content).hexdigest()
    # The page before its digest: a server that reads the digest finds the page.
    cache.set(f"{_PAGE_PREFIX}{digest}", content, conf.PAGE_CACHE_SECONDS)
    cache.set(f"{_DIGEST_PREFIX}{etag}", digest, conf.PAGE_CACHE_SECONDS)
    copies.put(digest, content)
