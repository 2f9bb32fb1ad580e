# Articles whose stored HTML holds a character HTML forbids (a vertical tab pasted from
# Word, a C1 control or a noncharacter from an import) rendered again, as saving them now
# renders them: without it (docs/reading.md). Only those rows are read and written.

from django.db import migrations
from django.utils import timezone

from broadsheet import markup

BATCH = 500


def rerender(apps, schema_editor):
    from broadsheet.newsroom.actions import render_body
    from broadsheet.newsroom.models import Article as Current  # its format's properties

    Article = apps.get_model("newsroom", "Article")
    images = apps.get_model("media", "Image").objects
    stale = Article.objects.filter(body_html__regex=markup.STORED_NOT_IN_HTML)
    rows = list(stale.only("pk", "body", "body_format", "origin", "lead_image_id"))
    now = timezone.now()
    for row in rows:
        shown = Current(
            body=row.body,
            body_format=row.body_format,
            origin=row.origin,
            lead_image_id=row.lead_image_id,
        )
        row.body_html = render_body(shown, images=images)
        # The article page's ETag and cache key hold it: its kept copies are redrawn.
        row.changed_at = now
    Article.objects.bulk_update(rows, ["body_html", "changed_at"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("newsroom", "0011_search_hebrew_arabic_prefixes"),
    ]

    operations = [
        migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True),
    ]
