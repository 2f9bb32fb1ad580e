"""The audit log's pager counts only as far as the next pages, and one action's entries
are read from an index of their own (``audit_action_idx``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from broadsheet.moderation import actions
from broadsheet.moderation.views import paging
from tests.moderation.test_views import held

pytestmark = pytest.mark.django_db


def counts(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_log_is_counted_only_as_far_as_the_next_pages(staff, article, moderator, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_AHEAD", 10)
    actions.moderate_many(held(article, 130), "reject", actor=moderator)
    with CaptureQueriesContext(connection) as ctx:
        first = staff.get("/moderation/log/").content.decode()
    # Counted up to the first page's end and 10 past it, not every entry: no "of 2".
    (counted,) = counts(ctx)
    assert "LIMIT 111" in counted
    assert "<span>Page 1</span>" in first and "Page 1 of" not in first
    assert 'rel="next"' in first
    # A page near the end sees the end: counted whole, it says how many pages there are.
    last = staff.get("/moderation/log/?page=2").content.decode()
    assert "Page 2 of 2" in last and 'rel="next"' not in last
    # Past the end is the last page, as it was.
    assert "Page 2 of 2" in staff.get("/moderation/log/?page=9").content.decode()


def test_one_actions_entries_are_found_by_their_index(staff, article, moderator):
    actions.moderate_many(held(article, 30), "reject", actor=moderator)
    actions.moderate_many(held(article, 5), "spam", actor=moderator)
    with CaptureQueriesContext(connection) as ctx:
        page = staff.get("/moderation/log/?action=spam").context["page"]
    assert [e.action for e in page.object_list] == ["spam"] * 5
    ids = next(q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"])
    plan = explain(ids)
    assert "audit_action_idx" in plan, plan


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A table this small is read whole; the plan that counts is the one at size.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def test_the_logs_page_is_read_in_its_order_from_its_index_nothing_sorted_after(
    staff, article, moderator
):
    # A bulk decision's entries share their moment: the id orders them (the tie-break).
    actions.moderate_many(held(article, 30), "reject", actor=moderator)
    page = staff.get("/moderation/log/?page=1").context["page"]
    assert len(page.object_list) == 30
    # The page's ids, as the log reads them (``paging.ByIds``): from the index alone.
    logged = page.paginator.object_list
    ids = logged.rows.values("pk")[page.start_index() - 1 : page.end_index()]
    plan = explain(str(ids.query))
    assert "audit_recent_idx" in plan, plan
    # Not SQLite's "TEMP B-TREE FOR RIGHT PART OF ORDER BY", nor PostgreSQL's
    # "Incremental Sort" over the rows read from the table.
    assert "TEMP B-TREE" not in plan.upper() and "Sort" not in plan, plan
