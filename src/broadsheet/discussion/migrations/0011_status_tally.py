# The moderation queue's tab counts (pending, spam) are stored, kept by triggers on
# the comments' table in the transaction of every change (discussion/tally.py), and
# counted here from the comments a site already has.

from django.db import migrations, models

from broadsheet.discussion import tally


def install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        tally.install(cursor, schema_editor.connection.vendor)


def uninstall(apps, schema_editor):
    for statement in tally.drop_schema(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('discussion', '0010_comment_search_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='StatusTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(max_length=10)),
                ('slot', models.PositiveSmallIntegerField(default=0)),
                ('n', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('status', 'slot'), name='status_tally_slot_unique')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
