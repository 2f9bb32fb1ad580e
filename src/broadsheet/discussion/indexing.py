"""The comments' text index: what the moderators' search (Find comments) reads to
find the comments whose text, author's name, e-mail address or website holds a
phrase, without reading every comment (docs/moderation.md, "Find comments").

SQLite: an FTS5 table with the trigram tokenizer over ``discussion_comment``. It
reads the text from the comment's own row (external content: it keeps the index,
not a copy), and triggers keep it in step with every insert, edit and deletion,
whatever makes them (the site, ``bulk_create``, an import, a restore, a raw
statement). A phrase of three letters or more is one FTS5 phrase: its trigrams one
after another, which is the phrase itself, letter case aside, inside one of the
columns. A shorter one is searched for by reading every comment (``LIKE``, or
``GLOB`` for letters with a case beyond A to Z), and so is a phrase within a story
of up to ``READ_UP_TO`` comments, whose own comments are fewer to read.

PostgreSQL: a GIN trigram index (pg_trgm) on each column, on the very expression
Django's ``icontains`` compares (``UPPER(column::text)``), so that the query stays
Django's own and the planner reads the indexes for it. pg_trgm finds the rows that
hold the phrase's trigrams; PostgreSQL then checks each against the ``LIKE``. A
phrase without three letters or digits in a row (``ok``, ``%``, emoji) gives it no
trigram: every comment is read.

Letter case is set aside for every letter that has one, on both databases (SQLite's
own ``LIKE`` sets aside only A–Z's): é finds É on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, Max, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import IContains

TABLE = "discussion_comment"
FTS_TABLE = "discussion_comment_fts"
# The columns searched, as ``icontains`` lookups name them.
COLUMNS = ("body", "author_name", "author_email", "author_url")
# PostgreSQL's trigram index on each column, by column.
TRIGRAM_INDEXES = {name: f"comment_{name}_trgm_idx" for name in COLUMNS}
# The shortest phrase an index finds: a trigram.
SHORTEST = 3
# A phrase the index cannot find (see ``indexed``) is looked for among this many of
# the latest comments only, when the whole site is searched: reading every comment
# took 1.1 s on PostgreSQL among 1,000,000, and 0.46 s on SQLite.
SHORT_AMONG = 20_000
# A story's comments, up to this many, are read one by one rather than through the
# index (SQLite): 59 ms for a story of 20,000 on the 2-core development machine,
# where the index took 700 ms to find a phrase in 600,000 comments of 1,000,000.
READ_UP_TO = 50_000


# SQLite


def sqlite_schema() -> list[str]:
    """The FTS5 table and the triggers that keep it in step with ``discussion_comment``.

    An edit that leaves the four columns as they were (a decision, a recount of the
    thread) touches no index: the update trigger fires only when one of them (or the
    id) changed."""
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    delete_old = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    )
    insert_new = f"INSERT INTO {FTS_TABLE}(rowid, {cols}) VALUES (new.id, {new});"
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in ("id", *COLUMNS))
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({cols}, "
        f"content='{TABLE}', content_rowid='id', tokenize='trigram case_sensitive 0')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON {TABLE} "
        f"BEGIN {insert_new} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {TABLE} "
        f"BEGIN {delete_old} END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF id, {cols} "
        f"ON {TABLE} WHEN {changed} BEGIN {delete_old} {insert_new} END",
    ]


SQLITE_TRIGGERS = [f"{FTS_TABLE}_{event}" for event in ("insert", "delete", "update")]


def _sqlite_state(cursor) -> tuple[bool, set[str]]:
    """Whether the FTS5 table is there, and which of its triggers are."""
    cursor.execute(
        "SELECT type, name FROM sqlite_master WHERE name = %s OR (type = 'trigger' AND "
        "tbl_name = %s AND name LIKE %s)",
        [FTS_TABLE, TABLE, f"{FTS_TABLE}%"],
    )
    rows = cursor.fetchall()
    return any(kind == "table" for kind, _ in rows), {n for kind, n in rows if kind == "trigger"}


def _sqlite_rebuild(cursor) -> None:
    """The table and its triggers made (where missing) and the index read anew from
    every comment."""
    for statement in sqlite_schema():
        cursor.execute(statement)
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def mend(using: str = DEFAULT_DB_ALIAS, **kwargs) -> bool:
    """A receiver (``post_migrate``): on SQLite, triggers that a migration dropped
    made again, and the index rebuilt, since comments may have changed without them.

    SQLite cannot alter a column: Django's migrations copy the table into a new one
    and drop the old, and its triggers with it. Returns whether anything was mended."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    with transaction.atomic(using=using), conn.cursor() as cursor:
        exists, triggers = _sqlite_state(cursor)
        if not exists or triggers >= set(SQLITE_TRIGGERS):
            return False
        _sqlite_rebuild(cursor)
    return True


# PostgreSQL


def settle(using: str = DEFAULT_DB_ALIAS) -> None:
    """After many comments were written at once (an import, a restore), on PostgreSQL:
    merge the trigram indexes' pending lists into them. PostgreSQL adds new entries to
    a list that every search reads whole until autovacuum merges it; the articles'
    index is settled the same way (``newsroom.indexing.settle_postgres_index``)."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        for index in TRIGRAM_INDEXES.values():
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])


def postgres_indexes(conn: BaseDatabaseWrapper, model: Any = None) -> dict[str, str]:
    """{index name: the statement that makes it} for each column, on the expression
    ``icontains`` compares as Django's PostgreSQL backend writes it
    (``UPPER("body"::text)``), of ``model`` (a migration's) or else ``Comment``.
    pg_trgm must be installed (migration 0010 does it)."""
    if model is None:
        from broadsheet.discussion.models import Comment as model

    statements = {}
    for name, index in TRIGRAM_INDEXES.items():
        field = model._meta.get_field(name)
        compared = conn.ops.lookup_cast("icontains", field.get_internal_type())
        column = conn.ops.quote_name(field.column)
        statements[index] = (
            f"CREATE INDEX IF NOT EXISTS {index} ON {TABLE} "
            f"USING gin (({compared % column}) gin_trgm_ops)"
        )
    return statements


# The search


class _Glob(Lookup):
    """SQLite's ``GLOB``: case matters, ``*``, ``?`` and ``[…]`` are its wildcards."""

    lookup_name = "glob"

    def as_sql(self, compiler, conn):
        lhs, lhs_params = self.process_lhs(compiler, conn)
        rhs, rhs_params = self.process_rhs(compiler, conn)
        return f"{lhs} GLOB {rhs}", [*lhs_params, *rhs_params]


def glob_pattern(text: str) -> str:
    """A ``GLOB`` pattern for anything holding ``text``, letter case aside: each letter
    that has a case as the set of its forms (``[éÉ]``), the wildcards as sets of
    themselves, every other character as itself."""
    parts = []
    for ch in text:
        forms = sorted({ch, *(form for form in (ch.lower(), ch.upper()) if len(form) == 1)})
        parts.append(f"[{''.join(forms)}]" if len(forms) > 1 or ch in "*?[" else ch)
    return f"*{''.join(parts)}*"


def fts_phrase(text: str) -> str:
    """``text`` as one FTS5 phrase: quoted, nothing inside is an operator."""
    return '"' + text.replace('"', '""') + '"'


def holding(text: str, *, among: int | None = None, in_order: bool = False) -> Q:
    """Comments whose text, author's name, e-mail address or website holds ``text``,
    letter case aside (``text`` as written: no character is a wildcard).

    ``among``: how many comments the search is confined to, when it is (a story's).
    On SQLite up to ``READ_UP_TO`` of them are read one by one: the index finds a
    phrase in every comment of the site before the story's are picked out, which
    for a phrase most comments hold costs more than reading the story's.

    ``in_order``: the comments will be read newest first until a page is full
    (``in_order``): on SQLite each is then read as it comes, since looking the
    phrase up in the index means finding every comment that holds it first."""
    if connection.vendor != "sqlite":
        if among is not None and among <= READ_UP_TO:
            # A story's comments, read one by one: the planner combined the story's
            # index with the trigram indexes, which for a phrase most comments hold
            # found 600,000 matches across the site first (330 ms, where reading the
            # story's 20,000 takes 30).
            return _icontains(text, unindexed=True)
        # PostgreSQL: the lookups' expressions are the trigram indexes' own; its
        # planner judges how many rows they find.
        return _icontains(text)
    if len(text) < SHORTEST or in_order or (among is not None and among <= READ_UP_TO):
        return _read_through(text)
    return Q(pk__in=RawSQL(_FTS_MATCH, [fts_phrase(text)]))


_FTS_MATCH = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"


def count_holding(text: str, *, upto: int) -> int | None:
    """How many comments ``holding(text)`` finds, up to ``upto`` (a figure above it
    means "more"), counted in the index alone where it can be (SQLite, three letters
    or more; else None): every match is a comment, and counting them needs no
    comment's row (for a phrase in 60,000 comments of 100,000, 21 ms where looking
    each one up takes 40)."""
    if connection.vendor != "sqlite" or len(text) < SHORTEST:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM ({_FTS_MATCH} LIMIT %s)", [fts_phrase(text), upto + 1]
        )
        return cursor.fetchone()[0]


def indexed(text: str) -> bool:
    """Whether the index finds ``text``: on SQLite, three letters or more (any
    characters: FTS5's trigrams hold them all); on PostgreSQL, three letters or
    digits in a row, where pg_trgm takes its trigrams (punctuation, symbols and emoji
    give it none)."""
    if connection.vendor == "sqlite":
        return len(text) >= SHORTEST
    run = 0
    for ch in text:
        run = run + 1 if ch.isalnum() else 0
        if run >= SHORTEST:
            return True
    return False


def latest(n: int) -> Q:
    """The latest ``n`` comments stored (by id: one look at the end of the index)."""
    from broadsheet.discussion.models import Comment

    last = Comment.objects.aggregate(last=Max("pk"))["last"] or 0
    return Q(pk__gt=last - n)


def in_order(found: int, upto: int) -> bool:
    """Whether the page that ends at the ``upto``-th of ``found`` matches, newest
    first, is found sooner by reading the comments in that order until it is full
    (about ``upto`` × comments / ``found`` of them, each checked) than by sorting
    every match: for a phrase most comments hold."""
    from broadsheet.discussion.models import Comment

    if not found:
        return False
    # About how many comments there are: one look at the end of an index.
    comments = Comment.objects.aggregate(last=Max("pk"))["last"] or 0
    return upto * comments <= found * found


def in_order_from(upto: int) -> int:
    """The fewest matches for which ``in_order(found, upto)`` holds: a count that
    stops there (bounded) still chooses as the whole count would."""
    from broadsheet.discussion.models import Comment

    comments = Comment.objects.aggregate(last=Max("pk"))["last"] or 0
    return math.isqrt(upto * comments - 1) + 1 if upto * comments else 1


def newest_first(comments: QuerySet[Any], *, in_order: bool) -> QuerySet[Any]:
    """``comments`` newest first: read in that order (``comment_newest_idx``), or
    sorted, the database told not to read them in that order. PostgreSQL, misjudging
    how many comments a name is in (1,000 of 100,000 where 200 were), read 25,000
    comments in that order for a page of 50 (40 ms, where sorting the 200 takes 3)."""
    if in_order:
        return comments.order_by("-created_at", "-id")
    # COALESCE(created_at, created_at): the same order, which no index gives.
    return comments.order_by(Coalesce("created_at", "created_at").desc(), "-id")


def _icontains(text: str, *, unindexed: bool = False) -> Q:
    """``icontains`` on each column; ``unindexed``: on ``COALESCE(column, '')``, the
    same text in an expression no index is on, so that the database reads the rows
    it has found otherwise (a story's) rather than the trigram indexes."""
    match = Q()
    for name in COLUMNS:
        if unindexed:
            column = Coalesce(F(name), Value(""), output_field=TextField())
            match |= Q(IContains(column, text))
        else:
            match |= Q(**{f"{name}__icontains": text})
    return match


def _read_through(text: str) -> Q:
    """SQLite, reading every comment: ``LIKE`` (which sets aside the case of A to Z
    only) where ``text`` has no other letter with a case, else ``GLOB`` with the
    forms of each letter (``[éÉ]``), as the index would find it. ``LIKE`` reads
    about four times as fast."""
    if all(ch.isascii() or ch.lower() == ch.upper() for ch in text):
        return _icontains(text)
    pattern = glob_pattern(text)
    match = Q()
    for name in COLUMNS:
        match |= Q(_Glob(F(name), pattern))
    return match


# Checking and rebuilding


def check() -> list[str]:
    """What is wrong with the comments' index (empty when nothing is)."""
    problems = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            exists, triggers = _sqlite_state(cursor)
            if not exists:
                return [f"the comments' full-text table {FTS_TABLE} is missing"]
            problems += [f"trigger {t} is missing" for t in SQLITE_TRIGGERS if t not in triggers]
            try:
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
                )
            except Exception as exc:  # the table is corrupt: say so
                problems.append(f"the comments' full-text table fails its check: {exc}")
        elif connection.vendor == "postgresql":
            problems += [f"index {name} is missing" for name in _postgres_missing(cursor)]
    return problems


def _postgres_missing(cursor) -> dict[str, str]:
    """The trigram indexes that are not there, with the statements that make them."""
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s",
        [TABLE],
    )
    present = {row[0] for row in cursor.fetchall()}
    return {
        name: statement
        for name, statement in postgres_indexes(connection).items()
        if name not in present
    }


def rebuild() -> None:
    """SQLite: the comments' full-text table (and its triggers) made where missing, and
    its index read anew from every comment. PostgreSQL: the indexes made where
    missing (it keeps those it has in step itself)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _sqlite_rebuild(cursor)
        elif connection.vendor == "postgresql":
            missing = _postgres_missing(cursor)
            if missing:
                # An index cannot be made on a table whose rows' deferred checks
                # (foreign keys) wait for the transaction's end: they are run now.
                connection.check_constraints()
            for statement in missing.values():
                cursor.execute(statement)
