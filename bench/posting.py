"""What posting a comment and rendering Markdown cost, in one process.

    .venv/bin/python bench/posting.py [--posts 200] [--data-dir DIR]
        [--database-url postgres://postgres@127.0.0.1:5432/NAME]

Posts ``--posts`` comments to one article of the demo site through the form and as
many through the JSON API, in this process through Django's test client (so no
network and no server: the whole request, the checks, the learned filter's score,
rendering, storing, counting, the search index and the moderators' mail), and
renders comments of a typical size and article bodies of 10, 100 and 250 KB (links,
lists, quotes, code, tables, Hebrew). Prints the median of each, as processor time
(what the work costs, whatever else the machine runs) and as wall time (what a
reader waits, which on SQLite includes flushing each transaction to disk).

The demo site is loaded into a fresh data folder first (a minute or two), or into
the empty database ``--database-url`` names; ``--data-dir`` reuses a folder where
``broadsheet demo`` has run (it is copied, and the posts go to the copy). Rate
limits are off. Over HTTP, under gunicorn, ``bench/concurrent_posts.py --demo``
measures posts per second.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

WORDS = [
    "the", "council", "voted", "on", "a", "new", "budget", "for", "schools", "roads", "and",
    "parks", "after", "a", "long", "debate", "*this*", "**matters**", "`code`", "הממשלה",
    "החליטה", "היום", "על", "תקציב", "חדש", "לבתי", "הספר", "והכבישים",
]  # fmt: skip


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def comment_text(rng: random.Random, number: int) -> str:
    """About 400 characters, as a typical comment: two paragraphs, a link, a quote."""
    return (
        f"{sentence(rng, 25)} (#{number})\n\n> {sentence(rng, 10)}\n\n"
        f"{sentence(rng, 20)} See https://example.com/report/{number} and "
        f"[the minutes](https://city.example.org/minutes/{number})."
    )


def article_text(size: int) -> str:
    """An article body of about ``size`` characters with every kind of block."""
    rng = random.Random(size)
    blocks: list[str] = []
    while sum(map(len, blocks)) < size:
        n = len(blocks)
        blocks.append(
            [
                f"## Part {n}",
                f"> {sentence(rng, 40)}\n> [quoted](https://example.com/q/{n})",
                "\n".join(f"- item {i}, [link](https://example.org/{n}/{i})" for i in range(5)),
                "```python\nfor i in range(10):\n    print(i)  # <b>\n```",
                f"1. first\n2. second <https://example.net/{n}>\n3. third",
                "| a | b |\n|:-|-:|\n| 1 | 2 |\n| x | y |",
                f'{sentence(rng, 60)} ![a picture](/media/{n}.jpg "title")',
                f"{sentence(rng, 60)} https://news.example.net/a/{n} ~~gone~~",
            ][n % 8]
        )
    return "\n\n".join(blocks)


def median_ms(work: Callable[[], object], times: int) -> tuple[float, float]:
    """The median processor and wall time of ``work``, in milliseconds."""
    cpu, wall = [], []
    for _ in range(times):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000


def measure(posts: int, only: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    os.environ.setdefault("BROADSHEET_RATE_LIMIT", "off")
    import django

    django.setup()
    from django.core import signing
    from django.test import Client

    from broadsheet import markup
    from broadsheet.discussion.forms import _FORM_SALT
    from broadsheet.newsroom.models import Article

    rng = random.Random(1)
    # An article with a discussion, comments open, neither the largest nor empty.
    article = (
        Article.objects.live()
        .filter(comments_open=True, comment_count__gt=0, comment_count__lt=100)
        .order_by("-comment_count")
        .first()
    )
    assert article is not None, "the demo site is not loaded"
    host = "127.0.0.1:8000"
    client = Client(HTTP_HOST=host, HTTP_ORIGIN=f"http://{host}")
    numbers = iter(range(1, 10**9))

    def by_form() -> None:
        number = next(numbers)
        stamp = signing.dumps(int(time.time()) - 60, salt=_FORM_SALT)
        fields = {"author_name": f"Reader {number}", "body": comment_text(rng, number)}
        response = client.post(
            f"/article/{article.slug}/comments", {**fields, "stamp": stamp},
            REMOTE_ADDR=f"10.1.{number // 250 % 250}.{number % 250 + 1}",
        )  # fmt: skip
        assert response.status_code in (302, 303), response.status_code

    def by_api() -> None:
        number = next(numbers)
        fields = {"author_name": f"Reader {number}", "body": comment_text(rng, number)}
        response = client.post(
            f"/api/v1/articles/{article.slug}/comments", fields, "application/json",
            REMOTE_ADDR=f"10.2.{number // 250 % 250}.{number % 250 + 1}",
        )  # fmt: skip
        assert response.status_code == 201, response.content[:200]

    print(f"article: {article.slug} ({article.comment_count} comments)")
    print(f"{'':34} {'cpu ms':>9} {'wall ms':>9}")

    def line(name: str, work: Callable[[], object], times: int, digits: int) -> None:
        cpu, wall = median_ms(work, times)
        print(f"{name:34} {cpu:9.{digits}f} {wall:9.{digits}f}")

    for kind, post in (("form", by_form), ("API", by_api)):
        if only not in (None, kind.lower()):
            continue
        for _ in range(5):  # the learned filter and the templates loaded
            post()
        line(f"post a comment ({kind})", post, posts, 2)
    if only not in (None, "render"):
        return
    comments = iter([comment_text(rng, number) for number in range(500)])
    line(
        "render a comment (about 400 chars)", lambda: markup.render_comment(next(comments)), 500, 3
    )
    for size in (10_000, 100_000, 250_000):
        body = article_text(size)
        times = max(3, 2_000_000 // size)
        line(
            f"render an article ({size // 1000} KB)", partial(markup.render_article, body), times, 1
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--data-dir", help="a data folder the demo site is loaded in")
    parser.add_argument("--database-url", help="an empty PostgreSQL database to load it in")
    parser.add_argument("--only", choices=("form", "api", "render"), help="for callgrind runs")
    parser.add_argument("--measure", action="store_true", help="here, in BROADSHEET_DATA_DIR")
    args = parser.parse_args()
    if args.measure:
        measure(args.posts, args.only)
        return 0
    work = Path(tempfile.mkdtemp(prefix="broadsheet-posting-"))
    try:
        data = work / "data"
        if args.data_dir:
            shutil.copytree(args.data_dir, data)
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "BROADSHEET_DATA_DIR": str(data),
            "BROADSHEET_RATE_LIMIT": "off",
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
        }
        if args.database_url:
            env["BROADSHEET_DATABASE_URL"] = args.database_url
        if not args.data_dir:
            demo = [sys.executable, "-c", "from broadsheet.cli import main; main()", "demo"]
            subprocess.run(demo, env=env, check=True, stdout=subprocess.DEVNULL)
        command = [sys.executable, __file__, "--measure", "--posts", str(args.posts)]
        command += ["--only", args.only] if args.only else []
        return subprocess.run(command, env=env).returncode
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
