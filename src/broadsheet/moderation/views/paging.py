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
