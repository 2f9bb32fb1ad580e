# HTML bodies (imported from WordPress) whose images without alt text sit in a figure
# with a caption, or in a link with text of its own: such an image is now shown with an
# empty alt (broadsheet.alt_text), which the bodies stored before were not. Only the
# rows whose stored HTML shows an image are read; those it changes are written.

from django.db import migrations
from django.utils import timezone


def give_empty_alts(apps, schema_editor):
    from broadsheet.alt_text import with_empty_alts

    Article = apps.get_model("newsroom", "Article")
    showing = Article.objects.filter(body_format="html", body_html__contains="<img")
    given = {}
    for pk, html in showing.values_list("pk", "body_html").iterator():
        if (described := with_empty_alts(html)) != html:
            given[pk] = described
    # The article page's ETag and cache key hold its body: its kept copies are redrawn.
    now = timezone.now()
    for pk, html in given.items():
        Article.objects.filter(pk=pk).update(body_html=html, changed_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0018_search_words_as_written"),
    ]

    operations = [
        migrations.RunPython(give_empty_alts, migrations.RunPython.noop, elidable=True),
    ]
