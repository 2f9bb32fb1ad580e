"""A WordPress post's block-editor footnotes (6.3+), as its imported body keeps them.

WordPress draws a post's notes from its meta ``footnotes`` (a JSON list of
``{"content", "id"}``); the text refers to each by ``<sup data-fn="id">`` and the
block ``<!-- wp:footnotes /-->`` stands where they are listed. The import keeps the
list in that block's attributes, under ``NOTES``, so that the body alone draws its
notes. The WordPress import and export read and write them here; the article form
(``newsroom.forms``) gives each note a box of its own, so that an editor never
edits them as JSON.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

NOTES_BLOCK = re.compile(r"<!--\s+wp:(?:core/)?footnotes\s+(?:(\{.*?\})\s+)?/-->", re.S)
NOTE_REFERENCE = re.compile(
    r"""<sup\b[^>]*?\sdata-fn=["']([^"']*)["'][^>]*>(.*?)</sup>""", re.S | re.I
)
NOTES = "broadsheetNotes"


def is_note(note: object) -> bool:
    """Whether ``note`` is one of WordPress's notes: its id and HTML, both text."""
    return (
        isinstance(note, dict)
        and isinstance(note.get("id"), str)
        and isinstance(note.get("content"), str)
    )


def _attributes(block: re.Match[str] | None) -> dict[str, Any]:
    """The attributes written in a footnotes block, or none when they are not an object."""
    try:
        attributes = json.loads(block[1] or "{}") if block else {}
    except ValueError:
        return {}
    return attributes if isinstance(attributes, dict) else {}


def kept_notes(content: str) -> list[dict[str, str]]:
    """The notes kept in a body's footnotes block, in the order kept."""
    notes = _attributes(NOTES_BLOCK.search(content)).get(NOTES)
    if not isinstance(notes, list):
        return []
    return [n for n in notes if is_note(n)]


def notes_block(attributes: dict[str, Any], notes: list[dict[str, str]]) -> str:
    """A footnotes block with ``attributes`` and, under ``NOTES``, ``notes``."""
    return _block({**attributes, NOTES: notes})


def _block(attributes: dict[str, Any]) -> str:
    if not attributes:
        return "<!-- wp:footnotes /-->"
    # "--" would end the comment: written escaped, as WordPress writes it.
    said = json.dumps(attributes, ensure_ascii=False).replace("--", "\\u002d\\u002d")
    return f"<!-- wp:footnotes {said} /-->"


def without_notes(content: str) -> str:
    """``content`` with its footnotes block's notes taken out of it (its other
    attributes kept): the body as an editor writes it, the notes aside."""
    block = NOTES_BLOCK.search(content)
    if block is None or NOTES not in _attributes(block):
        return content
    shown = {k: v for k, v in _attributes(block).items() if k != NOTES}
    return content[: block.start()] + _block(shown) + content[block.end() :]


def with_notes(content: str, notes: list[dict[str, str]]) -> str:
    """``content`` with ``notes`` kept in its footnotes block, in place of any it held;
    in one added at its end when it has none and refers to notes (as the import adds
    it), else with the notes left out."""
    block = NOTES_BLOCK.search(content)
    if block is None:
        if not notes or not NOTE_REFERENCE.search(content):
            return content
        return f"{content}\n\n{notes_block({}, notes)}"
    attributes = _attributes(block)
    return content[: block.start()] + notes_block(attributes, notes) + content[block.end() :]


def referred_to(content: str) -> list[str]:
    """The ids of the notes ``content`` refers to, in the order first referred to."""
    found: dict[str, None] = {}
    for reference in NOTE_REFERENCE.finditer(content):
        found.setdefault(html.unescape(reference[1]), None)
    return list(found)


def reference_html(note: str, shown: int) -> str:
    """A reference to ``note`` as WordPress's block editor writes it (the number shown
    is WordPress's; the page numbers the notes itself)."""
    said = html.escape(note)
    return f'<sup data-fn="{said}" class="fn"><a href="#{said}" id="{said}-link">{shown}</a></sup>'


def without_references(content: str, note: str) -> str:
    """``content`` with every reference to ``note`` taken out."""
    return NOTE_REFERENCE.sub(
        lambda found: "" if html.unescape(found[1]) == note else found[0], content
    )
