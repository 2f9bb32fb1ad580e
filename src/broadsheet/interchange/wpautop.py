"""WordPress's paragraphs: text as WordPress shows a classic post or a comment.

Blank lines make paragraphs and single newlines line breaks (WordPress's
``wpautop``); block tags stand apart from the text around them. Written from
what WordPress does, not from its code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

# The tags WordPress's paragraphing treats as blocks: each starts a paragraph of its
# own, and no line break is added next to one. Everything else (<em>, <a>, <img>,
# <iframe>...) is part of the paragraph it stands in.
_BLOCK_TAGS = frozenset({
    "address", "area", "article", "aside", "blockquote", "caption", "col", "colgroup",
    "dd", "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li",
    "map", "math", "menu", "nav", "ol", "p", "pre", "section", "style", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})  # fmt: skip
# Of those, the ones with no closing tag: text after one is not inside it.
_EMPTY_BLOCK_TAGS = frozenset({"area", "col", "hr"})
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:-]*)")
_BR = re.compile(r"<br[\s/>]", re.IGNORECASE)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
# Whitespace as WordPress counts it: a no-break space is text, and can make a paragraph.
_SPACES = " \t\n\f\v"
_BLANK_LINE = re.compile(r"\n\s*\n", re.ASCII)
# Blocks, as their openings (the tag's name in group 1) and what closes each:
# <script> and <style> (removed whole from articles), <pre> is kept out of paragraphing.
Blocks = tuple[re.Pattern, dict[str, re.Pattern]]
SCRIPT: Blocks = (
    re.compile(r"<(script|style)\b", re.IGNORECASE),
    {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in ("script", "style")},
)
_PRE: Blocks = (re.compile(r"<(pre)\b", re.IGNORECASE), {"pre": re.compile(r"</pre>", re.I)})


def split_blocks(text: str, blocks: Blocks) -> list[str]:
    """``text`` cut around each block (an opening, up to the first closing of its tag
    after it): text, block, text, block, ..., text. Once a tag has no closing after
    some point, its later openings are not searched again (a lazy
    ``<pre\\b.*?</pre>`` searched to the end from every unclosed ``<pre>``)."""
    opening, closings = blocks
    pieces, done, pos = [], 0, 0
    unclosed: set[str] = set()  # tags with no closing after where they were last looked for
    while start := opening.search(text, pos):
        tag = start.group(1).lower()
        end = None if tag in unclosed else closings[tag].search(text, start.end())
        if end is None:
            unclosed.add(tag)
            pos = start.end()
            continue
        pieces += [text[done : start.start()], text[start.start() : end.end()]]
        done = pos = end.end()
    return [*pieces, text[done:]]


class _Part(NamedTuple):
    """A piece of the text between two block tags: some text, or one inline tag."""

    html: str
    is_tag: bool


@dataclass(frozen=True)
class _BlockTag:
    """A block tag as written; ``kind`` is "open", "close", or "whole" for one that
    stands alone (``<hr>``, or a ``<pre>`` element kept as it is)."""

    kind: Literal["open", "close", "whole"]
    name: str
    html: str


def _tags(text: str) -> Iterator[tuple[int, int]]:
    """Where each tag and HTML comment in ``text`` starts and ends, in one pass.

    A "<" starts a tag only before a letter, "/" or "!" (so "a < b" is text); the tag
    runs to the next ">", a comment to its "-->". Once a tag has no ">" after it, no
    later one can, so the search stops there instead of trying every later "<".
    """
    pos = 0
    while (start := text.find("<", pos)) >= 0:
        after = text[start + 1 : start + 2]
        if text.startswith("<!--", start):
            close = text.find("-->", start + 2)
            end = len(text) if close < 0 else close + 3  # as a browser reads an unclosed one
        elif after.isalpha() or after in ("/", "!"):
            close = text.find(">", start)
            if close < 0:
                return
            end = close + 1
        else:
            pos = start + 1
            continue
        yield start, end
        pos = end


def _block_tag(tag: str) -> _BlockTag | None:
    """``tag`` as a block tag, or None when it is an inline tag or a comment."""
    name = _TAG_NAME.match(tag)
    if name is None or name.group(1).lower() not in _BLOCK_TAGS:
        return None
    lowered = name.group(1).lower()
    if tag.startswith("</"):
        return _BlockTag("close", lowered, tag)
    return _BlockTag("whole" if lowered in _EMPTY_BLOCK_TAGS else "open", lowered, tag)


def _blocks_and_runs(text: str) -> Iterator[_BlockTag | list[_Part]]:
    """``text`` as block tags and, between each two, the run of text and inline tags
    there (empty where two block tags touch). Closed ``<pre>`` elements come as one
    block tag: their text is shown as written."""
    run: list[_Part] = []
    for i, piece in enumerate(split_blocks(text, _PRE)):
        if i % 2:
            yield run
            run = []
            yield _BlockTag("whole", "pre", piece)
            continue
        # Two line breaks in a row end a paragraph, as a blank line does.
        piece = _DOUBLE_BR.sub("\n\n", piece)
        done = 0
        for start, end in _tags(piece):
            if start > done:
                run.append(_Part(piece[done:start], False))
            tag = piece[start:end]
            block = _block_tag(tag)
            if block is None:
                run.append(_Part(tag, True))
            else:
                yield run
                run = []
                yield block
            done = end
        if done < len(piece):
            run.append(_Part(piece[done:], False))
    yield run


def _split_paragraphs(run: list[_Part]) -> list[list[_Part]]:
    """``run`` cut at each blank line. Only the text between tags is looked at: a
    tag written over several lines holds no line of text."""
    paragraphs: list[list[_Part]] = [[]]
    for part in run:
        if part.is_tag:
            paragraphs[-1].append(part)
            continue
        first, *rest = _BLANK_LINE.split(part.html)
        paragraphs[-1].append(_Part(first, False))
        paragraphs += [[_Part(text, False)] for text in rest]
    return paragraphs


def _trimmed(parts: list[_Part]) -> tuple[str, list[_Part], str]:
    """The whitespace before ``parts``, what they hold, and the whitespace after.
    (Text and tags alternate, so only the first and the last part can be spaces.)"""
    body = list(parts)
    lead = trail = ""
    if body and not body[0].is_tag:
        text = body[0].html
        lead = text[: len(text) - len(text.lstrip(_SPACES))]
        body[0] = _Part(text.lstrip(_SPACES), False)
    if body and not body[-1].is_tag:
        text = body[-1].html
        trail = text[len(text.rstrip(_SPACES)) :]
        body[-1] = _Part(text.rstrip(_SPACES), False)
    return lead, [part for part in body if part.html], trail


def _gap(space: str) -> str:
    """Whitespace between blocks: as written on one line, one newline across lines."""
    return "\n" if "\n" in space else space


def _with_line_breaks(parts: list[_Part]) -> str:
    """A paragraph's text with a ``<br>`` at each newline, as WordPress adds them;
    not where the author already ended the line with one."""
    out: list[str] = []
    after_br = False  # whether the last thing written, spaces aside, is a <br>
    for part in parts:
        if part.is_tag:
            out.append(part.html)
            after_br = _BR.match(part.html) is not None
            continue
        for i, line in enumerate(part.html.split("\n")):
            if i:
                out.append("\n" if after_br else "<br>\n")
                after_br = False
            out.append(line)
            if line.strip(_SPACES):
                after_br = False
    return "".join(out)


def _only_comments(parts: list[_Part]) -> bool:
    """Whether ``parts`` are HTML comments and nothing else, such as the block
    editor's ``<!-- wp:paragraph -->`` marks: they show nothing, so are no paragraph."""
    return all(
        part.html.startswith("<!--") if part.is_tag else not part.html.strip(_SPACES)
        for part in parts
    )


def _paragraphed(run: list[_Part], opened: str | None) -> str:
    """The run of text between two block tags, made into paragraphs.

    ``opened`` names the block the run starts right inside, if it does (it follows
    an opening tag with no blank line between). Text there is that block's own: a
    list item, table cell or heading gets no ``<p>`` around it, as in WordPress,
    except in a ``<blockquote>``, whose text WordPress puts in paragraphs.
    """
    paragraphs = [_trimmed(parts) for parts in _split_paragraphs(run)]
    shown = [i for i, (_, body, _) in enumerate(paragraphs) if body]
    if not shown:
        return _gap("".join(part.html for part in run))
    out: list[str] = []
    for i in shown:
        lead, body, _ = paragraphs[i]
        # Paragraphs split at a blank line are written one a line.
        out.append(_gap(lead) if i == 0 else "\n")
        if _only_comments(body):
            out.append("".join(part.html for part in body))
        elif i == 0 and opened is not None and opened != "blockquote":
            out.append(_with_line_breaks(body))  # the block's own text
        else:
            out.append(f"<p>{_with_line_breaks(body)}</p>")
    last = shown[-1]
    out.append(_gap(paragraphs[last][2]) if last == len(paragraphs) - 1 else "\n")
    return "".join(out)


def autop(text: str) -> str:
    """Blank lines make paragraphs and single newlines line breaks, as WordPress shows them.

    Block tags (``<ul>``, ``<h2>``, ``<table>``, ``<p>``...) stand apart from the
    paragraphs around them, wherever they are on a line, and get no line break
    next to them; ``<pre>`` contents are left as they are.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip(_SPACES):
        return ""
    out: list[str] = []
    opened: str | None = None  # the block whose opening tag came last, if it did
    for item in _blocks_and_runs(text):
        if isinstance(item, _BlockTag):
            out.append(item.html)
            opened = item.name if item.kind == "open" else None
        else:
            out.append(_paragraphed(item, opened))
    return "".join(out).strip(_SPACES)
