"""Reading XML exports safely and in constant memory.

Every importer reads its file through ``events()``: lxml's iterparse with the
dangerous features off (no network, no DTD loading, no entity expansion). A
file that declares a DOCTYPE at all is refused before its first element is
read, as WordPress's own importer does: that is where entity bombs ("billion
laughs") and external entities (XXE) live, and no real export needs one.
Elements are cleared as soon as they are handled.

What WordPress's importer forgives in a file, this reader forgives too, and says so
(``Repairs``): control characters XML cannot hold, text printed before the XML
declaration (blank lines or PHP warnings from a plugin or theme, the most common
fault of real exports) and text after the export's last element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.entities import html5
from pathlib import Path
from typing import Any, Protocol

from lxml import etree

from broadsheet.interchange.summary import counted, plural


class BrokenFile(Exception):
    """The file cannot be read as a whole; nothing was or will be written."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Repairs:
    """What was forgiven while reading a file, for the import's summary."""

    control_characters: int = 0
    # Lines of text before the XML declaration, ignored (0: none).
    lines_before: int = 0
    blank_before: bool = True
    # The line where text after the export's last element starts, ignored (0: none).
    ignored_from: int = 0
    # Bare "&" read as text, and HTML entity names read as their characters.
    ampersands: int = 0
    entities: int = 0
    # "]]>" inside a CDATA section, read as text (the section runs to its element's end).
    cdata_ends: int = 0
    # Bytes that are not UTF-8 in a file that says it is, read as Windows-1252.
    not_utf8: int = 0
    not_utf8_line: int = 0

    def notes(self) -> list[str]:
        notes = []
        if self.not_utf8:
            notes.append(
                f"{counted(self.not_utf8, 'byte that is', 'bytes that are')} not UTF-8, though "
                "the file says it is "
                f"(the first on line {self.not_utf8_line}), were read as Windows-1252 "
                "characters (é, curly quotes): text pasted from Windows "
                "programs into older sites. Check those comments' accents."
            )
        if self.control_characters:
            notes.append(
                f"{counted(self.control_characters, 'control character', 'control characters')}"
                f" XML cannot hold {plural(self.control_characters, 'was', 'were')} replaced by "
                "spaces (as WordPress's importer does)."
            )
        if self.ampersands or self.entities:
            notes.append(
                f"{self.ampersands} bare '&' read as text and "
                f"{counted(self.entities, 'HTML entity name', 'HTML entity names')} XML does "
                "not know (such as &nbsp;) read as the characters they stand for, as "
                "WordPress's importer reads them."
            )
        if self.cdata_ends:
            notes.append(
                f"{self.cdata_ends} ']]>' inside text (a script's //]]> in a post, say) "
                "that the file did not escape read as part of the text, as WordPress's "
                "importer reads them."
            )
        if self.lines_before:
            where = "line 1" if self.lines_before == 1 else f"lines 1-{self.lines_before}"
            what = (
                ("a blank line" if self.lines_before == 1 else "blank lines")
                if self.blank_before
                else "text (most often a PHP warning printed into the export)"
            )
            notes.append(
                f"{where}: {what} before the XML declaration ignored, as WordPress's "
                "importer ignores it."
            )
        if self.ignored_from:
            notes.append(
                f"line {self.ignored_from}: text after the end of the export ignored, "
                "as WordPress's importer ignores it."
            )
        return notes


class Stream(Protocol):
    """What reading a file needs of it: bytes, a line at a time or in chunks."""

    def read(self, size: int = -1, /) -> bytes: ...
    def readline(self, size: int = -1, /) -> bytes: ...
    def __enter__(self) -> Stream: ...
    def __exit__(self, *exc: Any) -> object: ...


class Openable(Protocol):
    """A file that is not on disk as itself: one inside an archive (``sources.Packed``)."""

    def open(self) -> Stream: ...


Source = Path | str | Openable


def open_binary(source: Source) -> Stream:
    return open(source, "rb") if isinstance(source, str | Path) else source.open()


def events(
    path: Source,
    kinds: tuple[str, ...] = ("start", "end"),
    tag: list[str] | None = None,
    repairs: Repairs | None = None,
) -> Iterator[tuple[str, etree._Element]]:
    """Yield ``(event, element)`` pairs; raise BrokenFile on bad XML.

    ``tag`` limits the events to elements of those names (``"{*}item"``): the
    whole tree is still read, but Python sees only what it handles. ``repairs``
    receives what was forgiven.
    """
    root = _first_element(path)
    repairs = repairs if repairs is not None else Repairs()
    with open_binary(path) as fh:
        source = Cleaned(fh, repairs)
        try:
            yield from etree.iterparse(source, events=kinds, tag=tag, **_SAFE)
        except etree.XMLSyntaxError as exc:
            if exc.code != etree.ErrorTypes.ERR_DOCUMENT_END:
                raise _broken(exc) from None
            # The last element is closed and every element was read: what follows
            # is not the export's. Unless it is another export, it is ignored.
            if _another_document(path, exc.lineno, root):
                raise BrokenFile(
                    "another export starts after the end of this one; import each file on its own",
                    line=exc.lineno,
                ) from None
            repairs.ignored_from = exc.lineno


# Control characters XML 1.0 cannot hold (tab, newline and return aside). Old
# WordPress sites have them in pasted comments; WordPress's importer reads its
# files through a filter that blanks them, and so does this one.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Cleaned:
    """A binary file read with forbidden control characters replaced by spaces,
    and with anything printed before its XML declaration set aside.

    Line numbers stay true; UTF-16 files (a byte-order mark) are passed through
    untouched.
    """

    def __init__(self, fh, repairs: Repairs | None = None) -> None:
        self.fh = fh
        self.repairs = repairs if repairs is not None else Repairs()
        self.filtering: bool | None = None
        self.utf8: MisEncoded | None = None
        self.ampersands = Ampersands(self.repairs)

    def read(self, size: int = -1) -> bytes:
        while True:
            data = self.fh.read(size)
            final = not data
            if self.filtering is None:
                self.filtering = not data.startswith((b"\xff\xfe", b"\xfe\xff"))
                if self.filtering:
                    data = declare_missing_prefixes(self._declaration_first(data))
                    if _says_utf8(data):
                        self.utf8 = MisEncoded(self.repairs)
            if not self.filtering:
                return data
            if self.utf8 is not None:
                data = self.utf8.feed(data, final)
            if _CONTROL.search(data):
                data, n = _CONTROL.subn(b" ", data)
                self.repairs.control_characters += n
            out = self.ampersands.feed(data, final)
            # Nothing to give yet (all held back) is not the end of the file.
            if out or final:
                return out

    def _declaration_first(self, head: bytes) -> bytes:
        """``head`` with its XML declaration moved to the very start when something
        was printed before it, and that something replaced by its line breaks."""
        bom = _UTF8_BOM if head.startswith(_UTF8_BOM) else b""
        body = head[len(bom) :]
        declaration = _DECLARATION.search(body)
        if declaration is None or declaration.start() == 0:
            return head
        before = body[: declaration.start()]
        # A file without a declaration of its own may quote one in a post's text.
        if b"<![CDATA[" in before or b"xmlns" in before:
            return head
        lines = before.count(b"\n")
        printed = before.rstrip()
        # The last line that held something (or, when all is blank, the last blank one).
        self.repairs.lines_before = printed.count(b"\n") + 1 if printed else lines
        self.repairs.blank_before = not printed
        return bom + declaration.group(0) + b"\n" * lines + body[declaration.end() :]


_UTF8_BOM = b"\xef\xbb\xbf"
_DECLARATION = re.compile(rb"<\?xml\s[^>]*\?>")
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")


def _says_utf8(head: bytes) -> bool:
    """Whether a file starting with ``head`` is to be read as UTF-8: it says so in its
    XML declaration, or names no encoding (XML's default). A file that names another
    (ISO-8859-1, windows-1252) is read in it by libxml2 itself."""
    declaration = _DECLARATION.match(head.removeprefix(_UTF8_BOM))
    named = _DECLARED_ENCODING.search(declaration.group(0)) if declaration else None
    return named is None or named.group(1).strip().lower() in (b"utf-8", b"utf8")


class MisEncoded:
    """A file that says it is UTF-8 with bytes that are not, read with each such byte
    taken as the Windows-1252 character it is in nearly every real case: an old site
    whose database took text pasted from Windows programs ("caf\\xe9", curly quotes
    \\x93…\\x94). libxml2 refuses the whole file at the first one, and nothing of the
    site could be imported. Fed chunk by chunk; a character cut at a chunk's end is
    held back for the next.
    """

    def __init__(self, repairs: Repairs) -> None:
        self.repairs = repairs
        self.held = b""
        self.line = 1  # the line the next chunk starts on

    def feed(self, data: bytes, final: bool) -> bytes:
        data, self.held = self.held + data, b""
        if not final:
            cut = _whole_characters(data)
            data, self.held = data[:cut], data[cut:]
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = _UTF8_OR_BYTE.sub(self._replaced, data)
        if not self.repairs.not_utf8:  # only the first repair's line is said
            self.line += data.count(b"\n")
        return data

    def _replaced(self, match: re.Match[bytes]) -> bytes:
        if match.group(1) is None:
            return match.group(0)
        if not self.repairs.not_utf8:
            self.repairs.not_utf8_line = self.line + match.string.count(b"\n", 0, match.start())
        self.repairs.not_utf8 += 1
        return _WINDOWS_1252[match.group(1)[0]]


# A run of well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates), or one
# byte that does not start any.
_UTF8_OR_BYTE = re.compile(
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
    rb"|(.)",
    re.DOTALL,
)
# Each byte as UTF-8 of its Windows-1252 character; the five bytes that code page
# leaves unassigned keep their Latin-1 meaning (C1 controls), as browsers read them.
_WINDOWS_1252 = [
    bytes([b]).decode("cp1252", errors="ignore").encode() or chr(b).encode() for b in range(256)
]


def _whole_characters(data: bytes) -> int:
    """Where the last character of ``data`` that is complete ends: before a UTF-8
    lead byte at the very end whose continuation bytes have not all come yet."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            break
        if byte >= 0xC0:  # a lead byte: how long its character is
            length = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) - back if back < length else len(data)
    return len(data)


class Ampersands:
    """Outside CDATA sections and comments, a bare ``&`` made ``&amp;`` and an HTML
    entity name XML does not know (``&nbsp;``, ``&hellip;``) made the characters it
    stands for: files that other tools wrote by hand have both, libxml2 refuses
    them, and WordPress's importer reads them.

    Inside a CDATA section that holds an element's whole text (``<tag><![CDATA[...]]>
    </tag>``, as exports write every text), a ``]]>`` that does not end the element's
    text is escaped (``]]]]><![CDATA[>``): exports that did not escape it themselves
    hold a script's ``//]]>`` in a post, which ends the section early and makes the
    rest of the post markup, and WordPress's importer reads the text to the element's
    end. A ``]]>`` ends the section when the element's end tag follows it (after
    blanks), or another section (WordPress's own escape), or when the next end tag of
    that element is not right after a ``]]>`` (text after a section in mixed content).

    Fed a file chunk by chunk, holding back the bytes at a chunk's end that the next
    chunk may complete (for a ``]]>`` in a section, up to its element's end tag).
    """

    def __init__(self, repairs: Repairs) -> None:
        self.repairs = repairs
        self.closing = b""  # b"]]>" or b"-->" while inside a CDATA section or comment
        # The end tag of the element whose whole text the open CDATA section holds
        # (b"</content:encoded>"), when it does; else b"".
        self.enclosing = b""
        # The last bytes given out, where a section's element start tag is looked for.
        self.recent = b""
        self.held = b""

    def feed(self, data: bytes, final: bool) -> bytes:
        data, self.held = self.held + data, b""
        out: list[bytes] = []
        pos, end = 0, len(data)
        # The next "&" and "<!" at or after pos (len(data): none), found with
        # bytes.find, which is much faster here than a pattern over every byte.
        amp = bang = -1
        while pos < end:
            if self.closing:
                found = data.find(self.closing, pos)
                if found < 0:
                    keep = end if final else max(pos, end - len(self.closing) + 1)
                    return self._hold(out, data, pos, keep)
                after = found + len(self.closing)
                if self.closing == b"]]>" and self.enclosing:
                    ends = self._ends_section(data, after, final)
                    if ends is None:  # the next chunk tells
                        return self._hold(out, data, pos, found)
                    if not ends:
                        out.append(data[pos:found] + b"]]]]><![CDATA[>")
                        self.repairs.cdata_ends += 1
                        pos = after
                        continue
                out.append(data[pos:after])
                pos, self.closing = after, b""
                continue
            if amp < pos:
                amp = _find(data, b"&", pos)
            if bang < pos:
                bang = _find(data, b"<!", pos)
            if bang < amp:
                out.append(data[pos:bang])
                pos = bang
                if data.startswith((b"<![CDATA[", b"<!--"), bang):
                    self.closing = b"]]>" if data[bang + 2] == ord("[") else b"-->"
                    opening = 9 if self.closing == b"]]>" else 4
                    if self.closing == b"]]>":
                        self._enclosed_by(data, bang)
                    out.append(data[bang : bang + opening])
                    pos = bang + opening
                elif not final and end - bang < len(b"<![CDATA["):
                    return self._hold(out, data, pos, pos)  # perhaps cut
                else:
                    out.append(b"<!")  # a DOCTYPE or a stray "<!": libxml2 judges
                    pos += 2
                continue
            if amp == end:
                break
            out.append(data[pos:amp])
            pos = amp
            reference = _REFERENCE.match(data, pos)
            if reference is None and not final and end - pos < _LONGEST_REFERENCE:
                return self._hold(out, data, pos, pos)
            out.append(self._read(reference))
            pos = reference.end() if reference else pos + 1
        # A "<" at the very end may open a section with the next chunk's "!".
        cut = not final and data.endswith(b"<") and pos < end
        return self._hold(out, data, pos, end - 1 if cut else end)

    def _hold(self, out: list[bytes], data: bytes, pos: int, keep: int) -> bytes:
        out.append(data[pos:keep])
        self.held = data[keep:]
        given = b"".join(out)
        self.recent = (self.recent + given)[-_RECENT:]
        return given

    def _enclosed_by(self, data: bytes, bang: int) -> None:
        """Note the element whose whole text the section opening at ``bang`` holds:
        the start tag right before it; the same element's when the section continues
        one just closed (``]]]]><![CDATA[>``); else none."""
        if bang >= _RECENT and data[bang - 1] == 62:  # ">": the form exports write
            if data.endswith(b"]]>", 0, bang):
                return
            lt = data.rfind(b"<", bang - _RECENT, bang)
            name = data[lt + 1 : bang - 1]
            if lt >= 0 and _PLAIN_NAME.fullmatch(name):  # no attributes: most often
                self.enclosing = b"</" + name + b">"
                return
        if bang < _RECENT:  # near the chunk's start: with what was given before it
            data = self.recent + data[:bang]
            bang = len(data)
        end = bang
        while end and data[end - 1] in _BLANK:
            end -= 1
        if data.endswith(b"]]>", 0, end):
            return  # a continuation: the element is the one before
        lt = data.rfind(b"<", max(end - _RECENT, 0), end)
        tag = _START_BEFORE.fullmatch(data, lt, end) if lt >= 0 else None
        self.enclosing = b"</" + tag.group(1) + b">" if tag else b""

    def _ends_section(self, data: bytes, after: int, final: bool) -> bool | None:
        """Whether the ``]]>`` ending at ``after`` ends the open section (None: not
        known until more of the file is read)."""
        if data.startswith(self.enclosing, after):
            return True  # as nearly every section ends
        window = data[after : after + _BLANKS]
        rest = window.lstrip()
        whole = final or len(window) == _BLANKS
        if rest or whole:
            for follows in (self.enclosing, b"<![CDATA["):
                if rest.startswith(follows):
                    return True
                if not whole and follows.startswith(rest):
                    return None  # part of the tag so far
        elif not whole:
            return None  # blanks so far
        # Text follows: the section ended early only if its element's end tag comes
        # right after another "]]>" (the real end), before any other end of it.
        close = data.find(self.enclosing, after)
        if close < 0:
            return True if final or len(data) - after > _HELD_MOST else None
        return not data[after:close].rstrip().endswith(b"]]>")

    def _read(self, reference: re.Match[bytes] | None) -> bytes:
        if reference is None:
            self.repairs.ampersands += 1
            return b"&amp;"
        name = reference.group(1)
        if name is None or name in _XML_ENTITIES:
            return reference.group(0)
        characters = html5.get(name.decode() + ";")
        if characters is None:  # a name nobody knows: the text as written
            self.repairs.ampersands += 1
            return b"&amp;" + reference.group(0)[1:]
        self.repairs.entities += 1
        return b"".join(b"&#%d;" % ord(c) for c in characters)


# How far back a CDATA section's element start tag is looked for, and how many blanks
# may stand between a section's end and its element's end tag.
_RECENT = 400
_BLANKS = 200
_BLANK = b" \t\r\n"
_PLAIN_NAME = re.compile(rb"[A-Za-z_][\w.-]*(?::[\w.-]+)?")
_START_BEFORE = re.compile(rb"<([A-Za-z_][\w.-]*(?::[\w.-]+)?)(?:\s[^<>]*)?(?<!/)>")
# The most text held back waiting for a section's element to end: past it, the "]]>"
# is taken as the section's end, as libxml2 takes it.
_HELD_MOST = 64 << 20

_REFERENCE = re.compile(rb"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|([A-Za-z][A-Za-z0-9]{0,40}));")
_LONGEST_REFERENCE = 48


def _find(data: bytes, what: bytes, start: int) -> int:
    found = data.find(what, start)
    return len(data) if found < 0 else found


_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


# What a namespace prefix stands for, for files that use one without declaring
# it: WordPress.com's exports of 2011-2012 write <atom:link> with no xmlns:atom,
# which libxml2 refuses and WordPress's own importer reads. A prefix not listed
# here gets a placeholder namespace (the importers ignore unknown namespaces).
_KNOWN_NAMESPACES = {
    b"atom": b"http://www.w3.org/2005/Atom",
    b"content": b"http://purl.org/rss/1.0/modules/content/",
    b"dc": b"http://purl.org/dc/elements/1.1/",
    b"wfw": b"http://wellformedweb.org/CommentAPI/",
    b"excerpt": b"http://wordpress.org/export/1.2/excerpt/",
    b"wp": b"http://wordpress.org/export/1.2/",
    b"sy": b"http://purl.org/rss/1.0/modules/syndication/",
    b"slash": b"http://purl.org/rss/1.0/modules/slash/",
    b"media": b"http://search.yahoo.com/mrss/",
    b"georss": b"http://www.georss.org/georss",
    b"geo": b"http://www.w3.org/2003/01/geo/wgs84_pos#",
    b"itunes": b"http://www.itunes.com/dtds/podcast-1.0.dtd",
}
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_START_TAG = re.compile(rb"<([A-Za-z_][\w.-]*(?::[\w.-]+)?)(?=[\s/>])")
_PREFIX_USED = re.compile(rb"<([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[\w.-]+\s*=")
_PREFIX_DECLARED = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")


def declare_missing_prefixes(head: bytes) -> bytes:
    """``head`` (the start of a file) with the namespace prefixes it uses but never
    declares declared on its root element. Unchanged when nothing is missing.

    Only the start of the file is looked at: that is where the exports that forget a
    declaration use the prefix (the channel's header). The declarations go on the
    root element's own line, so line numbers stay true.
    """
    outside = _COMMENT.sub(lambda m: b" " * len(m.group(0)), head)
    root = _START_TAG.search(outside)
    if root is None:
        return head
    used = {a or b for a, b in _PREFIX_USED.findall(outside)} - {b"xml", b"xmlns"}
    missing = sorted(used - set(_PREFIX_DECLARED.findall(outside)))
    if not missing:
        return head
    declarations = b"".join(
        b' xmlns:%s="%s"' % (p, _KNOWN_NAMESPACES.get(p, b"urn:broadsheet:undeclared:" + p))
        for p in missing
    )
    return head[: root.end()] + declarations + head[root.end() :]


_SAFE = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    # Lifts libxml2's 10 MB limit on one text: a post with pictures pasted into it as
    # data: addresses runs past it, and WordPress's importer reads it. The limits it
    # also lifts guard against entity expansion, which a file without a DOCTYPE (the
    # only kind read) cannot ask for.
    "huge_tree": True,
    "remove_comments": True,
    "remove_pis": True,
}


def _first_element(path: Source) -> str:
    """The local name of the file's first element, read up to it only; a file
    that declares a DOCTYPE is refused."""
    try:
        with open_binary(path) as fh:
            elements = etree.iterparse(Cleaned(fh), events=("start",), **_SAFE)
            first = next(iter(elements), None)
    except etree.XMLSyntaxError as exc:
        raise _broken(exc) from None
    if first is None:
        return ""
    docinfo = first[1].getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype or docinfo.system_url:
        raise BrokenFile(
            "the file declares a DOCTYPE (where entity bombs and external "
            "entities live); exports never need one, so it is refused",
            line=1,
        )
    return split_tag(first[1].tag)[1]


def _another_document(path: Source, line: int, root: str) -> bool:
    """Whether the text from ``line`` on holds the start of another document:
    an XML declaration or the first element's name as a start tag."""
    with open_binary(path) as fh:
        for _ in range(line - 1):
            fh.readline()
        rest = fh.read(_TRAILING_LOOKED_AT)
    start = rb"<\?xml\s|<(?:[\w.-]+:)?" + re.escape(root.encode()) + rb"[\s/>]"
    return re.search(start, rest) is not None


_TRAILING_LOOKED_AT = 1 << 20


def _broken(exc: etree.XMLSyntaxError) -> BrokenFile:
    message = re.sub(r"\s*\(.*, line \d+\)$", "", str(exc))
    message = re.sub(r", line \d+, column \d+$", "", message)
    # libxml2 appends the text it stopped at after a line break: the file's words,
    # not the error's. The message says what is wrong; the line number says where.
    message = message.splitlines()[0] if message else "unreadable"
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
