"""Text as it reads on the page, seen through the disguises spam and abuse wear.

Two texts that look alike on the page should be taken for each other: a staff
member's name (``names``) and a word on the site's lists (``checks``) are
compared through what this module folds away. ``drawn`` keeps what a reader
sees of each character (no accents, nothing that draws nothing); ``CAPITALS``
and ``SMALL`` are the Cyrillic and Greek letters drawn like Latin ones; and
``undisguised`` reads a comment the way a word list should: look-alike letters
inside Latin words, letters set apart ("v i a g r a", "f.u.c.k") and digits or
symbols standing for letters ("v1agra", "$hit") are read as the word they spell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from broadsheet.markup import BLANK_LETTERS


def table(pairs: str) -> dict[int, str]:
    """A translation table from "Xy Zw ...": each look-alike, then its Latin letter."""
    return str.maketrans({pair[0]: pair[1] for pair in pairs.split()})


# The look-alikes come from the Unicode confusables data (UTS #39, confusables.txt):
# the letters of Cyrillic and Greek it gives as one Latin letter, less those NFKD
# already changes. Capitals are mapped before case is folded, since their small forms
# look like no Latin letter (Cyrillic Н and н, Greek Η and η).
CAPITALS = table(
    "АA ВB ЕE ЅS ІI ЈJ КK МM НH ОO РP СC ТT ХX ҮY ԜW ӀI ѴV Ьb "
    "ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX ͿJ"
)
SMALL = table(
    "аa еe оo рp сc уy хx ѕs іi јj һh ԁd ԛq ԝw үy ӏi ѵv кk гr тt цu пn мm "
    "οo σo αa ιi νv ρp υu γy ϳj κk τt πn ıi"
)
_LOOKALIKES = CAPITALS | SMALL


@lru_cache(maxsize=4096)
def _drawn_char(ch: str) -> str:
    kept = []
    for part in unicodedata.normalize("NFKD", ch):
        category = unicodedata.category(part)
        if part.isspace():
            kept.append(part)
        elif category[0] == "Z" or part in BLANK_LETTERS:
            kept.append(" ")
        elif category[0] != "C" and category not in ("Mn", "Me"):
            kept.append(part)
    return "".join(kept)


def drawn(text: str) -> str:
    """``text`` decomposed (NFKD), without what draws nothing or sits on a letter
    (accents, strokes, zero-width, direction and tag characters, variation
    selectors), and with the letters that draw a blank (Hangul fillers) as spaces."""
    return "".join(map(_drawn_char, text))


# Marks that sit on the letter before them, and characters that draw nothing.
_ON_A_LETTER = {"Mn", "Me", "Cf"}


@dataclass(frozen=True)
class Undisguised:
    """A text as a word list reads it, and where in the text each character came from."""

    text: str
    source: Sequence[int]

    def written(self, original: str, start: int, end: int) -> str:
        """What ``text[start:end]`` was written as in ``original``, with the marks
        written on its last letter (a stroke, an accent) or right after it."""
        stop = self.source[end - 1] + 1
        while stop < len(original) and unicodedata.category(original[stop]) in _ON_A_LETTER:
            stop += 1
        return original[self.source[start] : stop]


# Three or more letters or digits (or @, $ and !, which stand for letters) each on
# its own, set apart by the same one to three other characters ("v i a g r a",
# "f.u.c.k", "c - a - s"): a word spelled out. Not across lines, nor two ("e.g.").
_APART = re.compile(
    r"(?<![\w@$!])(?:[^\W_]|[@$!])(?P<apart>[^\w\n@$!]{1,3}|_)(?:[^\W_]|[@$!])"
    r"(?:(?P=apart)(?:[^\W_]|[@$!]))+(?![^\W_])"
)
# A run of letters, digits and the symbols that stand for letters, holding at least
# one of those. Found from the start of its run only: from every place of a long run
# without one, the search would be quadratic.
_LEET_RUN = re.compile(r"(?<![\w@$!|])[\w@$!|]*[0-9@$!|][\w@$!|]*")
_LATIN = re.compile(r"[a-z]")
# Digits that say what they count, not a letter: 1st, 2nd, 4th, 10am, 4k, 90s, 3d, 5kg.
_COUNTED = re.compile(r"\d+(?:st|nd|rd|th|s|am|pm|k|m|d|x|p|h|g|kg|km|cm|mm|mb|gb|ml|min|hrs?)")
# The digit one, the bang and the bar are drawn like both i and l: they become ı, which a
# rule's i and l both match (``checks``).
ONE = "ı"
_LEET = {"0": "o", "1": ONE, "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"}


def undisguised(text: str, *, apart: bool = True, digits: bool = True) -> Undisguised:
    """``text`` as drawn (``drawn``), Cyrillic and Greek look-alikes inside words with
    Latin letters as those letters, case folded; and, unless told not to, letters set
    apart put together (``apart``) and digits and symbols within words read as letters
    (``digits``). A word all in Cyrillic or Greek look-alikes is read as Latin only in
    text mostly in Latin letters: Russian text is not English spelled with look-alikes.
    """
    source: Sequence[int]
    if text.isascii():
        chars, source = text, range(len(text))
    else:
        pieces = [_drawn_char(ch) for ch in text]
        chars = "".join(pieces)
        source = [n for n, piece in enumerate(pieces) for _ in piece]
    if apart:
        chars, source = _put_together(chars, source)
    if not chars.isascii():
        chars = _latin_lookalikes(chars)
    folded = chars.casefold()
    if len(folded) != len(chars):  # "ß" is "ss": each part comes from where its letter did
        parts = [ch.casefold() for ch in chars]
        source = [source[n] for n, part in enumerate(parts) for _ in part]
        folded = "".join(parts)
    if digits:
        folded = _read_digits(folded)
    return Undisguised(folded, source)


def _put_together(chars: str, source: Sequence[int]) -> tuple[str, Sequence[int]]:
    kept: list[str] = []
    came: list[int] = []
    last = 0
    for match in _APART.finditer(chars):
        spelled = range(match.start(), match.end(), 1 + len(match.group("apart")))
        if sum(chars[n].isalpha() for n in spelled) < 2:  # "1, 2, 3" spells nothing
            continue
        kept += [chars[last : match.start()], "".join(chars[n] for n in spelled)]
        came += [*source[last : match.start()], *(source[n] for n in spelled)]
        last = match.end()
    if not last:
        return chars, source
    kept.append(chars[last:])
    came += source[last:]
    return "".join(kept), came


def _latin_lookalikes(chars: str) -> str:
    if chars.translate(_LOOKALIKES) == chars:
        return chars
    # In text written mostly in Latin letters, a word all of look-alikes is a disguise too
    # ("саѕіпо"); in Russian or Greek text it is a word of that language ("сор").
    latin = len(_ASCII_LETTERS.findall(chars)) > len(_CYRILLIC_GREEK.findall(chars))

    def read(match: re.Match) -> str:
        word = match.group(0)
        folded = word.translate(_LOOKALIKES)
        if re.search(r"[a-zA-Z0-9]", word) or (latin and folded.isascii()):
            return folded
        return word

    return re.sub(r"[^\W_]+", read, chars)


_ASCII_LETTERS = re.compile(r"[a-zA-Z]")
_CYRILLIC_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u052f]")


def _read_digits(text: str) -> str:
    def read(match: re.Match) -> str:
        run = match.group(0)
        if not _LATIN.search(run) or _COUNTED.fullmatch(run):
            return run
        # Followed by a dot and a letter, an "@" is an e-mail address's.
        after = text[match.end() : match.end() + 2]
        address = "@" in run and after[:1] == "." and after[1:].isalpha()
        # What each symbol's reading depends on, found once for the run: asked again at
        # every symbol, a run of 10,000 "!" or "@" took seconds (it was quadratic).
        last_alnum = max((n for n, c in enumerate(run) if c.isalnum()), default=-1)
        last_not_digit = max((n for n, c in enumerate(run) if not c.isdigit()), default=-1)
        lettered = any(c.isalpha() for c in run if c != "@")
        chars = list(run)
        for n, ch in enumerate(run):
            if ch in _LEET:
                chars[n] = _LEET[ch]
            elif ch in "!|" and n and n < last_alnum:
                chars[n] = ONE  # "sh!t", not "wow!"
            elif ch == "@" and not address and lettered:
                chars[n] = "a"  # "@ss", "vi@gra"
            elif ch == "$" and not (last_not_digit <= n < len(run) - 1):
                chars[n] = "s"  # "$hit", "a$$", not "US$5"
        return "".join(chars)

    return _LEET_RUN.sub(read, text)


def repeated_from(text: str) -> int | None:
    """Where a letter is first said three times or more in a row ("fuuuck"; not the
    "www" of an address, which is in a third of all comments with a link), or None."""
    found = _REPEATED.search(text)
    return None if found is None else found.start()


_REPEATED = re.compile(r"(?!www(?!w))([^\W\d_])\1\1")
