"""What saving a long article costs, and where the time goes.

    BROADSHEET_DATA_DIR=/tmp/site .venv/bin/python bench/article_save.py [--size 250000]
        [--times 9] [--profile]

Saves one article (``bench/posting.py``'s body of ``--size`` characters: links, lists,
quotes, code, tables, Hebrew) through ``newsroom.actions.save_article``, as the admin
does, ``--times`` times in this process, into the database BROADSHEET_DATA_DIR (or
BROADSHEET_DATABASE_URL) holds, migrated first. Prints the median processor time of a
save and of its parts: rendering the body (``render_body``), and indexing it for
search. ``--profile`` prints cProfile's twenty costliest calls of one save.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=250_000)
    parser.add_argument("--times", type=int, default=9)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from posting import article_text, median_ms

    from broadsheet.newsroom import actions, indexing
    from broadsheet.newsroom.models import Article

    call_command("migrate", verbosity=0)
    body = article_text(args.size)
    Article.objects.filter(slug="bench-article-save").delete()
    article = actions.save_article(
        Article(title="Bench", slug="bench-article-save", body=body, status="draft")
    )
    lines = [
        ("save_article", lambda: actions.save_article(article)),
        ("render_body", lambda: actions.render_body(article)),
        ("index_articles", lambda: indexing.index_articles([article.pk])),
    ]
    print(f"{len(body.encode())} bytes, median of {args.times}, processor and wall ms:")
    for name, work in lines:
        cpu, wall = median_ms(work, args.times)
        print(f"  {name:16} {cpu:8.1f} {wall:8.1f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(actions.save_article, article)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    article.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
