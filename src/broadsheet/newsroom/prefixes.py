"""Hebrew and Arabic prefixes: the words a search takes as the same word.

Hebrew writes "and", "the", "in", "to", "from", "as", "that" and "when" as letters
joined to the front of the next word (בירושלים is "in Jerusalem"), and Arabic its
article and a few conjunctions and prepositions the same way (والكتاب is "and the
book"), so a word is written with many beginnings. The index holds each Hebrew or
Arabic word as written and, after it, each *rest* left by taking off a prefix it
may begin with, marked (``0ירושלים``): a token that hardly any text holds (a digit
glued to a word), which SQLite's tokenizer and PostgreSQL's parser both keep whole
and leave alone (digits and letters: PostgreSQL's ``numword``, which no configuration
stems), so that both databases find the same articles.

A reader's word then finds a word of the index when they are the same once a prefix
is taken off either or both: the word itself or one of its rests (``forms``), as a
word or as a marked rest (``tokens``). A rest keeps at least two letters in the
index, and a query's at least three, so that a short query is not cut to a couple
of letters that begin half the language (ברק, "lightning", is not searched as רק,
"only"). Letters cannot tell a prefix from a word's own first letter (שמים, "sky",
holds a rest מים, "water"), so the search ranks the articles that hold the words as
typed above those found only through a prefix.
"""

from __future__ import annotations

import re
from functools import cache

# A marked rest: this, then the rest.
MARK = "0"
# The fewest letters a rest keeps: in the index, and of a reader's word.
SHORTEST_REST = 2
SHORTEST_QUERY_REST = 3
# The longest prefix, in letters.
_LONGEST = 4


@cache
def _hebrew() -> frozenset[str]:
    """ו (and), then ש כש מש לכש (that, when, since), then ב כ ל מ (in, as, to, from) or
    ה מה (the, from the): up to four letters in all (וכשב, "and when in")."""
    joined = (a + b + c for a in ("", "ו") for b in ("", "ש", "כש", "מש", "לכש")
              for c in ("", "ב", "כ", "ל", "מ", "ה", "מה"))  # fmt: skip
    return frozenset(p for p in joined if 0 < len(p) <= _LONGEST)


@cache
def _arabic() -> frozenset[str]:
    """و ف (and, so), then ب ك ل (in, as, to), then ال (the); ل with ال is written لل."""
    found = set()
    for a in ("", "و", "ف"):
        for b in ("", "ب", "ك", "ل"):
            for c in ("", "ال"):
                found.add(a + ("لل" if b + c == "لال" else b + c))
    return frozenset(found - {""})


# Words wholly of Hebrew letters (final forms among them), or of the Arabic alphabet's
# letters, as folded. Other words have no prefixes here.
_HEBREW = "\u05d0-\u05ea"
_ARABIC = "\u0621-\u063a\u0641-\u064a"
_SCRIPT = re.compile(f"[{_HEBREW}]+|[{_ARABIC}]+")
# Such words long enough to keep a rest, in a text.
_WORD = re.compile(f"(?<!\\S)(?:[{_HEBREW}]{{3,}}|[{_ARABIC}]{{3,}})(?!\\S)")


def forms(word: str, shortest: int = SHORTEST_QUERY_REST) -> list[str]:
    """``word``'s rests of at least ``shortest`` letters, longest first: what is left
    of it without each prefix it may begin with. None for a word of another script."""
    if len(word) <= shortest or not _SCRIPT.fullmatch(word):
        return []
    prefixes = _hebrew() if word[0] <= "\u05ea" else _arabic()
    return [
        word[n:] for n in range(1, min(_LONGEST, len(word) - shortest) + 1) if word[:n] in prefixes
    ]


def _with_rests(word: str) -> str:
    return " ".join([word, *(MARK + rest for rest in forms(word, SHORTEST_REST))])


def with_rests(text: str) -> str:
    """Folded ``text`` (words and single spaces) with each Hebrew or Arabic word
    followed by its marked rests. Each different word is looked at once, however
    often the text says it: looking at every one took a fifth of indexing the long
    body of bench/article_save.py (8,054 Hebrew words, of 8 different ones)."""
    made: dict[str, str] = {}

    def rests(found: re.Match) -> str:
        word = found.group()
        if word not in made:
            made[word] = _with_rests(word)
        return made[word]

    return _WORD.sub(rests, text)


def sought(term: str) -> list[str]:
    """A reader's (folded) word and its rests: an article holds the word when it holds
    one of these as a word, or as the rest of a prefixed word (``held``)."""
    return [term, *forms(term)]


def held(word: str) -> list[str]:
    """A word of a text (folded) and the rests the index holds of it."""
    return [word, *forms(word, SHORTEST_REST)]


def tokens(term: str) -> list[str]:
    """The tokens of the index a reader's word finds: ``sought`` as words and, for a
    Hebrew or Arabic word, as marked rests."""
    if len(term) < SHORTEST_REST or not _SCRIPT.fullmatch(term):
        return [term]
    every = sought(term)
    return every + [MARK + form for form in every]
