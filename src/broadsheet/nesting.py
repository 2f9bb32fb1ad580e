"""How deep imported HTML may nest, limited before it is sanitized.

The sanitizer's parser (html5ever, inside nh3) walks its stack of open elements
for many of the tags it reads, so HTML nested n deep takes time in n squared to
clean: 32,000 nested quotes took 3.7 s and 100,000 over two minutes, while an
import held the database's write lock. Such HTML only comes in import files
(WXR, Disqus, JSON backups): readers write Markdown, whose nesting is capped.

``limit_nesting`` reads the HTML once, keeping a stack of open elements as that
parser would, and drops each start tag that would open an element deeper than
the limit, with the end tag that closes it. Every word is kept. It only removes
tags before the sanitizer runs, so it lets nothing through that the sanitizer
would stop; HTML within the limit comes back unchanged.

Where the parser's rules are involved (implied end tags, misnested formatting,
tables, SVG) the stack here errs on the deep side: it may count an element the
parser has closed, never miss one the parser keeps open, so the parser's own
stack stays within a small multiple of the limit.
"""

from __future__ import annotations

import re
import string
from collections import Counter


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Deeper than any real comment or article goes: a reader's Markdown is refused past
# 40 levels of quotes and lists (markup.COMMENT_NESTING), and WordPress themes and
# editors nest a post's HTML a few dozen levels at most. Past 100 the elements add
# no structure a reader could see, and the parser's cost per tag stays small.
NESTING_LIMIT = 100

# Elements with no content: never open.
_VOID = _names(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta "
    "param source track wbr"
)
# Their text runs to their own end tag; tags in it are text.
_RAW_TEXT = _names("script style xmp iframe noembed noframes textarea title")
# Start tags the parser ignores in a fragment.
_IGNORED = _names("html head body frameset")
# Formatting elements: closed by another element's end tag, the parser opens them
# again at the next text, so they count until their own end tag comes.
_FORMATTING = _names("a b big code em font i nobr s small strike strong tt u")
# Closing one of these forgets the formatting left open inside it.
_MARKERS = _names("applet caption marquee object td th template")
_HEADINGS = _names("h1 h2 h3 h4 h5 h6")
# The parser's "special" elements (those of MathML and SVG named with "^", as
# foreign elements are kept here); an end tag of another kind stops at one.
_SPECIAL = _names(
    "address applet area article aside base basefont bgsound blockquote body br button "
    "caption center col colgroup dd details dialog dir div dl dt embed fieldset figcaption "
    "figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe "
    "img input keygen li link listing main marquee menu meta nav noembed noframes noscript "
    "object ol p param plaintext pre script search section select source style summary "
    "table tbody td template textarea tfoot th thead title tr track ul wbr xmp "
    "^mi ^mo ^mn ^ms ^mtext ^annotation-xml ^foreignobject ^desc ^title"
)
_SCOPE = _names(
    "applet caption html table td th marquee object template "
    "^mi ^mo ^mn ^ms ^mtext ^annotation-xml ^foreignobject ^desc ^title"
)
_LIST_SCOPE = _SCOPE | {"ol", "ul"}
_BUTTON_SCOPE = _SCOPE | {"button"}
_TABLE_SCOPE = frozenset({"html", "table", "template"})
_TABLE_PARTS = _names("caption col colgroup table tbody td tfoot th thead tr")
# Start tags that close an open <p> first.
_CLOSE_P = _names(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 "
    "h5 h6 pre listing form table hr xmp li dd dt plaintext"
)
# HTML start tags that end SVG or MathML content.
_BREAKOUT = _names(
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr "
    "i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup "
    "table tt u ul var"
)
_INTEGRATION = _names("^mi ^mo ^mn ^ms ^mtext ^foreignobject ^desc ^title")

# A start or end tag as the tokenizer reads it: quotes count only around a value.
_TAG = re.compile(
    r"<(/?)([A-Za-z][^\t\n\f\r />]*)"
    r"(?>[\t\n\f\r ]+|/(?!>)|[^\t\n\f\r />][^\t\n\f\r /=>]*+"
    r"(?>[\t\n\f\r ]*=[\t\n\f\r ]*(?>\"[^\"]*\"|'[^']*'|[^\t\n\f\r >]*))?)*+"
    r"(/?)>"
)
_FONT_BREAKOUT = re.compile(r"[\t\n\f\r /](?:color|face|size)[\t\n\f\r /=>]", re.IGNORECASE)
_COMMENT_END = re.compile(r"--!?>")
_LETTERS = frozenset(string.ascii_letters)


def _past(found: int, length: int) -> int:
    """Where a closing sequence ``found`` (-1: nowhere) ends."""
    return found + length if found >= 0 else -1


def limit_nesting(html: str, limit: int = NESTING_LIMIT) -> str:
    """``html`` with the tags that would nest elements deeper than ``limit`` taken
    out, their text kept; in time linear in its length."""
    if html.count("<") < limit:
        return html  # too few tags to nest that deep
    return _Limiter(html, limit).run()


class _Limiter:
    """One pass over ``html``: the parser's stack of open elements, as far as depth goes."""

    def __init__(self, html: str, limit: int) -> None:
        self.html, self.limit = html, limit
        self.stack: list[str] = []  # open elements, foreign ones as "^name"
        self.open: Counter[str] = Counter()
        self.dropped: list[str] = []  # elements opened past the limit, innermost last
        self.dropped_open: Counter[str] = Counter()
        self.leaked: Counter[str] = Counter()  # formatting closed by another's end tag
        self.saved: list[Counter[str]] = []  # ``leaked`` as each open marker found it
        self.kept: list[str] = []

    def run(self) -> str:
        html, done, pos = self.html, 0, 0
        while (start := html.find("<", pos)) >= 0:
            end, instead = self._markup(start)
            if end < 0:  # the rest is text, a comment, or a tag the tokenizer never ends
                break
            if instead is not None:
                self.kept += [html[done:start], instead]
                done = end
            pos = end
        self.kept.append(html[done:])
        return "".join(self.kept)

    def _markup(self, start: int) -> tuple[int, str | None]:
        """Where the markup at ``start`` ends (-1: it runs to the end; start + 1: the
        "<" is text), read as the parser's tokenizer reads it, and what to write
        instead of it (None: itself)."""
        html = self.html
        after = html[start + 1 : start + 3]
        if after[:1] in _LETTERS or (after[:1] == "/" and after[1:] in _LETTERS):
            tag = _TAG.match(html, start)
            if tag is None:
                return -1, None  # a tag never closed: the tokenizer drops the rest
            if tag[1]:
                return tag.end(), None if self._end(tag[2].lower()) else ""
            return self._start(tag[2].lower(), tag)
        if html.startswith("<!--", start):
            if html.startswith((">", "->"), start + 4):  # "<!-->" and "<!--->" are whole
                return html.index(">", start + 4) + 1, None
            ending = _COMMENT_END.search(html, start + 4)
            return (ending.end() if ending else -1), None
        if html.startswith("<![CDATA[", start) and self._foreign():
            return _past(html.find("]]>", start + 9), 3), None
        if after[:1] in ("!", "?") or (after[:1] == "/" and after[1:]):
            return _past(html.find(">", start + 2), 1), None  # a bogus comment, or "</>"
        return start + 1, None  # "a < b", or "</" at the very end

    # Start tags

    def _foreign(self) -> bool:
        return bool(self.stack) and self.stack[-1][0] == "^"

    def _in_foreign_content(self) -> bool:
        return self._foreign() and self.stack[-1] not in _INTEGRATION

    def _start(self, name: str, tag: re.Match) -> tuple[int, str | None]:
        """Apply the start tag ``name``: where it ends (with the text of an element
        that holds only text) and what to write instead of it (None: itself)."""
        end, broke_out = tag.end(), False
        if self._in_foreign_content():
            if name not in _BREAKOUT and not (name == "font" and _FONT_BREAKOUT.search(tag[0])):
                return end, None if tag[3] else self._opened("^" + name)
            self._break_out()
            broke_out = True
        if name in _IGNORED or name in _VOID:
            return end, None
        if name == "plaintext":
            return -1, None  # everything after it is text
        if name in _RAW_TEXT:
            return self._raw_text(name, end), None  # nothing in it stays open
        if name in ("svg", "math"):
            return end, None if tag[3] else self._opened("^" + name)
        if not self.dropped and not (name in _FORMATTING and self._over_budget()):
            self._close_implied(name)
        instead = self._opened(name)
        if instead is None or not broke_out:
            return end, instead
        # Left out, the tag would leave the text after it in SVG or MathML, where the
        # sanitizer drops text: an empty element that ends them takes its place.
        return end, "<span></span>"

    def _break_out(self) -> None:
        """An HTML tag in SVG or MathML closes it."""
        while self._in_foreign_content():
            self._pop_to(len(self.stack) - 1)

    def _raw_text(self, name: str, end: int) -> int:
        """Where the element that starts at ``end`` with its text ends (-1: at the end)."""
        closing = re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE).search(self.html, end)
        if closing is None:
            return -1
        tag = _TAG.match(self.html, closing.start())
        return tag.end() if tag else -1

    def _close_implied(self, name: str) -> None:
        """Close what the parser closes before opening ``name``."""
        if name == "li":
            self._close_item({"li"})
        elif name in ("dd", "dt"):
            self._close_item({"dd", "dt"})
        if name in _CLOSE_P:
            self._close_in_scope({"p"}, _BUTTON_SCOPE)
        if name in _HEADINGS and self.stack and self.stack[-1] in _HEADINGS:
            self._pop_to(len(self.stack) - 1)
        elif name in _TABLE_PARTS and name != "table":
            # A new row, cell or section of a table ends the cell or caption it is in.
            self._close_in_scope({"td", "th", "caption"}, _TABLE_SCOPE)
        if name == "tr":
            self._close_in_scope({"tr"}, _TABLE_SCOPE | {"tbody", "thead", "tfoot"})
        elif name in ("tbody", "thead", "tfoot"):
            self._close_in_scope({"tbody", "thead", "tfoot"}, _TABLE_SCOPE)
        elif name in ("option", "optgroup") and self.stack and self.stack[-1] == "option":
            self._pop_to(len(self.stack) - 1)
        elif name == "button":
            self._close_in_scope({"button"}, _SCOPE)
        elif name in ("a", "nobr") and self.open[name]:
            self._end_formatting(name)

    def _close_item(self, names: set[str]) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            node = self.stack[i]
            if node in names:
                self._pop_to(i)
                return
            if node in _SPECIAL and node not in ("address", "div", "p"):
                return

    def _over_budget(self) -> bool:
        """Whether a formatting element would go past the limit: the parser may open
        again, around it, those closed by another element's end tag."""
        return len(self.stack) + self.leaked.total() >= self.limit

    def _opened(self, name: str) -> str | None:
        """Open ``name`` if it fits under the limit: None, its tag is kept; else "",
        its tag is dropped."""
        if self.dropped or len(self.stack) >= self.limit:
            # Open past the limit: everything in it is dropped, up to its end tag.
            # The parser never sees it, so its namespace no longer matters.
            self.dropped.append(name.lstrip("^"))
            self.dropped_open[name.lstrip("^")] += 1
            return ""
        if name in _FORMATTING and self._over_budget():
            return ""  # only its own tag: its end tag will find nothing to close
        self.stack.append(name)
        self.open[name] += 1
        if name in _MARKERS:
            self.saved.append(self.leaked.copy())
        return None

    # End tags

    def _end(self, name: str) -> bool:
        """Apply the end tag ``name``; whether it is kept."""
        if self.dropped_open[name]:
            while (node := self.dropped.pop()) != name:
                self.dropped_open[node] -= 1
            self.dropped_open[name] -= 1
            return False
        if self._foreign():
            for i in range(len(self.stack) - 1, -1, -1):
                node = self.stack[i]
                if node == "^" + name:
                    self._pop_to(i)
                    return True
                if node[0] != "^":
                    break
        if not self.open[name]:
            if self.leaked[name]:
                self.leaked[name] -= 1  # the parser closes the one it opened again
            return True
        if self.open["select"] and name not in ("select", "option", "optgroup"):
            return True  # the parser ignores it in a <select>
        if name in _FORMATTING:
            self._end_formatting(name)
        elif name == "form":
            self._remove_in_scope("form")
        elif name in _HEADINGS:
            self._close_in_scope(_HEADINGS, _SCOPE)
        elif name in _TABLE_PARTS:
            self._close_in_scope({name}, _TABLE_SCOPE)
        elif name == "li":
            self._close_in_scope({name}, _LIST_SCOPE)
        elif name == "p":
            self._close_in_scope({name}, _BUTTON_SCOPE)
        elif name in _SPECIAL:
            self._close_in_scope({name}, _SCOPE)
        else:
            self._close_in_scope({name}, _SPECIAL)
        return True

    def _close_in_scope(self, names: set[str] | frozenset[str], bounds: frozenset[str]) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            node = self.stack[i]
            if node in names:
                self._pop_to(i)
                return
            if node in bounds:
                return

    def _end_formatting(self, name: str) -> None:
        """The parser's "adoption agency": an element opened inside the formatting
        element and still open outside it stays open (counted as it was)."""
        special = False
        for i in range(len(self.stack) - 1, -1, -1):
            node = self.stack[i]
            if node == name:
                if special:
                    del self.stack[i]
                    self.open[name] -= 1
                else:
                    self._pop_to(i)
                return
            if node in _SCOPE:
                return
            special = special or node in _SPECIAL

    def _remove_in_scope(self, name: str) -> None:
        """``</form>`` removes the form alone; what is open inside it stays open."""
        for i in range(len(self.stack) - 1, -1, -1):
            node = self.stack[i]
            if node == name:
                del self.stack[i]
                self.open[name] -= 1
                return
            if node in _SCOPE:
                return

    def _pop_to(self, index: int) -> None:
        """Close the element at ``index`` and those opened inside it. Formatting
        elements among them stay on the parser's list, to be opened again, until a
        marker that holds them is closed."""
        for node in reversed(self.stack[index + 1 :]):
            self._forget(node, leaked=True)
        self._forget(self.stack[index], leaked=False)
        del self.stack[index:]
        self.dropped.clear()  # they were inside
        self.dropped_open.clear()

    def _forget(self, node: str, *, leaked: bool) -> None:
        self.open[node] -= 1
        if node in _MARKERS:
            self.leaked = self.saved.pop()
        elif leaked and node in _FORMATTING:
            self.leaked[node] += 1
