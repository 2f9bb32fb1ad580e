"""Benchmark: the pages of a long discussion's feed, near its head and deep in it.

    .venv/bin/python bench/feeds.py [--comments 10000] [--rounds 30]
        [--database-url postgres://postgres@127.0.0.1:5432/EMPTY_DB]

In a fresh data folder (on the given database, else SQLite there): migrates, imports
one article with ``--comments`` approved comments (one a minute, one pair in twenty
at the same instant), then for pages at several depths of its comment feed
(``/article/<slug>/feed/?before=N``, ``FEED_ITEMS`` a page) reports the median and
95th percentile, over ``--rounds``, of

- the page's query alone, as the database runs it (the keyset the feed uses), and
  the same page read with OFFSET for comparison;
- the whole feed document drawn (no kept copy).

and prints the database's plan for the deepest page's query. The machine is shared:
read the figures as orders of magnitude, and the ratios across depths.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(work, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    os.environ["BROADSHEET_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-feeds-")
    if args.database_url:
        os.environ["BROADSHEET_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from broadsheet.conf import conf
    from broadsheet.discussion import pagecache
    from broadsheet.discussion.actions.importing import ImportedComment, import_comments
    from broadsheet.discussion.models import Comment
    from broadsheet.feeds import paging
    from broadsheet.newsroom import actions as newsroom
    from broadsheet.newsroom.models import Article

    call_command("migrate", verbosity=0)
    article = newsroom.save_article(
        Article(
            title="A long discussion",
            slug="long",
            body="Text.",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=30),
        )
    )
    start = timezone.now() - timedelta(minutes=args.comments + 10)
    records = [
        ImportedComment(
            article_id=article.pk,
            author_name=f"Reader {n}",
            body=f"Comment number {n}.",
            body_html=f"<p>Comment number {n}.</p>",
            # Pairs share their time (as an import's whole seconds do), across a page's end.
            created_at=start + timedelta(minutes=n - (n % 20 == 0)),
        )
        for n in range(args.comments)
    ]
    began = time.perf_counter()
    import_comments(records)
    print(
        f"{connection.vendor}: {args.comments:,} comments imported in"
        f" {time.perf_counter() - began:.1f} s; {conf.FEED_ITEMS} a page"
    )

    newest = list(
        Comment.objects.filter(article=article)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    size = conf.FEED_ITEMS
    pages = -(-len(newest) // size)
    depths = sorted({1, 2, 10, pages // 2, pages - 1, pages})
    shown = Comment.objects.visible().filter(article=article).order_by("-created_at", "-id")
    client = Client()

    def run(rows):
        """The query of ``rows`` as the database runs it, without the ORM's work."""
        sql, params = rows.query.sql_with_params()

        def execute() -> list:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return execute

    print("| page | keyset query | OFFSET query | whole document |")
    print("| --- | --- | --- | --- |")
    for depth in depths:
        offset = (depth - 1) * size
        cursor = paging.Cursor() if depth == 1 else paging.Cursor(before=newest[offset - 1])
        scope = Comment.objects.filter(article=article)

        rows = paging.window(shown, cursor, key="created_at", size=size, scope=scope)
        keyset = run(rows.values_list("pk", flat=True))
        by_offset = run(shown.values_list("pk", flat=True)[offset : offset + size + 1])
        assert keyset() == by_offset(), depth

        url = f"/article/long/feed/{cursor.query()}"

        def document(url=url) -> None:
            pagecache.copies.clear()
            cache.clear()
            assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200

        cells = [timed(work, args.rounds) for work in (keyset, by_offset, document)]
        print(f"| {depth} | " + " | ".join(f"{m:.2f} / {p:.2f} ms" for m, p in cells) + " |")

    deepest = paging.window(
        shown,
        paging.Cursor(before=newest[(pages - 1) * size - 1]),
        key="created_at",
        size=size,
        scope=Comment.objects.filter(article=article),
    ).values_list("pk", flat=True)
    print("\nThe deepest page's plan:")
    print(deepest.explain())


if __name__ == "__main__":
    main()
