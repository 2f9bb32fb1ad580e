"""The search index: every article's words, kept in step with the article.

An article is indexed whenever an action stores it (``save_article``,
``import_article``), when its tags change, and when a section, tag or byline it is
filed under is renamed or deleted; its row goes with it when it is deleted (a
cascade). Imports index their articles together when they end (``deferred``).

The words are folded here, in Python, the same way for the index and for a reader's
query, so that SQLite and PostgreSQL find the same words: case set aside, accents,
Hebrew vowel points and Arabic short vowels (and the tatweel) removed, compatibility
forms (ligatures, full-width letters, Arabic presentation forms) made plain, and
every run of letters, digits and spacing marks a word. Punctuation, symbols and emoji
separate words and are not searched for. Hebrew and Arabic words are indexed as
written: a query looks for them with and without their prefixes
(``newsroom.prefixes``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

import nh3
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Expression

from broadsheet.newsroom.models import Article, SearchDocument, SiteSettings

# A body is searched in its first this many characters (about 30,000 words, in any
# language): past that, PostgreSQL's tsvector would near its size limit on a page of
# unique words.
BODY_LIMIT = 200_000
SUMMARY_LIMIT = 20_000
# Longer runs of letters are not words anyone searches for (a pasted hash, say).
LONGEST_WORD = 100
BATCH = 500
TATWEEL = 0x0640
# A search document's columns of words, from the heaviest (the headline).
COLUMNS = ("title", "summary", "names", "body")

# PostgreSQL's own text search configurations, by the site's language: its words are
# stemmed ("elections" finds "election"). Any other language, Hebrew among them, is
# searched word for word ('simple').
STEMMED = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "fi": "finnish", "fr": "french", "ga": "irish", "hu": "hungarian",
    "id": "indonesian", "it": "italian", "lt": "lithuanian", "nb": "norwegian",
    "ne": "nepali", "nl": "dutch", "no": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip


# Words


def _folded_char(code: int) -> int | None:
    """What a character becomes in folded text: itself (a letter, digit or spacing
    mark), nothing (a combining mark, a format character such as a soft hyphen or a
    zero-width joiner, the tatweel), or a space (anything else)."""
    category = unicodedata.category(chr(code))
    if category in ("Mn", "Me", "Cf") or code == TATWEEL:
        return None
    if category[0] in "LN" or category == "Mc":
        return code
    return 0x20


class _AnyPlane(dict):
    def __missing__(self, code: int) -> int | None:
        self[code] = value = _folded_char(code)
        return value


@cache
def _tables() -> tuple[dict[int, int | None], _AnyPlane]:
    # A plain dict is translated through twice as fast as one with __missing__:
    # text of the Basic Multilingual Plane (nearly all) uses it.
    basic = {code: _folded_char(code) for code in range(0x10000)}
    return basic, _AnyPlane(basic)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def fold(text: str) -> str:
    """``text`` with words as the index holds them, separated by spaces."""
    if text.isascii():
        # Nothing to decompose; str.translate is fastest on ASCII.
        return text.lower().translate(_tables()[0])
    basic, any_plane = _tables()
    table = any_plane if _ASTRAL.search(text) else basic
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(table)
    return unicodedata.normalize("NFC", decomposed)


_WORDISH = re.compile(r"x+")


@cache
def _masks() -> tuple[dict[int, str], _Masks]:
    basic, _any_plane = _tables()
    mask = {code: " " if value == 0x20 else "x" for code, value in basic.items()}
    return mask, _Masks(mask)


class _Masks(dict):
    def __missing__(self, code: int) -> str:
        self[code] = value = " " if _folded_char(code) == 0x20 else "x"
        return value


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where the words of ``text`` are, as it is written (its marks and joiners inside
    them): (start, end) of each. Folded, each holds one word of ``words(text)``, or
    a few where folding splits it (½ is 1 and 2)."""
    basic, any_plane = _masks()
    mask = text.translate(any_plane if _ASTRAL.search(text) else basic)
    for found in _WORDISH.finditer(mask):
        yield found.span()


def words(text: str) -> list[str]:
    """The searchable words of ``text``, folded, in order."""
    return [w for w in fold(text).split() if len(w) <= LONGEST_WORD]


def index_text(text: str) -> str:
    return " ".join(words(text))


_BREAK = re.compile(
    r"<(?:br|hr|/?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|tr|td|th|figure"
    r"|figcaption|section|aside|details|summary))(?=[\s/>])[^>]*>",
    re.IGNORECASE,
)


# A footnote's number in the text and its arrow back (markup._NOTE_RULES): not words,
# and the number would join the word before it ("claim1"). And the notes' heading, the
# site's word and not the article's: every article with notes was found by "notes".
_NOTE_MARK = re.compile(
    r'<a [^>]*class="footnote-(?:ref|backref)"[^>]*>[^<]*</a>'
    r'|(?<=<section class="footnotes">\n)<h2>[^<]*</h2>'
)


def plain_text(body_html: str) -> str:
    """The words of an article's stored (sanitized) HTML: paragraphs, list items and
    cells kept apart, white space made single spaces, footnotes' marks and heading left
    out."""
    # The sanitizer writes every ">" inside an attribute as "&gt;": a tag ends at ">".
    if 'class="footnote-' in body_html:
        body_html = _NOTE_MARK.sub("", body_html)
    text = nh3.clean(_BREAK.sub(" ", body_html), tags=set())
    return " ".join(html.unescape(text).split())


def document_text(text: str, limit: int | None = None) -> str:
    """A column of a ``SearchDocument``: the words of ``text``, cut between words to
    ``limit`` characters."""
    found = index_text(text[:limit] if limit else text)
    if limit and len(found) > limit:
        found = found[: limit + 1].rsplit(" ", 1)[0]
    return found


def document_fields(title: str, summary: str, body_html: str, names: Iterable[str]) -> dict:
    """The columns of a ``SearchDocument`` (also used by migrations 0009 and 0010)."""
    return {
        "title": document_text(title),
        "summary": document_text(summary, SUMMARY_LIMIT),
        "names": document_text(" ".join(names)),
        "body": document_text(plain_text(body_html), BODY_LIMIT),
    }


def _names(article: Article) -> list[str]:
    found = [filed.name for filed in (article.section, article.author) if filed is not None]
    return found + [tag.name for tag in article.tags.all()]


# PostgreSQL


def text_search_config(language: str) -> str:
    return STEMMED.get(language.split("-")[0].lower(), "simple")


def vectors(config: str) -> Expression:
    """A document's ``vector``: the headline weighs most (A), then the summary (B),
    the section, tags and byline (C), and the body (D)."""
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("names", weight="C", config=config)
        + SearchVector("body", weight="D", config=config)
    )


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


GIN_INDEX = "newsroom_searchdocument_vector_idx"
# Documents written at once from which the GIN index's pending list is merged at once.
SETTLE_FROM = 100
# The GIN index's pending list while many documents are written (on disk; the merge
# reads it in maintenance_work_mem at a time).
BULK_PENDING = "2GB"


def settle_postgres_index() -> None:
    """Merge the GIN index's pending list into the index, after many documents were
    written: PostgreSQL adds new words to that list (fast to write) and every search
    reads all of it until a vacuum merges it; after an import, a long list made the
    planner read every vector instead of the index (seconds, not milliseconds)."""
    if on_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [GIN_INDEX])


def revectorize(config: str | None = None) -> int:
    """Every document's vector made anew with the site's language (or ``config``):
    the site's language changed. SQLite folds no word by language: nothing to do."""
    if not on_postgres():
        return 0
    config = config or text_search_config(SiteSettings.load().language)
    changed = SearchDocument.objects.update(vector=vectors(config))
    settle_postgres_index()
    return changed


# Keeping it in step

# Articles waiting to be indexed when the innermost ``deferred`` block ends; None
# outside one.
_pending: ContextVar[set[int] | None] = ContextVar("search_index_pending", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """Within it, articles are noted rather than indexed, and indexed together, in
    batches, when it ends: an import of thousands costs a few queries a batch. Nested
    blocks join the outermost one. Nothing is indexed when it ends with an exception."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        ids = _pending.get() or set()
    finally:
        _pending.reset(token)
    index_articles(ids)


def index_articles(ids: Iterable[int]) -> int:
    """Index the articles of ``ids`` (now, or when the ``deferred`` block ends); an id
    whose article is gone loses its row. Returns how many rows were written."""
    pending = _pending.get()
    if pending is not None:
        pending.update(ids)
        return 0
    ordered = sorted(set(ids))
    if not ordered:
        return 0
    config = text_search_config(SiteSettings.load().language) if on_postgres() else ""
    written = 0
    with transaction.atomic(), _writing_many(len(ordered)):
        for batch, documents in _batches(ordered):
            written += _write(batch, config, documents)
    return written


@contextmanager
def _writing_many(count: int) -> Iterator[None]:
    """Within a transaction: on PostgreSQL, for ``count`` documents or more than
    ``SETTLE_FROM``, the GIN index takes new words into its pending list until the
    block ends, and then merges them into the index at once. Merged each time the list
    reached its usual 4 MB, posting lists were written again and again: for 10,000
    articles, 340 MB of write-ahead log where one merge writes about 80 MB."""
    if not on_postgres() or count < SETTLE_FROM:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('gin_pending_list_limit')")
        (usual,) = cursor.fetchone()
        cursor.execute("SELECT set_config('gin_pending_list_limit', %s, true)", [BULK_PENDING])
    yield
    settle_postgres_index()
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('gin_pending_list_limit', %s, true)", [usual])


def _read(ids: list[int]) -> list[tuple[int, str, str, str, list[str]]]:
    articles = (
        Article.objects.filter(pk__in=ids)
        .select_related("author", "section")
        .prefetch_related("tags")
        .only("id", "title", "summary", "body_html", "author__name", "section__name")
    )
    return [(a.pk, a.title, a.summary, a.body_html, _names(a)) for a in articles]


def _documents(read: list[tuple[int, str, str, str, list[str]]]) -> list[SearchDocument]:
    return [
        SearchDocument(article_id=pk, **document_fields(title, summary, body_html, names))
        for pk, title, summary, body_html, names in read
    ]


def _batches(ids: list[int]) -> Iterator[tuple[list[int], list[SearchDocument]]]:
    """``ids`` a batch at a time, with their documents."""
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        yield batch, _documents(_read(batch))


def _write(ids: list[int], config: str, documents: list[SearchDocument]) -> int:
    with transaction.atomic():
        # Rewritten whole: SQLite's triggers take the old words out of its full-text
        # table and put the new ones in.
        SearchDocument.objects.filter(pk__in=ids).delete()
        if config and documents:
            _insert_with_vectors(documents, config)
        else:
            SearchDocument.objects.bulk_create(documents)
    return len(documents)


def _insert_with_vectors(documents: list[SearchDocument], config: str) -> None:
    """PostgreSQL: the documents inserted with their vectors (``vectors``), in one
    statement. Written first and given vectors by an UPDATE, each row was written
    twice, and the GIN index given its words once for each."""
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    names = ", ".join(COLUMNS)
    weighted = " || ".join(
        f"setweight(to_tsvector(%s::regconfig, COALESCE(d.{name}, '')), '{weight}')"
        for name, weight in zip(COLUMNS, "ABCD", strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, {names}, vector) "
            f"SELECT d.article_id, {', '.join(f'd.{n}' for n in COLUMNS)}, {weighted} "
            f"FROM unnest(%s::integer[], {', '.join(['%s::text[]'] * len(COLUMNS))}) "
            f"AS d(article_id, {names})",
            [config] * len(COLUMNS)
            + [[d.article_id for d in documents]]
            + [[getattr(d, name) for d in documents] for name in COLUMNS],
        )


def index_in_migration(apps, schema_editor, ids: Iterable[int]) -> int:
    """A migration's: the documents of the articles of ``ids`` written again as the site
    writes them now, through the migration's historical models (today's may name
    columns a later migration adds). Only documents that exist are written (an article
    not yet indexed is left to ``search rebuild``). Returns how many."""
    Article = apps.get_model("newsroom", "Article")
    SearchDocument = apps.get_model("newsroom", "SearchDocument")
    articles = Article.objects.select_related("author", "section").prefetch_related("tags")
    kept = SearchDocument.objects.filter(pk__in=list(ids)).order_by("pk")
    indexed = list(kept.values_list("pk", flat=True))
    config = ""
    if schema_editor.connection.vendor == "postgresql":
        site = apps.get_model("newsroom", "SiteSettings").objects.filter(pk=1).first()
        config = text_search_config(site.language if site else "en")
    for start in range(0, len(indexed), BATCH):
        batch = indexed[start : start + BATCH]
        documents = [
            SearchDocument(
                article_id=a.pk,
                **document_fields(a.title, a.summary, a.body_html, _names(a)),
            )
            for a in articles.filter(pk__in=batch)
        ]
        # On SQLite the update trigger writes each row's words into the full-text table.
        SearchDocument.objects.bulk_update(documents, list(COLUMNS))
        if config:
            SearchDocument.objects.filter(pk__in=batch).update(vector=vectors(config))
    if indexed:
        settle_postgres_index()
    return len(indexed)


def tags_changed(
    sender, instance, action: str, reverse: bool, pk_set: set[int] | None, **kwargs
) -> None:
    """A receiver (``m2m_changed`` of ``Article.tags``): a tag's name is searched for
    in the articles that carry it."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            index_articles([instance.pk])
        return
    # From the tag's side: ``pk_set`` holds articles; a clear names none, so they
    # are noted before it.
    if action == "pre_clear":
        instance._search_articles = filed_under(instance)
    elif action == "post_clear":
        index_articles(getattr(instance, "_search_articles", []))
    elif action in ("post_add", "post_remove"):
        index_articles(pk_set or [])


def filed_under(instance) -> list[int]:
    """The articles filed under a section, tag or byline."""
    return list(instance.articles.values_list("pk", flat=True))


def filing_removed(sender, instance, **kwargs) -> None:
    """A receiver (after a section, tag or byline is deleted): the articles filed under
    it (noted before, by ``filing_gone``) no longer carry its name."""
    index_articles(getattr(instance, "_search_articles", []))


# Rebuilding

FTS_TABLE = "newsroom_searchdocument_fts"


def sqlite_schema() -> list[str]:
    """SQLite's full-text table over ``newsroom_searchdocument`` (its words are read
    from there: an external-content FTS5 table) and the triggers that keep it in step.

    unicode61 with ``remove_diacritics 2`` folds what ``fold`` already folded: the
    table stays right should a row ever be written without it. ``prefix`` keeps the
    beginnings of words, for the last word of a query (``elect`` finds ``election``).
    """
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    delete_old = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {cols}) "
        f"VALUES ('delete', old.article_id, {old});"
    )
    insert_new = f"INSERT INTO {FTS_TABLE}(rowid, {cols}) VALUES (new.article_id, {new});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({cols}, "
        "content='newsroom_searchdocument', content_rowid='article_id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON "
        f"newsroom_searchdocument BEGIN {insert_new} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON "
        f"newsroom_searchdocument BEGIN {delete_old} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE ON "
        f"newsroom_searchdocument BEGIN {delete_old} {insert_new} END",
    ]


SQLITE_TRIGGERS = [f"{FTS_TABLE}_{event}" for event in ("insert", "delete", "update")]


def rebuild(progress=lambda n: None) -> int:
    """Every article indexed anew, in one transaction; on SQLite the full-text table
    (and its triggers, should they be missing) made again from the documents.
    ``progress`` is told of each batch's articles. Returns the articles indexed."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    config = text_search_config(SiteSettings.load().language) if on_postgres() else ""
    sqlite = connection.vendor == "sqlite"
    with transaction.atomic():
        if sqlite:
            with connection.cursor() as cursor:
                # Written without the triggers, then indexed in one pass below.
                for trigger in SQLITE_TRIGGERS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                cursor.execute(sqlite_schema()[0])
        SearchDocument.objects.exclude(pk__in=ids).delete()
        written = 0
        with _writing_many(len(ids)):
            for batch, documents in _batches(ids):
                written += _write(batch, config, documents)
                progress(len(batch))
        settle_postgres_index()
        if sqlite:
            with connection.cursor() as cursor:
                for statement in sqlite_schema()[1:]:
                    cursor.execute(statement)
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return written


def check() -> list[str]:
    """What is wrong with the index (empty when nothing is): articles without a
    document, and on SQLite the full-text table's own integrity check."""
    problems = []
    missing = Article.objects.filter(search_document__isnull=True).count()
    if missing:
        problems.append(f"{missing} article{' is' if missing == 1 else 's are'} not indexed")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
                SQLITE_TRIGGERS,
            )
            found = {row[0] for row in cursor.fetchall()}
            problems += [f"trigger {t} is missing" for t in SQLITE_TRIGGERS if t not in found]
            try:
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
                )
            except Exception as exc:  # the table is corrupt or gone: say so
                problems.append(f"the full-text table fails its check: {exc}")
    return problems
