"""Turning WordPress-stored text into what Broadsheet shows.

WordPress keeps post and comment text as its author typed it and formats it
when a page is drawn: blank lines become paragraphs (``wpautop``), shortcodes
such as ``[caption]`` are expanded, and ``<!--more-->`` marks the teaser.
Broadsheet renders once, at import, and keeps the source text untouched so that
an export gives it back.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

import lxml.html
import nh3

from broadsheet.markup import ARTICLE_TAGS, COMMENT_TAGS, clean_until_stable

_MORE = re.compile(r"<!--more(?:\s[^>]*?)?-->|<!--noteaser-->", re.IGNORECASE)

# [name attrs]inner[/name], [name attrs /] or [name attrs]; [[name]] is an escaped one.
# WordPress.com also writes [name=value] ("[youtube=https://…]"). This is the opening
# tag; ``_shortcodes`` finds what it encloses and the escape's closing "]".
_OPEN = re.compile(r"\[(\[?)([A-Za-z][\w-]*)((?:=[^\]\s]+|\s+[^\]]*?)?)\s*(/?)\]")
_OPEN_START = re.compile(r"\[\[?[A-Za-z]")
# An opening tag longer than this is not read as one (its "]" is that far away).
LONGEST_TAG = 5000
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
# name=value pairs and nothing else: how a plugin's shortcode reads. ("[name=value]"
# is WordPress.com's way for its own embeds, read above; unknown, it is more often
# text: a vim statusline's "[HEX=%B]", a heading "[format=html]".)
_WIDGET_ATTRIBUTES = re.compile(r"""(?:[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"']+)\s*)+""")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# Shortcodes that only show media Broadsheet did not import: dropped whole.
_MEDIA_ONLY = {"gallery", "playlist", "wp_caption_gallery"}
# Shortcodes that embed something from elsewhere: they become a link to it. A bare
# video id ("[youtube dQw4w9WgXcQ]") becomes that site's address for it.
_LINKED = {
    "embed", "audio", "video", "youtube", "vimeo", "dailymotion", "soundcloud", "wpvideo",
    "ted", "spotify", "twitter", "instagram", "gist", "slideshare",
}  # fmt: skip
_SLIDESHARE = "https://www.slideshare.net/slideshow/embed_code/{}"
_BY_ID = {
    "youtube": "https://www.youtube.com/watch?v={}",
    "vimeo": "https://vimeo.com/{}",
    "dailymotion": "https://www.dailymotion.com/video/{}",
    "gist": "https://gist.github.com/{}",
}
# Code shortcodes (SyntaxHighlighter, WordPress.com's [sourcecode]): their text
# is code, shown preformatted and never made into paragraphs.
_CODE = {"sourcecode", "source", "code", "sourcecodes"}
# The attributes an embedding shortcode may name its address in, in order.
_SOURCES = ("src", "url", "mp4", "m4v", "webm", "ogv", "mp3", "m4a", "ogg", "wav", "flv")

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
# Whitespace as WordPress counts it: a no-break space is text, and can make a paragraph.
_SPACES = " \t\n\f\v"
_BLANK_LINE = re.compile(r"\n\s*\n", re.ASCII)
# Blocks, as their openings (the tag's name in group 1) and what closes each:
# <script> and <style> are removed whole, <pre> is kept out of paragraphing.
Blocks = tuple[re.Pattern, dict[str, re.Pattern]]
_SCRIPT: Blocks = (
    re.compile(r"<(script|style)\b", re.IGNORECASE),
    {tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in ("script", "style")},
)
_PRE: Blocks = (re.compile(r"<(pre)\b", re.IGNORECASE), {"pre": re.compile(r"</pre>", re.I)})


def split_more(content: str) -> tuple[str, bool]:
    """The text before ``<!--more-->`` and whether the marker was there."""
    match = _MORE.search(content)
    if not match:
        return content, False
    return content[: match.start()], True


def _attrs(raw: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _ATTR.finditer(raw or "")
    }


def _shortcode(match: _Shortcode) -> str:
    open_escape, name, raw_attrs, self_closing, inner_given, close_escape = match.groups()
    if open_escape and close_escape:  # [[caption]] shows as [caption]
        return match.whole[1:-1]
    if open_escape or close_escape:
        return match.whole
    lowered = name.lower()
    inner = inner_given or ""
    attrs = _attrs(raw_attrs)
    if lowered in ("caption", "wp_caption"):
        caption = attrs.get("caption", "")
        image = _IMG.search(inner)
        if image:
            media = inner[: image.end()]
            caption = caption or inner[image.end() :].strip()
        else:
            media = inner
        figcaption = f"<figcaption>{expand_shortcodes(caption)}</figcaption>" if caption else ""
        return f"<figure>{media}{figcaption}</figure>"
    if lowered in _MEDIA_ONLY:
        return ""
    if lowered in _CODE:
        code = html.escape(html.unescape(inner.strip("\r\n")), quote=False)
        return f"<pre><code>{code}</code></pre>"
    if lowered in _LINKED:
        return _link(lowered, inner, raw_attrs, attrs)
    if inner_given is None:
        # Enclosing nothing: a plugin's widget ([contact-form-7 id="4"], written
        # with name=value attributes only, or closed with "/") shows nothing
        # without its plugin. Anything else stays as written, as WordPress shows
        # a shortcode no plugin registered: brackets in code and quotations
        # ("buf[len + 1]", "[They] said", "[master 6d6f696]") are not shortcodes.
        if self_closing or _WIDGET_ATTRIBUTES.fullmatch(raw_attrs.strip()):
            return ""
        return match.whole
    return expand_shortcodes(inner)


def _link(name: str, inner: str, raw_attrs: str, attrs: dict[str, str]) -> str:
    """A link to what an embedding shortcode shows, or nothing when it names nothing."""
    # The address: inside it, named (src, url…), given as [name=…], or as its first word.
    positional = raw_attrs.lstrip("=").split()
    first = positional[0] if positional and "=" not in positional[0].split("?")[0] else ""
    if raw_attrs.startswith("="):
        first = raw_attrs[1:].strip()
    named = next((attrs[k] for k in _SOURCES if attrs.get(k)), "")
    if not named and name in _BY_ID:
        named = attrs.get("id", "")  # [gist id="…"]
    if name == "slideshare":  # WordPress.com's [slideshare id=123&doc=…&w=425]
        number = re.match(r"\d+", html.unescape(attrs.get("id", "")))
        named, first, inner = (_SLIDESHARE.format(number.group(0)) if number else ""), "", ""
    url = (inner or named or first).strip()
    url = html.unescape(url)
    if name in _BY_ID and re.fullmatch(r"[\w-]{4,40}(?:/[\w-]{4,40})?", url):  # a bare id
        url = _BY_ID[name].format(url)
    if not re.match(r"(?i)https?://", url):
        return ""
    safe = html.escape(url, quote=True)
    return f'<a href="{safe}">{safe}</a>'


def expand_shortcodes(content: str) -> str:
    """Captions become figures, embeds become links, code becomes ``<pre>``; other
    shortcodes keep the text they enclose, or stay as written when they enclose none.

    A bare ``[word]`` with no attributes and no closing tag is left alone: in
    prose it is more often an editor's ``[sic]`` than a shortcode.
    """

    out: list[str] = []
    done = 0
    for match in _shortcodes(content):
        out.append(content[done : match.start])
        _, _name, raw_attrs, self_closing, inner, _ = match.groups()
        if inner is None and not raw_attrs.strip() and not self_closing:
            if match.parts[0] and match.parts[5]:
                out.append(match.whole[1:-1])
            else:
                out.append(match.whole)
        else:
            out.append(_shortcode(match))
        done = match.end
    out.append(content[done:])
    return "".join(out)


@dataclass(frozen=True)
class _Shortcode:
    """One shortcode found in a text: where, and its parts."""

    text: str
    start: int
    end: int
    parts: tuple[str, str, str, str, str | None, str]  # escape, name, attrs, /, inner, escape

    @property
    def whole(self) -> str:
        return self.text[self.start : self.end]

    def groups(self) -> tuple[str, str, str, str, str | None, str]:
        return self.parts


def _shortcodes(content: str) -> Iterator[_Shortcode]:
    """Each shortcode in ``content``, left to right, in time linear in its length.

    An opening tag ends at the first "]" after its "["; what it encloses runs to
    the first ``[/name]`` after it. Where these are is remembered, so a text with
    many openings and no closing tag (code full of ``a[i]``) is not searched to
    its end again for each one, which made a 60 KB post take seconds.
    """
    pos = 0
    bracket = -1  # the first "]" at or after the last opening looked at
    closing: dict[str, tuple[int, int]] = {}  # name -> (searched from, found at or -1)
    while found := _OPEN_START.search(content, pos):
        start = found.start()
        if bracket < start:
            bracket = content.find("]", start)
            if bracket < 0:
                return
        tag = _OPEN.match(content, start, bracket + 1) if bracket - start <= LONGEST_TAG else None
        if tag is None:
            pos = start + 1
            continue
        open_escape, name, attrs, slash = tag.groups()
        end, inner = tag.end(), None
        searched, at = closing.get(name, (len(content) + 1, -1))
        if not (searched <= end and (at < 0 or at >= end)):
            searched, at = end, content.find(f"[/{name}]", end)
            closing[name] = (searched, at)
        if at >= 0:
            inner, end = content[tag.end() : at], at + len(name) + 3
        close_escape = "]" if content.startswith("]", end) else ""
        end += len(close_escape)
        yield _Shortcode(
            content, start, end, (open_escape, name, attrs, slash, inner, close_escape)
        )
        pos = end


def _split(text: str, blocks: Blocks) -> list[str]:
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
    for i, piece in enumerate(_split(text, _PRE)):
        if i % 2:
            yield run
            run = []
            yield _BlockTag("whole", "pre", piece)
            continue
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


def article_html(content: str) -> str:
    """HTML to show for a post's content (sanitized afterwards by the import action).

    A post written in the block editor (its blocks marked ``<!-- wp:... -->``) is
    shown as written: WordPress makes paragraphs only of classic posts."""
    content = _MORE.sub("", content)
    content = "".join(_split(content, _SCRIPT)[::2])
    content = expand_shortcodes(content)
    if "<!-- wp:" not in content:
        content = autop(content)
    return keep_blocks_apart(content, ARTICLE_TAGS)


# Block elements whose text stands on a line of its own where they are shown, and what
# becomes of them where the sanitizer would drop them: their text is made a paragraph
# (a cell's text is kept apart by a space), so "Tables" and "Cell" do not run together.
_AS_PARAGRAPH = [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "main",
    "address",
    "hgroup",
    "dl",
    "dt",
    "dd",
    "tr",
    "caption",
    "figure",
    "figcaption",
    "center",
    "details",
    "summary",
]
_UNWRAPPED = ["table", "thead", "tbody", "tfoot"]
_BLOCK_TAG = re.compile(
    r"<(/?)(" + "|".join(_AS_PARAGRAPH + _UNWRAPPED + ["td", "th"]) + r")\b[^>]{0,2000}>",
    re.IGNORECASE,
)


def keep_blocks_apart(fragment: str, allowed: set[str]) -> str:
    """``fragment`` with each block element that ``allowed`` lacks (and the sanitizer
    would drop, keeping its text) turned into a paragraph: dropped as they are, a
    heading's text would run on into the next line's."""

    def replaced(match: re.Match) -> str:
        closing, name = match.group(1), match.group(2).lower()
        if name in allowed:
            return match.group(0)
        if name in ("td", "th"):
            return " " if closing else ""
        if name in _UNWRAPPED:
            return ""
        return "</p>" if closing else "<p>"

    return _BLOCK_TAG.sub(replaced, fragment) if "<" in fragment else fragment


def comment_html(content: str) -> str:
    """Safe HTML for a comment imported as HTML (WordPress, Disqus).

    The same tags and link attributes as ``broadsheet.markup.render_comment``
    allows; ``b``/``i`` become ``strong``/``em`` so that nothing is lost.
    """
    content = re.sub(r"<(/?)b(\s[^>]*)?>", r"<\1strong>", content, flags=re.IGNORECASE)
    content = re.sub(r"<(/?)i(\s[^>]*)?>", r"<\1em>", content, flags=re.IGNORECASE)
    rules: dict = {
        "tags": COMMENT_TAGS,
        "attributes": {"a": {"href", "title"}, "blockquote": {"cite"}},
        "url_schemes": {"http", "https", "mailto"},
        "link_rel": "nofollow ugc noopener",
    }
    cleaned = clean_until_stable(keep_blocks_apart(autop(content), COMMENT_TAGS), **rules)
    if "<li" in cleaned:
        cleaned = clean_until_stable(_listed(cleaned), **rules)
    return cleaned


def _listed(fragment: str) -> str:
    """``fragment`` with every list item outside a list put into one (``<ul>``).

    A comment is shown inside the page's own list item, and a browser reads a
    stray ``<li>`` as the start of the next one: the comment would end there and
    the rest of it would stand outside its box (and outside any other site's list
    that shows it through the API).
    """
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for item in list(root.iter("li")):
        parent = item.getparent()
        if parent is None or parent.tag in ("ul", "ol"):
            continue
        before = item.getprevious()
        tail, item.tail = item.tail, None  # text after the item stays after the list
        if before is not None and before.get("data-wrapped") and not (before.tail or "").strip():
            wrapper = before
        else:
            wrapper = lxml.html.Element("ul", {"data-wrapped": "1"})
            item.addprevious(wrapper)
        wrapper.append(item)
        wrapper.tail = tail
    for wrapper in root.iter("ul"):
        wrapper.attrib.pop("data-wrapped", None)
    inner = [root.text or ""] + [lxml.html.tostring(child, encoding="unicode") for child in root]
    return "".join(inner)


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment (excerpts become summaries)."""
    value = re.sub(r"<br\s*/?>|</p>", "\n", value, flags=re.IGNORECASE)
    cleaned = nh3.clean(value, tags=set())
    cleaned = html.unescape(cleaned)
    lines = [" ".join(line.split()) for line in cleaned.splitlines()]
    return "\n".join(line for line in lines if line).strip()
