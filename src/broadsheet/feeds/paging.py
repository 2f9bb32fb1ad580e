"""A feed's older entries, a page at a time: paged feeds (RFC 5005, section 3).

A feed lists its entries newest first, ``FEED_ITEMS`` a page. The first page is
the feed's own address, the document subscribers have always read; every other
page is named by an entry, not by a number:

- ``?before=N``: the entries that come after entry N in the feed (older ones);
- ``?after=N``: the entries that come before entry N (newer ones), the nearest first
  to N read, newest first as everywhere;
- ``?after=0``: the oldest entries (0 stands for the feed's beginning).

N is the entry's number, the one at the end of its id (``tag:…:comment/N``). A
page named by an entry is read by one query that starts in the feed's index at that
entry's place (a keyset), so it costs the same deep in a discussion of thousands
as at its head; an OFFSET would walk every entry before it. The page also stays the
same when new entries arrive at the head, so a reader following ``next`` while a
discussion goes on neither sees an entry twice nor misses one.

The page is said in the document by links (``first``, ``previous``, ``next``,
``last``); a feed that fits on one page has none, and is written as before paging.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q, Subquery
from django.http import Http404, HttpRequest, QueryDict

# A number a database column holds (a signed 64-bit integer). Checked before int():
# Python refuses to read a number of thousands of digits, and SQLite one past 64 bits.
_DIGITS = re.compile(r"[0-9]+")
_LARGEST = 2**63 - 1


class BadCursor(ValueError):
    """A page parameter that is not a page's name at all (answered 400)."""


@dataclass(frozen=True)
class Cursor:
    """Which page of a feed a request asks for; neither set: the first."""

    before: int | None = None
    after: int | None = None

    @classmethod
    def of(cls, query: QueryDict) -> Cursor:
        """The page ``query`` names. ``BadCursor`` for a malformed name; ``Http404``
        for a number no entry can have."""
        given = {name: query.getlist(name) for name in ("before", "after") if name in query}
        if not given:
            return cls()
        if len(given) > 1 or any(len(values) > 1 for values in given.values()):
            raise BadCursor("one of before and after, once")
        ((name, (value,)),) = given.items()
        if not (value.isascii() and _DIGITS.fullmatch(value)):
            raise BadCursor(name)
        if len(value) > 19 or int(value) > _LARGEST:
            raise Http404("No such page.")
        return cls(**{name: int(value)})

    @property
    def is_first(self) -> bool:
        return self.before is None and self.after is None

    def query(self) -> str:
        """The query string that names this page (empty for the first)."""
        if self.before is not None:
            return f"?before={self.before}"
        if self.after is not None:
            return f"?after={self.after}"
        return ""


LAST = Cursor(after=0)


def window(
    entries: models.QuerySet[Any],
    cursor: Cursor,
    *,
    key: str,
    size: int,
    scope: models.QuerySet[Any],
) -> models.QuerySet[Any]:
    """The rows of ``entries`` (a feed's, ordered by ``key`` then id, newest first)
    on the page ``cursor`` names, and one more that says whether the page goes on,
    in the order they are read: newest first, but oldest first for an ``after`` page.

    The entry that names the page is looked up in ``scope`` in the same query (a
    subquery read once), so the page is one indexed range scan: ``key <= its key``
    bounds the index, and the id breaks ties between entries of the same time.
    """
    if cursor.before is not None:
        at = Subquery(scope.filter(pk=cursor.before).order_by().values(key)[:1])
        entries = entries.filter(
            Q(**{f"{key}__lte": at}), Q(**{f"{key}__lt": at}) | Q(pk__lt=cursor.before)
        ).order_by(f"-{key}", "-pk")
    elif cursor.after is not None:
        if cursor.after:
            at = Subquery(scope.filter(pk=cursor.after).order_by().values(key)[:1])
            entries = entries.filter(
                Q(**{f"{key}__gte": at}), Q(**{f"{key}__gt": at}) | Q(pk__gt=cursor.after)
            )
        entries = entries.order_by(key, "pk")
    else:
        entries = entries.order_by(f"-{key}", "-pk")
    return entries[: size + 1]


@dataclass(frozen=True)
class Page:
    """One page of a feed's entries, newest first, and what lies either side of it."""

    cursor: Cursor
    rows: list[Any]
    older: bool  # entries after this page: a ``next`` page
    newer: bool  # entries before it other than the first page's: a ``previous`` page

    @classmethod
    def of(cls, rows: Iterable[Any], cursor: Cursor, size: int) -> Page:
        """The page of ``rows`` as ``window`` reads them. ``Http404`` for a page
        other than the first that holds nothing (past the end, or named by an entry
        the feed does not have)."""
        read = list(rows)
        more = len(read) > size
        shown = read[:size]
        if not shown and not cursor.is_first:
            raise Http404("No such page.")
        if cursor.after is not None:
            shown.reverse()
            # An ``after`` page's entry is older than the page (0: nothing is).
            return cls(cursor, shown, older=bool(cursor.after), newer=more)
        # A ``before`` page's entry is newer than the page.
        return cls(cursor, shown, older=more, newer=cursor.before is not None)

    def links(self, request: HttpRequest) -> dict[str, str]:
        """RFC 5005's links of this page, by relation, absolute; none when the whole
        feed is on the first page."""
        if self.cursor.is_first and not self.older:
            return {}

        def at(cursor: Cursor) -> str:
            return request.build_absolute_uri(request.path + cursor.query())

        links = {"first": at(Cursor())}
        if self.newer:
            links["previous"] = at(Cursor(after=self.rows[0].pk))
        if self.older:
            links["next"] = at(Cursor(before=self.rows[-1].pk))
        links["last"] = at(LAST)
        return links
