# Comments whose stored HTML holds a character HTML forbids (a vertical tab pasted from
# Word, a control or a noncharacter posted through the API or imported) rendered again,
# as posting them now renders them (docs/reading.md). The database finds those rows:
# a site of 100,000 comments reads and writes only them, in batches.

from django.db import migrations
from django.utils import timezone

from broadsheet import markup

BATCH = 500


def rerender(apps, schema_editor):
    from broadsheet.discussion.actions import render_body
    from broadsheet.discussion.models import Comment as Current  # its format's properties

    Comment = apps.get_model("discussion", "Comment")
    Article = apps.get_model("newsroom", "Article")
    stale = Comment.objects.filter(body_html__regex=markup.STORED_NOT_IN_HTML)
    ids = list(stale.order_by("pk").values_list("pk", flat=True))
    articles: set[int] = set()
    for start in range(0, len(ids), BATCH):
        rows = list(
            Comment.objects.filter(pk__in=ids[start : start + BATCH]).only(
                "pk", "article_id", "origin", "body"
            )
        )
        for row in rows:
            row.body_html = render_body(Current(origin=row.origin), row.body)
            articles.add(row.article_id)
        Comment.objects.bulk_update(rows, ["body_html"])
    # Their pages' ETags and cache keys hold the article's changed_at (as a comment's
    # edit bumps it): the kept copies are redrawn. No count changes.
    now = timezone.now()
    shown_on = sorted(articles)
    for start in range(0, len(shown_on), BATCH):
        Article.objects.filter(pk__in=shown_on[start : start + BATCH]).update(changed_at=now)


class Migration(migrations.Migration):

    dependencies = [
        ("discussion", "0008_field_names"),
        ("newsroom", "0012_rerender_characters_html_forbids"),
    ]

    operations = [
        migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True),
    ]
