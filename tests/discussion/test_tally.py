"""The stored counts of comments by status (the queue's tabs, the admin's list) equal
the comments in each status after any sequence of the changes the site makes, on
SQLite and PostgreSQL: the database's triggers keep them (``discussion.tally``)."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion import tally
from broadsheet.discussion.actions import ImportedComment
from broadsheet.discussion.models import Comment, StatusTally
from broadsheet.moderation import actions as moderation
from broadsheet.moderation.models import ModerationSettings, WordRule
from broadsheet.newsroom.models import Article
from tests.conftest import make_article, post

DECISIONS = ["approve", "reject", "spam", "delete", "restore"]
# How a posted comment is judged: published, held (a hold-list word) or filed as spam.
TEXTS = {"approved": "A plain remark.", "pending": "Ask about bananas.", "spam": "Cheap casino."}
STATUSES = ["approved", "pending", "spam", "rejected", "deleted"]

steps = st.lists(
    st.one_of(
        st.tuples(st.just("post"), st.sampled_from(sorted(TEXTS)), st.integers(0, 30)),
        st.tuples(st.just("import"), st.sampled_from(STATUSES), st.integers(0, 30)),
        st.tuples(st.just("reimport"), st.sampled_from(STATUSES), st.integers(0, 30)),
        st.tuples(st.sampled_from(DECISIONS), st.just(""), st.integers(0, 30)),
        st.tuples(st.just("bulk"), st.sampled_from(DECISIONS), st.integers(0, 30)),
        st.tuples(st.just("edit"), st.sampled_from(sorted(TEXTS)), st.integers(0, 30)),
        st.tuples(st.just("moderator_edit"), st.sampled_from(sorted(TEXTS)), st.integers(0, 30)),
        st.tuples(
            st.sampled_from(["report", "keep", "own_delete"]), st.just(""), st.integers(0, 30)
        ),
        st.tuples(st.sampled_from(["undo", "drop_article"]), st.just(""), st.just(0)),
    ),
    min_size=1,
    max_size=25,
)


def counts(**by_status: int) -> dict[str, int]:
    return {status: by_status.get(status, 0) for status in Comment.Status.values}


def _step(verb: str, arg: str, n: int, comments: list[Comment], moderator, reporters) -> None:
    pick = comments[n % len(comments)] if comments else None
    articles = list(Article.objects.order_by("pk"))
    if verb == "post":
        article = articles[n % len(articles)]
        comments.append(post(article, TEXTS[arg], author_email=f"r{n}@example.org"))
    elif verb == "import":
        body = f"Imported {n}."
        discussion_actions.import_comments(
            [
                ImportedComment(
                    article_id=articles[n % len(articles)].pk, author_name="Old", body=body,
                    body_html=f"<p>{body}</p>", created_at=timezone.now(), status=arg,
                )
            ]
        )  # fmt: skip
    elif verb == "reimport":
        # The same file imported again, saying another status for two comments (one
        # statement updates both): what a moderator decided here since stays.
        again = [c for c in Comment.objects.order_by("pk") if c.article_id][n % 3 :: 4][:2]
        discussion_actions.import_comments(
            [
                ImportedComment(
                    article_id=c.article_id, author_name="Old", body=c.body,
                    body_html=c.body_html, created_at=c.created_at, status=arg,
                    existing_id=c.pk,
                )
                for c in again
            ]
        )  # fmt: skip
    elif verb == "undo":
        moderation.undo_last(moderator)
    elif verb == "drop_article":
        # An article deleted with its comments; another takes its place.
        articles[-1].delete()
        make_article()
    elif pick is None or not Comment.objects.filter(pk=pick.pk).exists():
        return
    elif verb in DECISIONS:
        moderation.moderate(Comment.objects.get(pk=pick.pk), verb, actor=moderator)
    elif verb == "bulk":
        some = Comment.objects.filter(pk__in=[c.pk for c in comments[n % 4 :: 2]])
        moderation.moderate_many(list(some), arg, actor=moderator)
    elif verb == "edit":
        # The author's edit is judged again: a published comment may be held by it.
        current = Comment.objects.get(pk=pick.pk)
        if current.is_editable():
            discussion_actions.edit_comment(current, TEXTS[arg], token=pick._token)
    elif verb == "moderator_edit":
        moderation.edit_text(Comment.objects.get(pk=pick.pk), TEXTS[arg], actor=moderator)
    elif verb == "report":
        # The second reader's report hides a published comment (back to pending).
        moderation.report(pick, reason="abuse", reporter_key=next(reporters))
    elif verb == "keep":
        current = Comment.objects.get(pk=pick.pk)
        if current.reports.filter(status="open").exists():
            moderation.dismiss_reports(current, actor=moderator)
    elif verb == "own_delete":
        current = Comment.objects.get(pk=pick.pk)
        if current.is_editable():
            discussion_actions.delete_own_comment(current, token=pick._token)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=steps)
def test_queue_counts_equal_the_comments_after_any_actions(sequence, django_user_model):
    Comment.objects.all().delete()
    Article.objects.all().delete()
    rules = ModerationSettings.load()
    rules.reports_to_hide = 2
    rules.save()
    WordRule.objects.get_or_create(phrase="bananas", list=WordRule.List.HOLD)
    WordRule.objects.get_or_create(phrase="casino", list=WordRule.List.BLOCK)
    make_article()
    make_article()
    moderator = django_user_model.objects.get_or_create(username="mod", is_staff=True)[0]
    reporters = (f"reader-{i}" for i in itertools.count())
    comments: list[Comment] = []
    for verb, arg, n in sequence:
        _step(verb, arg, n, comments, moderator, reporters)
        assert tally.counts() == tally.counted(), (verb, arg, n)
    assert tally.check() == []


@pytest.mark.django_db
def test_posts_are_tallied_by_how_they_were_judged(article):
    WordRule.objects.create(phrase="bananas", list=WordRule.List.HOLD)
    WordRule.objects.create(phrase="casino", list=WordRule.List.BLOCK)
    assert post(article, TEXTS["pending"]).status == "pending"
    assert post(article, TEXTS["spam"]).status == "spam"
    post(article, TEXTS["approved"])
    assert tally.counts() == counts(pending=1, spam=1, approved=1)


@pytest.mark.django_db
def test_bulk_writes_and_deletions_outside_the_actions_are_tallied(article):
    """The triggers count what no action wrote: ``bulk_create``, a queryset's update
    and delete (an importer's or an operator's statement)."""
    Comment.objects.bulk_create(
        Comment(article=article, author_name="A", body="x", body_html="x", status=status)
        for status in ["pending"] * 5 + ["spam"] * 3 + ["approved"] * 2
    )
    assert tally.counts() == counts(pending=5, spam=3, approved=2)
    Comment.objects.filter(status="spam").update(status="pending")
    assert tally.counts() == counts(pending=8, approved=2)
    Comment.objects.filter(
        pk__in=Comment.objects.filter(status="pending").values("pk")[:2]
    ).delete()
    assert tally.counts() == counts(pending=6, approved=2)
    Comment.objects.update(body="y")  # no status changed: nothing counted
    assert tally.counts() == tally.counted() == counts(pending=6, approved=2)


@pytest.mark.django_db
def test_check_names_a_drifted_count_and_rebuild_mends_it(article):
    post(article, "A plain remark.")
    Comment.objects.update(status="pending")
    StatusTally.objects.update(n=0)  # what a statement on the tally itself would leave
    assert tally.check() == ["pending comments are counted 0, and there are 1"]
    call_command("search", "rebuild", stdout=io.StringIO())
    assert tally.check() == []
    assert tally.counts() == counts(pending=1)


@pytest.mark.django_db
def test_a_migration_that_drops_the_triggers_has_them_made_again(article):
    """SQLite copies a table to change a column and drops its triggers; after the
    migrations the site makes them again and counts anew."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters a table in place and keeps its triggers")
    with connection.cursor() as cursor:
        for statement in tally.drop_schema("sqlite"):
            cursor.execute(statement)
    Comment.objects.bulk_create(
        [Comment(article=article, author_name="A", body="x", body_html="x", status="spam")]
    )
    assert tally.check() == [
        *(f"trigger {t} is missing" for t in tally.TRIGGERS),
        "spam comments are counted 0, and there are 1",
    ]
    assert tally.mend() is True
    assert tally.check() == []


@pytest.mark.django_db
def test_a_flush_that_empties_the_tally_before_the_comments_is_counted_anew(article):
    """``flush`` (and a test database's reset) empties the tables one by one: the
    comments' deletion counted against an emptied tally leaves it below zero, and
    the ``post_migrate`` that follows counts it anew."""
    post(article, "A plain remark.")
    StatusTally.objects.all().delete()
    Comment.objects.all().delete()
    assert tally.counts()["approved"] == -1
    assert tally.mend() is True
    assert tally.counts() == counts()
    assert tally.mend() is False  # nothing left to mend


@pytest.mark.django_db
def test_a_truncate_of_the_comments_empties_the_tally(article):
    """PostgreSQL's TRUNCATE runs no row trigger: its own statement trigger empties
    the tally, where the counts of every comment it removed were left behind."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE: its DELETE runs the row triggers")
    Comment.objects.bulk_create(
        Comment(article=article, author_name="A", body="x", body_html="x", status=status)
        for status in ["pending", "spam", "approved"]
    )
    assert tally.counts() == counts(approved=1, pending=1, spam=1)
    with connection.cursor() as cursor:
        # The inserts' deferred key checks run first, as at the commit an operator's
        # TRUNCATE would come after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {tally.COMMENTS} CASCADE")
    assert tally.counts() == tally.counted() == counts()
    post(article, "A plain remark.")
    assert tally.check() == []
    assert tally.counts() == counts(approved=1)


@pytest.mark.django_db
def test_check_names_a_missing_truncate_trigger(article):
    if connection.vendor != "postgresql":
        pytest.skip("the TRUNCATE trigger is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {tally.TRUNCATE_TRIGGER} ON {tally.COMMENTS}")
    assert tally.check() == [f"trigger {tally.TRUNCATE_TRIGGER} is missing"]
    assert tally.mend() is True
    assert tally.check() == []


@pytest.mark.django_db
def test_a_reimport_that_changes_statuses_in_one_statement_is_tallied(article):
    def record(i: int, status: str, existing_id: int | None = None) -> ImportedComment:
        return ImportedComment(
            article_id=article.pk, author_name="Old", body=f"Old {i}.",
            body_html=f"<p>Old {i}.</p>", created_at=timezone.now(), status=status,
            existing_id=existing_id,
        )  # fmt: skip

    first = discussion_actions.import_comments([record(i, "pending") for i in range(3)])
    assert tally.counts() == counts(pending=3)
    discussion_actions.import_comments([record(i, "spam", c.pk) for i, c in enumerate(first[:2])])
    assert Comment.objects.filter(status="spam").count() == 2
    assert tally.counts() == counts(pending=1, spam=2)


@pytest.mark.django_db(transaction=True)
def test_two_transactions_on_one_slot_do_not_deadlock(article):
    """PostgreSQL: two moderators' bulk decisions at once, one taking a pending comment
    and then a spam one, the other a spam one and then a pending one, from sessions
    whose process ids fall on one slot: the second waited for a row of the tally the
    first held, the first for one the second held, and PostgreSQL refused one of them."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time")
    import threading

    import psycopg

    made = [post(article, "A remark.", author_email=f"r{n}@example.org") for n in range(4)]
    (p1, p2, s1, s2) = [c.pk for c in made]
    Comment.objects.filter(pk__in=[p1, p2]).update(status=Comment.Status.PENDING)
    Comment.objects.filter(pk__in=[s1, s2]).update(status=Comment.Status.SPAM)
    db = connection.settings_dict
    dsn = f"dbname={db['NAME']} user={db['USER']} host={db['HOST']} port={db['PORT'] or 5432}"
    opened: list[psycopg.Connection] = []
    by_slot: dict[int, psycopg.Connection] = {}
    try:
        while True:  # two sessions on one slot
            conn = psycopg.connect(dsn, password=db["PASSWORD"] or None)
            opened.append(conn)
            (pid,) = conn.execute("SELECT pg_backend_pid()").fetchone()
            if (other := by_slot.setdefault(pid % tally.SLOTS, conn)) is not conn:
                a, b = other, conn
                break
        update = "UPDATE discussion_comment SET status = %s WHERE id = %s"
        a.execute(update, ["approved", p1])
        b.execute(update, ["rejected", s1])
        failed: list[Exception] = []

        def second_of_a() -> None:
            try:
                a.execute(update, ["approved", s2])
                a.commit()
            except psycopg.Error as exc:
                failed.append(exc)

        thread = threading.Thread(target=second_of_a)
        thread.start()
        thread.join(0.3)  # a waits for b, or has gone on
        try:
            b.execute(update, ["rejected", p2])
            b.commit()
        except psycopg.Error as exc:
            failed.append(exc)
        thread.join()
    finally:
        for conn in opened:
            conn.close()
    assert failed == []
    assert tally.counts() == tally.counted() == counts(approved=2, rejected=2)


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_lets_the_comments_be_read_while_it_counts(article):
    """PostgreSQL: ``search rebuild`` holds the comments still while it counts, and
    readers (every article page) go on reading them; where it made the triggers again
    whole, dropping one locked the table against readers until the rebuild ended."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time, and readers go on")
    import psycopg
    from django.db import transaction

    post(article, "A remark.")
    db = connection.settings_dict
    dsn = f"dbname={db['NAME']} user={db['USER']} host={db['HOST']} port={db['PORT'] or 5432}"
    with psycopg.connect(dsn, password=db["PASSWORD"] or None, autocommit=True) as reader:
        reader.execute("SET lock_timeout = '300ms'")
        with transaction.atomic():
            tally.rebuild()
            (read,) = reader.execute("SELECT COUNT(*) FROM discussion_comment").fetchone()
    assert read == 1
    assert tally.check() == []
