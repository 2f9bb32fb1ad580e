"""The words a search matched, marked in a result's headline, summary and excerpt.

Found in the article's own text, as the reader sees it: each of its words is folded
as the index folds it and compared with the query's terms (and on PostgreSQL with
their stems, so that "elections" marks "election" where the search found it), and
with the forms the search looked for (a Hebrew or Arabic word with and without its
prefixes: ``Results.forms``)."""

from __future__ import annotations

from broadsheet.newsroom import indexing
from broadsheet.search.query import Query, Results

# Text, and whether it is a match to be marked.
Part = tuple[str, bool]
ELLIPSIS = "…"
# Words in an excerpt of the body, and how many of them come before its first match.
EXCERPT_WORDS = 30
LEAD_IN = 8
# Matches an excerpt may be centred on: the best of the first few.
CANDIDATES = 50
# Stems shorter than this mark only the very word: "a" would mark half the text.
SHORTEST_STEM = 3


class Highlighter:
    def __init__(
        self, query: Query, stems: dict[str, list[str]], forms: dict[str, list[str]]
    ) -> None:
        # A word that is one of these matched that term.
        self.exact: dict[str, str] = {}
        # (beginning, term): a word that begins so matched that term.
        self.beginnings: list[tuple[str, str]] = []
        for term in query.terms:
            for form in forms.get(term, [term]):
                self.exact.setdefault(form, term)
                if term == query.prefix:
                    self.beginnings.append((form, term))
            for stem in stems.get(term, []):
                if stem != term and len(stem) >= SHORTEST_STEM:
                    self.beginnings.append((stem, term))
        self._known: dict[str, str | None] = {}
        self.phrases = [p for p in query.phrases if query.bound.intersection(p)]
        self.bound = query.bound

    @classmethod
    def of(cls, found: Results, listed: bool) -> Highlighter:
        """For a page of ``found``: one that lists no article asks the database nothing."""
        if not listed:
            return cls(found.query, {}, {})
        return cls(found.query, found.stems(), found.forms())

    def term_of(self, word: str) -> str | None:
        """The query term a word of the text (as written) matches, if any."""
        if word not in self._known:
            self._known[word] = self._match(word)
        return self._known[word]

    def _match(self, word: str) -> str | None:
        for folded in indexing.words(word):
            if folded in self.exact:
                return self.exact[folded]
            for beginning, term in self.beginnings:
                if folded.startswith(beginning):
                    return term
        return None

    def _tokens(self, text: str) -> list[tuple[int, int, str | None]]:
        tokens = [(s, e, self.term_of(text[s:e])) for s, e in indexing.word_spans(text)]
        return self._in_phrases(tokens) if self.bound else tokens

    def _in_phrases(
        self, tokens: list[tuple[int, int, str | None]]
    ) -> list[tuple[int, int, str | None]]:
        """``tokens`` with the words of a term typed only in a phrase left unmarked
        where they do not stand in it: the search found the phrase, and the s of
        Wrenmouth’s marked alone would mark every lone s."""
        terms = [term for _start, _end, term in tokens]
        kept = [term not in self.bound for term in terms]
        for phrase in self.phrases:
            size = len(phrase)
            for at, term in enumerate(terms):
                if term == phrase[0] and tuple(terms[at : at + size]) == phrase:
                    kept[at : at + size] = [True] * size
        return [
            (start, end, term if keep else None)
            for (start, end, term), keep in zip(tokens, kept, strict=True)
        ]

    def mark(self, text: str) -> list[Part]:
        """All of ``text``, its matches marked."""
        return _parts(text, self._tokens(text), 0, len(text))

    def excerpt(self, text: str) -> list[Part] | None:
        """A few dozen words of ``text`` around the most of the query's terms, marked;
        None when it holds none of them."""
        tokens = self._tokens(text)
        hits = [i for i, token in enumerate(tokens) if token[2]]
        if not hits:
            return None
        best: tuple[tuple[int, int], int] | None = None
        for hit in hits[:CANDIDATES]:
            start = max(0, hit - LEAD_IN)
            window = [t[2] for t in tokens[start : start + EXCERPT_WORDS] if t[2]]
            score = (len(set(window)), len(window))
            if best is None or score > best[0]:
                best = (score, start)
        assert best is not None
        start = best[1]
        end = min(len(tokens), start + EXCERPT_WORDS)
        begin = tokens[start][0] if start > 0 else 0
        finish = tokens[end - 1][1] if end < len(tokens) else len(text)
        parts = _parts(text, tokens[start:end], begin, finish)
        if start > 0:
            parts.insert(0, (ELLIPSIS + " ", False))
        if end < len(tokens):
            parts.append((" " + ELLIPSIS, False))
        return parts


def _parts(
    text: str, tokens: list[tuple[int, int, str | None]], begin: int, end: int
) -> list[Part]:
    parts: list[Part] = []
    at = begin
    for start, stop, term in tokens:
        if term is None:
            continue
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:stop], True))
        at = stop
    if end > at:
        parts.append((text[at:end], False))
    return parts
