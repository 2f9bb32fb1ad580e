"""How the moderators' lists are paged."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.functional import cached_property

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
