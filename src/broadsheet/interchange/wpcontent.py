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

import lxml.html
import nh3

from broadsheet.markup import clean_until_stable

_MORE = re.compile(r"<!--more(?:\s[^>]*?)?-->|<!--noteaser-->", re.IGNORECASE)

# [name attrs]inner[/name], [name attrs /] or [name attrs]; [[name]] is an escaped one.
# WordPress.com also writes [name=value] ("[youtube=https://…]").
_SHORTCODE = re.compile(
    r"\[(\[?)([A-Za-z][\w-]*)((?:=[^\]\s]+|\s+[^\]]*?)?)\s*(/?)\](?:(.*?)\[/\2\])?(\]?)",
    re.DOTALL,
)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
# Attributes and nothing else ("=value", or name=value pairs): how a plugin's shortcode reads.
_WIDGET_ATTRIBUTES = re.compile(r"""=\S+|(?:[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"']+)\s*)+""")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
# Shortcodes that only show media Broadsheet did not import: dropped whole.
_MEDIA_ONLY = {"gallery", "playlist", "wp_caption_gallery"}
# Shortcodes that embed something from elsewhere: they become a link to it. A bare
# video id ("[youtube dQw4w9WgXcQ]") becomes that site's address for it.
_LINKED = {
    "embed", "audio", "video", "youtube", "vimeo", "dailymotion", "soundcloud", "wpvideo",
    "ted", "spotify", "twitter", "instagram", "gist",
}  # fmt: skip
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

_BLOCK = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tr|td|th|figure|"
    r"hr|dl|dd|dt|form|fieldset|address|section|article|aside|header|footer|nav|"
    r"details|iframe|object|!--)[\s/>]",
    re.IGNORECASE,
)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.IGNORECASE | re.DOTALL)


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


def _shortcode(match: re.Match) -> str:
    open_escape, name, raw_attrs, self_closing, inner, close_escape = match.groups()
    if open_escape and close_escape:  # [[caption]] shows as [caption]
        return match.group(0)[1:-1]
    if open_escape or close_escape:
        return match.group(0)
    lowered = name.lower()
    inner = inner or ""
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
    if match.group(5) is None:
        # Enclosing nothing: a plugin's widget ([contact-form-7 id="4"], written
        # with name=value attributes only, or closed with "/") shows nothing
        # without its plugin. Anything else stays as written, as WordPress shows
        # a shortcode no plugin registered: brackets in code and quotations
        # ("buf[len + 1]", "[They] said", "[master 6d6f696]") are not shortcodes.
        if self_closing or _WIDGET_ATTRIBUTES.fullmatch(raw_attrs.strip()):
            return ""
        return match.group(0)
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

    def replace(match: re.Match) -> str:
        _, _name, raw_attrs, self_closing, inner, _ = match.groups()
        if inner is None and not raw_attrs.strip() and not self_closing:
            if match.group(1) and match.group(6):
                return match.group(0)[1:-1]
            return match.group(0)
        return _shortcode(match)

    return _SHORTCODE.sub(replace, content)


def autop(text: str) -> str:
    """Blank lines make paragraphs and single newlines line breaks, as WordPress shows them.

    Blocks that already are HTML blocks (the block editor writes its own
    ``<p>``), and ``<pre>`` contents, are left as they are.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    pieces = _PRE.split(text)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(piece)
            continue
        for chunk in re.split(r"\n\s*\n", piece):
            chunk = chunk.strip()
            if not chunk:
                continue
            if _BLOCK.match(chunk):
                out.append(chunk)
            else:
                out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def article_html(content: str) -> str:
    """HTML to show for a post's content (sanitized afterwards by the import action)."""
    content = _MORE.sub("", content)
    content = _SCRIPT.sub("", content)
    return autop(expand_shortcodes(content))


_COMMENT_TAGS = {
    "p", "br", "em", "strong", "a", "blockquote", "ul", "ol", "li", "code", "pre",
}  # fmt: skip


def comment_html(content: str) -> str:
    """Safe HTML for a comment imported as HTML (WordPress, Disqus).

    The same tags and link attributes as ``broadsheet.markup.render_comment``
    allows; ``b``/``i`` become ``strong``/``em`` so that nothing is lost.
    """
    content = re.sub(r"<(/?)b(\s[^>]*)?>", r"<\1strong>", content, flags=re.IGNORECASE)
    content = re.sub(r"<(/?)i(\s[^>]*)?>", r"<\1em>", content, flags=re.IGNORECASE)
    rules: dict = {
        "tags": _COMMENT_TAGS,
        "attributes": {"a": {"href", "title"}, "blockquote": {"cite"}},
        "url_schemes": {"http", "https", "mailto"},
        "link_rel": "nofollow ugc noopener",
    }
    cleaned = clean_until_stable(autop(content), **rules)
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
