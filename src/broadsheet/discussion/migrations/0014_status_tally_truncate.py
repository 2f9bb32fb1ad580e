# PostgreSQL: a TRUNCATE of the comments' table empties the tally too, where it left
# the counts of the comments it removed (discussion/tally.py).

from django.db import migrations

from broadsheet.discussion import tally


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for statement in tally.postgres_truncate_schema():
                cursor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {tally.TRUNCATE_TRIGGER} ON {tally.COMMENTS}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {tally.TRUNCATE_TRIGGER}()")


class Migration(migrations.Migration):

    dependencies = [
        ("discussion", "0013_status_tally_slots"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
