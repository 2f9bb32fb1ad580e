"""Helpers for the search tests: search as a reader does, and read what the page lists."""

from __future__ import annotations

import html
import re

from django.test import Client

_HEADLINE = re.compile(
    r'<article class="teaser">\s*<h2 dir="auto"><a href="[^"]*">(.*?)</a></h2>', re.S
)


def unmarked(fragment: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", fragment))


def titles(page: str) -> list[str]:
    """The headlines a results page lists, in order, as text."""
    return [unmarked(found) for found in _HEADLINE.findall(page)]


def search(client: Client, q: str, **params) -> tuple[int, str]:
    response = client.get("/search/", {"q": q, **params})
    return response.status_code, response.content.decode()


def found(client: Client, q: str) -> list[str]:
    status, page = search(client, q)
    assert status == 200, page
    return titles(page)
