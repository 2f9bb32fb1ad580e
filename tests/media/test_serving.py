"""The site serves the library's files itself: cacheable for ever, and nothing else."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from tests.media.samples import add, png

pytestmark = pytest.mark.django_db


def test_a_stored_image_is_served_with_immutable_caching():
    image = add(png())
    answer = Client().get(image.url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "image/png"
    assert answer["X-Content-Type-Options"] == "nosniff"
    cache_control = {part.strip() for part in answer["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=31536000", "immutable"}
    assert b"".join(answer.streaming_content) == default_storage.open(image.file).read()
    etag = answer["ETag"]
    again = Client().get(image.url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    head = Client().head(image.url)
    assert head.status_code == 200 and head["Content-Type"] == "image/png"
    assert not b"".join(head.streaming_content)


def test_a_missing_file_and_a_post_are_refused():
    image = add(png())
    default_storage.delete(image.file)
    assert Client().get(image.url).status_code == 404
    assert Client().post(image.url).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/media/",
        "/media/images/",
        "/media/../secret_key",
        "/media/images/../../secret_key",
        "/media/images/..%2F..%2Fsecret_key",
        "/media/%2Fetc%2Fpasswd",
        "/media//etc/passwd",
        "/media/images/ab/../../../secret_key",
        "/media/notes.txt",
        "/media/images/ab/notes.txt",
    ],
)
def test_nothing_but_a_stored_image_name_is_served(path, settings):
    # A file that is in the media folder, but is no image the library stored.
    default_storage.save("notes.txt", ContentFile(b"private"))
    default_storage.save("images/ab/notes.txt", ContentFile(b"private"))
    (settings.MEDIA_ROOT.parent / "secret_key").write_text("private")
    answer = Client().get(path)
    assert answer.status_code == 404
    assert b"private" not in answer.content
