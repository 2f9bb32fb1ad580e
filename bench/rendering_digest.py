"""One digest of everything ``broadsheet.markup`` makes of a corpus, to compare a
change to rendering with the code before it: the same digest, the same bytes.

    BROADSHEET_DATA_DIR=/tmp/site .venv/bin/python bench/rendering_digest.py [--each FILE]

The corpus: every string written in tests/ (the tricky inputs of the markup, attack
and HTML tests among them), every article body and comment of the site in
BROADSHEET_DATA_DIR (``broadsheet demo`` loads one), the long bodies
``bench/posting.py`` renders (10, 100 and 250 KB), and each character in a short
text (every 64th code point, and all those near the ones HTML forbids). Each goes
through ``render_comment`` (twice: the second reading is the kept one),
``render_article``, ``sanitize_html``, ``html_text`` and ``comment_nesting``;
``html_text`` also reads all of Unicode at once. ``--each`` writes one digest per
input (JSON), to find which one differs. Run it with the old code on PYTHONPATH,
then the new.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def corpus() -> set[str]:
    from posting import article_text

    from broadsheet.discussion.models import Comment
    from broadsheet.newsroom.models import Article

    texts = set()
    for path in (HERE.parent / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.add(node.value)
    texts |= set(Article.objects.values_list("body", flat=True))
    texts |= set(Comment.objects.values_list("body", flat=True))
    texts |= {article_text(size) for size in (10_000, 100_000, 250_000)}
    near_forbidden = [*range(0x100), *range(0xD7F0, 0xE010), *range(0xFDD0, 0xFDF0)]
    codes = {*range(0, sys.maxunicode + 1, 64), *near_forbidden}
    codes |= {
        plane + last for plane in range(0, sys.maxunicode + 1, 0x10000) for last in (0xFFFE, 0xFFFF)
    }
    texts |= {f"x{chr(code)}y" for code in codes}
    return texts


def digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value).encode("utf-8", "surrogatepass")).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--each", help="write each input's digest to this JSON file")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    import django

    django.setup()
    from broadsheet import markup

    made = (
        markup.render_comment, markup.render_comment, markup.render_article,
        markup.sanitize_html, markup.html_text, markup.comment_nesting,
    )  # fmt: skip
    each = {}
    for text in sorted(corpus()):
        results = []
        for make in made:
            try:
                results.append(make(text))
            except Exception as failure:  # a failure is part of what the code does
                results.append(f"raised {type(failure).__name__}")
        each[digest(text)] = digest(results)
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    each["all of Unicode"] = digest(markup.html_text(everything))
    if args.each:
        Path(args.each).write_text(json.dumps(each, indent=0, sort_keys=True))
    print(f"{len(each)} inputs, digest {digest(sorted(each.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
