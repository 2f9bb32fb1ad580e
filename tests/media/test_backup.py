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


def test_a_json_backup_carries_the_library_and_lead_images_through_a_restore(
    settings, tmp_path, client
):
    from broadsheet.newsroom.models import Article
    from tests.conftest import make_article
    from tests.interchange.conftest import run_export, run_import
    from tests.interchange.test_roundtrip import wipe

    lead = add(png(), alt_text="The quay at dawn", credit="Ann Lee")
    article = make_article(slug="with-a-lead")
    Article.objects.filter(pk=article.pk).update(lead_image=lead)
    backup = tmp_path / "backup.json"
    backup.write_text(run_export("json"), encoding="utf-8")
    assert json.loads(backup.read_text())["images"][0]["alt_text"] == "The quay at dawn"

    wipe()
    Image.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "new-site-media"
    # A dry run checks the images and writes no file.
    run_import("json", backup, "--dry-run", "--no-train")
    assert stored_files() == [] and not Image.objects.exists()

    said = run_import("json", backup, "--no-train")
    assert "images" in said
    restored = Article.objects.get(slug="with-a-lead")
    assert restored.lead_image_id == lead.pk
    served = client.get(restored.lead_image.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == default_storage.open(lead.file).read()


def test_a_backup_whose_image_bytes_were_changed_restores_nothing(settings, tmp_path):
    from django.core.management import CommandError

    from tests.conftest import make_article
    from tests.interchange.conftest import run_export, run_import
    from tests.interchange.test_roundtrip import wipe

    add(png())
    make_article(slug="story")
    document = json.loads(run_export("json"))
    document["images"][0]["data"] = document["images"][0]["data"][:-8] + "AAAAAAA="
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(document), encoding="utf-8")
    wipe()
    Image.objects.all().delete()
    with pytest.raises(CommandError, match="image"):
        run_import("json", backup, "--no-train")
    assert not Image.objects.exists()
    from broadsheet.newsroom.models import Article

    assert not Article.objects.exists()
