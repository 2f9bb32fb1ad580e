"""Real image files, made with Pillow, for the media tests."""

from __future__ import annotations

import io

from django.core.files.storage import default_storage
from PIL import Image

from broadsheet.media import actions
from broadsheet.media.images import prepare
from broadsheet.media.models import Image as LibraryImage

GPS_IFD = 0x8825
ORIENTATION = 0x0112
# Rotate 90° clockwise to show: a phone held upright stores its picture on its side.
ROTATED = 6


def jpeg_with_location(size: tuple[int, int] = (40, 20)) -> bytes:
    """A JPEG as a phone writes it: with EXIF naming the camera, an orientation and
    the place the photo was taken."""
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATED
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (32.0, 4.0, 50.0), 3: "E", 4: (34.0, 46.0, 50.0)})
    exif[GPS_IFD] = gps
    return encoded(Image.new("RGB", size, (200, 30, 30)), "JPEG", exif=exif.tobytes())


def encoded(image: Image.Image, format: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()


def png(size: tuple[int, int] = (30, 20), colour=(10, 120, 200)) -> bytes:
    return encoded(Image.new("RGB", size, colour), "PNG")


def add(data: bytes, alt_text: str = "A red square", **words) -> LibraryImage:
    """An image in the library, through the same checks and action as the admin."""
    return actions.add_image(prepare(io.BytesIO(data), len(data)), alt_text=alt_text, **words)


def stored_files() -> list[str]:
    """Every file the library's storage holds."""
    found = []

    def walk(folder: str) -> None:
        if not default_storage.exists(folder):
            return
        folders, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}" for name in files)
        for name in folders:
            walk(f"{folder}/{name}")

    walk("images")
    return found
