# Comments whose stored HTML holds a character HTML forbids (a vertical tab pasted from
# Word, a control or a noncharacter posted through the API or imported) rendered again,
# as posting them now renders them (docs/reading.md). The database finds those rows:
# a site of 100,000 comments reads and writes only them, in batches.

from django.db import migrations
from broadsheet import markup


def rerender(apps, schema_editor):
    from broadsheet.discussion.upgrades import render_again

    stale = apps.get_model("discussion", "Comment").objects.filter(
        body_html__regex=markup.STORED_NOT_IN_HTML
    )
    render_again(apps, stale)


class Migration(migrations.Migration):

    dependencies = [
        ("discussion", "0008_field_names"),
        ("newsroom", "0012_rerender_characters_html_forbids"),
    ]

    operations = [
        migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True),
    ]
