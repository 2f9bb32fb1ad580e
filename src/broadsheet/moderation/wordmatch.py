"""The site's word lists matched against a comment, and how far a rule reaches.

A rule is a word or phrase, with ``*`` for any run of letters; it matches whole
words of the comment's text and author fields, as written and, where they read
otherwise, through their disguises (``folding``). ``rule_reach`` tries rules on
what the site has published, for the word lists page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.utils.translation import gettext, ngettext

from broadsheet.discussion.models import Comment
from broadsheet.moderation.features import clean_markup
from broadsheet.moderation.folding import ONE, Undisguised, repeated_from, undisguised

Status = Comment.Status


class MatchText:
    """A comment's text and author fields as the word lists read them: as written
    (``plain``, case and compatibility forms folded), and, should it read otherwise
    through its disguises, as it reads then (``undisguised``, see ``folding``)."""

    def __init__(self, written: str) -> None:
        self.written = written
        self.plain = written.casefold()

    @cached_property
    def undisguised(self) -> Undisguised:
        return undisguised(self.written)

    @cached_property
    def changed_from(self) -> int | None:
        """Where in ``undisguised`` the text first reads otherwise than as written (a rule
        that does not match it as written may match it from there on), or None."""
        folded = self.undisguised.text
        same = _common_prefix(folded, self.plain)
        said_again = repeated_from(folded[:same])
        if said_again is not None:
            return said_again
        if same < max(len(folded), len(self.plain)):
            return same
        return None


def _common_prefix(one: str, other: str) -> int:
    """How many characters two texts begin with alike (compared a slice at a time)."""
    low, high = 0, min(len(one), len(other))
    while low < high:
        middle = (low + high + 1) // 2
        if one[:middle] == other[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _words_before(text: str, place: int, words: int) -> int:
    """Where the run of characters between spaces holding ``place`` starts, less the
    ``words`` - 1 runs before it: where a phrase of that many words through it may start."""
    start = place
    for counted in range(words):
        if counted:
            while start and text[start - 1].isspace():
                start -= 1
        while start and not text[start - 1].isspace():
            start -= 1
    return start


def match_text(body: str, author_name: str, author_email: str, author_url: str) -> MatchText:
    """What the word lists are matched against: a comment's text and author fields."""
    parts = (body, author_name, author_email, author_url)
    return MatchText(unicodedata.normalize("NFKC", clean_markup("\n".join(parts))))


@dataclass(frozen=True)
class _Alternatives:
    """Rules as two patterns: ``finder`` to search a comment with, and ``namer``, the
    same alternatives each in a group named r<its place>, to tell which rule matched
    where ``finder`` found one. Searched with, the groups would cost every rule that
    fails at every place in the comment a step per rule (the engine restores each
    group's mark): with 1,000 rules a comment took 0.45 s to check, with 5,000 rules
    11 s, where ``finder`` takes 21 ms and 0.15 s."""

    finder: re.Pattern
    namer: re.Pattern

    @classmethod
    def of(cls, patterns: list[tuple[int, str]]) -> _Alternatives:
        return cls(
            finder=re.compile("|".join(f"(?:{pattern})" for _, pattern in patterns)),
            namer=re.compile("|".join(f"(?P<r{n}>{pattern})" for n, pattern in patterns)),
        )

    def search(self, text: str, start: int = 0) -> tuple[int, int, int] | None:
        """The place in its list of the rule that matches first (from ``start`` on), and
        where it matched."""
        if (found := self.finder.search(text, start)) is None:
            return None
        named = self.namer.match(text, found.start())
        assert named is not None  # the same alternatives, tried at the same place
        return int((named.lastgroup or "r0")[1:]), named.start(), named.end()


@dataclass(frozen=True)
class _Rules:
    """A list's rules: matched against a comment as written (``plain``) and, when it
    reads otherwise through its disguises, against it as it reads then (``folded``:
    the rules' look-alike letters and accents folded too, each letter also matching
    itself said three times or more, i and l also matching 1, ! and |)."""

    plain: _Alternatives
    folded: _Alternatives
    # A rule with accents or look-alike letters matches a plain text through folding.
    folds_rules: bool
    most_words: int  # in a rule

    @property
    def finder(self) -> re.Pattern:
        return self.plain.finder

    def search(self, text: MatchText) -> tuple[int, str] | None:
        """The place in its list of the rule that matches first, and what it matched:
        as written, or where it matched only through a disguise, what was written there."""
        if found := self.plain.search(text.plain):
            place, start, end = found
            return place, text.plain[start:end]
        return self.through_disguise(text)

    def through_disguise(self, text: MatchText) -> tuple[int, str] | None:
        """As ``search``, for the text as it reads through its disguises alone."""
        if self.folds_rules:
            start = 0
        elif (changed := text.changed_from) is None:
            return None  # it reads as written, which no rule matches
        else:
            # A match that the text as written lacks takes in something read otherwise,
            # and a rule of n words spans n runs between spaces: the search starts there
            # (the author fields, the usual place of an accent, are last).
            start = _words_before(text.undisguised.text, changed, self.most_words)
        if found := self.folded.search(text.undisguised.text, start):
            place, begins, ends = found
            return place, text.undisguised.written(text.written, begins, ends).casefold()
        return None


@lru_cache(maxsize=16)
def compile_rules(phrases: tuple[str, ...]) -> _Rules | None:
    plain: list[tuple[int, str]] = []
    folded: list[tuple[int, str]] = []
    folds_rules = False
    for n, phrase in enumerate(phrases):
        words = unicodedata.normalize("NFKC", phrase).casefold().split()
        if not words:
            continue
        folded_words = undisguised(" ".join(words), apart=False, digits=False).text.split()
        folds_rules = folds_rules or folded_words != words
        # A phrase starts after a non-word character. One that starts with * starts
        # where a run of the characters * stands for starts (it takes the whole run
        # anyway): tried after every "." of "a.a.a.…" it searched for seconds.
        start = rf"(?<!{_WILD})" if words[0].startswith("*") else r"(?<![\w])"
        for patterns, spelled, piece in ((plain, words, re.escape), (folded, folded_words, _said)):
            body = r"\s+".join(_word_pattern(w, piece) for w in spelled)
            patterns.append((n, rf"{start}{body}(?![\w])"))
    if not plain:
        return None
    most_words = max(len(phrase.split()) for phrase in phrases)
    return _Rules(_Alternatives.of(plain), _Alternatives.of(folded), folds_rules, most_words)


_WILD = r"[\w.@/-]"  # what a * in a listed word stands for, any number of


def _word_pattern(word: str, piece: Callable[[str], str] = re.escape) -> str:
    """A listed word as a pattern, ``*`` standing for any run of word characters, and
    the rest each made a pattern by ``piece``.

    Every ``*`` but the last takes the earliest match of the text that follows it,
    and never tries a later one (an atomic group): for a wildcard word that finds
    the same matches (the earliest is always as good), and keeps the search
    linear. Plain ``*`` for each, "c*a*s*i*n*o" against a long run of "casin"
    backtracked for seconds, and every comment was checked against it.
    """
    first, *rest = word.split("*")
    pattern = piece(first)
    if not rest:
        return pattern
    *middle, last = rest
    for part in middle:
        if part:  # "**" is one "*"
            pattern += f"(?>{_WILD}*?{piece(part)})"
    return pattern + f"{_WILD}*{piece(last)}"


# Letters drawn like 1 (which undisguised text writes ONE).
_LIKE_ONE = {"i": f"[i{ONE}]", "l": f"[l{ONE}]"}


def _said(piece: str) -> str:
    """A piece of a folded rule as a pattern over undisguised text: each run of one
    letter matches that many of it or three and more ("fuuuck", "asss"; not "fuuck",
    which is a word of its own as often as not: a rule "god" must not catch "good"),
    i and l also match 1, ! and | (``folding.ONE``)."""
    pattern = []
    for run in re.finditer(r"(.)\1*", piece, re.DOTALL):
        ch, times = run.group(1), len(run.group(0))
        if not ch.isalpha():
            pattern.append(re.escape(run.group(0)))
            continue
        one, more = _LIKE_ONE.get(ch, re.escape(ch)), re.escape(ch)
        # Possessive: the letters said again are taken whole, never given back, so
        # runs of several letters cost no backtracking.
        extra = f"(?:{more}{more}+)?+" if times == 1 else f"(?:{more}+)?+"
        pattern.append((one if times == 1 else f"{one}{{{times}}}") + extra)
    return "".join(pattern)


# How broad a rule is, measured on what the site has published. A rule that would have
# caught more than this share of it is surely a mistake (moderators published those
# comments), so the word lists page asks before saving one.
RECENT_PUBLISHED = 1000
BROAD_SHARE = 0.05


@dataclass(frozen=True)
class Reach:
    """How many of the site's recent published comments a word-list rule matches."""

    phrase: str
    caught: int
    tested: int

    @property
    def too_broad(self) -> bool:
        return self.caught > self.tested * BROAD_SHARE

    @property
    def share(self) -> float:
        return self.caught / self.tested if self.tested else 0.0

    @property
    def said(self) -> str:
        """“3 of the last 1,000 published comments (0.3 %)”, or of fewer on a young site."""
        if not self.tested:
            return gettext("nothing: the site has no published comments yet to try it on")
        if self.tested >= RECENT_PUBLISHED:
            said = gettext("%(caught)s of the last %(tested)s published comments (%(share)s)")
        else:
            said = ngettext(
                "%(caught)s of the %(tested)s published comment (%(share)s)",
                "%(caught)s of the %(tested)s published comments (%(share)s)",
                self.tested,
            )
        share = f"{self.share:.1%}".replace("%", " %")
        return said % {"caught": f"{self.caught:,}", "tested": f"{self.tested:,}", "share": share}


def recent_published_texts(limit: int = RECENT_PUBLISHED) -> list[MatchText]:
    """The match text of the latest published comments (only the columns it is made of)."""
    rows = (
        Comment.objects.filter(status=Status.APPROVED)
        .order_by("-created_at", "-id")  # comment_queue_idx
        .values_list("body", "author_name", "author_email", "author_url")[:limit]
    )
    return [match_text(*row) for row in rows]


def rule_reach(phrases: list[str], texts: list[MatchText]) -> list[Reach]:
    """Each phrase's reach into ``texts``, matched by the very pattern the check uses."""
    reaches = []
    for phrase in phrases:
        # Uncached: one pattern per rule would push the lists' own out of the cache.
        pattern = compile_rules.__wrapped__((phrase,))
        # A text can only match when it holds every literal piece of the rule; a plain
        # substring test skips the regular expression for nearly all of them.
        words = unicodedata.normalize("NFKC", phrase).casefold().split()
        pieces = sorted((p for word in words for p in word.split("*") if p), key=len, reverse=True)
        caught = 0
        if pattern is not None:
            caught = sum(
                1
                for text in texts
                if (all(p in text.plain for p in pieces) and pattern.finder.search(text.plain))
                or pattern.through_disguise(text) is not None
            )
        reaches.append(Reach(phrase, caught, len(texts)))
    return reaches
