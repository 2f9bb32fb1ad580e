"""How the moderators' lists are paged."""

from __future__ import annotations

from urllib.parse import urlencode

QUEUE_PAGE_SIZE = 50


def page_query(**params: object) -> str:
    """The list's own parameters for its pager's links: "tab=spam&" ("" without any)."""
    given = {name: value for name, value in params.items() if value}
    return urlencode(given) + "&" if given else ""
