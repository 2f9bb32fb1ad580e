# Article bodies that show library images rendered again: their HTML, made once when
# they were saved, now lists each image's narrower copies (media.0002 made them for
# the images a site already had) and gives it its size (docs/editing.md, "Images").

from django.db import migrations
from django.utils import timezone

SHOWN = ["body", "body_format", "origin", "lead_image_id"]


def render_bodies_again(apps, schema_editor):
    from broadsheet.media.pictures import pictures
    from broadsheet.newsroom.actions import render_body
    from broadsheet.newsroom.models import Article as Rendered

    alias = schema_editor.connection.alias
    articles = apps.get_model("newsroom", "Article").objects.using(alias)
    images = apps.get_model("media", "Image").objects.db_manager(alias)
    # Every address of the library holds "images/"; a body without one shows none.
    showing = articles.filter(body__contains="images/")
    for article in showing.order_by("pk").iterator(100):
        if not pictures(article.body, images):
            continue  # rendered as it was: the upgrade changes nothing else
        # Today's model only renders (nothing is read or saved through it).
        shown = Rendered(**{name: getattr(article, name) for name in SHOWN})
        html = render_body(shown, images=images)
        if html != article.body_html:
            articles.filter(pk=article.pk).update(body_html=html, changed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0003_field_names"),
        ("newsroom", "0009_search_index"),
    ]

    operations = [
        migrations.RunPython(render_bodies_again, migrations.RunPython.noop, elidable=True),
    ]
