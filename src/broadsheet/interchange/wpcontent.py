"""Turning WordPress-stored text into what Broadsheet shows.

WordPress keeps post and comment text as its author typed it and formats it
when a page is drawn: blank lines become paragraphs (``wpautop``), shortcodes
such as ``[caption]`` are expanded, and ``<!--more-->`` marks the teaser.
Broadsheet renders once, at import, and keeps the source text untouched so that
an export gives it back.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html
import nh3

from broadsheet.interchange.clickable import make_clickable
from broadsheet.interchange.wpautop import SCRIPT, autop, split_blocks
from broadsheet.markup import (
    ARTICLE_TAGS,
    COMMENT_TAGS,
    NOTE_CLOSE,
    NOTES_CLOSE,
    clean_until_stable,
    note_back_html,
    note_open_html,
    note_prefix,
    note_reference_html,
    notes_open_html,
)
from broadsheet.nesting import limit_nesting
from broadsheet.newsroom import wordpress_notes
from broadsheet.newsroom.wordpress_notes import NOTE_REFERENCE as _NOTE_REFERENCE
from broadsheet.newsroom.wordpress_notes import NOTES_BLOCK as _NOTES_BLOCK
from broadsheet.newsroom.wordpress_notes import is_note as _is_note
from broadsheet.newsroom.wordpress_notes import kept_notes as _kept_notes

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


def split_more(content: str) -> tuple[str, bool]:
    """The text before ``<!--more-->`` and whether the marker was there."""
    match = _MORE.search(content)
    if not match:
        return content, False
    return content[: match.start()], True


def teaser_text(content: str) -> str:
    """The text before ``<!--more-->``, which an import makes the summary of a post
    whose excerpt is empty; empty when the post has no such marker."""
    teaser, has_more = split_more(content)
    return html_to_text(expand_shortcodes(teaser)) if has_more else ""


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


# WordPress's footnotes (6.3+): a reference in the text, and the block that lists the
# notes, which WordPress draws from the post's meta ``footnotes``; the import keeps
# them in the block (``newsroom.wordpress_notes``), so that the body alone draws them.


def with_footnotes(content: str, meta: str) -> tuple[str, str]:
    """A post's content with its notes (the meta ``footnotes``) kept in its footnotes
    block, or in one added at its end when it refers to notes and has none; and what
    was wrong with the meta, if anything (its notes are then left out)."""
    if not meta.strip():
        return content, ""
    try:
        notes = json.loads(meta)
    except ValueError:
        return content, "its footnotes (postmeta footnotes) are not JSON: left out"
    if not isinstance(notes, list) or not all(_is_note(n) for n in notes):
        return content, "its footnotes (postmeta footnotes) are not a list of notes: left out"
    notes = [{"content": n["content"], "id": n["id"]} for n in notes]
    return wordpress_notes.with_notes(content, notes), ""


def footnotes_meta(content: str) -> str:
    """The meta ``footnotes`` WordPress draws a body's notes from (``with_footnotes``
    kept them in it), or "" when it has none."""
    notes = _kept_notes(content)
    return json.dumps(notes, ensure_ascii=False) if notes else ""


def _footnotes(content: str, slug: str) -> tuple[str, str, str]:
    """The content before its notes' block, the notes drawn as a Markdown article's
    are (``markup``), and the content after it; the references drawn as links to
    them, numbered in the order they are first made."""
    # A second note of one id is left out (its references lead to the first); the
    # others keep their order, the one the notes nothing refers to are listed in.
    by_id: dict[str, str] = {}
    for kept in _kept_notes(content):
        by_id.setdefault(kept["id"], kept["content"])
    prefix = note_prefix(slug)
    numbers: dict[str, int] = {}  # a note's id: its number
    made: dict[str, int] = {}  # a note's id: how many references to it were drawn

    def reference(match: re.Match[str]) -> str:
        note = html.unescape(match[1])
        if note not in by_id:
            return f"<sup>{html.escape(html_to_text(match[2]))}</sup>"
        number = numbers.setdefault(note, len(numbers) + 1)
        made[note] = made.get(note, 0) + 1
        return note_reference_html(prefix, number, made[note] - 1)

    content = _NOTE_REFERENCE.sub(reference, content)
    block = _NOTES_BLOCK.search(content)
    if block is None:
        return content, "", ""
    for note in by_id:
        numbers.setdefault(note, len(numbers) + 1)
    listed = []
    for note, number in sorted(numbers.items(), key=lambda item: item[1]):
        backs = "".join(
            note_back_html(prefix, number, later, made[note]) for later in range(made.get(note, 0))
        )
        listed.append(note_open_html(prefix, number) + by_id[note] + backs + NOTE_CLOSE)
    drawn = notes_open_html() + "".join(listed) + NOTES_CLOSE if listed else ""
    return content[: block.start()], drawn, content[block.end() :]


def article_html(content: str, *, slug: str = "") -> str:
    """HTML to show for a post's content (sanitized afterwards by the import action).

    A post written in the block editor (its blocks marked ``<!-- wp:... -->``) is
    shown as written: WordPress makes paragraphs only of classic posts. Its footnotes
    (``with_footnotes``) get ids of its ``slug`` and words in the active language."""
    if "data-fn" not in content and "wp:footnotes" not in content:
        return _laid_out(content)
    before, notes, after = _footnotes(content, slug)
    if not notes:
        return _laid_out(before + after)
    # Laid out on either side of the notes as the whole post would be.
    blocks = "<!-- wp:" in before + after
    return _laid_out(before, blocks) + notes + _laid_out(after, blocks)


def _laid_out(content: str, blocks: bool | None = None) -> str:
    content = _MORE.sub("", content)
    content = "".join(split_blocks(content, SCRIPT)[::2])
    content = expand_shortcodes(content)
    if blocks is None:
        blocks = "<!-- wp:" in content
    if not blocks:
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
    # A quoted attribute may hold ">" (title="a > b"): the tag ends at the first one outside.
    r"<(/?)(" + "|".join(_AS_PARAGRAPH + _UNWRAPPED + ["td", "th"]) + r")\b"
    r"""(?:[^>"']|"[^"]*"|'[^']*'){0,2000}>""",
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
    allows; ``b``/``i`` become ``strong``/``em`` so that nothing is lost. Elements
    nested past ``nesting.NESTING_LIMIT`` lose their tags, not their text. Bare
    addresses become links (``clickable``).
    """
    content = re.sub(r"<(/?)b(\s[^>]*)?>", r"<\1strong>", content, flags=re.IGNORECASE)
    content = re.sub(r"<(/?)i(\s[^>]*)?>", r"<\1em>", content, flags=re.IGNORECASE)
    rules: dict = {
        "tags": COMMENT_TAGS,
        "attributes": {"a": {"href", "title"}, "blockquote": {"cite"}},
        "url_schemes": {"http", "https", "mailto"},
        "link_rel": "nofollow ugc noopener",
    }
    # Its bare addresses made links, as WordPress showed them, before it is sanitized.
    laid_out = make_clickable(keep_blocks_apart(autop(content), COMMENT_TAGS))
    cleaned = clean_until_stable(limit_nesting(laid_out), **rules)
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
    cleaned = nh3.clean(limit_nesting(value), tags=set())
    cleaned = html.unescape(cleaned)
    lines = [" ".join(line.split()) for line in cleaned.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def title_text(value: str) -> str:
    """A WordPress title as the text it shows.

    WordPress prints a title as HTML (``<em>Hamlet</em>, reviewed`` in italics) and
    strips its tags where only text will do (the browser's title bar, feeds).
    Broadsheet's titles are text, so the tags go and the entities are decoded;
    a title written as escaped text (``&lt;b&gt;``, as Broadsheet's export writes
    one) keeps its characters.
    """
    value = re.sub(r"<br\s*/?>", " ", value, flags=re.IGNORECASE)
    return html.unescape(nh3.clean(limit_nesting(value), tags=set()))
