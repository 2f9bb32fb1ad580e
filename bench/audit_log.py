"""Benchmark: the audit log's pages (``/moderation/log/``), as the code was and is.

    .venv/bin/python bench/audit_log.py [--entries 150000] [--repeat 15] [--json]
        [--database-url postgres://postgres@127.0.0.1:5432/EMPTY_DB]

In a fresh data folder (on the given database, which must be empty, else SQLite
there): migrates, creates a staff account and stores ``--entries`` audit entries with
``bulk_create``, one every three minutes back from now, in the shares a busy site's
log holds (approvals 60 %, spam 20 %, rejections 15 %, blocks 3 %, the rest undos,
edits and settings). Signed in through Django's test client, in this process, it
times the log's first page, its page 500, and the *Action* filter (rejections, a
common action; blocks, a rare one; page 50 of the rejections), each way in one run:

- **before**: the log's list counted whole for its pager (``Paginator.count``: every
  entry, or every one of the action's), and no index on the action (the migration's
  ``audit_action_idx`` dropped for the while): the code before 2026-11-27;
- **without id**: the code now, but ``audit_recent_idx`` on the time alone, as
  migration 0015 left it: entries of the same moment were sorted by id after the
  index gave them (the page's tie-break), before migration 0016 put the id in it;
- **now**: the list counted up to ``COUNT_AHEAD`` entries past the page
  (``paging.CountedAhead``), one action's entries read from ``audit_action_idx``,
  the log's from ``audit_recent_idx`` (time, then id).

Prints the median and 95th percentile of the page and of its SQL, each way, and the
ratios of the medians (before, and without id, to now). The machine is shared: read
the figures as orders of magnitude and the ratios (taken in the same run) as the
finding. The temporary folder is removed at the end; a PostgreSQL database given is
left holding the entries, and ``--reuse`` times them again without storing any.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from moderation_queue import arguments, setup  # noqa: E402

BATCH = 5_000
EVERY = timedelta(minutes=3)
# A busy site's log: (action, in how many of 100 entries).
SHARES = [
    ("approve", 60), ("spam", 20), ("reject", 15), ("block", 3), ("undo", 1), ("edit", 1),
]  # fmt: skip
PAGES = [
    ("first page", "/moderation/log/"),
    ("page 500", "/moderation/log/?page=500"),
    ("rejections", "/moderation/log/?action=reject"),
    ("rejections, page 50", "/moderation/log/?action=reject&page=50"),
    ("blocks", "/moderation/log/?action=block"),
]


def fill(entries: int) -> Any:
    """The staff account, and ``entries`` audit entries by it."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from broadsheet.moderation.models import AuditEntry

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    actions = [action for action, share in SHARES for _ in range(share)]
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, entries, BATCH):
            made = AuditEntry.objects.bulk_create(
                AuditEntry(actor=user, action=actions[(i * 37) % len(actions)])
                for i in range(start, min(entries, start + BATCH))
            )
            # auto_now_add gave every entry the time now: give each its own.
            for i, entry in enumerate(made, start):
                entry.created_at = now - EVERY * i
            AuditEntry.objects.bulk_update(made, ["created_at"])
    return user


@contextmanager
def as_before() -> Iterator[None]:
    """The code before: the log counted whole, no index on the action."""
    from django.db import connection

    from broadsheet.moderation.models import AuditEntry
    from broadsheet.moderation.views import audit
    from broadsheet.moderation.views.paging import ByIds

    class Logged(ByIds[AuditEntry]):  # the log's list as it was: counted whole
        def __init__(self, rows: Any, *, reach: int) -> None:
            super().__init__(rows)
            self.more = False

        def shown(self, rows: Any) -> Any:
            return rows.select_related("actor", "comment", "comment__article", "article")

    index = next(i for i in AuditEntry._meta.indexes if i.name == "audit_action_idx")
    now = audit._Logged
    with connection.schema_editor() as editor:
        editor.remove_index(AuditEntry, index)
    audit._Logged = Logged  # type: ignore[misc]
    analyze()
    try:
        yield
    finally:
        audit._Logged = now  # type: ignore[misc]
        with connection.schema_editor() as editor:
            editor.add_index(AuditEntry, index)
        analyze()


@contextmanager
def without_id() -> Iterator[None]:
    """The code now, with the log's index on the time alone (before migration 0016)."""
    from django.db import connection, models

    from broadsheet.moderation.models import AuditEntry

    index = next(i for i in AuditEntry._meta.indexes if i.name == "audit_recent_idx")
    alone = models.Index(fields=["-created_at"], name="audit_recent_idx")
    with connection.schema_editor() as editor:
        editor.remove_index(AuditEntry, index)
        editor.add_index(AuditEntry, alone)
    analyze()
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            editor.remove_index(AuditEntry, alone)
            editor.add_index(AuditEntry, index)
        analyze()


def analyze() -> None:
    """The planner told of the rows and indexes there are."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def timed(client: Any, url: str, repeat: int) -> dict[str, Any]:
    """The page's median and 95th percentile, and of its SQL, over ``repeat`` requests."""
    from django.db import connection, reset_queries

    pages: list[float] = []
    sql: list[float] = []
    connection.force_debug_cursor = True
    try:
        client.get(url)  # warm
        for _ in range(repeat):
            reset_queries()
            began = time.perf_counter()
            response = client.get(url)
            pages.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            sql.append(sum(float(q["time"]) for q in connection.queries) * 1000)
    finally:
        connection.force_debug_cursor = False
    return {"page": figures(pages), "sql": figures(sql)}


def figures(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(p95, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=150_000)
    args = arguments(parser, kept="entries")
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print

    data_dir = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    try:
        setup(data_dir, args.database_url)
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        from broadsheet.moderation.models import AuditEntry

        began = time.perf_counter()
        if args.reuse:
            user = get_user_model().objects.get(username="bench")
            args.entries = AuditEntry.objects.count()
        else:
            user = fill(args.entries)
        analyze()
        vendor = connection.vendor
        say(f"{vendor}: {args.entries:,} entries ready in {time.perf_counter() - began:.1f} s")
        client = Client()
        client.force_login(user)
        now = {name: timed(client, url, args.repeat) for name, url in PAGES}
        with without_id():
            no_id = {name: timed(client, url, args.repeat) for name, url in PAGES}
        with as_before():
            before = {name: timed(client, url, args.repeat) for name, url in PAGES}
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)

    rows = [
        {"page": name, "before": before[name], "without_id": no_id[name], "now": now[name]}
        for name, _ in PAGES
    ]
    if args.json:
        print(json.dumps({"database": vendor, "entries": args.entries, "rows": rows}))
        return
    print(f"\nThe audit log, {args.entries:,} entries, {args.repeat} requests each, {vendor}.")
    ways = ("before", "without_id", "now")
    print(
        f"{'page':<20} | {'before: page, SQL':^21} | {'without id: page, SQL':^21} "
        f"| {'now: page, SQL':^21} | SQL ratios (before, without id)"
    )
    for r in rows:
        said = " | ".join(
            f"{r[way]['page']['median_ms']:>7.1f} ms {r[way]['sql']['median_ms']:>7.1f} ms"
            for way in ways
        )
        now_sql = max(r["now"]["sql"]["median_ms"], 0.01)
        ratios = ", ".join(f"{r[way]['sql']['median_ms'] / now_sql:.1f}x" for way in ways[:2])
        print(f"{r['page']:<20} | {said} | {ratios}")


if __name__ == "__main__":
    main()
