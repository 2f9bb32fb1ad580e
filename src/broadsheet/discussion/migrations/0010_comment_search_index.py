# The moderators' search (Find comments, docs/moderation.md) reads an index instead of
# every comment: on SQLite an FTS5 table with the trigram tokenizer, kept in step by
# triggers and filled here from the comments a site already has; on PostgreSQL a GIN
# trigram index (pg_trgm) on each searched column, built here from them. On both, an
# address is looked up in an index of its own, and the comments can be read newest
# first in one.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from broadsheet.discussion import indexing


class InstallTrigram(TrigramExtension):
    """pg_trgm installed on PostgreSQL (nothing on SQLite), unless it is already; left
    installed when the migration is undone: something else may use it. (Django's own
    operation drops it, and asks SQLite for it, when undone.)"""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def make_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in indexing.sqlite_schema():
            schema_editor.execute(statement)
        schema_editor.execute(
            f"INSERT INTO {indexing.FTS_TABLE}({indexing.FTS_TABLE}) VALUES ('rebuild')"
        )
    elif vendor == "postgresql":
        comment = apps.get_model("discussion", "Comment")
        for statement in indexing.postgres_indexes(schema_editor.connection, comment).values():
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for trigger in indexing.SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {indexing.FTS_TABLE}")
    elif vendor == "postgresql":
        comment = apps.get_model("discussion", "Comment")
        for name in indexing.postgres_indexes(schema_editor.connection, comment):
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('discussion', '0009_rerender_characters_html_forbids'),
        ('newsroom', '0013_article_listed'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['ip_address'], name='comment_ip_idx'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['created_at', 'id'], name='comment_newest_idx'),
        ),
        # Trusted since PostgreSQL 13: the database's owner may install it, or an
        # administrator beforehand.
        InstallTrigram(),
        migrations.RunPython(make_index, drop_index),
    ]
