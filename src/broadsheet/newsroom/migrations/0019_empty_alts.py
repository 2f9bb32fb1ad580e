# HTML bodies (imported from WordPress) whose images without alt text sit in a figure
# with a caption, or in a link with text of its own: such an image is now shown with an
# empty alt (broadsheet.alt_text), which the bodies stored before were not. Only the
# rows whose stored HTML shows an image are read; those it changes are written.

from django.db import migrations
from django.utils import timezone

BATCH = 500


def give_empty_alts(apps, schema_editor):
    from broadsheet.alt_text import with_empty_alts

    Article = apps.get_model("newsroom", "Article")
    showing = Article.objects.filter(body_format="html", body_html__contains="<img")
    now = timezone.now()
    changed = []
    for row in showing.only("pk", "body_html").iterator():
        html = with_empty_alts(row.body_html)
        if html != row.body_html:
            row.body_html = html
            # The article page's ETag and cache key hold it: its kept copies are redrawn.
            row.changed_at = now
            changed.append(row)
    Article.objects.bulk_update(changed, ["body_html", "changed_at"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0018_search_words_as_written"),
    ]

    operations = [
        migrations.RunPython(give_empty_alts, migrations.RunPython.noop, elidable=True),
    ]
