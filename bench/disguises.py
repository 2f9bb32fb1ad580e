"""Benchmark: how much disguised spam and abuse the word lists and the learned filter catch.

    python bench/disguises.py [FILE.csv | DIR ...] [--per-rule 10] [--seed 7] [--no-learned]

Spammers and abusers write a listed word so that a list no longer sees it: a
Cyrillic or Greek look-alike letter inside a Latin word ("vіagra"), accents and
strokes ("fúck", "s̶h̶i̶t̶"), letters apart ("v i a g r a", "f.u.c.k"), digits
and symbols for letters ("v1agra", "$hit"), a letter said many times
("fuuuuck"), full-width or mathematical letters, characters that draw nothing.
The script writes such comments itself (seeded, so every run writes the same):

(a) Word lists: RULES below as one hold list; for each disguise kind, every
    rule's example word disguised that way in ``--per-rule`` ordinary sentences:
    the share the list catches. Then the share of ordinary comments it catches
    (the demo site's comments, and the legitimate comments, label 0, of the
    labelled CSV files given), with what it caught in each: folding must not
    add catches there. And the time to match each ordinary comment.
(b) Learned filter (needs three or more labelled files): for each file, a filter
    trained on the others (as ``bench/moderation.py``), scoring that file's spam
    clean and with half its words disguised by each kind: the recall at 0.5;
    and the share of its legitimate comments scored 0.5 or more.

A script, not a test: it prints figures and never touches a site's database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import django

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
django.setup()  # the checks module reads the site's models (not here: no query is made)

from broadsheet.demo import crowd, discussions, history  # noqa: E402
from broadsheet.moderation import wordmatch  # noqa: E402
from broadsheet.moderation.evaluation import LabelledFileError, read_labelled  # noqa: E402

# A site's list as moderators write one, each rule with a word it catches.
RULES = {
    "viagra": "viagra",
    "cialis": "cialis",
    "xanax": "xanax",
    "casino": "casino",
    "*casino*": "onlinecasinos",
    "poker": "poker",
    "porn": "porn",
    "payday loan*": "payday loans",
    "free money": "free money",
    "work from home": "work from home",
    "crypto*": "cryptocoins",
    "fuck*": "fucking",
    "shit": "shit",
    "ass": "ass",
    "asshole": "asshole",
    "bitch": "bitch",
    "bastard": "bastard",
    "cunt": "cunt",
    "dick": "dick",
    "idiot": "idiot",
    "moron": "moron",
    "retard*": "retarded",
    "slut": "slut",
    "whore": "whore",
    "wanker": "wanker",
    "scumbag": "scumbag",
}

SENTENCES = [
    "Honestly {} is all this thread is about.",
    "Anyone else think {} here?",
    "{} and nothing else, see the link in my profile",
    "I read the whole article and all I can say is {}",
    "Great video!! {} lol",
    "The council should know better than this, {}.",
]

# Look-alikes from Unicode's confusables data: Cyrillic first, Greek where Cyrillic has none.
LOOKALIKES = dict(zip("aceopxyisjhdkmtnuv", "асеорхуіѕјһԁκмτпυν", strict=True))
LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "l": "1", "g": "9", "b": "8"}
ACCENTS = "\u0301\u0300\u0308\u0302\u0303\u0327"
# Characters that draw nothing, those clean_markup drops and others.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
OTHER_INVISIBLE = ["\u034f", "\u180e", "\u2066", "\u202a", "\u061c", "\ufe0f", "\U000e0020"]


def _some(rng: random.Random, word: str, fits: Callable[[str], bool], most: int = 2) -> list[int]:
    places = [n for n, ch in enumerate(word) if fits(ch)]
    return sorted(rng.sample(places, min(len(places), rng.randint(1, most))))


def _replace(word: str, places: list[int], by: Callable[[str], str]) -> str:
    chars = list(word)
    for n in places:
        chars[n] = by(chars[n])
    return "".join(chars)


def lookalike(rng: random.Random, word: str) -> str:
    return _replace(word, _some(rng, word, LOOKALIKES.__contains__), LOOKALIKES.__getitem__)


def accents(rng: random.Random, word: str) -> str:
    return _replace(word, _some(rng, word, str.isalpha, 3), lambda c: c + rng.choice(ACCENTS))


def strokes(rng: random.Random, word: str) -> str:
    return "".join(c + "\u0336" if c.isalpha() else c for c in word)


def leet(rng: random.Random, word: str) -> str:
    return _replace(word, _some(rng, word, LEET.__contains__), lambda c: rng.choice(LEET[c]))


def repeated(rng: random.Random, word: str) -> str:
    return _replace(word, _some(rng, word, str.isalpha, 1), lambda c: c * rng.randint(3, 6))


def apart(separator: str) -> Callable[[random.Random, str], str]:
    def disguise(rng: random.Random, word: str) -> str:
        return separator.join(word)

    return disguise


def in_pairs(rng: random.Random, word: str) -> str:
    return " ".join(word[n : n + 2] for n in range(0, len(word), 2))


def shifted(start: int) -> Callable[[random.Random, str], str]:
    """Letters moved to another block: full-width (0xFF41) or mathematical bold (0x1D41A)."""

    def disguise(rng: random.Random, word: str) -> str:
        return "".join(chr(start + ord(c) - 97) if "a" <= c <= "z" else c for c in word)

    return disguise


def invisible(marks: str | list[str]) -> Callable[[random.Random, str], str]:
    def disguise(rng: random.Random, word: str) -> str:
        return rng.choice(marks).join(word) if len(word) > 1 else word

    return disguise


def mixed(rng: random.Random, word: str) -> str:
    """Two disguises at once: look-alike or digit letters, then letters apart or accented."""
    first = rng.choice([lookalike, leet])(rng, word)
    return rng.choice([apart(" "), apart("."), accents])(rng, first)


DISGUISES: dict[str, Callable[[random.Random, str], str]] = {
    "none": lambda rng, word: word,
    "lookalike letters": lookalike,
    "accents": accents,
    "strokes": strokes,
    "spaced": apart(" "),
    "dotted": apart("."),
    "dashed": apart("-"),
    "underscored": apart("_"),
    "leet": leet,
    "repeated letter": repeated,
    "full-width": shifted(0xFF41),
    "maths bold": shifted(0x1D41A),
    "zero-width": invisible(ZERO_WIDTH),
    "other invisible": invisible(OTHER_INVISIBLE),
    "mixed": mixed,
    "pairs (not seen through)": in_pairs,
}


def disguised(rng: random.Random, kind: str, phrase: str) -> str:
    """Each word of ``phrase`` disguised; words apart by two spaces when letters are."""
    words = [DISGUISES[kind](rng, word) for word in phrase.split()]
    return ("  " if any(" " in word for word in words) else " ").join(words)


def matcher(phrases: list[str]) -> Callable[[str, str, str, str], tuple[int, str] | None]:
    """What the ``word_lists`` check does with a comment: the rule found, and what it matched."""
    rules = wordmatch.compile_rules(tuple(phrases))
    assert rules is not None

    def search(body: str, name: str = "", email: str = "", url: str = "") -> tuple[int, str] | None:
        return rules.search(wordmatch.match_text(body, name, email, url))

    return search


def demo_comments() -> list[tuple[str, str, str, str]]:
    """Every comment of the demo site its moderators would publish: (body, name, e-mail, url)."""
    found = []

    def walk(talks: list) -> None:
        for talk in talks:
            if not talk.spam:
                found.append((talk.body, talk.name, talk.email, talk.url))
                if talk.edited:
                    found.append((talk.edited, talk.name, talk.email, talk.url))
            walk(talk.replies)

    for talks in discussions.DISCUSSIONS.values():
        walk(talks)
    walk(crowd.crowd(500))
    assert history.SPAM  # the demo's spam is left out: it is not ordinary text
    return found


def labelled_files(paths: list[Path]) -> dict[str, object]:
    files = []
    for path in paths:
        files += sorted([*path.glob("*.csv"), *path.glob("*.tsv")]) if path.is_dir() else [path]
    try:
        return {f.name: read_labelled(f) for f in files}
    except LabelledFileError as exc:
        sys.exit(str(exc))


def word_lists(data: dict, per_rule: int, seed: int) -> None:
    phrases = sorted(RULES)
    search = matcher(phrases)
    print(f"(a) Word lists: {len(phrases)} rules as one list, {per_rule} sentences a rule a kind")
    for kind in DISGUISES:
        rng = random.Random(f"{seed}:{kind}")
        caught = total = 0
        missed: list[str] = []
        for example in RULES.values():
            for _ in range(per_rule):
                text = rng.choice(SENTENCES).format(disguised(rng, kind, example))
                total += 1
                if search(text):
                    caught += 1
                elif len(missed) < 3:
                    missed.append(text)
        shown = "; ".join(repr(m) for m in missed[:2])
        print(f"  {kind:26} caught {caught:4} of {total} ({caught / total:6.1%})"
              + (f"  missed e.g. {shown}" if missed and caught < total else ""))  # fmt: skip

    sources = {"demo site": demo_comments()}
    for name, d in data.items():
        sources[name] = [(t, "", "", "") for t, y in zip(d.texts, d.labels, strict=True) if not y]
    print("  Ordinary comments caught (each catch: the rule, what it matched):")
    for name, comments in sources.items():
        catches = []
        times = []
        for comment in comments:
            began = time.perf_counter()
            found = search(*comment)
            times.append((time.perf_counter() - began) * 1000)
            if found:
                catches.append(f"{phrases[found[0]]}={found[1]!r}")
        share = len(catches) / len(comments)
        print(f"    {name:26} {len(catches):3} of {len(comments)} ({share:.2%}); match "
              f"{statistics.median(times):.3f} ms median, {max(times):.2f} ms most")  # fmt: skip
        if catches:
            print(f"      {', '.join(sorted(catches))}")


def learned_filter(data: dict, seed: int) -> None:
    from broadsheet.moderation.features import CommentText
    from moderation import train_like_the_command  # bench/moderation.py

    names = list(data)
    print("\n(b) Learned filter: trained on the other files; recall at 0.5 on the spam of each,")
    print("    half of each spam comment's words (3+ letters) disguised")
    rows: dict[str, list[float]] = {kind: [] for kind in DISGUISES}
    alarms = []
    for name in names:
        train = [d for other, d in data.items() if other != name]
        items = [CommentText(t) for d in train for t in d.texts]
        spam_filter = train_like_the_command(items, [y for d in train for y in d.labels], 5)
        test = data[name]
        ham = [CommentText(t) for t, y in zip(test.texts, test.labels, strict=True) if not y]
        alarms.append(float((spam_filter.scores(ham) >= 0.5).mean()))
        spam = [t for t, y in zip(test.texts, test.labels, strict=True) if y]
        for kind in DISGUISES:
            rng = random.Random(f"{seed}:{kind}:{name}")
            texts = [" ".join(_half_disguised(rng, kind, w) for w in t.split(" ")) for t in spam]
            scores = spam_filter.scores([CommentText(t) for t in texts])
            rows[kind].append(float((scores >= 0.5).mean()))
    print(f"  {'':26} " + " ".join(f"{n[:14]:>14}" for n in names) + "           mean")
    for kind, recalls in rows.items():
        print(f"  {kind:26} " + " ".join(f"{r:14.3f}" for r in recalls)
              + f" {statistics.mean(recalls):14.3f}")  # fmt: skip
    print(f"  {'ham scored 0.5 or more':26} " + " ".join(f"{a:14.3f}" for a in alarms)
          + f" {statistics.mean(alarms):14.3f}")  # fmt: skip


def _half_disguised(rng: random.Random, kind: str, word: str) -> str:
    if len(word) < 3 or not word.isalpha() or not word.isascii() or rng.random() < 0.5:
        return word
    return disguised(rng, kind, word.lower() if kind in ("full-width", "maths bold") else word)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labelled", nargs="*", type=Path, help="labelled CSV files or folders")
    parser.add_argument("--per-rule", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-learned", action="store_true", help="the word lists only")
    args = parser.parse_args()
    data = labelled_files(args.labelled)
    assert unicodedata.normalize("NFKC", shifted(0x1D41A)(random.Random(), "abc")) == "abc"
    word_lists(data, args.per_rule, args.seed)
    if not args.no_learned and len(data) >= 3:
        learned_filter(data, args.seed)


if __name__ == "__main__":
    main()
