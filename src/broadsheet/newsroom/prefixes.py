"""Hebrew and Arabic prefixes: the words a search takes as the same word.

Hebrew writes "and", "the", "in", "to", "from", "as", "that" and "when" as letters
joined to the front of the next word (בירושלים is "in Jerusalem"), and Arabic its
article and a few conjunctions and prepositions the same way (والكتاب is "and the
book"), so a word is written with many beginnings. The index holds the words as
written; a reader's word is searched as itself, as each *rest* it leaves without a
prefix, and as each of those with each prefix joined to it (``candidates``).

Letters cannot tell a prefix from a word's own first letter: שמים ("sky") is also
ש ("that") and מים ("water"), בקשה ("a request") also ב ("in") and קשה ("hard"),
وزير ("minister") also و ("and") and زير. Hebrew search engines settle it with a
dictionary (HebMorph looks every rest up in hspell's lexicon, which knows that שמים
is a word); Broadsheet has none, and reads the site's own text instead: a form
counts as a word in its own right, and not as a prefix and a rest, where the
articles readers can see also write it after a prefix that could not stand before
the one it would have (``proofs``). השמים ("the sky") cannot be ה and ש and מים (no
word takes ה before ש), so it shows that שמים is a word; so הבקשה for בקשה, الوزير
for وزير. A form so shown is not found by its rest (מים does not find שמים), nor is
it cut to its rest when a reader types it (שמים does not find מים). Where the site
never writes it so, the form is still taken as a prefix and a rest, and the
articles that hold the words as typed rank first.

A rest keeps at least three letters: a Hebrew word of two (ים "sea", לך "to you",
רק "only") ends too many others (מלך "king", ברק "lightning") to be worth finding
inside them, and is found as typed only.

A word of two letters is still found with prefixes joined to it (ים finds הים, "the
sea"), but only those that end in the article, a preposition or ו (``_before_short``):
מ and ש before it (מים "water", ומים "and water", שים "put") make words of three
letters far more often than "from a sea" or "that sea", which Hebrew writes with the
article (מהים). A prefix and two letters make three, the length of most Hebrew words:
מלך ("king") and הלך ("walked") read as מ and ה before לך. The site's text seldom
shows them words (a verb never takes ה). So the few short words that are no noun
(``FUNCTION_WORDS``: prepositions with their pronoun, לי לך בו, and particles, כי גם
רק לא) are found only after the prefixes that such words take, ו ("and") and ש
("that") and its compounds (ולך, שלא, כשלא), never after ה, ב, כ, ל or מ.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import cache

# The fewest letters a reader's word keeps when a prefix is taken off it (ברק is not
# searched as רק, "only"), and the fewest a word keeps to be found with prefixes
# joined to it (ים, "sea", finds בים and הים).
SHORTEST_REST = 3
SHORTEST_JOINED = 2
# The longest prefix, in letters.
_LONGEST = 4
# Hebrew words of two letters that take no article and no preposition before them
# (``with_prefixes``): prepositions with a pronoun joined ("to me", "to you", "in
# him" ...) and particles ("that", "also", "only", "but", "not", "yes", "or", "then",
# "of", the object marker). Words that are also nouns are not among them: עם
# ("with", "a people"), אם ("if", "a mother"), זה ("this", which takes ה: הבית הזה).
FUNCTION_WORDS = frozenset((
    "לי", "לך", "לו", "לה", "בי", "בך", "בו", "בה",
    "כי", "גם", "רק", "אך", "לא", "כן", "או", "אז", "של", "את",
))  # fmt: skip
# Hebrew doubles a word's own first ו when a prefix comes before it (ועדה, הוועדה):
# such a word is looked for with a prefix in both spellings.
VAV = "\u05d5"


@cache
def _hebrew() -> frozenset[str]:
    """ו (and), then ש כש מש לכש (that, when, since), then ב כ ל מ (in, as, to, from) or
    ה מה (the, from the): up to four letters in all (וכשב, "and when in")."""
    joined = (a + b + c for a in ("", "ו") for b in ("", "ש", "כש", "מש", "לכש")
              for c in ("", "ב", "כ", "ל", "מ", "ה", "מה"))  # fmt: skip
    return frozenset(p for p in joined if 0 < len(p) <= _LONGEST)


@cache
def _conjunctions() -> frozenset[str]:
    """The Hebrew prefixes that end in no preposition and no article (ו, ש, כש, וש …)."""
    return frozenset(p for p in _hebrew() if p[-1] not in "בכלמה")


@cache
def _arabic() -> frozenset[str]:
    """و ف (and, so), then ب ك ل (in, as, to), then ال (the); ل with ال is written لل."""
    found = set()
    for a in ("", "و", "ف"):
        for b in ("", "ب", "ك", "ل"):
            for c in ("", "ال"):
                found.add(a + ("لل" if b + c == "لال" else b + c))
    return frozenset(found - {""})


@cache
def _before_short() -> frozenset[str]:
    """The Hebrew prefixes a noun of two letters is found after: those that end in the
    article or a preposition that takes it in (ה, ב, כ, ל: הים, בים, לים, מהים) or in ו
    (וים). Not those that end in מ or ש ("from", "that"): before two letters they make
    a word of three, and Hebrew words are mostly three letters (מים "water", שים
    "put"), where "from a sea" is seldom written without the article (מהים)."""
    return frozenset(p for p in _hebrew() if p[-1] not in "מש")


# The prefixes of one or two letters that may stand before a form as proof that it is
# a word (``proofs``): each language's single letters, and Arabic's article.
_HEBREW_PROVING = ("ו", "ה", "ב", "כ", "ל", "מ", "ש")
_ARABIC_PROVING = ("و", "ف", "ب", "ك", "ل", "ال")

# Words wholly of Hebrew letters (final forms among them), or of the Arabic alphabet's
# letters, as folded. Other words have no prefixes here.
_HEBREW = "\u05d0-\u05ea"
_ARABIC = "\u0621-\u063a\u0641-\u064a"
_SCRIPT = re.compile(f"[{_HEBREW}]+|[{_ARABIC}]+")


def _is_hebrew(word: str) -> bool:
    return word[0] <= "\u05ea"


def _prefixes(word: str) -> frozenset[str]:
    return _hebrew() if _is_hebrew(word) else _arabic()


def prefixed(word: str) -> bool:
    """Whether ``word`` (folded) is of a script whose words take prefixes here."""
    return bool(_SCRIPT.fullmatch(word))


def rests(word: str) -> list[tuple[str, str]]:
    """(prefix, rest) for each prefix ``word`` may begin with that leaves a rest of at
    least ``SHORTEST_REST`` letters, the longest rest first."""
    if len(word) <= SHORTEST_REST or not prefixed(word):
        return []
    known = _prefixes(word)
    found = []
    for n in range(1, min(_LONGEST, len(word) - SHORTEST_REST) + 1):
        if word[:n] in known:
            found.append((word[:n], word[n:]))
            if word[n:].startswith(VAV * 2) and _is_hebrew(word):
                found.append((word[:n], word[n + 1 :]))  # בוועדה: ועדה
    return found


def joined(prefix: str, rest: str) -> list[str]:
    """``rest`` written after ``prefix``: in Hebrew a rest's own first ו is doubled
    after a prefix, and also found single (the older spelling)."""
    if _is_hebrew(rest) and rest.startswith(VAV) and not rest.startswith(VAV * 2):
        return [prefix + VAV + rest, prefix + rest]
    return [prefix + rest]


def with_prefixes(rest: str) -> list[tuple[str, str]]:
    """(prefix, form) for each prefix joined to ``rest`` (of at least
    ``SHORTEST_JOINED`` letters): the words of a text that hold it. A function word
    takes only the conjunctions (``FUNCTION_WORDS``)."""
    if len(rest) < SHORTEST_JOINED or not prefixed(rest):
        return []
    if rest in FUNCTION_WORDS:
        known = _conjunctions()
    elif len(rest) < SHORTEST_REST and _is_hebrew(rest):
        known = _before_short()
    else:
        known = _prefixes(rest)
    return [
        (prefix, form)
        for prefix in sorted(known, key=lambda p: (len(p), p))
        for form in joined(prefix, rest)
    ]


def proofs(prefix: str, form: str) -> list[str]:
    """Words whose presence in a text shows that ``form``, which begins with
    ``prefix``, is a word in its own right: ``form`` after a prefix that could not
    stand before ``prefix`` (השמים: no word takes ה before ש)."""
    proving = _HEBREW_PROVING if _is_hebrew(form) else _ARABIC_PROVING
    known = _prefixes(form)
    return [
        written
        for before in proving
        if before + prefix not in known
        for written in joined(before, form)
        if written != form
    ]


def inner(prefix: str, form: str) -> list[tuple[str, str]]:
    """``form`` (``prefix`` and a rest) and what it holds after each of the first
    letters of ``prefix`` that leave a prefix: (prefix, form) of each (ומים, "and
    water", as ומ and ים: ומים, and מים as מ and ים)."""
    known = _prefixes(form)
    return [(prefix[n:], form[n:]) for n in range(len(prefix)) if prefix[n:] in known]


@dataclass
class Candidates:
    """What a search for some words may look for, before the site's text is read: for
    each word, its rests (and the prefix each takes off) and the forms each rest takes
    with a prefix; and the words to look for in the text to settle which count."""

    # term -> [(prefix taken off, rest)]
    rests: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # rest -> [(prefix joined, form)]
    forms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def words(self) -> set[str]:
        """The words whose presence decides: every form, and the proofs of every
        prefix a term would lose."""
        found = set(self.forms)  # each rest, bare
        found.update(form for pairs in self.forms.values() for _prefix, form in pairs)
        for term, pairs in self.rests.items():
            for prefix, _rest in pairs:
                for within, held in inner(prefix, term):
                    found.update(proofs(within, held))
        return found


def candidates(terms: Iterable[str]) -> Candidates:
    found = Candidates()
    for term in terms:
        if not prefixed(term):
            continue
        found.rests[term] = rests(term)
        for rest in [term, *(rest for _prefix, rest in found.rests[term])]:
            found.forms.setdefault(rest, with_prefixes(rest))
    return found


def resolve(
    terms: Iterable[str],
    present: Callable[[Collection[str]], set[str]],
    *,
    beginning: str | None = None,
) -> dict[str, list[str]]:
    """Each term and the words of a text it finds: itself, the rests of the prefixes
    it may lose, and those with the prefixes they may take, but none that the site's
    text shows to be a word in its own right (``proofs``). ``present`` is told words
    and answers those that the articles readers can see hold; told a word ending in
    ``*``, it answers it where they hold a word that begins so. ``beginning``, the term
    that also finds longer words it begins, keeps the forms that begin some word of
    theirs."""
    terms = list(terms)
    found = candidates(terms)
    if not found.rests:
        return {term: [term] for term in terms}
    begun: set[str] = set()
    if beginning in found.rests:
        for rest in [beginning, *(r for _p, r in found.rests[beginning])]:
            begun.update(f"{form}*" for _prefix, form in found.forms[rest])
            begun.add(f"{rest}*")
    held = present(found.words() | begun)
    proved = present(
        {
            proof
            for pairs in found.forms.values()
            for prefix, form in pairs
            if form in held
            for within, part in inner(prefix, form)
            for proof in proofs(within, part)
        }
    )

    def stands(prefix: str, form: str) -> bool:
        """Whether ``form`` may be read as ``prefix`` and a rest: neither it, nor what
        it holds after the first letters of ``prefix`` (מים in ומים, "and water"), is
        shown a word of its own."""
        return not any(
            proof in held or proof in proved
            for within, part in inner(prefix, form)
            for proof in proofs(within, part)
        )

    resolved = {}
    for term in terms:
        if term not in found.rests:
            resolved[term] = [term]
            continue
        # A beginning's forms are found where some word begins so; a word's, where
        # some word is so.
        mark = "*" if term == beginning else ""
        sought = [term] + [r for p, r in found.rests[term] if stands(p, term)]
        forms = dict.fromkeys([term])
        for rest in sought:
            if rest + mark in held:
                forms.setdefault(rest)
            for prefix, form in found.forms[rest]:
                if form + mark in held and stands(prefix, form):
                    forms.setdefault(form)
        resolved[term] = list(forms)
    return resolved
