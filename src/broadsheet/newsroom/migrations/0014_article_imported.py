# Articles gain ``imported``: what the last import wrote into each field, so that a
# re-import of the same blog leaves what an editor changed here since as it is. Empty
# for articles imported before: the first re-import judges those by their times
# (``interchange.wxr.kept``).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0013_article_listed"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="imported",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
    ]
