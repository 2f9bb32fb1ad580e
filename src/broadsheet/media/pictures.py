"""The library's images as an article's body shows them: which of its stored files the
body names, and the copies of each picture a browser may fetch in its place.

The body's HTML is made once, when the article is saved, and lists the copies that
exist then; it is made again when they change (``newsroom.actions.image_changed``).
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db.models import Manager, Q

from broadsheet.markup import Picture
from broadsheet.media.images import STORED_NAME
from broadsheet.media.models import Image


def pictures(text: str, images: Manager | None = None) -> dict[str, Picture]:
    """The library's pictures ``text`` (an article's body) shows, by the address it gives
    each: the copy pages show (the Markdown the library offers) or the original. Only
    site-relative addresses are the library's; another site's image is not. ``images``:
    the manager to look them up with (a migration's), else ``Image.objects``."""
    names = {found[0] for found in STORED_NAME.finditer(text)}
    if not names:
        return {}
    manager = images if images is not None else Image.objects
    found: dict[str, Picture] = {}
    # The same original uploaded twice is one set of files: either row describes them.
    for image in manager.filter(Q(file__in=names) | Q(web_file__in=names)).order_by("pk"):
        stored = [(size["file"], size["width"], size["height"]) for size in image.sizes]
        if image.web_file:
            stored.append((image.web_file, image.web_width, image.web_height))
        stored.append((image.file, image.width, image.height))
        for name, width, height in stored:
            if name in names and name not in found:
                copies = tuple((default_storage.url(n), w) for n, w, _ in stored if w <= width)
                found[name] = Picture(width, height, copies)
    return {default_storage.url(name): picture for name, picture in found.items()}
