"""Benchmark: the moderators' comment search (Find comments, ``/moderation/?q=…``).

    .venv/bin/python bench/moderator_search.py [--comments 100000] [--repeat 15] [--json]
        [--database-url postgres://postgres@127.0.0.1:5432/EMPTY_DB]

In a fresh data folder (on the given database, which must be empty, else SQLite
there): migrates, creates a staff account and 50 published articles, and stores
``--comments`` comments with ``bulk_create`` (in every status; several comments per
author; two to four sentences each, from a pool of English, Hebrew and Arabic ones,
with links and addresses). Signed in through Django's test client, in this process,
it times the search page, the first page of 50 with its count, and the search
alone (the list counted and its first page read, without drawing the page), for:

- a rare phrase (in one comment in 10,000), a common phrase (in about three comments
  in five), an author's name, an author's e-mail address, a 2-letter query, a phrase
  nothing holds, and the common phrase within one story (``story=``).

Prints for each the comments it finds, the median and 95th percentile of the page,
of its SQL queries together (the slowest query is named; the page's other queries,
the tabs' counts among them, are in it), and of the search alone.

Then (``--site``, or ``--site-only`` without the searches) the rest of the site at
that size, the same way, anonymous pages drawn anew each time (the shared page
cache off): the queue's tab counts alone and its tabs (Spam's last page too); the
first story's article page (its ``N / 50`` comments), first and last page, oldest
and newest first; the API's comment list (first and last page, newest first); the
story's and the site's comment feeds; the reader search (a word, two letters); a
moderator's author-history panel (``?author=``); the audit log (first page, page
500, one action); the admin's comment list (all, by status, searched). Before them,
the moderators' past work is made once (``history``): audit entries for the decided
comments, every three minutes back from now, and open reports on 300 comments.

The machine is shared: read the figures as orders of magnitude. The temporary folder
is removed at the end; a PostgreSQL database given is left holding the comments, and
``--reuse`` times it again without storing any (after a change to the code: its
migrations run first).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from moderation_queue import arguments, setup  # noqa: E402

ARTICLES = 50
COMMENTS_PER_AUTHOR = 4
RARE_EVERY = 10_000
BATCH = 2_000
# The moderators' past work (``history``): a decision this often before now, and the
# published comments readers have reported.
DECIDED_EVERY = timedelta(minutes=3)
REPORTED = 300
FIRST = [
    "Dana", "Avi", "Maria", "John", "Fatima", "Noa", "Pierre", "Olga", "Kenji", "Amara",
    "Lior", "Sven", "Chloé", "Omar", "Yael", "Tomás", "Grace", "Ivan", "Leila", "Ben",
]  # fmt: skip
LAST = [
    "Okafor", "Cohen", "Novak", "Smith", "Haddad", "Levi", "Dubois", "Petrova", "Sato",
    "Mensah", "Berg", "García", "Kowalski", "Nasser", "Friedman", "O'Brien", "Rossi",
    "Larsen", "Müller", "Park", "Silva", "Khan", "Weiss", "Moreau", "Tanaka",
]  # fmt: skip
# "the council" is in about three comments in five: most bodies have one of its sentences.
COMMON = "the council"
SENTENCES = [
    "I think the council got this one wrong, and the figures in the third paragraph show why.",
    "Did the council even read the report before the vote?",
    "Thanks for covering this; the council never explains itself.",
    "My street has waited two years for the repairs.",
    "Source? The report at https://city.example.org/report/2024 says otherwise.",
    "First, the budget was set before the vote. Second, nobody asked us.",
    "Great article, visit https://deals.example.com/watches for cheap watches!!!",
    "שלום, the translation of the mayor's statement is missing a sentence.",
    "This is *exactly* what happened last year too. Same promises, same result.",
    "مرحبا — could you add the timetable for the new bus routes?",
    "הכתבה מצוינת, אבל חסר בה הצד של התושבים.",
    "لا أتفق مع الكاتب في هذه النقطة.",
    "Who pays for it in the end? We do, as always 🙄",
    "The photos are lovely; I was there on Saturday with my kids.",
    "100% agree with the comment above.",
    "Can someone explain the difference between the two proposals?",
]
RARE = "The ferry timetable was changed without notice."
NOTHING = "zebra crossing at midnight"
SHORT = "ok"


def author(k: int) -> tuple[str, str]:
    first, last = FIRST[k % len(FIRST)], LAST[k // len(FIRST) % len(LAST)]
    email = f"{first}.{last}{k}@example.org".lower().replace("'", "")
    return f"{first} {last}", email


def body(n: int, rng: random.Random) -> str:
    if n % RARE_EVERY == RARE_EVERY // 2:
        return f"{RARE} {rng.choice(SENTENCES)}"
    # The council's sentences are the first three: one of them in three bodies in five.
    picked = [rng.choice(SENTENCES[:3])] if rng.random() < 0.6 else []
    picked += rng.sample(SENTENCES[3:], rng.randint(1, 3))
    rng.shuffle(picked)
    return " ".join(picked)


def fill(count: int) -> tuple[Any, list[int]]:
    """A staff account, the articles, and ``count`` comments; returns the account and
    the articles' ids."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from broadsheet.discussion import actions as discussion_actions
    from broadsheet.discussion.models import Comment
    from broadsheet.markup import render_comment
    from broadsheet.newsroom.models import Article

    Status = Comment.Status
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"Council story {a}", slug=f"story-{a}", body="The council met.",
            body_html="<p>The council met.</p>", status=Article.Status.PUBLISHED,
            published_at=now - timedelta(days=400),
        )
        for a in range(ARTICLES)
    )  # fmt: skip
    ids = [a.pk for a in articles]
    rng = random.Random(7)
    start = now - timedelta(days=365)
    statuses = [Status.APPROVED] * 16 + [
        Status.PENDING,
        Status.PENDING,
        Status.SPAM,
        Status.REJECTED,
    ]
    rendered: dict[str, str] = {}
    for offset in range(0, count, BATCH):
        batch = []
        for n in range(offset, min(count, offset + BATCH)):
            name, email = author(n // COMMENTS_PER_AUTHOR)
            text = body(n, rng)
            if text not in rendered:
                rendered[text] = render_comment(text)
            at = start + timedelta(seconds=n * 300)
            batch.append(
                Comment(
                    article_id=ids[n % ARTICLES],
                    status=statuses[n % len(statuses)],
                    author_name=name,
                    author_email=email,
                    author_url=f"https://{name.split()[1].lower()}.example.net/"
                    if n % 7 == 0
                    else "",
                    ip_address=f"198.51.{n // 250 % 250}.{n % 250 + 1}",
                    user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
                    body=text,
                    body_html=rendered[text],
                    created_at=at,
                    status_changed_at=at,
                    thread_key=at,
                )
            )
        with transaction.atomic():
            Comment.objects.bulk_create(batch)
    Comment.objects.filter(thread_id=None).update(thread_id=F("pk"))
    for pk in ids:
        discussion_actions.recount(pk)
    return user, ids


def history(staff: Any) -> tuple[int, int]:
    """The moderators' past work, for the site's pages (``--site``): an audit entry for
    every spam and rejected comment and every tenth approved one, a decision every
    ``DECIDED_EVERY`` before now, newest comment first (so that *Recently decided*
    holds two days of them, which still stand), a few with a note or a message; and
    open reports on ``REPORTED`` published comments (one to three each, so the Reported
    tab has its pages). Made once (a database already holding entries is left as it
    is); returns how many entries and reports there are."""
    from django.db import transaction
    from django.db.models import Q
    from django.utils import timezone

    from broadsheet.discussion.models import Comment
    from broadsheet.moderation import notes
    from broadsheet.moderation.models import AuditEntry, Report

    Status = Comment.Status
    if not AuditEntry.objects.exists():
        action = {Status.APPROVED: "approve", Status.REJECTED: "reject", Status.SPAM: "spam"}
        decided = Comment.objects.filter(
            Q(status__in=[Status.REJECTED, Status.SPAM])
            | Q(status=Status.APPROVED, id__endswith="0")
        ).order_by("-id")
        now = timezone.now()
        entries = [
            AuditEntry(
                actor=staff,
                comment_id=pk,
                action=action[status],
                from_status=Status.PENDING,
                to_status=status,
                note="Spam wave" if i % 50 == 0 else "",
                details=[notes.hidden(3)] if i % 20 == 0 else [],
            )
            for i, (pk, status) in enumerate(decided.values_list("pk", "status").iterator())
        ]
        with transaction.atomic():
            made = AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
            # auto_now_add set every entry's time to now: give each its own again.
            for offset in range(0, len(made), BATCH):
                batch = made[offset : offset + BATCH]
                for i, entry in enumerate(batch, offset):
                    entry.created_at = now - DECIDED_EVERY * i
                AuditEntry.objects.bulk_update(batch, ["created_at"])
    if not Report.objects.exists():
        reported = Comment.objects.filter(status=Status.APPROVED).order_by("-id")[:REPORTED]
        reasons = list(Report.Reason)
        Report.objects.bulk_create(
            Report(
                comment_id=pk,
                reason=reasons[(pk + k) % len(reasons)],
                detail="Not what the article says." if k == 1 else "",
                reporter_key=f"bench-reader-{k}",
            )
            for pk in reported.values_list("pk", flat=True)
            for k in range(1 + pk % 3)
        )
    return AuditEntry.objects.count(), Report.objects.count()


def summary(values: list[float]) -> dict[str, float]:
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
    return {"median_ms": round(statistics.median(values), 2), "p95_ms": round(p95, 2)}


class Clock:
    """The SQL of the requests made while it is on: each query's time, by request."""

    def __init__(self) -> None:
        self.took: list[tuple[float, str]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, *rest: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, *rest)
        finally:
            self.took.append(((time.perf_counter() - start) * 1000, sql))

    def timed(self, request: Callable[[], Any]) -> tuple[float, float]:
        """The request's time and its queries' time together, in ms."""
        self.took.clear()
        began = time.perf_counter()
        request()
        return (time.perf_counter() - began) * 1000, sum(ms for ms, _ in self.took)


def site_pages(staff: Any, user: Any, story: int, repeat: int) -> list[dict[str, Any]]:
    """The site's other pages at this size: (label, who, address or function).
    ``staff``: a client signed in as ``user``."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from broadsheet.api.views import conf
    from broadsheet.discussion.models import Comment
    from broadsheet.moderation.views import decisions
    from broadsheet.newsroom.models import Article, SiteSettings

    # Every anonymous page and feed drawn from the database, not the shared cache.
    settings.BROADSHEET_PAGE_CACHE_SECONDS = 0
    article = Article.objects.get(pk=story)
    slug = article.slug
    shown = article.comment_count
    per_page = SiteSettings.load().comments_per_page
    last = max(1, -(-shown // per_page))
    api_last = max(1, -(-shown // conf.API_PAGE_SIZE))
    # An author of many comments, for the history panel: the most prolific e-mail's newest.
    email = (
        Comment.objects.values("author_email")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("author_email", flat=True)[:1]
    )
    of = Comment.objects.filter(author_email__in=list(email)).order_by("-pk").first()
    reader = Client()
    api = f"/api/v1/articles/{slug}/comments"
    pages: list[tuple[str, Any, Any]] = [
        # As the bench's staff account sees them (the Recently decided count is theirs).
        ("queue: tab counts alone", None, lambda: decisions._tab_counts(user)),
        ("queue: Pending tab", staff, "/moderation/"),
        ("queue: Spam tab, last page", staff, "/moderation/?tab=spam&page=99999"),
        ("queue: Reported tab", staff, "/moderation/?tab=reported"),
        ("queue: Recently decided", staff, "/moderation/?tab=decided"),
        ("article, page 1, oldest", reader, f"/article/{slug}/"),
        (f"article, page {last}, oldest", reader, f"/article/{slug}/?page={last}"),
        ("article, page 1, newest", reader, f"/article/{slug}/?order=newest"),
        (f"article, page {last}, newest", reader, f"/article/{slug}/?order=newest&page={last}"),
        ("API comments, page 1", reader, api),
        (f"API comments, page {api_last}", reader, f"{api}?page={api_last}"),
        ("API comments, newest", reader, f"{api}?order=newest"),
        ("story's comment feed", reader, f"/article/{slug}/feed/"),
        ("site's comment feed", reader, "/comments/feed/"),
        ("reader search: a word", reader, "/search/?q=council"),
        ("reader search: 2 letters", reader, f"/search/?q={SHORT}"),
        ("author history panel", staff, f"/moderation/?author={of.pk if of else 1}"),
        ("audit log", staff, "/moderation/log/"),
        ("audit log, page 500", staff, "/moderation/log/?page=500"),
        ("audit log, rejections", staff, "/moderation/log/?action=reject"),
        ("admin: comments", staff, "/admin/discussion/comment/"),
        ("admin: comments, pending", staff, "/admin/discussion/comment/?status__exact=pending"),
        ("admin: comments, searched", staff, "/admin/discussion/comment/?q=ferry+timetable"),
    ]  # fmt: skip
    rows = []
    clock = Clock()
    for label, who, what in pages:
        if who is None:
            request = what
        else:

            def request(who: Any = who, what: str = what) -> None:
                response = who.get(what)
                assert response.status_code == 200, (what, response.status_code)

        request()  # warm up
        gc.collect()
        with connection.execute_wrapper(clock):
            took, sqls = zip(*(clock.timed(request) for _ in range(repeat)), strict=True)
            slowest_ms, slowest_sql = max(clock.took) if clock.took else (0.0, "")
        rows.append(
            {
                "page": label,
                "url": what if who is not None else "",
                **summary(list(took)),
                "sql": {
                    **summary(list(sqls)),
                    "slowest_ms": round(slowest_ms, 2),
                    "slowest_sql": " ".join(slowest_sql.split())[:160],
                },
            }
        )
    return rows


def found_in(html: str) -> str:
    """The count the page states ("1,234 comments.", or "More than 1,000 comments."
    as ">1000")."""
    stated = html.split('class="queue-summary">', 1)[1]
    more = stated.startswith("More than ")
    figure = stated.removeprefix("More than ").split(" ", 1)[0].replace(",", "")
    return f">{figure}" if more else figure


def alone(params: dict[str, Any]) -> Callable[[], Any]:
    """The search without the page: its list counted and its first page read, as the
    queue's view does (``_queue_rows``, in the code before the index and after)."""
    from django.core.paginator import Paginator

    from broadsheet.moderation.views import decisions
    from broadsheet.newsroom.models import Article

    story = Article.objects.get(pk=params["story"]) if "story" in params else None

    def search() -> None:
        rows = decisions._queue_rows("pending", None, "", params["q"], story)
        list(Paginator(rows, 50).get_page(1).object_list)

    return search


def measure(client: Any, story: int, repeat: int) -> list[dict[str, Any]]:
    from django.db import connection

    name, email = author(1234)
    searches = [
        ("rare phrase", {"q": "ferry timetable"}),
        ("common phrase", {"q": COMMON}),
        ("name", {"q": name}),
        ("e-mail", {"q": email}),
        ("2 letters", {"q": SHORT}),
        ("nothing found", {"q": NOTHING}),
        ("common, one story", {"q": COMMON, "story": story}),
    ]
    rows = []
    clock = Clock()
    for label, params in searches:

        def request(params: dict = params) -> Any:
            response = client.get("/moderation/", params)
            assert response.status_code == 200, (params, response.status_code)
            return response

        found = found_in(request().content.decode())  # and warm up
        request()
        search = alone(params)
        gc.collect()
        with connection.execute_wrapper(clock):
            pages, sqls = zip(*(clock.timed(request) for _ in range(repeat)), strict=True)
            slowest_ms, slowest_sql = max(clock.took)
        searches_ms = [clock.timed(search)[0] for _ in range(repeat)]
        rows.append(
            {
                "search": label,
                "q": params["q"],
                "found": found,
                "alone": summary(searches_ms),
                **summary(list(pages)),
                "sql": {
                    **summary(list(sqls)),
                    "queries": len(clock.took),
                    "slowest_ms": round(slowest_ms, 2),
                    "slowest_sql": " ".join(slowest_sql.split())[:160],
                },
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--site", action="store_true", help="time the site's other pages too")
    parser.add_argument(
        "--site-only", action="store_true", help="time the site's other pages, not the searches"
    )
    args = arguments(parser, kept="comments")
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print

    data_dir = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    try:
        setup(data_dir, args.database_url)
        from django.db import connection
        from django.test import Client

        from broadsheet.discussion.models import Comment

        began = time.perf_counter()
        if args.reuse:
            user, articles = stored()
            args.comments = Comment.objects.count()
        else:
            user, articles = fill(args.comments)
        fill_seconds = round(time.perf_counter() - began, 1)
        if args.site or args.site_only:
            entries, reports = history(user)
            say(f"the audit log holds {entries:,} entries; {reports:,} reports")
        vendor = connection.vendor
        if vendor == "postgresql":  # the planner told of the rows just written
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        stored_in = "found" if args.reuse else f"stored in {fill_seconds} s"
        say(f"{vendor}: {args.comments:,} comments {stored_in}; timing...")
        client = Client()
        client.force_login(user)
        rows = [] if args.site_only else measure(client, articles[0], args.repeat)
        site = (
            site_pages(client, user, articles[0], args.repeat)
            if args.site or args.site_only
            else []
        )
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)

    if args.json:
        figures = {"database": vendor, "comments": args.comments, "repeat": args.repeat}
        print(json.dumps({**figures, "fill_seconds": fill_seconds, "rows": rows, "site": site}))
        return
    print_searches(rows, args.repeat, vendor)
    print_site(site, args.repeat, vendor, args.comments)


def stored() -> tuple[Any, list[int]]:
    """An earlier run's staff account and articles (``--reuse``)."""
    from django.contrib.auth import get_user_model

    from broadsheet.newsroom.models import Article

    user = get_user_model().objects.get(username="bench")
    return user, list(Article.objects.order_by("pk").values_list("pk", flat=True))


def print_site(site: list[dict[str, Any]], repeat: int, vendor: str, comments: int) -> None:
    if not site:
        return
    print(f"\nThe site at {comments:,} comments, {repeat} timed requests each, {vendor}.")
    print(f"{'page':<30} | {'median':>9} {'p95':>9} | {'SQL median':>10} | slowest query")
    for r in site:
        sql = r["sql"]
        print(
            f"{r['page']:<30} | {r['median_ms']:>6.1f} ms {r['p95_ms']:>6.1f} ms "
            f"| {sql['median_ms']:>7.1f} ms "
            f"| {sql['slowest_ms']:>6.1f} ms {sql['slowest_sql'][:70]}"
        )


def print_searches(rows: list[dict[str, Any]], repeat: int, vendor: str) -> None:
    if not rows:
        return
    print(f"\n{repeat} timed requests each; in-process (django.test.Client), {vendor}.")
    print(f"{'':<26} | {'the page':^19} | {'its SQL':^19} | {'the search alone':^19}")
    print(
        f"{'search':<18} {'found':>7} | {'median':>9} {'p95':>9} | {'median':>9} {'p95':>9} "
        f"| {'median':>9} {'p95':>9}"
    )
    for r in rows:
        sql, search = r["sql"], r["alone"]
        print(
            f"{r['search']:<18} {r['found']:>7} | {r['median_ms']:>6.1f} ms {r['p95_ms']:>6.1f} ms "
            f"| {sql['median_ms']:>6.1f} ms {sql['p95_ms']:>6.1f} ms "
            f"| {search['median_ms']:>6.1f} ms {search['p95_ms']:>6.1f} ms"
        )
    slowest = max(rows, key=lambda r: r["sql"]["slowest_ms"])
    print(f"slowest query ({slowest['search']}): {slowest['sql']['slowest_sql']}")


if __name__ == "__main__":
    main()
