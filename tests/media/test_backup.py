"""The image library leaves in a backup and comes back from it, files and all."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from broadsheet.media.backup import image_rows, restore_image
from broadsheet.media.models import Image
from tests.media.samples import add, png, stored_files

pytestmark = pytest.mark.django_db


def test_images_are_restored_with_their_ids_names_and_bytes(settings, tmp_path):
    small = add(png(), alt_text="Small", credit="Jane Doe/AP")
    large = add(png((2500, 100)), alt_text="Large", caption="Wide")
    rows = json.loads(json.dumps(list(image_rows())))  # as a backup file carries them
    files = {name: default_storage.open(name).read() for name in stored_files()}
    Image.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "elsewhere"

    for record in rows:
        restore_image(record)

    restored = {image.pk: image for image in Image.objects.all()}
    assert set(restored) == {small.pk, large.pk}
    assert restored[small.pk].credit == "Jane Doe/AP" and restored[small.pk].url == small.url
    assert restored[large.pk].web_file == large.web_file and restored[large.pk].caption == "Wide"
    assert restored[small.pk].uploaded_at == small.uploaded_at
    assert {name: default_storage.open(name).read() for name in stored_files()} == files


def test_bytes_that_are_not_the_named_file_are_refused(settings, tmp_path):
    add(png())
    record = next(image_rows())
    Image.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    record["data"] = record["data"][:-8] + "AAAAAAA="
    with pytest.raises(ValidationError):
        restore_image(record)
    assert not Image.objects.exists() and stored_files() == []
