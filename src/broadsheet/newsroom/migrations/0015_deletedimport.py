# Imported articles deleted here are remembered by their origin, so that a catch-up
# import does not bring them back (interchange: docs/import-export.md).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0014_article_imported"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeletedImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "origin",
                    models.CharField(max_length=300, unique=True, verbose_name="imported from"),
                ),
                ("title", models.CharField(blank=True, max_length=300, verbose_name="title")),
                (
                    "old_paths",
                    models.JSONField(blank=True, default=list, verbose_name="old addresses"),
                ),
                (
                    "deleted_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="deleted at"
                    ),
                ),
            ],
            options={
                "verbose_name": "deleted imported article",
                "verbose_name_plural": "deleted imported articles",
            },
        ),
    ]
