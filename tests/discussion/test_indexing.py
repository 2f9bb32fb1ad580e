"""The comments' text index (which the moderators' Find comments reads) keeps in step
with the comments whatever writes them: posting, ``bulk_create`` and ``bulk_update``,
imports, edits, deletions, decisions, a JSON restore, an upgrade that finds comments
already there, and a migration that copies the comments' table. Run on SQLite and
on PostgreSQL; on SQLite, FTS5's own integrity check compares the index with the
comments after each."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

from broadsheet.discussion import actions, indexing
from broadsheet.discussion.models import Comment
from tests.conftest import make_article, post
from tests.interchange.conftest import SAMPLES, run_export, run_import
from tests.interchange.test_roundtrip import wipe

pytestmark = pytest.mark.django_db
Status = Comment.Status


def found(text: str) -> list[int]:
    """The comments the moderators' search finds for ``text``, newest first, once the
    index is seen to be sound."""
    assert indexing.check() == []
    rows = Comment.objects.filter(indexing.holding(text)).order_by("-created_at", "-id")
    return list(rows.values_list("pk", flat=True))


def test_posted_edited_decided_and_deleted_comments_are_found_by_what_they_say_now(article):
    first = post(article, "The ferry timetable changed again.", author_name="Grumpy Gus")
    second = post(article, "No ferry on Sundays.", author_email="nora@harbour.example")
    assert found("ferry") == [second.pk, first.pk]
    assert found("GRUMPY") == [first.pk]

    actions.edit_comment(first, "The tram timetable changed again.", token=first._token)
    assert found("ferry") == [second.pk]
    assert found("tram time") == [first.pk]
    actions.edit_as_moderator(second, "No service on Sundays.")
    assert found("ferry") == []
    # A decision leaves the words where they were: every status is searched.
    actions.change_status(first, Status.SPAM)
    actions.delete_own_comment(second, token=second._token)
    assert found("timetable") == [first.pk]
    assert found("harbour.example") == [second.pk]

    second.delete()
    assert found("harbour.example") == []
    Comment.objects.filter(pk=first.pk).delete()  # a queryset's delete too
    assert found("timetable") == []


def test_comments_written_in_bulk_are_found(article):
    made = Comment.objects.bulk_create(
        Comment(
            article=article, author_name=f"Bulk {n}", body=f"Wave number {n}",
            body_html=f"<p>Wave number {n}</p>", status=Status.APPROVED,
        )
        for n in range(30)
    )  # fmt: skip
    assert len(found("wave number")) == 30
    assert found("number 17") == [made[17].pk]
    for comment in made[:10]:
        comment.author_name = "Renamed Rita"
    Comment.objects.bulk_update(made[:10], ["author_name"])
    assert len(found("renamed rita")) == 10
    assert found("bulk 1") == [c.pk for c in reversed(made[10:20])]
    Comment.objects.filter(pk=made[29].pk).update(author_url="https://rita.example/")
    assert found("rita.example") == [made[29].pk]


def test_imported_and_restored_comments_are_found(tmp_path):
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    jane = found("reverse myself")
    assert len(jane) == 1
    assert len(found("שָׁלוֹם")) == 1
    assert len(found("بالجميع 👋🏽")) == 1
    # Imported again: updated in place, found once.
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert found("reverse myself") == jane

    backup = tmp_path / "backup.json"
    backup.write_text(run_export("json"), encoding="utf-8")
    wipe()
    assert found("reverse myself") == []
    run_import("json", backup, "--no-train")
    assert found("reverse myself") == jane
    assert len(found("بالجميع 👋🏽")) == 1


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_indexes_the_comments_a_site_already_has():
    article = make_article(title="Before", slug="before")
    before = post(article, "Written before the index, about the ferry.")
    executor = MigrationExecutor(connection)
    executor.migrate([("discussion", "0009_rerender_characters_html_forbids")])
    # Written while there was no index: found all the same once there is.
    between = post(article, "Also about the ferry, and newer.")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert found("ferry") == [between.pk, before.pk]
    after = post(article, "The ferry again.")
    assert found("ferry") == [after.pk, between.pk, before.pk]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite copies a table to alter it")
def test_a_migration_that_copies_the_comments_table_leaves_the_index_in_step():
    article = make_article(title="Before", slug="before")
    before = post(article, "About the ferry.")
    old = Comment._meta.get_field("user_agent")
    new = models.CharField(max_length=600, blank=True)
    new.set_attributes_from_name("user_agent")
    new.model = Comment
    # As a migration altering a column does it: a new table, the rows copied, the old
    # table (and its triggers) dropped.
    with connection.schema_editor() as editor:
        editor.alter_field(Comment, old, new)
    assert indexing.check() == [f"trigger {t} is missing" for t in indexing.SQLITE_TRIGGERS]
    unseen = post(article, "Posted while the triggers were gone: the ferry.")
    call_command("migrate", verbosity=0)  # the migration's run ends
    assert found("ferry") == [unseen.pk, before.pk]
    with connection.schema_editor() as editor:
        editor.alter_field(Comment, new, old)
    call_command("migrate", verbosity=0)
    assert found("ferry") == [unseen.pk, before.pk]


def test_search_check_and_rebuild_cover_the_comments_index(article):
    kept = post(article, "About the ferry.")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {indexing.FTS_TABLE}_insert")
            fault = "trigger"
        else:
            cursor.execute("DROP INDEX comment_body_trgm_idx")
            fault = "index comment_body_trgm_idx is missing"
    out = StringIO()
    with pytest.raises(CommandError, match=fault):
        call_command("search", "check", stdout=out)
    unseen = post(article, "Also the ferry.")
    call_command("search", "rebuild", stdout=out)
    assert "Comment index: indexed 2 comments." in out.getvalue()
    call_command("search", "check", stdout=out)
    assert "Comment index: 2 comments, sound." in out.getvalue()
    assert found("ferry") == [unseen.pk, kept.pk]


def pending_entries() -> dict[str, int]:
    """Each trigram index's entries waiting in its pending list (pageinspect reads the
    index's first page, its metapage)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        waiting = {}
        for name in indexing.TRIGRAM_INDEXES.values():
            cursor.execute(
                "SELECT n_pending_tuples FROM gin_metapage_info(get_raw_page(%s, 0))", [name]
            )
            (waiting[name],) = cursor.fetchone()
    return waiting


def test_an_import_leaves_no_comment_waiting_outside_the_postgresql_indexes():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes keep a pending list; SQLite's FTS5 has none")
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert Comment.objects.exists()
    assert pending_entries() == dict.fromkeys(pending_entries(), 0)
    # What the site writes one comment at a time waits there, as PostgreSQL intends.
    post(make_article(), "One more comment about the ferry.")
    assert pending_entries()["comment_body_trgm_idx"] > 0
