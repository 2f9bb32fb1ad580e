"""Which page a Disqus thread is: its addresses, as the import compares them."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from broadsheet.interchange.disqus.reader import Thread
from broadsheet.interchange.pages import page_query


def page_address(url: str) -> tuple[str, str] | None:
    """A URL's path, and the part of its query that names the page (``page_query``).
    None for what is not a URL."""
    parts = urlsplit(url.strip())
    if not parts.scheme:
        return None
    return unquote(parts.path) or "/", page_query(parts.query)


@dataclass
class Addresses:
    """The old paths a thread's page may be known by."""

    # Its own: the path and the query that names the page; the path with and without
    # its final slash when no query does; WordPress's /?p=<id>.
    own: list[str]
    # The path alone (with and without the slash) when a query names the page.
    near: list[str]


def thread_addresses(thread: Thread) -> Addresses:
    own: list[str] = []
    near: list[str] = []
    for url in (thread.link, *thread.identifier.split()):
        address = page_address(url)
        if address is None:
            continue
        path, query = address
        post_id = parse_qs(query).get("p")
        if post_id:
            own.append(f"{path}?p={post_id[0]}")
        if query:
            own.append(f"{path}?{query}")
        if path != "/":
            other = path.removesuffix("/") if path.endswith("/") else f"{path}/"
            (near if query else own).extend((path, other))
    own = list(dict.fromkeys(own))
    return Addresses(own=own, near=[p for p in dict.fromkeys(near) if p not in own])


def where(thread: Thread) -> str:
    if thread.link or thread.title:
        return repr(thread.link or thread.title)
    return "no link or title"


def label(thread: Thread) -> str:
    return f"thread {thread.dsq_id} ({where(thread)})"


def host(url: str) -> str:
    """A URL's host name, lower-cased, without ``www.`` or a port."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host.removeprefix("www.")
