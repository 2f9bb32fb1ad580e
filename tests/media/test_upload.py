"""Editors upload images through the admin: checked, cleaned of metadata, stored once."""

from __future__ import annotations

import io
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from broadsheet.media.models import Image as LibraryImage
from tests.media.samples import GPS_IFD, jpeg_with_location, png, stored_files

pytestmark = pytest.mark.django_db

ADD = "/admin/media/image/add/"


@pytest.fixture
def editor() -> Client:
    """A staff member allowed to add and change images, nothing more."""
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="media", codename__in=["add_image", "change_image"]
        )
    )
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, name: str, data: bytes, content_type: str = "image/jpeg", **words):
    form = {"alt_text": "Flood waters on Main Street", "caption": "", "credit": "", **words}
    form["upload"] = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(ADD, form)


def test_upload_strips_location_and_applies_orientation(editor):
    answer = upload(editor, "IMG_0001.jpg", jpeg_with_location(), credit="Jane Doe/AP")
    assert answer.status_code == 302, answer.content.decode()[:2000]
    image = LibraryImage.objects.get()
    assert image.credit == "Jane Doe/AP"
    with default_storage.open(image.file, "rb") as fh:
        stored = fh.read()
    kept = Image.open(io.BytesIO(stored))
    assert kept.format == "JPEG"
    assert dict(kept.getexif()) == {}, "EXIF survived"
    assert not kept.getexif().get_ifd(GPS_IFD)
    assert b"PhoneMaker" not in stored and b"Exif" not in stored
    # Stored upright: the 40×20 picture marked "rotate 90°" is 20×40.
    assert kept.size == (20, 40) and (image.width, image.height) == (20, 40)
    assert image.file.startswith("images/") and image.file.endswith(".jpg")
    assert image.web_file == ""


def test_the_same_bytes_are_stored_once_under_their_digest(editor):
    upload(editor, "a.png", png(), content_type="image/png")
    upload(editor, "b.png", png(), content_type="image/png")
    first, second = LibraryImage.objects.order_by("pk")
    assert first.file == second.file
    assert stored_files() == [first.file]


def test_a_very_large_photo_gets_a_smaller_copy_for_pages(editor):
    upload(editor, "big.png", png((3000, 1500)), content_type="image/png")
    image = LibraryImage.objects.get()
    assert (image.width, image.height) == (3000, 1500)
    assert (image.web_width, image.web_height) == (2400, 1200)
    with default_storage.open(image.web_file, "rb") as fh:
        assert Image.open(fh).size == (2400, 1200)
    assert image.url.endswith(image.web_file) and image.markdown.endswith(f"({image.url})")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


def bomb() -> bytes:
    """A small PNG that declares more pixels than Pillow's limit allows (100 million):
    its header says 10,000×10,000, its data is a few bytes."""
    data = png((1, 1))
    header = b"IHDR" + (10_000).to_bytes(4, "big") * 2 + data[24:29]
    checked = header + zlib.crc32(header).to_bytes(4, "big")
    return data[:12] + checked + data[33:]


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("drawing.svg", SVG, "SVG images are not accepted"),
        ("notes.jpg", b"Not a picture, only text.\n", "is not a JPEG, PNG, GIF or WebP"),
        ("cut.jpg", jpeg_with_location((400, 300))[:-600], "damaged or cut short"),
        ("bomb.png", bomb(), "too large to open"),
    ],
    ids=["svg", "text-renamed-jpg", "truncated-jpeg", "decompression-bomb"],
)
def test_what_is_not_a_safe_image_is_refused_and_nothing_stored(editor, name, data, said):
    answer = upload(editor, name, data)
    assert answer.status_code == 200
    assert said in answer.content.decode()
    assert LibraryImage.objects.count() == 0
    assert stored_files() == []


def test_a_file_over_the_size_limit_is_refused(editor, settings):
    settings.BROADSHEET_IMAGE_MAX_BYTES = 1000
    answer = upload(editor, "large.png", png((200, 200), colour=None) + b"\0" * 1000)
    assert "an image may be at most" in answer.content.decode()
    assert LibraryImage.objects.count() == 0 and stored_files() == []


def test_staff_without_the_permission_cannot_upload():
    user = get_user_model().objects.create_user("writer", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    assert upload(client, "a.png", png(), content_type="image/png").status_code == 403
    assert LibraryImage.objects.count() == 0


def test_the_list_and_the_page_show_a_thumbnail_and_the_markdown_to_paste(editor):
    upload(editor, "a.png", png(), content_type="image/png", alt_text="Crowd [at] the dam")
    image = LibraryImage.objects.get()
    markdown = f"![Crowd \\[at\\] the dam]({image.url})"
    assert image.markdown == markdown
    for address in ("/admin/media/image/", f"/admin/media/image/{image.pk}/change/"):
        page = editor.get(address).content.decode()
        assert f'<img src="{image.url}"' in page
        assert markdown in page


def test_an_upload_far_over_the_limit_is_answered_413_before_it_is_read(editor, settings):
    settings.BROADSHEET_IMAGE_MAX_BYTES = 1000
    declared = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 2000
    answer = editor.post(ADD, {"alt_text": "x"}, CONTENT_LENGTH=str(declared))
    assert answer.status_code == 413
    assert "the most the library takes (BROADSHEET_IMAGE_MAX_MB)" in answer.content.decode()


def test_a_photo_larger_than_an_article_form_may_be_is_accepted(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    # Bytes after the image's end, which decoding ignores, make the post larger than the
    # admin's form limit; the UTF-8 check of forms must not read the file as text.
    data = png((300, 300)) + b"\xff\0" * 2000
    answer = upload(editor, "photo.png", data, content_type="image/png")
    assert answer.status_code == 302
    assert LibraryImage.objects.count() == 1


def test_the_list_shows_the_narrowest_copy_and_the_page_names_every_copy(editor):
    upload(editor, "wide.png", png((1000, 500)), content_type="image/png")
    image = LibraryImage.objects.get()
    narrowest, wider = (f"/media/{size['file']}" for size in image.sizes)
    listing = editor.get("/admin/media/image/").content.decode()
    assert f'<img src="{narrowest}"' in listing and f'<img src="{image.url}"' not in listing
    page = editor.get(f"/admin/media/image/{image.pk}/change/").content.decode()
    assert f'<a href="{narrowest}">480 px wide</a>, <a href="{wider}">800 px wide</a>' in page
