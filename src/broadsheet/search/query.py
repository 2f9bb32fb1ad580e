"""A reader's search: the words it looks for, and the live articles that hold them,
best first.

Every word the reader typed must be in an article (in its headline, summary, body,
section, tags or byline); the last one may also begin a longer word. A Hebrew or
Arabic word is found with or without the prefixes it may begin with
(``newsroom.prefixes``): ירושלים finds בירושלים and בירושלים finds ירושלים, but מים
("water") not שמים ("sky") where the site's text shows שמים to be a word. Words in
quotes, or joined by punctuation without a space (co-op, צה"ל), must stand side by
side, each as typed or in the forms its prefixes give it, on both databases alike
(PostgreSQL's stems and dropped common words left out of a phrase). Nothing else
the reader types is an operator: ``*``, ``-``, ``:``, parentheses, ``NEAR``, ``OR``
are punctuation or words like any other, and each word goes to the database quoted
(SQLite's FTS5 strings; PostgreSQL's tsquery lexemes, in a parameter).

Ranked by relevance, the headline weighing most, then the summary, the names it is
filed under and the body; among equals, the newer first. Articles holding every word
as typed come before those found only through a prefix taken off.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import DatabaseError, connection
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, TextField, Value
from django.db.models.functions import Concat, StrIndex
from django.db.models.lookups import GreaterThan, Regex
from django.utils import timezone

from broadsheet.markup import NOT_IN_HTML
from broadsheet.newsroom import indexing, prefixes
from broadsheet.newsroom.models import Article

# A query longer than this is refused (the search box holds no more).
MAX_LENGTH = 200
# Words past these are not searched for (and the reader is told).
MAX_WORDS = 12
# The last word matches the beginnings of longer words from this length on: shorter
# beginnings match too much to help.
PREFIX_FROM = 3
# A phrase is one FTS5 string a combination of its words' forms, up to this many
# combinations; past them its words are found in the document's text by a regular
# expression instead (``_phrase_pattern``), slower but of any number.
PHRASE_STRINGS = 32

# SQLite's bm25() and PostgreSQL's ts_rank weights, in the index's column order
# (title, summary, names, body); PostgreSQL takes them as D, C, B, A.
SQLITE_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
POSTGRES_WEIGHTS = [0.1, 0.2, 0.4, 1.0]


def query_text(typed: str) -> str:
    """What a reader typed, as it is searched for and shown back: what HTML forbids
    (a NUL among it) dropped, white space made single spaces."""
    return " ".join(NOT_IN_HTML.sub("", typed).split())


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]
    # The term that also matches longer words beginning with it, if any.
    prefix: str | None = None
    # Words typed past MAX_WORDS, not searched for.
    dropped: int = 0
    # Words were typed, each longer than the index keeps (indexing.LONGEST_WORD):
    # no terms, for another reason than a query of punctuation alone.
    too_long: bool = False
    # Words typed in quotes, or joined by punctuation (co-op, תל-אביב, צה"ל), which
    # must stand side by side, each whole, in one of the forms it is searched in
    # alone (with or without a Hebrew or Arabic prefix), on both databases alike.
    phrases: tuple[tuple[str, ...], ...] = ()
    # The terms typed only as words of those phrases (the s of Wrenmouth’s): found,
    # and so marked, only where their phrase stands.
    bound: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str) -> Query:
        typed = indexing.words(text)
        terms = tuple(dict.fromkeys(typed))
        dropped = max(0, len(terms) - MAX_WORDS)
        terms = terms[:MAX_WORDS]
        quoted, last_quoted = _quoted(text)
        phrases = tuple(
            dict.fromkeys(p for p in quoted if len(p) > 1 and all(w in terms for w in p))
        )
        in_phrases = Counter(w for p in quoted if p in phrases for w in p)
        bound = frozenset(w for w in in_phrases if typed.count(w) == in_phrases[w])
        last = typed[-1] if typed and not last_quoted else ""
        prefix = last if len(last) >= PREFIX_FROM and last in terms else None
        too_long = not typed and bool(indexing.fold(text).split())
        # In the order of the fields above.
        return cls(terms, prefix, dropped, too_long, phrases, bound)


# Marks that open or close a quotation: straight and curly double quotes, low and
# angle quotes, and the Hebrew gershayim. Only at a word's edge: inside a word they
# are no quotes (צה"ל, ארה״ב: Hebrew writes abbreviations so).
QUOTES = '"“”„«»\u05f4'
# What may follow a closing quote in the same run of text: "harbour", or "harbour".
AFTER_QUOTE = ".,;:!?)]}…"


def _quoted(text: str) -> tuple[list[tuple[str, ...]], bool]:
    """The runs of words ``text`` holds in quotes (a quote left open runs to the end)
    or joined by punctuation without a space, folded; and whether its last word is in
    one (typed whole, then: not the beginning of longer words)."""
    phrases: list[tuple[str, ...]] = []
    current: list[str] | None = None
    last_quoted = False
    for chunk in text.split():
        if current is None and chunk[0] in QUOTES:
            current, chunk = [], chunk[1:]
        end = chunk.rstrip(AFTER_QUOTE)[-1:]
        closes = current is not None and end != "" and end in QUOTES
        words = indexing.words(chunk)
        if words:
            last_quoted = current is not None or len(words) > 1
        if current is None and len(words) > 1:
            phrases.append(tuple(words))
        if current is not None:
            current += words
            if closes:
                phrases.append(tuple(current))
                current = None
    if current:
        phrases.append(tuple(current))
    return phrases, last_quoted


@dataclass
class Results:
    """The live articles ``query`` finds, as a paginator's list: ``count()`` and slices
    of ``Article``, best first, each with its author and section."""

    query: Query
    # The site's language: PostgreSQL stems the query's words as it stemmed the index's.
    language: str
    now: datetime = field(default_factory=timezone.now)
    _count: int | None = None
    _engine: Any = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._backend().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Article]:
        if not isinstance(index, slice):
            raise TypeError("Results are read a page (a slice) at a time.")
        start, stop = index.start or 0, index.stop
        if stop is None or stop <= start:
            return []
        return self._backend().page(start, stop - start)

    def stems(self) -> dict[str, list[str]]:
        """What the database makes of each term (its stems, on PostgreSQL), for
        highlighting the words it matched."""
        return self._backend().stems()

    def forms(self) -> dict[str, list[str]]:
        """The words of a text each term finds: itself and, for a Hebrew or Arabic
        word, its forms with and without prefixes (``newsroom.prefixes.resolve``)."""
        return self._backend().forms

    def _backend(self) -> Any:
        if self._engine is None:
            if indexing.on_postgres():
                config = indexing.text_search_config(self.language)
                self._engine = _Postgres(self.query, self.now, config)
            else:
                self._engine = _Sqlite(self.query, self.now)
        return self._engine


class _Backend:
    def __init__(self, query: Query, now: datetime) -> None:
        self.query = query
        self.now = now
        self._forms: dict[str, list[str]] | None = None

    @property
    def forms(self) -> dict[str, list[str]]:
        if self._forms is None:
            self._forms = prefixes.resolve(
                self.query.terms, self.present, beginning=self.query.prefix
            )
        return self._forms

    @property
    def widened(self) -> bool:
        """Whether some term is searched for in more forms than as typed."""
        return any(len(forms) > 1 for forms in self.forms.values())

    def _phrases(self, widened: bool, *, long: bool | None = None) -> list[list[list[str]]]:
        """Each phrase as the forms of each of its words (or each word only as typed);
        only those of more than ``PHRASE_STRINGS`` combinations of forms (``long``),
        or only the others."""
        found = []
        for phrase in self.query.phrases:
            forms = [self.forms[word] if widened else [word] for word in phrase]
            combinations = math.prod(len(each) for each in forms)
            if long is None or long == (combinations > PHRASE_STRINGS):
                found.append(forms)
        return found

    def present(self, words: Collection[str]) -> set[str]:
        """Those of ``words`` that a live article holds; one ending in ``*`` (which no
        word holds), the beginning before it, where a live article holds a word that
        begins so."""
        raise NotImplementedError

    def _live(self) -> tuple[str, list]:
        """SQL of a live article ``a``, and its parameters."""
        return "a.status IN (%s, %s) AND a.published_at <= %s", [
            Article.Status.PUBLISHED,
            Article.Status.SCHEDULED,
            connection.ops.adapt_datetimefield_value(self.now),
        ]


class _Sqlite(_Backend):
    def present(self, words: Collection[str]) -> set[str]:
        if not words:
            return set()
        fts = indexing.FTS_TABLE
        live, params = self._live()
        # One probe of the full-text index a word, stopping at its first live article,
        # in one short statement that reads the words' queries from a JSON object: a
        # UNION of a probe a word, a few hundred for a Hebrew word, took SQLite about
        # a third of the time to compile (docs/operations.md, "Search").
        sql = (
            f"SELECT w.key FROM json_each(%s) w WHERE EXISTS (SELECT 1 FROM {fts} "
            f"CROSS JOIN newsroom_article a ON a.id = {fts}.rowid "
            f"WHERE {fts} MATCH w.value AND {live})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [json.dumps({word: _probe(word) for word in words}), *params])
            return {row[0] for row in cursor.fetchall()}

    def _match(self, *, widened: bool = True) -> str:
        """Every term, as one of its forms (or only as typed)."""

        def quoted(token: str, term: str) -> str:
            star = "*" if term == self.query.prefix else ""
            return _fts_string(token) + star

        groups = []
        for term in self.query.terms:
            tokens = self.forms[term] if widened else [term]
            one = " OR ".join(quoted(token, term) for token in tokens)
            groups.append(f"({one})" if len(tokens) > 1 else one)
        # A phrase: an FTS5 string of several words finds them side by side.
        for phrase in self._phrases(widened, long=False):
            strings = itertools.product(*phrase)
            one = " OR ".join(_fts_string(" ".join(words)) for words in strings)
            groups.append(f"({one})")
        return " AND ".join(groups)

    def _where(self) -> tuple[str, list]:
        fts = indexing.FTS_TABLE
        live, params = self._live()
        # Django gives SQLite connections a REGEXP function (Python's re): the
        # phrases of too many forms for FTS5 strings, read in the documents of the
        # articles the full-text match found.
        patterns = [_phrase_pattern(p) for p in self._phrases(True, long=True)]
        read = " JOIN newsroom_searchdocument d ON d.article_id = a.id" if patterns else ""
        # CROSS JOIN: SQLite's planner keeps the tables in this order, the full-text
        # match first; left to itself it may walk every live article and ask the
        # full-text table about each.
        sql = (
            f"FROM {fts} CROSS JOIN newsroom_article a ON a.id = {fts}.rowid{read} "
            f"WHERE {fts} MATCH %s AND {live}" + f" AND {DOCUMENT_WORDS} REGEXP %s" * len(patterns)
        )
        return sql, [self._match(), *params, *patterns]

    def count(self) -> int:
        where, params = self._where()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) {where}", params)
            return cursor.fetchone()[0]

    def page(self, offset: int, limit: int) -> list[Article]:
        where, params = self._where()
        fts = indexing.FTS_TABLE
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        order = f"bm25({fts}, {weights}), a.published_at DESC, a.id DESC"
        if self.widened:
            # The articles holding the words as typed first: one more match, of
            # those words alone, made once for the whole query.
            order = f"{fts}.rowid NOT IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s), {order}"
            params.append(self._match(widened=False))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.id {where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            ids = [row[0] for row in cursor.fetchall()]
        found = Article.objects.select_related("author", "section").in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def stems(self) -> dict[str, list[str]]:
        return {term: [term] for term in self.query.terms}


class _Postgres(_Backend):
    def __init__(self, query: Query, now: datetime, config: str) -> None:
        super().__init__(query, now)
        self.config = config

    def present(self, words: Collection[str]) -> set[str]:
        if not words:
            return set()
        live, params = self._live()
        with _through_the_index(), connection.cursor() as cursor:
            # Each word looked up in the GIN index, stopping at its first live article.
            ordered = sorted(words)
            cursor.execute(
                "SELECT w FROM unnest(%s::text[], %s::text[]) AS p(w, q) WHERE EXISTS "
                "(SELECT 1 FROM newsroom_searchdocument d JOIN newsroom_article a "
                "ON a.id = d.article_id "
                f"WHERE d.vector @@ to_tsquery(%s::regconfig, p.q) AND {live})",
                [ordered, [_lexeme(word) for word in ordered], self.config, *params],
            )
            return {row[0] for row in cursor.fetchall()}

    def _tsquery(self, *, widened: bool = True) -> SearchQuery:
        """Every term, as one of its forms (or only as typed): one query in
        PostgreSQL's syntax, each form quoted (a word holds letters, digits and marks
        only; quoted all the same). Combined as SearchQuery objects, a Hebrew word's
        hundred forms made an expression too deep for Django to compile."""

        def one(form: str, term: str | None = None) -> str:
            return _lexeme(form + ("*" if term and term == self.query.prefix else ""))

        groups = []
        for term in self.query.terms:
            forms = self.forms[term] if widened else [term]
            groups.append("(" + " | ".join(one(form, term) for form in forms) + ")")
        # A phrase: its words' stems side by side (a common word the configuration
        # drops still counts as a place between them, but any such word would do,
        # and one at either end is dropped): the index finds the articles that may
        # hold it, and ``_found`` those holding its words as typed.
        for phrase in self._phrases(widened):
            words = ["(" + " | ".join(map(one, forms)) + ")" for forms in phrase]
            groups.append("(" + " <-> ".join(words) + ")")
        return SearchQuery(" & ".join(groups), config=self.config, search_type="raw")

    def _found(self):
        found = Article.objects.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__lte=self.now,
            search_document__vector=self._tsquery(),
        )
        # A phrase's words as typed, side by side, as SQLite finds them: not a stem's
        # other words ("voting rights" is not "voted rights"), nor any common word in
        # place of the one typed ("harbour the" is not "harbour of").
        # Each combination of forms found as text (strpos) where there are few, as
        # SQLite's FTS5 strings: on 40 MB of words, 0.2 s where a regular
        # expression or LIKE took 1.4 s.
        words = _document_words()
        for phrase in self._phrases(True, long=False):
            strings = (" " + " ".join(each) + " " for each in itertools.product(*phrase))
            at = [StrIndex(words, Value(string)) for string in strings]
            found = found.filter(GreaterThan(Func(*at, function="GREATEST"), 0))
        for phrase in self._phrases(True, long=True):
            found = found.filter(Regex(words, _phrase_pattern(phrase)))
        return found

    def count(self) -> int:
        with _through_the_index():
            return self._found().count()

    def page(self, offset: int, limit: int) -> list[Article]:
        rank = SearchRank(F("search_document__vector"), self._tsquery(), weights=POSTGRES_WEIGHTS)
        found = self._found().select_related("author", "section").annotate(rank=rank)
        order = ["-rank", "-published_at", "-id"]
        if self.widened:
            # The articles holding the words as typed first.
            exact = Q(search_document__vector=self._tsquery(widened=False))
            found = found.annotate(exact=ExpressionWrapper(exact, output_field=BooleanField()))
            order.insert(0, "-exact")
        found = found.order_by(*order)
        with _through_the_index():
            return list(found[offset : offset + limit])

    def stems(self) -> dict[str, list[str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t, tsvector_to_array(to_tsvector(%s::regconfig, t)) "
                "FROM unnest(%s::text[]) AS t",
                [self.config, list(self.query.terms)],
            )
            return {term: list(lexemes) for term, lexemes in cursor.fetchall()}


# A document's words, in the FTS5 query's join (``d``), as ``_phrase_pattern`` reads
# them: each column's, between spaces, the columns parted by a bar (no word holds one).
DOCUMENT_WORDS = "(' ' || " + " || ' | ' || ".join(f"d.{c}" for c in indexing.COLUMNS) + " || ' ')"


def _document_words() -> Concat:
    """``DOCUMENT_WORDS`` in Django's terms, from an article."""
    columns = (F(f"search_document__{column}") for column in indexing.COLUMNS)
    parted = itertools.chain.from_iterable((Value(" | "), column) for column in columns)
    return Concat(Value(" "), *list(parted)[1:], Value(" "), output_field=TextField())


def _phrase_pattern(phrase: list[list[str]]) -> str:
    """A regular expression, read alike by Python and PostgreSQL, of a phrase (the
    forms of each of its words) in a document's words: side by side, each whole."""
    words = ("(?:" + "|".join(re.escape(form) for form in forms) + ")" for forms in phrase)
    return " " + " ".join(words) + " "


def _fts_string(word: str) -> str:
    """An FTS5 string: inside quotes nothing is an operator."""
    return '"' + word.replace('"', '""') + '"'


def _probe(word: str) -> str:
    """FTS5's query for a word, or for a beginning (``word*``)."""
    if word.endswith("*"):
        return _fts_string(word[:-1]) + "*"
    return _fts_string(word)


def _lexeme(word: str) -> str:
    """PostgreSQL's tsquery of a word, or of a beginning (``word*``): quoted, though a
    word holds letters, digits and marks only."""
    if word.endswith("*"):
        return _lexeme(word[:-1]) + ":*"
    return "'" + word.replace("'", "''") + "'"


@contextmanager
def _through_the_index() -> Iterator[None]:
    """PostgreSQL's planner told to find the matches in the GIN index, not by reading
    every document, for the queries run in the block. It counts a document's vector as
    cheap to read; kept out of line (TOAST), each costs far more, and a query that
    matches a fifth of the documents or more was read from them all: on 10,000
    articles, 48 ms where the index takes 9 for a count, and 62 ms where it takes 28
    for a ranked page, even for a word most of them hold (docs/operations.md).

    Set for the session and reset after: within a transaction that fails meanwhile,
    the reset cannot run, and the transaction's rollback undoes the setting."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            yield
        finally:
            with contextlib.suppress(DatabaseError):
                cursor.execute("RESET enable_seqscan")
