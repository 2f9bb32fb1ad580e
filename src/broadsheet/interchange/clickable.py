"""Bare web addresses in an imported comment made links, as WordPress showed them.

WordPress keeps a comment's text as its author typed it and makes its bare addresses
(``http://…``, ``https://…``, ``www.…``) links each time it shows the comment
(``make_clickable``, one of the ``comment_text`` filters), so its readers saw every
pasted address as a link; Disqus linked them as they were posted. A comment written
here gets the same from its Markdown (``http`` and ``https``). Text inside a link,
``code`` or ``pre`` stays as it is, as WordPress leaves it. E-mail addresses stay text,
as in comments written here (WordPress made them ``mailto:`` links, handing them to
address harvesters).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# A tag, whose quoted attribute values may hold a ">"; a comment (<!-- … -->) too.
_TAG = re.compile(r"""(<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>)""")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Inside these, text is not made a link: a link's own words, code as written.
_AS_WRITTEN = frozenset({"a", "code", "pre"})
# An address as WordPress finds one: after a space or punctuation, not inside a word or
# another address, up to the next space or quote.
_ADDRESS = re.compile(r"(?<![\w/@.:&=%+-])(?:https?://|www\.)[^\s<>\"\u00a0\u3000]+", re.I)
# What ends a sentence rather than the address: a full stop, a comma, a closing quote...
_TRAILING = ".,;:!?'\u2019\u201d*"
_CLOSING = {")": "(", "]": "["}


def make_clickable(fragment: str) -> str:
    """``fragment`` (HTML as another system kept it) with its bare addresses made links.
    The caller sanitizes the result, which gives each link its ``rel``: what this reads
    as a tag or as text only decides where links are made, never what is kept."""
    if "://" not in fragment and "www." not in fragment.lower():
        return fragment
    pieces = _TAG.split(fragment)
    kept = 0  # how many elements of _AS_WRITTEN the text is inside
    for n, piece in enumerate(pieces):
        if n % 2:
            tag = _TAG_NAME.match(piece)
            if tag and tag[2].lower() in _AS_WRITTEN and not piece.endswith("/>"):
                kept = max(kept - 1, 0) if tag[1] else kept + 1
        elif not kept and ("://" in piece or "www." in piece.lower()):
            pieces[n] = _linked(piece)
    return "".join(pieces)


def _linked(escaped: str) -> str:
    text = html.unescape(escaped)
    out: list[str] = []
    done = 0
    for match in _ADDRESS.finditer(text):
        address = _trimmed(match[0])
        href = address if "://" in address else f"http://{address}"
        if "." not in _host(href).strip("."):
            continue
        start = match.start()
        out += [html.escape(text[done:start], quote=False), _anchor(href, address)]
        done = start + len(address)
    if not out:
        return escaped
    return "".join(out) + html.escape(text[done:], quote=False)


def _host(href: str) -> str:
    """The address's host name, "" where it has none that reads as one (a pasted
    ``http://[::1`` that ``urlsplit`` refuses)."""
    try:
        return urlsplit(href).hostname or ""
    except ValueError:
        return ""


def _anchor(href: str, words: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(words, quote=False)}</a>'


def _trimmed(address: str) -> str:
    """The address less the punctuation that ends the sentence around it; a closing
    bracket stays when the address opened it (a Wikipedia page's ``_(film)``)."""
    while address and (address[-1] in _TRAILING or _unopened(address)):
        address = address[:-1]
    return address


def _unopened(address: str) -> bool:
    """Whether the address ends with a bracket it did not open."""
    last = address[-1]
    return last in _CLOSING and address.count(_CLOSING[last]) < address.count(last)
