"""The image library in and out of a backup (``broadsheet export json`` calls these).

A backup row is an ``Image`` row, its uploader by username, with the bytes of its
stored files in base64: one backup file then holds everything a restore needs. The
narrower copies for small screens are not carried: a restore makes them again from
the original.
Restoring keeps each image's id (articles name their lead image by it) and each
file's name (article bodies link to it), after checking that the bytes are the
ones the name was made from and are an image.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils.dateparse import parse_datetime

from broadsheet.media.actions import _write, sizes_stored
from broadsheet.media.images import Encoded, check_stored, narrower_copies
from broadsheet.media.models import Image

# The row's stored fields, as the model names them (its files' bytes travel beside).
FIELDS = (
    "id", "file", "width", "height", "web_file", "web_width", "web_height", "size",
    "alt_text", "caption", "credit",
)  # fmt: skip


def image_rows() -> Iterator[dict[str, Any]]:
    """Every image in the library, in id order, with its files' bytes."""
    for image in Image.objects.select_related("uploaded_by").order_by("pk").iterator(100):
        yield {
            **{name: getattr(image, name) for name in FIELDS},
            "uploaded_at": image.uploaded_at.isoformat(),
            "uploaded_by": image.uploaded_by.get_username() if image.uploaded_by else None,
            "data": _read(image.file),
            "web_data": _read(image.web_file) if image.web_file else None,
        }


def _read(name: str) -> str:
    with default_storage.open(name, "rb") as fh:
        return base64.b64encode(fh.read()).decode("ascii")


def restore_image(record: dict[str, Any], *, write_files: bool = True) -> Image:
    """The image of a backup row, kept with its id, its files written under their
    names (unless not ``write_files``: a dry run, whose rows are rolled back).
    ``ValidationError`` (nothing stored) when the bytes are not what the row names,
    ``KeyError`` when the row lacks a field."""
    files = [(record["file"], base64.b64decode(record["data"], validate=True))]
    if record.get("web_file"):
        files.append((record["web_file"], base64.b64decode(record["web_data"], validate=True)))
    for name, data in files:
        check_stored(name, data)
    for name, data in files:
        if write_files:
            _write(Encoded(data, 0, 0, name.rsplit(".", 1)[1]))
    sizes = narrower_copies(*files)
    users = get_user_model()
    username = record.get("uploaded_by")
    image = Image.objects.create(
        **{name: record[name] for name in FIELDS if name in record},
        sizes=sizes_stored(sizes, write_files=write_files),
        uploaded_by=users.objects.filter(**{users.USERNAME_FIELD: username}).first()
        if username
        else None,
    )
    # auto_now_add set it to now; the backup's time is the upload's.
    if uploaded_at := parse_datetime(record.get("uploaded_at") or ""):
        Image.objects.filter(pk=image.pk).update(uploaded_at=uploaded_at)
        image.uploaded_at = uploaded_at
    return image
