"""Benchmark: the moderation queue with thousands of comments waiting.

    .venv/bin/python bench/moderation_queue.py [--sizes 100,2000,20000] [--repeat 15] [--json]

Migrates a fresh SQLite data folder, creates a staff account and a published
article, then for each queue size N brings the pending comments up to N (with
``bulk_create``: several comments per author, some of them replies, each with a
score and reasons, and two approved comments per pending one by the same
authors, so the author-history column has work to do). Signed in through
Django's test client, in this process, it times: the pending tab's first page,
a later page (page 10 when there is one), the first page in the filter's order
(highest score first), approving one comment from the
queue's form (the full request, a different comment each time), and the Filter
page (how the scores did against the decisions: it reads the latest 5,000
settled comments, which the approved history gives it). Prints the
median and 95th percentile of each, the SQL queries per page, and how much
slower the first page is at the largest N than at the smallest: the claim is
that it stays nearly flat. The temporary folder is removed at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402

PAGE = 10  # the "later page", when the queue has that many
APPROVED_PER_PENDING = 2
PENDING_PER_AUTHOR = 4
REPLY_EVERY = 5  # every fifth waiting comment answers an approved one

BODIES = [
    "I think the council got this one wrong, and the figures in the third paragraph show why.",
    "Thanks for covering this. My street has waited two years for the repairs.",
    "Source? The report linked at [the city site](https://city.example.org/report) "
    "says otherwise, and so does [this one](https://news.example.net/a).",
    "Two points.\n\nFirst, the budget was set before the vote.\n\nSecond, nobody asked us.",
    "Great article, visit https://deals.example.com for cheap watches!!!",
    "שלום, the translation of the mayor's statement is missing a sentence.",
    "This is *exactly* what happened last year too. Same promises, same result.",
    "مرحبا — could you add the timetable for the new bus routes?",
]
REASONS = [
    [
        {
            "check": "first_comment",
            "action": "hold",
            "reason": "The author's first comment on this site.",
        }
    ],
    [{"check": "too_many_links", "action": "hold", "reason": "Has 3 links (more than 2)."}],
    [
        {
            "check": "hold_all",
            "action": "hold",
            "reason": "The site holds every comment for review.",
        },
        {
            "check": "learned_score",
            "action": "hold",
            "reason": "Learned score 0.71 (moderators' past decisions).",
        },
    ],
    [],
]


@dataclass
class Fill:
    """The article the comments go to, how many waiting comments were made so far (the next
    one's number), the time the comments start at, and their texts, rendered once."""

    article_id: int
    start: datetime
    made: int = 0
    bodies: list[tuple[str, str]] = field(default_factory=list)


def arguments(parser: argparse.ArgumentParser, *, kept: str) -> argparse.Namespace:
    """The arguments the moderation benchmarks share (``--repeat``, ``--database-url``,
    ``--json``, ``--reuse``: ``kept``, what an earlier run left in the database),
    with ``parser``'s own, read and checked."""
    parser.add_argument("--repeat", type=int, default=15, help="requests timed per page")
    parser.add_argument(
        "--database-url", default="", help="an empty PostgreSQL database (default SQLite)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help=f"the database given holds an earlier run's {kept}: time them again",
    )
    args = parser.parse_args()
    if args.reuse and not args.database_url:
        parser.error("--reuse needs --database-url")
    if args.repeat < 2:
        parser.error("--repeat must be at least 2")
    return args


def setup(data_dir: Path, database_url: str = "") -> None:
    """Point Broadsheet at an empty data folder (and ``database_url``, an empty
    database, else SQLite there), start Django and create the database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "broadsheet.settings"
    # WhiteNoise notes that static files are not collected: the queue is served from the apps.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ["BROADSHEET_DATA_DIR"] = str(data_dir)
    os.environ["BROADSHEET_RATE_LIMIT"] = "off"
    os.environ["BROADSHEET_DEBUG"] = "false"
    os.environ["BROADSHEET_ALLOWED_HOSTS"] = "testserver"
    for name in ("BROADSHEET_DATABASE_URL", "BROADSHEET_REDIS_URL"):
        os.environ.pop(name, None)
    if database_url:
        os.environ["BROADSHEET_DATABASE_URL"] = database_url

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def create_site() -> tuple[Any, Fill]:
    """A staff account and one published article, made the way the site makes them."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from broadsheet.markup import render_comment
    from broadsheet.newsroom import actions as newsroom_actions
    from broadsheet.newsroom.models import Article, Author, Section

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    now = timezone.now()
    article = newsroom_actions.save_article(
        Article(
            title="Council votes on the budget, again",
            slug="council-budget",
            body="The council met on Tuesday.\n\nReaders have a lot to say.",
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(days=120),
            author=Author.objects.create(name="Dana Writer", slug="dana-writer"),
            section=Section.objects.create(name="City", slug="city"),
        )
    )
    fill = Fill(article_id=article.pk, start=now - timedelta(days=100))
    fill.bodies = [(body, render_comment(body)) for body in BODIES]
    return user, fill


def top_up(fill: Fill, target: int) -> int:
    """Add pending comments (and their authors' approved ones) until ``target`` are pending."""
    from django.db import transaction
    from django.db.models import F

    from broadsheet.discussion import actions as discussion_actions
    from broadsheet.discussion.models import Comment

    Status = Comment.Status
    missing = target - Comment.objects.filter(status=Status.PENDING).count()
    if missing <= 0:
        return 0

    def comment(n: int, status: str, created_at: datetime, **thread: Any) -> Comment:
        author = n // PENDING_PER_AUTHOR
        body, body_html = fill.bodies[n % len(fill.bodies)]
        pending = status == Status.PENDING
        return Comment(
            article_id=fill.article_id,
            status=status,
            author_name=f"Reader {author}",
            author_email=f"reader{author}@example.org",
            ip_address=f"198.51.{author // 250 % 250}.{author % 250 + 1}",
            user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
            body=body,
            body_html=body_html,
            created_at=created_at,
            status_changed_at=created_at,
            # The approved history was scored when it was posted too (the Filter page reads it).
            score=round((n * 37 % 100) / 100, 2) if pending else round((n * 13 % 40) / 100, 2),
            reasons=REASONS[n % len(REASONS)] if pending else [],
            **thread,
        )

    numbers = range(fill.made, fill.made + missing)
    with transaction.atomic():
        # The approved history first (older), so that replies can point at it.
        approved = []
        for n in numbers:
            for k in range(APPROVED_PER_PENDING):
                at = fill.start + timedelta(seconds=n * APPROVED_PER_PENDING + k)
                approved.append(comment(n, Status.APPROVED, at, thread_key=at, depth=0))
        Comment.objects.bulk_create(approved, batch_size=500)
        waiting = []
        for i, n in enumerate(numbers):
            # Waiting comments come after all the history, oldest first in the queue.
            at = fill.start + timedelta(days=40, seconds=n)
            if n % REPLY_EVERY == REPLY_EVERY - 1:
                # Someone else's approved comment: a reader answering another.
                parent = approved[(i + PENDING_PER_AUTHOR) * APPROVED_PER_PENDING % len(approved)]
                thread = {"parent": parent, "thread_id": parent.pk, "thread_key": parent.thread_key}
                waiting.append(comment(n, Status.PENDING, at, depth=1, **thread))
            else:
                waiting.append(comment(n, Status.PENDING, at, thread_key=at, depth=0))
        Comment.objects.bulk_create(waiting, batch_size=500)
        # A top-level comment is its own thread (as discussion.actions.post_comment sets it).
        Comment.objects.filter(thread_id=None).update(thread_id=F("pk"))
        discussion_actions.recount(fill.article_id)
    fill.made += missing
    return missing


def summary(values: list[float]) -> dict[str, float]:
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
    return {"median_ms": round(statistics.median(values), 2), "p95_ms": round(p95, 2)}


def timed(request: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        request()
        out.append((time.perf_counter() - start) * 1000)
    return out


def queries(request: Callable[[], Any]) -> dict[str, Any]:
    """The SQL of one request: how many queries, their time together, and the slowest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    took: list[tuple[float, str]] = []

    def clock(execute: Callable[..., Any], sql: str, *rest: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, *rest)
        finally:
            took.append(((time.perf_counter() - start) * 1000, sql))

    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(clock):
        request()
    slowest_ms, slowest_sql = max(took)
    return {
        "count": len(ctx),
        "sql_ms": round(sum(ms for ms, _ in took), 2),
        "slowest_ms": round(slowest_ms, 2),
        "slowest_sql": slowest_sql[:200],
    }


def measure(client: Any, size: int, repeat: int) -> dict[str, Any]:
    from django.urls import reverse

    from broadsheet.discussion.models import Comment
    from broadsheet.moderation.views.paging import QUEUE_PAGE_SIZE

    Status = Comment.Status
    queue_url = reverse("moderation:queue")
    pending = Comment.objects.filter(status=Status.PENDING).count()
    pages = -(-pending // QUEUE_PAGE_SIZE)
    later = min(PAGE, pages)

    def get(page: int, order: str = "") -> Callable[[], Any]:
        url = f"{queue_url}?tab=pending&page={page}" + (f"&order={order}" if order else "")
        rows = min(QUEUE_PAGE_SIZE, pending - (page - 1) * QUEUE_PAGE_SIZE)

        def request() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert response.content.count(b'class="queue-item') == rows, url

        return request

    # A different waiting comment for each decision (and two more: warming up, counting queries).
    picks = random.Random(size).sample(
        list(Comment.objects.filter(status=Status.PENDING).values_list("pk", flat=True)),
        repeat + 2,
    )
    decisions = iter(picks)

    def decide() -> None:
        response = client.post(
            reverse("moderation:decide_many"),
            {"one": f"approve:{next(decisions)}", "next": f"{queue_url}?tab=pending"},
        )
        assert response.status_code == 302, response.status_code

    def filter_page() -> None:
        response = client.get(reverse("moderation:filter"))
        assert response.status_code == 200 and b"At your thresholds" in response.content

    first, other, by_score = get(1), get(later), get(1, "score")
    for request in (first, first, first, other, by_score, filter_page):  # warm up
        request()
    first_sql, later_sql, score_sql = queries(first), queries(other), queries(by_score)
    filter_sql = queries(filter_page)
    gc.collect()
    first_ms = timed(first, repeat)
    later_ms = timed(other, repeat)
    score_ms = timed(by_score, repeat)
    filter_ms = timed(filter_page, repeat)
    decide()  # warm up
    decide_sql = queries(decide)
    decide_ms = timed(decide, repeat)
    approved = Comment.objects.filter(pk__in=picks, status=Status.APPROVED).count()
    assert approved == len(picks), f"only {approved} of {len(picks)} decisions were stored"
    client.get(queue_url)  # shows the decisions' messages, so they do not pile up
    return {
        "size": size,
        "pending": pending,
        "page": {**summary(first_ms), "sql": first_sql},
        "later_page": {"page": later, **summary(later_ms), "sql": later_sql},
        "score_page": {**summary(score_ms), "sql": score_sql},
        "filter_page": {**summary(filter_ms), "sql": filter_sql},
        "decide": {**summary(decide_ms), "sql": decide_sql},
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    print(
        f"{'N':>6} | {'page 1: median':>14} {'p95':>8} {'SQL':>8} {'queries':>7} "
        f"| {'page':>4} {'median':>8} {'queries':>7} | {'by score':>8} {'SQL':>8} "
        f"| {'approve: median':>15} {'p95':>8} {'SQL':>8} | {'Filter page':>11} {'SQL':>8} "
        f"| {'fill':>6}"
    )
    for r in rows:
        page, later, decide, score = r["page"], r["later_page"], r["decide"], r["score_page"]
        outcomes = r["filter_page"]
        print(
            f"{r['size']:>6} | {page['median_ms']:>11.1f} ms {page['p95_ms']:>5.1f} ms "
            f"{page['sql']['sql_ms']:>5.1f} ms {page['sql']['count']:>7} "
            f"| {later['page']:>4} {later['median_ms']:>5.1f} ms {later['sql']['count']:>7} "
            f"| {score['median_ms']:>5.1f} ms {score['sql']['sql_ms']:>5.1f} ms "
            f"| {decide['median_ms']:>12.1f} ms {decide['p95_ms']:>5.1f} ms "
            f"{decide['sql']['sql_ms']:>5.1f} ms "
            f"| {outcomes['median_ms']:>8.1f} ms {outcomes['sql']['sql_ms']:>5.1f} ms "
            f"| {r['fill_seconds']:>4.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="100,2000,20000",
        type=lambda s: sorted({int(n) for n in s.split(",")}),
        help="pending comments at each step, comma-separated (100,2000,20000)",
    )
    parser.add_argument("--repeat", type=int, default=15, help="requests timed per measurement")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if args.repeat < 2 or not args.sizes or args.sizes[0] < args.repeat + 2:
        # Each step approves `repeat + 2` waiting comments, a different one each time.
        parser.error("--repeat must be at least 2 and every size at least --repeat + 2")
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print

    started = time.perf_counter()
    data_dir = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    try:
        setup(data_dir)
        from django.test import Client

        user, fill = create_site()
        client = Client()
        client.force_login(user)
        rows = []
        for size in args.sizes:
            filling = time.perf_counter()
            added = top_up(fill, size)
            fill_seconds = time.perf_counter() - filling
            say(f"N={size}: added {added} pending comments in {fill_seconds:.1f} s, timing...")
            rows.append(
                {**measure(client, size, args.repeat), "fill_seconds": round(fill_seconds, 2)}
            )
        from broadsheet.discussion.models import Comment

        stored = Comment.objects.count()
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)

    low, high = rows[0], rows[-1]
    ratios = {
        key: round(high[key]["median_ms"] / low[key]["median_ms"], 2)
        for key in ("page", "later_page", "score_page", "decide")
    }
    seconds = round(time.perf_counter() - started, 1)
    if args.json:
        results = {"rows": rows, "ratios": ratios, "repeat": args.repeat}
        print(json.dumps({**results, "comments_stored": stored, "seconds": seconds}))
        return
    print(f"\n{args.repeat} timed requests each; in-process (django.test.Client), SQLite.")
    print_table(rows)
    print(
        "SQL: time of the request's queries (from one more request); queries: SQL queries "
        "per GET; fill: storing that step's new comments"
    )
    for what, sql in (("page 1", high["page"]["sql"]), ("approve", high["decide"]["sql"])):
        print(
            f"slowest query of {what} at N={high['size']}: {sql['slowest_ms']} ms "
            f"(of {sql['count']}): {sql['slowest_sql']}"
        )
    print(
        f"median at N={high['size']} over N={low['size']}: page 1 x{ratios['page']}, "
        f"later page x{ratios['later_page']}, by score x{ratios['score_page']}, "
        f"approve x{ratios['decide']}"
    )
    print(f"{stored} comments stored in all; {seconds} s in all")


if __name__ == "__main__":
    main()
