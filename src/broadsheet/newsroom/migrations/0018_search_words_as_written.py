# Hebrew and Arabic words are indexed as written, a query looking for them with and
# without their prefixes (newsroom.prefixes): the documents holding the marked rests
# 0011 wrote ("0ירושלים" after "בירושלים") written again without them, which takes a
# long Hebrew or Arabic body's words to the whole limit again. Only those documents
# are read and written.

from django.db import migrations
from django.db.models import Q

from broadsheet.newsroom import indexing

# A marked rest: "0" and a Hebrew or Arabic letter, after its word.
RESTED = r" 0[\u05d0-\u05ea\u0621-\u064a]"


def reindex(apps, schema_editor):
    SearchDocument = apps.get_model("newsroom", "SearchDocument")
    rested = Q()
    for column in indexing.COLUMNS:
        rested |= Q(**{f"{column}__regex": RESTED})
    ids = SearchDocument.objects.filter(rested).values_list("pk", flat=True)
    indexing.index_in_migration(apps, schema_editor, ids)


class Migration(migrations.Migration):

    dependencies = [
        ("newsroom", "0017_search_rerendered_footnotes"),
    ]

    # Going back needs nothing but a search rebuild, for the code before to find
    # prefixed words by their rests (docs/operations.md).
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True)]
