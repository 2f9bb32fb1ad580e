# Markdown articles that may have footnotes ([^1] and a note "[^1]: ..."), which were
# shown as typed before the site rendered them, or struck text (~~gone~~, or an HTML
# body's <s>), whose <s> the sanitizer dropped, rendered again as saving them now
# renders them (docs/editing.md). Only those rows are read and written.

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

BATCH = 500

# The articles it may render again (and 0017 indexes again).
RENDERED_AGAIN = (
    (Q(body__contains="[^") | Q(body__contains="~~")) & ~Q(body_format="html")
    # An HTML body's own <s> (WordPress's editor strikes text so), dropped as well.
) | Q(body_format="html", body__iregex=r"<s[\s>]")


def rerender(apps, schema_editor):
    from broadsheet.newsroom.actions import render_body
    from broadsheet.newsroom.models import Article as Current  # its format's properties

    Article = apps.get_model("newsroom", "Article")
    images = apps.get_model("media", "Image").objects
    noted = Article.objects.filter(RENDERED_AGAIN)
    fields = ("pk", "slug", "body", "body_format", "body_html", "origin", "lead_image_id")
    now = timezone.now()
    changed = []
    for row in noted.only(*fields).iterator():
        shown = Current(
            slug=row.slug,
            body=row.body,
            body_format=row.body_format,
            origin=row.origin,
            lead_image_id=row.lead_image_id,
        )
        html = render_body(shown, images=images)
        if html != row.body_html:
            row.body_html = html
            # The article page's ETag and cache key hold it: its kept copies are redrawn.
            row.changed_at = now
            changed.append(row)
    Article.objects.bulk_update(changed, ["body_html", "changed_at"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("newsroom", "0015_deletedimport"),
    ]

    operations = [
        migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True),
    ]
