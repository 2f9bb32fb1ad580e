"""Reading XML exports safely and in constant memory.

Every importer reads its file through ``events()``: lxml's iterparse with the
dangerous features off (no network, no DTD loading, no entity expansion, no
huge-tree mode). A file that declares a DOCTYPE at all is refused before its
first element is read, as WordPress's own importer does: that is where entity
bombs ("billion laughs") and external entities (XXE) live, and no real export
needs one. Elements are cleared as soon as they are handled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree


class BrokenFile(Exception):
    """The file cannot be read as a whole; nothing was or will be written."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


def events(
    path: Path | str,
    kinds: tuple[str, ...] = ("start", "end"),
    tag: list[str] | None = None,
    stats: dict[str, int] | None = None,
) -> Iterator[tuple[str, etree._Element]]:
    """Yield ``(event, element)`` pairs; raise BrokenFile on bad XML.

    ``tag`` limits the events to elements of those names (``"{*}item"``): the
    whole tree is still read, but Python sees only what it handles. ``stats``
    receives how many control characters were blanked.
    """
    _refuse_doctype(path)
    with open(path, "rb") as fh:
        source = Cleaned(fh)
        try:
            yield from etree.iterparse(source, events=kinds, tag=tag, **_SAFE)
        except etree.XMLSyntaxError as exc:
            raise _broken(exc) from None
        finally:
            if stats is not None:
                stats["control_characters"] = source.replaced


# Control characters XML 1.0 cannot hold (tab, newline and return aside). Old
# WordPress sites have them in pasted comments; WordPress's importer reads its
# files through a filter that blanks them, and so does this one.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Cleaned:
    """A binary file read with forbidden control characters replaced by spaces.

    Byte for byte, so line numbers stay true; UTF-16 files (a byte-order mark)
    are passed through untouched.
    """

    def __init__(self, fh) -> None:
        self.fh = fh
        self.replaced = 0
        self.filtering: bool | None = None

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        if self.filtering is None:
            self.filtering = not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        if self.filtering and _CONTROL.search(data):
            data, n = _CONTROL.subn(b" ", data)
            self.replaced += n
        return data


_SAFE = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def _refuse_doctype(path: Path | str) -> None:
    """Read up to the first element only, and refuse a file that declares a DOCTYPE."""
    try:
        with open(path, "rb") as fh:
            elements = etree.iterparse(Cleaned(fh), events=("start",), **_SAFE)
            first = next(iter(elements), None)
    except etree.XMLSyntaxError as exc:
        raise _broken(exc) from None
    if first is None:
        return
    docinfo = first[1].getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype or docinfo.system_url:
        raise BrokenFile(
            "the file declares a DOCTYPE (where entity bombs and external "
            "entities live); exports never need one, so it is refused",
            line=1,
        )


def _broken(exc: etree.XMLSyntaxError) -> BrokenFile:
    message = re.sub(r"\s*\(.*, line \d+\)$", "", str(exc))
    message = re.sub(r", line \d+, column \d+$", "", message)
    return BrokenFile(f"not well-formed XML: {message}", line=exc.lineno)


def split_tag(tag: str) -> tuple[str, str]:
    """``"{ns}name"`` -> ``("ns", "name")``."""
    if tag[:1] == "{":
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def release(element: etree._Element) -> None:
    """Free a handled element and the siblings before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def text(element: etree._Element | None) -> str:
    """All the text directly inside an element (CDATA sections joined)."""
    if element is None:
        return ""
    return element.text or ""


_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cdata(value: str) -> str:
    """A CDATA section holding ``value`` exactly, even when it contains ``]]>``."""
    value = _INVALID_XML.sub("", value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escape(value: str) -> str:
    value = _INVALID_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(value: str) -> str:
    return escape(value).replace('"', "&quot;")
