# The articles 0016 rendered again indexed again: their search documents held the
# words of the bodies as rendered before (a footnote's label typed as text, "[^vote]",
# was found by "vote"). Only the articles 0016 may have rendered again are read and
# written, in batches (docs/operations.md, "Search").

import importlib

from django.db import migrations

from broadsheet.newsroom import indexing


def reindex(apps, schema_editor):
    rendered = importlib.import_module("broadsheet.newsroom.migrations.0016_rerender_footnotes")
    Article = apps.get_model("newsroom", "Article")
    ids = Article.objects.filter(rendered.RENDERED_AGAIN).values_list("pk", flat=True)
    indexing.index_in_migration(apps, schema_editor, ids)


class Migration(migrations.Migration):

    dependencies = [
        ("newsroom", "0016_rerender_footnotes"),
    ]

    # Going back needs nothing: the documents hold the words of the bodies as stored.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True)]
