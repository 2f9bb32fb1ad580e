"""Benchmark: checking one comment against word lists of many rules.

    .venv/bin/python bench/wordlists.py [--sizes 100 1000 5000]

For each list size, times the search a posted comment goes through (the rules'
pattern without groups, ``wordmatch.compile_rules(...).finder``) and, for comparison, the
same alternatives with a named group per rule, as the check searched before: the
groups cost a step per rule for every rule that fails at each place in the text.
Then the whole matching the check does (``match_text`` and ``search``), for plain
comments and for comments with a few words disguised, which are read again through
their disguises (``folding``).
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
django.setup()  # the checks module reads the site's models

from broadsheet.moderation import wordmatch  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    rng = random.Random(2)

    def word() -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9)))

    comments = [" ".join(word() for _ in range(150)) for _ in range(20)]
    # The same with a few words disguised (a digit for a letter, letters set apart),
    # which the check also reads through its disguises.
    disguised = [
        " ".join(w.replace("o", "0") if n % 10 == 0 else " ".join(w) if n % 25 == 0 else w
                 for n, w in enumerate(text.split()))
        for text in comments
    ]  # fmt: skip
    for size in args.sizes:
        phrases = tuple(word() + ("*" if n % 3 == 0 else "") for n in range(size))
        rules = wordmatch.compile_rules(phrases)
        assert rules is not None
        grouped = rules.plain.namer
        for label, pattern in (("without groups", rules.finder), ("a group per rule", grouped)):
            start = time.perf_counter()
            for text in comments:
                pattern.search(text)
            each = (time.perf_counter() - start) / len(comments)
            print(f"{size:>6} rules, {label:>16}: {each * 1000:8.1f} ms a comment")
        for label, texts in (("plain", comments), ("disguised", disguised)):
            start = time.perf_counter()
            for text in texts:
                rules.search(wordmatch.match_text(text, "", "", ""))
            each = (time.perf_counter() - start) / len(texts)
            print(f"{size:>6} rules, check, {label:>9}: {each * 1000:8.1f} ms a comment")


if __name__ == "__main__":
    main()
