"""Narrower copies of every image for smaller screens: the field, and the copies of the
images a site already had, made from their originals (an image whose original is
missing from the media folder is left without, and still shown)."""

from django.core.files.storage import default_storage
from django.db import migrations, models


def make_sizes(apps, schema_editor):
    from broadsheet.media.actions import sizes_stored
    from broadsheet.media.images import narrower_copies

    image_model = apps.get_model("media", "Image")
    for image in image_model.objects.using(schema_editor.connection.alias).iterator(50):
        files = [name for name in (image.file, image.web_file) if name]
        if not all(default_storage.exists(name) for name in files):
            continue
        image.sizes = sizes_stored(narrower_copies(*((name, _read(name)) for name in files)))
        image.save(update_fields=["sizes"])


def _read(name):
    with default_storage.open(name, "rb") as fh:
        return fh.read()


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="image",
            name="sizes",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(make_sizes, migrations.RunPython.noop, elidable=True),
    ]
