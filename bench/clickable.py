"""Benchmark: what making bare addresses links costs an import's comment layout.

    .venv/bin/python bench/clickable.py [--comments 20000] [--rounds 3]

Times ``wpcontent.comment_html`` (what an import runs on every WordPress and Disqus
comment) over the same generated comments, in turn with ``clickable.make_clickable``
as it is ("after") and replaced by a function that returns its input ("before"), and
prints the ratio, for comments without an address (most of them) and with one or two.
The best of ``--rounds`` runs of each is kept.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from broadsheet.interchange import wpcontent

WORDS = [
    "the", "ferry", "vote", "council", "harbour", "minutes", "budget", "reader", "agree",
    "said", "again", "שלום", "עולם", "مرحبا", "👍🏽", "<strong>never</strong>",
]  # fmt: skip


def comment(rng: random.Random, addresses: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(20, 80))]
    for n in range(addresses):
        at = rng.randrange(len(words))
        words.insert(
            at, f"https://news{n}.example.org/2020/01/{rng.randint(1, 999)}/story?x=1&y=2."
        )
    text = " ".join(words)
    return text.replace(" again ", "\n\nagain ")


def timed(texts: list[str], rounds: int) -> tuple[float, float]:
    """The best time of each over ``rounds``, the two run in turn (before, after)."""
    linked = wpcontent.make_clickable
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for n, render in enumerate((lambda fragment: fragment, linked)):
            wpcontent.make_clickable = render  # type: ignore[assignment]
            start = time.process_time()
            for text in texts:
                wpcontent.comment_html(text)
            best[n] = min(best[n], time.process_time() - start)
    wpcontent.make_clickable = linked  # type: ignore[assignment]
    return best[0], best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(7)
    print(f"{'comments':<28} {'before':>9} {'after':>9} {'ratio':>6}")
    for label, addresses in (("without an address", 0), ("with one", 1), ("with two", 2)):
        texts = [comment(rng, addresses) for _ in range(args.comments)]
        before, after = timed(texts, args.rounds)
        print(f"{label:<28} {before:>8.2f}s {after:>8.2f}s {after / before:>6.2f}")


if __name__ == "__main__":
    main()
