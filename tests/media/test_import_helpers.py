"""What importers call in the library: a file it wrote taken back as it is, and a row
without files for a dry run."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from broadsheet.media import actions
from broadsheet.media.images import prepare, prepared_as_stored
from tests.media.samples import add, encoded, jpeg_with_location, stored_files

pytestmark = pytest.mark.django_db


def test_a_file_the_library_wrote_comes_back_with_the_same_bytes_and_name():
    # A photograph's grain: a JPEG of it changes each time it is written.
    image = add(encoded(Image.effect_noise((64, 48), 80).convert("RGB"), "JPEG"))
    data = default_storage.open(image.file).read()
    again = prepared_as_stored(image.file, data)
    assert again.original.data == data and again.original.name == image.file
    assert (again.original.width, again.original.height) == (image.width, image.height)
    # Written again, a JPEG changes: that is why it is taken as it is.
    assert prepare(io.BytesIO(data), len(data)).original.name != image.file


def test_a_file_not_named_by_its_bytes_is_refused():
    data = jpeg_with_location()
    with pytest.raises(ValidationError):
        prepared_as_stored("images/00/" + "0" * 32 + ".jpg", data)


def test_a_dry_run_row_writes_no_file():
    data = jpeg_with_location()
    image = actions.add_image(prepare(io.BytesIO(data), len(data)), alt_text="x", write_files=False)
    assert image.pk and image.file.startswith("images/")
    assert stored_files() == []
