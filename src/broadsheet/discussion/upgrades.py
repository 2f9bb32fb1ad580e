"""What the upgrade's migrations do again to stored comments, when the way a comment's
text is shown changed (``migrations/0009``, ``0015``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

BATCH = 500


def render_again(apps, chosen: QuerySet) -> None:
    """Render the text of the ``chosen`` comments (a query of the migration's own
    model) again as posting or importing them now renders it, and store the HTML that
    changed. The database finds the rows; they are read by their ids, a batch at a
    time, so that no query reads the table while it is written. Their articles' pages
    are drawn again: their ETags and cache keys hold the article's ``changed_at``, as a
    comment's edit bumps it. No count changes."""
    from broadsheet.discussion.actions import render_body
    from broadsheet.discussion.models import Comment as Current  # its format's properties

    Comment = apps.get_model("discussion", "Comment")
    Article = apps.get_model("newsroom", "Article")
    ids = list(chosen.order_by("pk").values_list("pk", flat=True))
    articles: set[int] = set()
    for start in range(0, len(ids), BATCH):
        rows = Comment.objects.filter(pk__in=ids[start : start + BATCH]).only(
            "pk", "article_id", "origin", "body", "body_html"
        )
        changed = []
        for row in rows:
            html = render_body(Current(origin=row.origin), row.body)
            if html != row.body_html:
                row.body_html = html
                changed.append(row)
                articles.add(row.article_id)
        Comment.objects.bulk_update(changed, ["body_html"])
    now = timezone.now()
    shown_on = sorted(articles)
    for start in range(0, len(shown_on), BATCH):
        Article.objects.filter(pk__in=shown_on[start : start + BATCH]).update(changed_at=now)
