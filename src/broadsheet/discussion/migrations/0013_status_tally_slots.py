# PostgreSQL: the tally's triggers write the slots their transaction holds an advisory
# lock of, where two transactions on one slot could deadlock (discussion/tally.py).

from django.db import migrations

from broadsheet.discussion import tally


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for statement in tally.postgres_schema():
                cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("discussion", "0012_comment_queue_index_ids"),
    ]

    operations = [
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
