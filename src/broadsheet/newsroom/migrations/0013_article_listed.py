# Articles gain ``listed``: off for a page that stands on its own, left out of the front
# page, archives, their feeds and the news sitemap. The WordPress pages an earlier
# ``import wxr --pages`` stored as articles become such pages: they are known by the
# old address ``?page_id=N`` the import gave them (a post's is ``?p=N``).

from django.db import migrations, models
from django.utils import timezone


def unlist_imported_pages(apps, schema_editor):
    Article = apps.get_model("newsroom", "Article")
    pages = Article.objects.filter(
        origin__startswith="wxr:", redirects__old_path__contains="?page_id="
    )
    # changed_at keys the pages' ETags and cached copies: they are drawn again.
    Article.objects.filter(pk__in=pages.values("pk")).update(
        listed=False, changed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0012_rerender_characters_html_forbids"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="listed",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Shown on the front page, on its section, tag and byline pages and in "
                    "their feeds. Untick it for a page that stands on its own, such as "
                    "“About us”: it keeps its address, its comments and its place in the "
                    "search."
                ),
                verbose_name="listed",
            ),
        ),
        migrations.RunPython(unlist_imported_pages, migrations.RunPython.noop, elidable=True),
    ]
