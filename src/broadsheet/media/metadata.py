"""What an article's page tells programs about its lead image: Open Graph's
``og:image`` for the preview drawn when the page is shared, and schema.org's
``ImageObject`` for search engines. Both want absolute addresses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from broadsheet.media.models import Image


def open_graph(image: Image, absolute: Callable[[str], str]) -> list[tuple[str, str]]:
    return [
        ("og:image", absolute(image.url)),
        ("og:image:alt", image.alt_text),
        ("og:image:width", str(image.shown_width)),
        ("og:image:height", str(image.shown_height)),
    ]


def schema(image: Image, absolute: Callable[[str], str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "ImageObject",
        "url": absolute(image.url),
        "contentUrl": absolute(image.original_url),
        "width": image.shown_width,
        "height": image.shown_height,
        "description": image.alt_text,
    }
    if image.caption:
        data["caption"] = image.caption
    if image.credit:
        data["creditText"] = image.credit
    return data
