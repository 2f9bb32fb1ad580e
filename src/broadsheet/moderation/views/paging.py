"""How the moderators' lists are paged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar, overload
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property

M = TypeVar("M", bound=Model)

QUEUE_PAGE_SIZE = 50


class Counted(Paginator):
    """Pages of a list whose length was read already (a tab's count, shown beside its
    name): the pager does not count it a second time."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known = count

    @cached_property
    def count(self) -> int:
        return self.known


def reach(number: str, per_page: int) -> int:
    """How far into a list the page ``number`` (as asked for, maybe not a number) ends:
    a page number that is not one is the first page, as the pager reads it."""
    # Thousands of digits are more than int() reads: no page number, as the pager says.
    digits = number.isascii() and number.isdigit() and len(number) <= 20
    return min((int(number) if digits else 1) * per_page, 2**62)


def page_query(**params: object) -> str:
    """The list's own parameters for its pager's links: "tab=spam&" ("" without any)."""
    given = {name: value for name, value in params.items() if value}
    return urlencode(given) + "&" if given else ""


class ByIds(Generic[M]):
    """``rows`` (in their order, which must be given: ``order_by``) as a paginator's
    list, paged on their ids alone, which the order's index holds: a late page skips
    index entries, not rows joined with what the page shows (the Spam tab's last page
    of 50,000 read and joined every row it skipped, 330 ms on PostgreSQL; the audit
    log's page 500, 610 ms). Only the page's rows are then read, with what ``shown``
    adds to them. ``count``: their number, when it is known already (else counted)."""

    def __init__(self, rows: QuerySet[M], count: int | None = None) -> None:
        self.rows = rows
        self._count = count

    def shown(self, rows: QuerySet[M]) -> QuerySet[M]:
        """The page's rows with what the page shows of each (their links, say)."""
        return rows

    def count(self) -> int:
        if self._count is None:
            self._count = self.rows.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> list[M]: ...
    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        return self._rows(index)

    def __iter__(self) -> Iterator[M]:
        return iter(self[:])

    def _rows(self, index: slice) -> list[M]:
        page = self.rows.values("pk")[index]
        found = self.rows.model._default_manager.filter(pk__in=page)
        return list(self.shown(found).order_by(*self.rows.query.order_by))


# How far past the page asked for a list counted by ``CountedAhead`` is counted.
COUNT_AHEAD = 1_000


class CountedAhead(ByIds[M]):
    """``ByIds``, counted only up to ``COUNT_AHEAD`` rows past ``reach`` (where the
    page asked for ends): enough to tell that a next page is there, without counting
    every row (the audit log's 150,000 entries took 15 to 40 ms on PostgreSQL on each
    of its pages, to say "of 1500"). ``more``: there are more than were counted; the
    pager then says the page's number alone."""

    def __init__(self, rows: QuerySet[M], *, reach: int) -> None:
        super().__init__(rows)
        self.upto = reach + COUNT_AHEAD
        self.more = False

    def count(self) -> int:
        if self._count is None:
            # The ids alone, from the order's index, as far as needed.
            self._count = self.rows.order_by().values("pk")[: self.upto + 1].count()
            self.more = self._count > self.upto
        return self._count
