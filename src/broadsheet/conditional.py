"""Conditional requests: whether a client's copy of a page or answer is still good."""

from __future__ import annotations

from django.utils.http import parse_etags


def etag_matches(etag: str, if_none_match: str) -> bool:
    """Whether ``If-None-Match`` names ``etag``. The comparison is weak (RFC 9110,
    13.1.2): a proxy or CDN that compresses a page may make its strong ETag weak
    (``W/"..."``), and the client's copy is still the same page."""
    wanted = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
    return "*" in wanted or etag.removeprefix("W/") in wanted
