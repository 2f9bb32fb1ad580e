"""Which page an address names, for imports and for the old addresses they keep answering."""

from __future__ import annotations

import re
from urllib.parse import unquote

# Query parameters that say how a reader came to a page (campaign and click trackers) or
# what they did there (WordPress's reply link), not which page it is.
_NOT_THE_PAGE = re.compile(
    r"utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid"
    r"|_ga|_gl|_hsenc|_hsmi|mkt_tok|ref_src|replytocom",
    re.IGNORECASE,
)


def page_query(query: str) -> str:
    """The part of a query that names the page: its parameters sorted, so that their order
    does not matter, and those of ``_NOT_THE_PAGE`` left out (``?id=5&utm_source=x`` and
    ``?id=5`` are one page; ``?id=5`` and ``?id=6`` are two)."""
    return "&".join(
        sorted(
            pair
            for pair in query.split("&")
            if pair and not _NOT_THE_PAGE.fullmatch(unquote(pair.split("=", 1)[0]))
        )
    )
