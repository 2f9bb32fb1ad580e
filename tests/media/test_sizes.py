"""Narrower copies of each image for smaller screens: made on upload, listed in the
lead image's srcset, removed with their image, remade after a restore or an upgrade."""

from __future__ import annotations

import importlib
import io
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from PIL import Image, ImageDraw

from broadsheet.media import actions
from broadsheet.media.backup import image_rows, restore_image
from broadsheet.media.models import Image as LibraryImage
from tests.conftest import make_article
from tests.media.samples import add, encoded, png, stored_files

pytestmark = pytest.mark.django_db


def stored_size(name: str) -> tuple[tuple[int, int], str]:
    with default_storage.open(name, "rb") as fh:
        picture = Image.open(io.BytesIO(fh.read()))
        return picture.size, picture.format


def test_a_photo_gets_a_copy_at_each_narrower_width_in_its_own_format():
    photo = Image.new("RGB", (1300, 975), (200, 120, 40))
    image = add(encoded(photo, "JPEG"))
    assert [(s["width"], s["height"]) for s in image.sizes] == [(480, 360), (800, 600),
                                                              (1200, 900)]  # fmt: skip
    for size in image.sizes:
        assert stored_size(size["file"]) == ((size["width"], size["height"]), "JPEG")
        assert size["file"].endswith(".jpg")
    assert set(stored_files()) == {image.file, *(size["file"] for size in image.sizes)}
    # The page lists them, widest last: the copy it shows by default.
    assert image.srcset.split(", ")[-1] == f"{image.url} 1300w"


def test_a_small_image_or_an_animation_has_no_narrower_copies_and_no_srcset():
    small = add(png((480, 300)))
    frames = [Image.new("RGB", (900, 600), colour) for colour in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    animation = add(out.getvalue())
    for image in (small, animation):
        assert image.sizes == [] and image.srcset == ""
        page = Client().get(make_article(lead_image=image).get_absolute_url()).content.decode()
        assert "srcset" not in page


def test_deleting_an_image_removes_its_copies_unless_the_same_original_is_kept(
    django_capture_on_commit_callbacks,
):
    first, second = add(png((1000, 500))), add(png((1000, 500)))
    assert first.files == second.files and len(first.files) == 3
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_image(first)
    assert set(stored_files()) == set(second.files)
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_image(second)
    assert stored_files() == []


def test_a_restore_makes_the_copies_again_and_a_dry_run_writes_none(settings, tmp_path):
    image = add(png((1000, 500)))
    rows = json.loads(json.dumps(list(image_rows())))
    assert "sizes" not in rows[0]  # a backup carries the original; copies are made again
    LibraryImage.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "elsewhere"

    dry = restore_image(rows[0], write_files=False)
    assert stored_files() == [] and dry.sizes == image.sizes
    LibraryImage.objects.all().delete()

    restored = restore_image(rows[0])
    assert restored.sizes == image.sizes
    assert set(stored_files()) == set(image.files)


def test_the_upgrade_makes_copies_for_images_stored_before_them():
    image = add(png((1000, 500)))
    made = image.sizes
    for size in made:
        default_storage.delete(size["file"])
    LibraryImage.objects.filter(pk=image.pk).update(sizes=[])
    lost = add(png((900, 450), colour=(1, 2, 3)))
    default_storage.delete(lost.file)  # its original gone from the media folder
    LibraryImage.objects.filter(pk=lost.pk).update(sizes=[])

    migration = importlib.import_module("broadsheet.media.migrations.0002_image_sizes")
    migration.make_sizes(apps, SimpleNamespace(connection=connection))

    image.refresh_from_db()
    lost.refresh_from_db()
    assert image.sizes == made and lost.sizes == []
    assert all(stored_size(size["file"])[0][0] == size["width"] for size in made)


def test_a_copy_that_would_take_more_bytes_than_the_image_itself_is_not_kept():
    # A flat drawing: PNG stores its few colours in little room, and smoothing its
    # edges when it is made narrower adds colours and bytes.
    drawing = Image.new("RGB", (1200, 630), "white")
    pen = ImageDraw.Draw(drawing)
    for left in range(0, 1200, 37):
        pen.rectangle((left, 0, left + 11, 630), fill=(20, 60, 140))
    for top in range(0, 630, 29):
        pen.line((0, top, 1200, top + 40), fill=(200, 30, 30), width=3)
    image = add(encoded(drawing, "PNG", optimize=True))
    assert image.sizes == [] and image.srcset == ""
    assert stored_files() == [image.file]
