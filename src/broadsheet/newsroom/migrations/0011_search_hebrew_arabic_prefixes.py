# Hebrew and Arabic words are indexed with the rests their prefixes leave
# (newsroom.prefixes): every document is written again, as the site writes it now.

from django.db import migrations

from broadsheet.newsroom import indexing


def reindex(apps, schema_editor):
    SearchDocument = apps.get_model("newsroom", "SearchDocument")
    ids = SearchDocument.objects.values_list("pk", flat=True)
    indexing.index_in_migration(apps, schema_editor, ids)


class Migration(migrations.Migration):

    dependencies = [
        ("newsroom", "0010_body_image_copies"),
    ]

    # Going back needs nothing: the code before this searches the words as typed, and
    # the marked rests are tokens no reader types.
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
