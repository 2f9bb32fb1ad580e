"""Markdown to safe HTML, done once when text is saved (never when a page is read).

Comments get a small subset (paragraphs, emphasis, links, block quotes, lists,
code; a pasted http(s):// address becomes a link); articles get full CommonMark
plus tables. Either way raw HTML in the source is shown as text, and the output
passes through nh3 (Ammonia) so that only the listed tags and attributes survive.

No page carries a character HTML forbids (``html_text``): stored text keeps them
(a comment's ``body`` is returned exactly as written), what is drawn does not.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape, unescape
from itertools import count
from typing import Any
from urllib.parse import urljoin, urlsplit

import nh3
from django.utils.translation import gettext
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_tail

from broadsheet.alt_text import IMG_TAG, with_empty_alts
from broadsheet.nesting import limit_nesting

# Letters that draw nothing (Hangul fillers, the blank Braille pattern), which a name
# made to look empty or to pass for another's uses; Unicode files them as letters.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

# The characters HTML forbids in a page (the parser's "control character" and
# "noncharacter" errors): the C0 controls but tab, line feed, form feed and carriage
# return; DEL and the C1 controls; the noncharacters; and lone surrogates, which no
# UTF-8 can carry. Word pastes a manual line break as a vertical tab; imports and
# old databases bring the rest.
_LAST_OF_EACH_PLANE = "".join(
    f"\\U{plane + 0xFFFE:08x}\\U{plane + 0xFFFF:08x}" for plane in range(0, 0x110000, 0x10000)
)
NOT_IN_HTML = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _LAST_OF_EACH_PLANE + "]"
)
# The same test, quicker: a class holding characters past U+FFFF is matched by a slow
# path of Python's regular expressions, a tenth the speed (a 250 KB article body
# took 20 ms, for each of the two times it is looked through). So the characters of
# the Basic Multilingual Plane are looked for alone, and the whole class only in a
# text that has a character past it.
_NOT_IN_HTML_BMP = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_PAST_BMP = re.compile("[\U00010000-\U0010ffff]")


def has_characters_not_in_html(text: str) -> bool:
    """Whether ``text`` has a character ``NOT_IN_HTML`` matches."""
    if _NOT_IN_HTML_BMP.search(text):
        return True
    return _PAST_BMP.search(text) is not None and NOT_IN_HTML.search(text) is not None


# The same characters as a pattern both databases' regular expressions read alike
# (PostgreSQL's, and Python's behind SQLite's REGEXP): the characters themselves,
# less NUL and the surrogates, which neither stores. Migrations find stale HTML by it.
STORED_NOT_IN_HTML = (
    "[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
    + "]"
)


def _replacement(found: re.Match[str]) -> str:
    return "\n" if found[0] == "\x0b" else "\ufffd"


def html_text(text: str) -> str:
    """``text`` with each character HTML forbids replaced: a vertical tab (a word
    processor's line break) by a line break, any other by U+FFFD, as CommonMark
    replaces a NUL. Everything a page prints from stored text goes through it
    (templates: the ``html_text`` filter of ``{% load characters %}``)."""
    return NOT_IN_HTML.sub(_replacement, text) if has_characters_not_in_html(text) else text


# Unicode's directional isolates (left-to-right, right-to-left, first strong) and their end.
_ISOLATE_OPENERS = frozenset("\u2066\u2067\u2068")
_ISOLATE_END = "\u2069"
# Every explicit directional formatting character: embeddings and overrides (U+202A to
# U+202E, their end among them) and isolates.
_DIRECTIONAL_FORMATTING = re.compile("[\u202a-\u202e\u2066-\u2069]")


def isolated(text: str) -> str:
    """``text`` as a directional isolate (U+2068 … U+2069), for plain text that has no
    ``<bdi>`` to keep it apart: a page's title, an e-mail's subject and text, a feed's
    entry titles.

    A reader's name (or a search) that opens a right-to-left override and never
    closes it would turn the rest of the sentence it is said in around: "Reply to
    *name* | *site*" with the site's name read backwards. The isolate's end closes
    every embedding and override opened inside it. The text's own isolates are
    balanced first (an end with no start dropped, a start left open closed), so that
    none of them ends ours early or keeps it open past the text.

    Text with none of those characters is returned as it is: it cannot turn what
    follows it around, and subjects and titles stay as mail clients and feed readers
    already know them.
    """
    if not _DIRECTIONAL_FORMATTING.search(text):
        return text
    kept: list[str] = []
    depth = 0
    for char in text:
        if char in _ISOLATE_OPENERS:
            depth += 1
        elif char == _ISOLATE_END:
            if not depth:
                continue
            depth -= 1
        kept.append(char)
    return "\u2068" + "".join(kept) + _ISOLATE_END * depth + _ISOLATE_END


def xml_text(text: str) -> str:
    """``text`` as XML 1.0 can carry it (feeds, sitemaps): the characters HTML forbids
    replaced as ``html_text`` replaces them, which leaves only the form feed of those
    XML forbids; it becomes a space."""
    return html_text(text).replace("\x0c", " ")


COMMENT_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "pre"}
ARTICLE_TAGS = COMMENT_TAGS | {
    "h2", "h3", "h4", "h5", "h6", "hr", "img", "table", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "del", "s", "sup", "sub", "section",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    # A Markdown table's column alignment comes as a style; WordPress's, as align.
    "th": {"align", "style"},
    "td": {"align", "style"},
    "blockquote": {"cite"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
# What an article's footnotes need besides (``_NOTE_RULES``): a reference's and a
# note's id (of the one form ``_NOTE_ID``), the classes that style them, and the
# words a screen reader says for a number or an arrow. Comments get none of it.
_ARTICLE_ATTRIBUTES = {**_ATTRIBUTES, "a": _ATTRIBUTES["a"] | {"id", "aria-label"}, "li": {"id"}}
_ARTICLE_CLASSES = {"a": {"footnote-ref", "footnote-backref"}, "section": {"footnotes"}}
# The only property a style attribute keeps (on the table cells that may have one).
_STYLE_PROPERTIES = {"text-align"}


def _allowed_characters(state: StateCore) -> None:
    """The source's characters that HTML forbids replaced before it is read, so that
    a vertical tab breaks a line as a line feed does."""
    state.src = html_text(state.src)


# The parser's options its rules look up with a default (all off), given that default:
# an option looked up and missing raises KeyError inside the lookup, thousands of times
# in a long article (the strikethrough rule asks at every "~", the list rule at every
# item), a fortieth of its rendering time.
_OPTIONS_OFF = {
    "alerts": False, "inline_definitions": False, "store_labels": False,
    "strikethrough_single_tilde": False, "tasklists": False, "tasklists_editable": False,
}  # fmt: skip


@lru_cache(maxsize=1)
def _comment_parser() -> MarkdownIt:
    options = {"breaks": True, "html": False, "linkify": True, "maxNesting": _PARSED_NESTING}
    options |= _OPTIONS_OFF
    md = MarkdownIt("zero", options)
    md.enable(
        ["emphasis", "link", "autolink", "linkify", "blockquote", "list", "code", "fence",
         "backticks", "escape", "newline", "entity"]
    )  # fmt: skip
    # A pasted http(s):// address becomes a link, as readers expect; words that only
    # look like domains ("README.md", "Node.js") and e-mail addresses stay text.
    assert md.linkify is not None  # linkify-it-py is a dependency
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    md.core.ruler.after("normalize", "allowed_characters", _allowed_characters)
    return md


# Markdown-it stops reading quotes and lists nested deeper than its limit and drops
# their text without a word: a comment would show moderators and readers less than it
# says (the API's body, and the filter, have it all). A comment nested deeper than
# COMMENT_NESTING levels (a quote is one, a list two) is refused instead, far below
# the parser's limit, so what is shown is all there is.
COMMENT_NESTING = 40
_PARSED_NESTING = 100


@lru_cache(maxsize=8)
def _read_comment(text: str) -> tuple[tuple[Token, ...], dict[str, Any]]:
    """A comment read by the parser (its tokens, and what it noted on the way), kept
    for the few texts read last: a posted comment is read when the form checks its
    nesting, and again when it is rendered, and reading is most of rendering's time.
    What the parser makes depends on the text alone, and the renderer only reads it."""
    env: dict[str, Any] = {}
    return tuple(_comment_parser().parse(text, env)), env


def comment_nesting(text: str) -> int:
    """How deep a comment's quotes and lists go, in the parser's levels."""
    return max((token.level for token in _read_comment(text)[0]), default=0)


def _top_heading_as_section(state: StateCore) -> None:
    """An article's headline is its page's one ``<h1>``: a ``# heading`` in the body is
    drawn as ``## heading`` would be, where the sanitizer would leave bare text."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


# Footnotes: a reference ``[^label]`` in the text and its note ``[^label]: text``
# anywhere (mdit-py-plugins' footnote rules). The notes are numbered in the order
# they are first referred to and listed at the end under a heading; each reference
# leads to its note and each note back to its references. The ids are the article's
# own: ``fn-`` or ``fnref-``, eight hex digits of a digest of the article's slug
# (``note_prefix``), the note's number, and for a note's second and later
# references their number, so that two articles' notes never meet on one page (a
# feed reader's) and no id the page has (``comment-12``, ``respond``) can be made.
_NOTE_ID = re.compile(r"fn(?:ref)?-[0-9a-f]{8}-[1-9][0-9]{0,5}(?:-[1-9][0-9]{0,5})?")


def note_prefix(slug: str) -> str:
    """What an article's footnote ids start with after ``fn-``: made from its slug."""
    return hashlib.sha256(slug.encode()).hexdigest()[:8]


def _notes_at_end(state: StateCore) -> None:
    """The notes taken from where they were written and listed at the end, once the
    text has notes at all (the plugin's rule looks through every token of every
    body). A note nothing refers to is listed too, without a way back: a body's
    words are all shown. So is a second note of a label already used, which the
    plugin dropped (the references lead to the first, as a link's to the first of
    two definitions): it is given a label no text can have (a NUL, which the text
    cannot hold: ``_allowed_characters``)."""
    notes = state.env.get("footnotes")
    if not notes or not notes.get("refs"):
        return
    state.tokens = _notes_side_by_side(state.tokens)
    _references_beside_images(state.tokens)
    written: set[str] = set()
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            if token.meta["label"] in written:
                token.meta["label"] = f"{token.meta['label']}\x00{len(written)}"
                notes["refs"][":" + token.meta["label"]] = -1
            written.add(token.meta["label"])
    for key, number in notes["refs"].items():
        if number < 0:
            notes["refs"][key] = len(notes["list"])
            notes["list"][len(notes["list"])] = {"label": key[1:], "count": 0}
    footnote_tail(state)


def _notes_side_by_side(tokens: list[Token]) -> list[Token]:
    """The tokens with each note written inside another (indented under it, as its
    second paragraph would be) moved out, after the note that held it. The plugin's
    rule takes a note's words from its start to its end and starts again at a note
    inside it: the outer note's words before it were dropped."""
    flat: list[Token] = []
    open_notes: list[list[Token]] = []
    held: list[Token] = []  # notes found inside the one open at the top
    for token in tokens:
        if token.type == "footnote_reference_open":
            open_notes.append([token])
        elif not open_notes:
            flat.append(token)
        else:
            open_notes[-1].append(token)
            if token.type == "footnote_reference_close":
                note = open_notes.pop()
                if open_notes:
                    held += note
                else:
                    flat += note + held
                    held = []
    return flat


def _references_beside_images(tokens: list[Token]) -> None:
    """A reference written in an image's description (``![a map[^1]](...)``) drawn
    after the image: a description is plain text, where the reference was lost and its
    note's arrow led nowhere."""
    for token in tokens:
        if not token.children or not any(c.type == "image" for c in token.children):
            continue
        children: list[Token] = []
        for child in token.children:
            children.append(child)
            if child.type == "image" and child.children:
                children += [c for c in child.children if c.type == "footnote_ref"]
                child.children = [c for c in child.children if c.type != "footnote_ref"]
        token.children = children


def note_reference_html(prefix: str, number: int, later: int = 0) -> str:
    """A reference to note ``number`` of a body whose ids start with ``prefix``
    (``note_prefix``): its ``later``-th after the first (0 for the first)."""
    note = f"{prefix}-{number}"
    reference = f"fnref-{note}" + (f"-{later + 1}" if later else "")
    said = escape(gettext("Note %(number)s") % {"number": number})
    return (
        f'<sup><a href="#fn-{note}" id="{reference}" class="footnote-ref" aria-label="{said}"'
        f' rel="noopener">{number}</a></sup>'
    )


def notes_open_html() -> str:
    """What a body's list of notes starts with: its section and heading."""
    heading = escape(gettext("Notes"))
    return f'<section class="footnotes">\n<h2>{heading}</h2>\n<ol>\n'


NOTES_CLOSE = "</ol>\n</section>\n"
NOTE_CLOSE = "</li>\n"


def note_open_html(prefix: str, number: int) -> str:
    """What note ``number`` of a body whose ids start with ``prefix`` starts with."""
    return f'<li id="fn-{prefix}-{number}">'


def note_back_html(prefix: str, number: int, later: int, references: int) -> str:
    """The way back from note ``number`` to its ``later``-th reference (0 for the
    first) of ``references``: an arrow up, which points the same way in a
    right-to-left text, read out as words."""
    if references == 1:
        said = gettext("Back to the text")
    else:
        said = gettext("Back to the text (reference %(number)s of %(count)s)") % {
            "number": later + 1, "count": references
        }  # fmt: skip
    reference = f"fnref-{prefix}-{number}" + (f"-{later + 1}" if later else "")
    attributes = f'class="footnote-backref" aria-label="{escape(said)}" rel="noopener"'
    return f' <a href="#{reference}" {attributes}>↑</a>'


def _note_reference(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    return note_reference_html(env["note_prefix"], meta["id"] + 1, meta.get("subId", 0))


def _notes_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return notes_open_html()


def _notes_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return NOTES_CLOSE


def _note_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return note_open_html(env["note_prefix"], tokens[idx].meta["id"] + 1)


def _note_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return NOTE_CLOSE


def _note_back(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    references = env["footnotes"]["list"][meta["id"]]["count"]
    if not references:
        return ""
    return note_back_html(env["note_prefix"], meta["id"] + 1, meta["subId"], references)


_NOTE_RULES = {
    "footnote_ref": _note_reference, "footnote_block_open": _notes_open,
    "footnote_block_close": _notes_close, "footnote_open": _note_open,
    "footnote_close": _note_close, "footnote_anchor": _note_back,
}  # fmt: skip


def _as_cleaned(state: StateCore) -> None:
    """Tokens written as the sanitizer writes what it keeps: a link with the ``rel``
    it is given, a code block without the language class it drops. The sanitizer then
    finds nothing to change and reads the HTML once, where it read it twice (the second
    time to see that nothing changed), a tenth of rendering a long article."""
    for token in state.tokens:
        if token.type == "fence":
            token.info = ""
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("rel", "noopener")


@lru_cache(maxsize=1)
def _article_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False, **_OPTIONS_OFF})
    md.enable(["table", "strikethrough"])
    # Only [^label] notes: pandoc's inline ^[text] would take "2^[n]" for one.
    md.use(footnote_plugin, inline=False, move_to_end=False)
    md.core.ruler.after("inline", "notes_at_end", _notes_at_end)
    for name, rule in _NOTE_RULES.items():
        md.add_render_rule(name, rule)
    md.core.ruler.after("normalize", "allowed_characters", _allowed_characters)
    md.core.ruler.push("top_heading_as_section", _top_heading_as_section)
    md.core.ruler.push("as_cleaned", _as_cleaned)
    return md


def _clean(html: str, tags: set[str], rel: str) -> str:
    article = tags is ARTICLE_TAGS
    return clean_until_stable(
        html, tags=tags, attributes=_ARTICLE_ATTRIBUTES if article else _ATTRIBUTES,
        allowed_classes=_ARTICLE_CLASSES if article else {}, url_schemes=_URL_SCHEMES,
        link_rel=rel, filter_style_properties=_STYLE_PROPERTIES,
    )  # fmt: skip


# A scheme as a browser reads it: after leading controls and spaces, tabs and line
# breaks anywhere ignored ("java\tscript:" is "javascript:").
_SCHEME = re.compile(r"[\x00-\x20]*([A-Za-z][A-Za-z0-9+.-]*):")


# A cell's alignment, the one declaration a style attribute keeps. nh3 keeps the
# property with any value, ``expression(...)`` and ``url(...)`` too.
_ALIGNMENT = re.compile(r"\s*text-align\s*:\s*(left|right|center|justify|start|end)\s*", re.I)


def _checked_attribute(element: str, attribute: str, value: str) -> str | None:
    """What nh3 lets through unchecked: a ``cite`` address (it checks the schemes of
    ``href`` and ``src`` only) keeps an allowed scheme (or none); a ``style`` keeps
    its text alignment, if it is one of CSS's keywords; an ``id`` is a footnote's or
    its reference's (``_NOTE_ID``), or none."""
    if attribute == "id":
        return value if _NOTE_ID.fullmatch(value) else None
    if attribute == "style":
        kept = [found[1].lower() for d in value.split(";") if (found := _ALIGNMENT.fullmatch(d))]
        return f"text-align:{kept[-1]}" if kept else None
    if attribute != "cite":
        return value
    scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", value))
    return value if scheme is None or scheme.group(1).lower() in _URL_SCHEMES else None


def clean_until_stable(html: str, **rules: Any) -> str:
    """``nh3.clean`` until the output no longer changes (at most three passes).

    Dropping a tag keeps its contents, and what is left can nest in a way a
    browser reads differently (``<li><marquee><li>`` leaves ``<li><li>``, whose
    second ``</li>`` would close the page's own list item). Cleaning the output
    again parses it as a browser would, so the stored HTML is what is shown.

    The sanitizer writes a character reference as the character (``&#11;`` as a
    vertical tab): those HTML forbids are replaced in what it returns.
    """
    rules.setdefault("attribute_filter", _checked_attribute)
    for _ in range(3):
        cleaned = nh3.clean(html, **rules)
        if cleaned == html:
            break
        html = cleaned
    return html_text(cleaned)


def render_comment(text: str) -> str:
    """HTML for a reader's comment; every link gets rel="nofollow ugc"."""
    md, (tokens, env) = _comment_parser(), _read_comment(text)
    html = md.renderer.render(list(tokens), md.options, dict(env))
    return _clean(html, COMMENT_TAGS, "nofollow ugc noopener")


def render_article(
    text: str,
    pictures: Mapping[str, Picture] | None = None,
    *,
    first_on_screen: bool = False,
    slug: str = "",
) -> str:
    """HTML for an article's Markdown body; its images of the library (``pictures``)
    fitted to the reader's screen (``fit_pictures``). Its footnotes' ids are made
    from its ``slug`` (``note_prefix``), their words in the active language."""
    env = {"note_prefix": note_prefix(slug)}
    html = _clean(_article_parser().render(text, env), ARTICLE_TAGS, "noopener")
    return fit_pictures(html, pictures or {}, first_on_screen=first_on_screen)


def sanitize_html(
    html: str, pictures: Mapping[str, Picture] | None = None, *, first_on_screen: bool = False
) -> str:
    """Clean HTML that arrives as HTML (imported WordPress posts). Elements nested
    past ``nesting.NESTING_LIMIT`` lose their tags, not their text: the sanitizer
    takes time in the square of the depth. An image without alt text whose caption or
    link says what it is gets an empty one (``alt_text``)."""
    cleaned = with_empty_alts(_clean(limit_nesting(html), ARTICLE_TAGS, "noopener"))
    return fit_pictures(cleaned, pictures or {}, first_on_screen=first_on_screen)


@dataclass(frozen=True)
class Picture:
    """A library image as a body's ``<img>`` shows it: the size of the file it names,
    and the copies of the picture a browser may fetch in its place, narrowest first,
    each an address and its width in pixels, up to that file (the file alone when it
    has no narrower copy)."""

    width: int
    height: int
    copies: tuple[tuple[str, int], ...]


# The width a body image is drawn at, for a browser choosing among its copies: the
# page's column (44rem inside a 46rem page) or the screen less the page's margins.
# A picture narrower than that is drawn at its own width, and a browser then takes
# the picture itself whatever this says: no copy of it is wider.
BODY_IMAGE_SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"
# The only values these attributes may have, which ``fit_pictures`` writes.
_PICTURE_VALUES = {"sizes": BODY_IMAGE_SIZES, "loading": "lazy", "decoding": "async"}
_PICTURE_ATTRIBUTES = {
    **_ARTICLE_ATTRIBUTES, "img": _ATTRIBUTES["img"] | {"srcset", *_PICTURE_VALUES}
}  # fmt: skip
_IMG_ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
_CANDIDATE_WIDTH = re.compile(r"[1-9][0-9]*w")


def fit_pictures(html: str, pictures: Mapping[str, Picture], *, first_on_screen: bool) -> str:
    """Cleaned HTML whose ``<img>`` showing a library image (``pictures``, by the
    address the body gives) lists the picture's narrower copies (``srcset``, with
    the width it is drawn at), so that a phone fetches one fit for its screen; is
    given the picture's size when it has none, so that the text does not move when
    it arrives; and is decoded aside. Each is fetched only as it nears the screen,
    except the body's first image when ``first_on_screen`` (no lead image above it).
    Other images, another site's, stay as they are.

    The sanitizer runs again, allowing these attributes on ``<img>`` alone, with the
    values written here, and a ``srcset`` only of the library copies ``pictures``
    name: what a body said of them itself was dropped by the first cleaning."""
    if not pictures:
        return html
    addresses = {address for picture in pictures.values() for address, _ in picture.copies}
    order = count()

    def fitted(match: re.Match[str]) -> str:
        first = next(order) == 0
        attributes = {name: unescape(value) for name, value in _IMG_ATTRIBUTE.findall(match[1])}
        picture = pictures.get(attributes.get("src", ""))
        if picture is None:
            return match[0]
        if "width" not in attributes and "height" not in attributes:
            attributes.update(width=str(picture.width), height=str(picture.height))
        if len(picture.copies) > 1:
            attributes["srcset"] = ", ".join(f"{url} {width}w" for url, width in picture.copies)
            attributes["sizes"] = BODY_IMAGE_SIZES
        if not (first and first_on_screen):
            attributes["loading"] = "lazy"
        attributes["decoding"] = "async"
        said = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
        return f"<img{said}>"

    def checked(element: str, attribute: str, value: str) -> str | None:
        if attribute == "srcset":
            candidates = [candidate.split() for candidate in value.split(",")]
            listed = all(
                len(c) == 2 and c[0] in addresses and _CANDIDATE_WIDTH.fullmatch(c[1])
                for c in candidates
            )
            return value if listed else None
        if attribute in _PICTURE_VALUES:
            return value if value == _PICTURE_VALUES[attribute] else None
        return _checked_attribute(element, attribute, value)

    return clean_until_stable(
        IMG_TAG.sub(fitted, html), tags=ARTICLE_TAGS, attributes=_PICTURE_ATTRIBUTES,
        url_schemes=_URL_SCHEMES, link_rel="noopener", filter_style_properties=_STYLE_PROPERTIES,
        attribute_filter=checked, allowed_classes=_ARTICLE_CLASSES,
    )  # fmt: skip


def web_url(url: str) -> str:
    """``url`` if it is an http or https address, else "".

    For addresses no form validated (imported, restored) before they become
    links: never ``javascript:`` or ``data:``, nor an address with no host.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[::1" and the like
        return ""
    named = any(c.isalnum() for c in parts.hostname or "")  # "http://" or "http://-" name nothing
    return url if parts.scheme.lower() in ("http", "https") and named else ""


# An attribute that holds addresses, as nh3 writes it (always double-quoted).
_ADDRESS = re.compile(r'(?<=\s)(href|src|srcset)="([^"]*)"')


def absolute_links(html: str, page: str) -> str:
    """Stored HTML with its links and images made absolute, read from ``page`` (an
    absolute address): a feed reader or a mail program shows it far from the site,
    where a bare path (a quote's link to the comment it quotes) leads nowhere. An
    image's ``srcset`` gets each of its copies' addresses made absolute."""

    def absolute(match: re.Match[str]) -> str:
        if match[1] != "srcset":
            return f'{match[1]}="{urljoin(page, match[2])}"'
        candidates = [candidate.split() for candidate in match[2].split(",")]
        listed = ", ".join(" ".join([urljoin(page, c[0]), *c[1:]]) for c in candidates if c)
        return f'srcset="{listed}"'

    return _ADDRESS.sub(absolute, html)
