"""The search index keeps in step with the articles: edits, deletions, tags and the
names articles are filed under, imports, restores, the site's language, and an
upgrade that finds articles already there. Run on SQLite and on PostgreSQL."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from broadsheet.newsroom import actions, indexing
from broadsheet.newsroom.models import Article, Author, SearchDocument, Section, SiteSettings, Tag
from tests.conftest import make_article
from tests.interchange.conftest import SAMPLES, run_export, run_import
from tests.interchange.test_roundtrip import wipe
from tests.search.conftest import found

pytestmark = pytest.mark.django_db


def test_an_edited_article_is_found_by_its_new_words_only(client):
    article = make_article(title="Old headline", slug="story", body="About the ferry.")
    article.title = "New headline"
    article.body = "About the tram."
    actions.save_article(article)
    assert found(client, "tram") == ["New headline"]
    assert found(client, "ferry") == []
    assert found(client, "old") == []


def test_a_deleted_article_leaves_the_index(client):
    article = make_article(title="Doomed story", slug="doomed")
    keep = make_article(title="Doomed no more", slug="kept")
    article.delete()
    assert found(client, "doomed") == ["Doomed no more"]
    assert not SearchDocument.objects.filter(pk=article.pk).exists()
    Article.objects.filter(pk=keep.pk).delete()  # a queryset's delete too
    assert found(client, "doomed") == []
    assert SearchDocument.objects.count() == 0
    if connection.vendor == "sqlite":
        assert indexing.check() == []


def test_tags_set_after_saving_are_searched_and_their_renames_and_deletion_follow(client):
    article = make_article(title="A quiet week", slug="quiet")
    tag = Tag.objects.create(name="Lighthouses", slug="lighthouses")
    article.tags.add(tag)
    assert found(client, "lighthouses") == ["A quiet week"]
    tag.name = "Beacons"
    tag.save()
    assert found(client, "beacons") == ["A quiet week"]
    assert found(client, "lighthouses") == []
    # From the tag's side: cleared, then added again.
    tag.articles.clear()
    assert found(client, "beacons") == []
    tag.articles.add(article)
    assert found(client, "beacons") == ["A quiet week"]
    tag.delete()
    assert found(client, "beacons") == []
    assert found(client, "quiet") == ["A quiet week"]


def test_a_renamed_or_deleted_section_or_byline_follows(client):
    section = Section.objects.create(name="Harbourside", slug="harbourside")
    author = Author.objects.create(name="Dana Writer", slug="dana")
    make_article(title="A quiet week", slug="quiet", section=section, author=author)
    section.name = "Waterfront"
    section.save()
    assert found(client, "waterfront") == ["A quiet week"]
    assert found(client, "harbourside") == []
    author.delete()
    section.delete()
    assert found(client, "waterfront") == []
    assert found(client, "dana") == []
    assert found(client, "quiet") == ["A quiet week"]


def test_a_wordpress_import_is_searchable_without_its_drafts(client):
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert "Tom & Jerry’s election: a story" in found(client, "election")
    assert found(client, "עולם") == ["שלום עולם"]
    assert found(client, "draft progress") == []  # "A draft in progress" is a draft
    assert found(client, "coming soon") == []  # scheduled
    assert SearchDocument.objects.count() == Article.objects.count()
    # A second run updates in place: one document an article.
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert SearchDocument.objects.count() == Article.objects.count()


def test_an_import_indexes_its_articles_together(monkeypatch):
    batches = []
    write = indexing._write

    def counting(ids, config, documents):
        batches.append(len(ids))
        return write(ids, config, documents)

    monkeypatch.setattr(indexing, "_write", counting)
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    assert batches == [Article.objects.count()]


def test_a_disqus_import_indexes_the_articles_it_makes(client):
    run_import("disqus", SAMPLES / "disqus.xml", "--no-train", "--create-missing")
    assert Article.objects.exists()
    assert SearchDocument.objects.count() == Article.objects.count()


def test_a_json_restore_is_searchable(client, tmp_path):
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train")
    before = found(client, "election")
    backup = tmp_path / "backup.json"
    backup.write_text(run_export("json"), encoding="utf-8")
    wipe()
    assert found(client, "election") == []
    run_import("json", backup, "--no-train")
    assert found(client, "election") == before
    assert found(client, "עולם") == ["שלום עולם"]
    assert SearchDocument.objects.count() == Article.objects.count()


def test_a_dry_run_import_leaves_no_document(client):
    run_import("wxr", SAMPLES / "wordpress-1.2.xml", "--no-train", "--dry-run")
    assert SearchDocument.objects.count() == 0


def test_rebuild_mends_an_index_that_went_astray(client):
    make_article(title="Harbour news", slug="harbour")
    make_article(title="Tram news", slug="tram")
    # Rows lost behind the actions' backs (a restore by hand, say).
    SearchDocument.objects.all().delete()
    assert found(client, "news") == []
    out = StringIO()
    with pytest.raises(CommandError, match="2 article"):
        call_command("search", "check", stdout=out)
    call_command("search", "rebuild", "--dry-run", stdout=out)
    assert "would index 2" in out.getvalue()
    assert SearchDocument.objects.count() == 0
    call_command("search", "rebuild", stdout=out)
    assert "indexed 2" in out.getvalue()
    assert sorted(found(client, "news")) == ["Harbour news", "Tram news"]
    call_command("search", "check", stdout=out)
    assert "2 articles, sound" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text table")
def test_rebuild_makes_missing_sqlite_triggers_again(client):
    make_article(title="Harbour news", slug="harbour")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {indexing.FTS_TABLE}_insert")
    with pytest.raises(CommandError, match="trigger"):
        call_command("search", "check", stdout=StringIO())
    call_command("search", "rebuild", stdout=StringIO())
    call_command("search", "check", stdout=StringIO())
    make_article(title="Tram news", slug="tram")
    assert sorted(found(client, "news")) == ["Harbour news", "Tram news"]


def test_postgresql_stems_words_in_the_sites_language(client):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches word for word, whatever the language")
    make_article(title="Councillors voted on the elections", slug="vote")
    assert found(client, "voting election") == ["Councillors voted on the elections"]
    # Hebrew has no stemmer: words are searched as written, and the index follows.
    site = SiteSettings.load()
    site.language = "he"
    actions.save_site_settings(site)
    assert found(client, "voting election") == []
    assert found(client, "voted elections") == ["Councillors voted on the elections"]


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_indexes_the_articles_a_site_already_has(client):
    make_article(title="Written before search", slug="before", body="A *harbour* story.")
    executor = MigrationExecutor(connection)
    executor.migrate([("newsroom", "0008_field_names")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert found(client, "harbour") == ["Written before search"]
    assert indexing.check() == []


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_that_renders_footnotes_indexes_those_articles_again(client):
    body = "The pier will cost more.[^pierfund]\n\n[^pierfund]: From the council's minutes."
    noted = make_article(title="Pier", slug="pier", body=body)
    plain = make_article(title="Quay", slug="quay", body="The quay holds pierfund notes.")
    rendered = noted.body_html
    # As the site before 0016 stored and indexed it: the notes as typed, label and all.
    Article.objects.filter(pk=noted.pk).update(
        body_html="<p>The pier will cost more.[^pierfund]</p>\n"
        "<p>[^pierfund]: From the council's minutes.</p>\n"
    )
    indexing.index_articles([noted.pk])
    assert found(client, "pierfund") == ["Pier", "Quay"]
    executor = MigrationExecutor(connection)
    executor.migrate([("newsroom", "0015_deletedimport")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Article.objects.get(pk=noted.pk).body_html == rendered
    assert found(client, "pierfund") == ["Quay"]
    assert found(client, "minutes") == ["Pier"]  # the note's own words are still found
    assert SearchDocument.objects.get(pk=plain.pk).body == "the quay holds pierfund notes"
    if connection.vendor == "sqlite":
        assert indexing.check() == []


def test_many_articles_indexed_at_once_are_indexed_as_one_at_a_time_would_be(client, monkeypatch):
    # Several batches: each one's words are made while the one before is stored.
    monkeypatch.setattr(indexing, "BATCH", 40)
    words = "the elections électeurs שָׁלוֹם הכנסת ١٢٣ x2 harbour's co-op ½ " * 3
    made = [
        Article(
            title=f"Story {n} about the {words.split()[n % 10]}",
            slug=f"story-{n}",
            summary=words[: n * 7],
            body_html=f"<p>{words * (n % 4)}</p><p>word{n}</p>",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        for n in range(indexing.SETTLE_FROM + 20)
    ]
    ids = [a.pk for a in Article.objects.bulk_create(made)]
    with transaction.atomic():
        assert indexing.index_articles(ids) == len(ids)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW gin_pending_list_limit")
                # As it was, for the rest of the transaction.
                assert cursor.fetchone() == ("4MB",)
    assert SearchDocument.objects.count() == len(ids)
    if connection.vendor == "postgresql":
        # The vectors PostgreSQL makes of the stored words, as a language change does.
        config = indexing.text_search_config(SiteSettings.load().language)
        differ = SearchDocument.objects.annotate(
            made=Cast(indexing.vectors(config), TextField()), kept=Cast("vector", TextField())
        ).exclude(made=F("kept"))
        assert not differ.exists()
    assert found(client, "word119") == ["Story 119 about the ½"]
    assert len(found(client, "הכנסת")) == 10  # a page of them


def test_postgresql_finds_matches_in_the_index_and_leaves_its_planner_as_it_was(client):
    """The planner counts a vector as cheap to read and, for a word a fifth of the
    documents hold, would read every one of them; the search tells it to use the index
    (each query's plan is read back with EXPLAIN, in the state it ran in)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Story {n}", slug=f"s{n}", status=Article.Status.PUBLISHED, published_at=now,
            body_html="<p>The harbour ferry report.</p>" if n % 50 == 0
            else f"<p>The tram report, number {n}, {'with more words ' * 20}</p>",
        )
        for n in range(500)
    )  # fmt: skip
    indexing.index_articles(Article.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE newsroom_searchdocument, newsroom_article")
    plans: list[str] = []

    def explained(execute, sql, params, many, context):
        if "newsroom_searchdocument" in sql and sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}", params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explained):
        assert sorted(found(client, "harbour")) == sorted(f"Story {n}" for n in range(0, 500, 50))
        assert len(found(client, "ferr")) == 10  # a prefix
        assert len(found(client, "tram")) == 10  # a page of 490
    assert len(plans) == 6  # a count and a page each
    for plan in plans:
        assert "newsroom_searchdocument_vector_idx" in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
