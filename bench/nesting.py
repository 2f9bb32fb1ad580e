"""Benchmark: sanitizing imported HTML nested n deep, with and without the nesting limit.

    .venv/bin/python bench/nesting.py [--sizes 8000 32000 100000] [--before-up-to 32000]

For each depth n, times ``wpcontent.comment_html`` on n nested quotes (closed, and
left open) and ``markup.sanitize_html`` on n nested quotes, as an import runs
them, and the layout steps that run before the limit (``wpautop.autop`` and
``wpcontent.keep_blocks_apart``), which must stay linear on their own. "after" is
the code as it is (tags past ``nesting.NESTING_LIMIT`` dropped
before nh3 runs); "before" is the same code with the limit taken out. Without the
limit the time grows with the square of n (over two minutes each at 100,000), so
"before" is only measured up to ``--before-up-to``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from broadsheet import markup
from broadsheet.interchange import wpautop, wpcontent


def closed(n: int) -> str:
    return "<blockquote>" * n + "x" + "</blockquote>" * n


def unclosed(n: int) -> str:
    return "<blockquote>" * n + "x"


CASES: list[tuple[str, Callable[[str], str], Callable[[int], str]]] = [
    ("comment_html, closed", wpcontent.comment_html, closed),
    ("comment_html, unclosed", wpcontent.comment_html, unclosed),
    ("sanitize_html, closed", markup.sanitize_html, closed),
]
LAYOUT: list[tuple[str, Callable[[str], str], Callable[[int], str]]] = [
    ("autop, closed", wpautop.autop, closed),
    ("keep_blocks_apart", lambda html: wpcontent.keep_blocks_apart(html, set()), closed),
]


def seconds(function: Callable[[str], str], html: str) -> float:
    started = time.perf_counter()
    function(html)
    return time.perf_counter() - started


def without_limit(function: Callable[[str], str], html: str) -> float:
    """``function``'s time on ``html`` with the nesting limit taken out."""
    kept = markup.limit_nesting, wpcontent.limit_nesting
    markup.limit_nesting = wpcontent.limit_nesting = lambda html, *args: html  # type: ignore[assignment]
    try:
        return seconds(function, html)
    finally:
        markup.limit_nesting, wpcontent.limit_nesting = kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8_000, 32_000, 100_000])
    parser.add_argument("--before-up-to", type=int, default=32_000)
    args = parser.parse_args()
    print(f"{'case':24} {'n':>8} {'before (s)':>11} {'after (s)':>10}")
    for name, function, make in CASES:
        for n in args.sizes:
            html = make(n)
            after = seconds(function, html)
            before = f"{without_limit(function, html):11.2f}" if n <= args.before_up_to else "-"
            print(f"{name:24} {n:8} {before:>11} {after:10.2f}", flush=True)
    for name, function, make in LAYOUT:
        for n in args.sizes:
            print(f"{name:24} {n:8} {'':>11} {seconds(function, make(n)):10.2f}", flush=True)


if __name__ == "__main__":
    main()
