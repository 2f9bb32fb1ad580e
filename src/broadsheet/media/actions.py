"""Adding images to the library, changing what is said of them, and removing them."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from broadsheet.media.images import Encoded, Prepared
from broadsheet.media.models import Image


class ImageInUse(Exception):
    """An image articles show cannot be removed: their pages would lose it."""

    def __init__(self, image: Image, articles: list) -> None:
        self.articles = articles
        titles = ", ".join(f"“{article.title}”" for article in articles)
        super().__init__(
            gettext("%(image)s is shown by %(titles)s: take it out of them first.")
            % {"image": image, "titles": titles}
        )


def add_image(
    prepared: Prepared,
    *,
    alt_text: str,
    caption: str = "",
    credit: str = "",
    actor=None,
    write_files: bool = True,
) -> Image:
    """Keeps an upload ``images.prepare`` accepted in the library. Not ``write_files``:
    the row only, for a dry run whose transaction is rolled back."""
    # The files before the row: a file no row names is harmless, a row without its file
    # is a broken image on a page.
    original = _write(prepared.original) if write_files else prepared.original.name
    web = None
    if prepared.web:
        web = _write(prepared.web) if write_files else prepared.web.name
    return Image.objects.create(
        sizes=sizes_stored(prepared.sizes, write_files=write_files),
        file=original,
        width=prepared.original.width,
        height=prepared.original.height,
        web_file=web or "",
        web_width=prepared.web.width if prepared.web else None,
        web_height=prepared.web.height if prepared.web else None,
        size=len(prepared.original.data),
        alt_text=alt_text,
        caption=caption,
        credit=credit,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )


def sizes_stored(sizes: tuple[Encoded, ...], *, write_files: bool = True) -> list[dict]:
    """``Image.sizes`` for these narrower copies, their files written first (unless not
    ``write_files``)."""
    return [
        {"file": _write(copy) if write_files else copy.name, "width": copy.width,
         "height": copy.height}
        for copy in sizes
    ]  # fmt: skip


def _write(encoded: Encoded) -> str:
    """Stores ``encoded`` under its digest's name; the same bytes are stored once.

    The bytes are written under a passing name and then renamed, in one step, to the
    image's: a disk that fills up half-way leaves no part of a file under that name,
    which the next upload of the same bytes would take for the whole file (a broken
    image for good). A part file left before this (its size not the image's) is
    written again."""
    name = encoded.name
    if default_storage.exists(name) and default_storage.size(name) == len(encoded.data):
        return name
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not a name the site serves (broadsheet/media/views.py serves digests alone).
    fd, passing = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as part:
            part.write(encoded.data)
            part.flush()
            os.fsync(part.fileno())
        # As Django's storage leaves its files (FILE_UPLOAD_PERMISSIONS, 644): mkstemp
        # makes them the owner's alone, and a front server may serve the folder.
        os.chmod(passing, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(passing, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(passing)
        raise
    return name


def save_image(image: Image, *, actor=None) -> Image:
    """Saves what is said of an image (alt text, caption, credit); the pages that lead
    with it are drawn anew."""
    with transaction.atomic():
        image.save()
        image.lead_of.update(changed_at=timezone.now())  # type: ignore[attr-defined]
    return image


def uses(image: Image) -> list:
    """The articles that show ``image``: as their lead image, or in their body (found
    by its stored files' names, which its addresses hold)."""
    article = apps.get_model("newsroom", "Article")
    in_body = Q()
    for name in image.files:
        in_body |= Q(body__contains=name)
    found: QuerySet = article.objects.filter(Q(lead_image=image) | in_body)
    return list(found.only("pk", "title", "slug", "lead_image").order_by("pk"))


def delete_image(image: Image, *, actor=None) -> None:
    """Removes ``image`` and its files (``ImageInUse`` while an article shows it)."""
    with transaction.atomic():
        if used := uses(image):
            raise ImageInUse(image, used)
        names, original = image.files, image.file
        image.delete()
        transaction.on_commit(lambda: remove_unused_files(names, original))


def remove_unused_files(names: list[str], original: str) -> None:
    """Deletes those of ``names`` (the files of a removed image whose original was
    ``original``) no image in the library still stores: the same bytes uploaded twice
    share one file, and the narrower copies of one original are the same files."""
    if Image.objects.filter(file=original).exists():
        return
    for name in names:
        if not Image.objects.filter(Q(file=name) | Q(web_file=name)).exists():
            default_storage.delete(name)
