"""Drawing a page of a discussion as HTML.

A long discussion is hundreds of comments, each with a dozen values and
links; through Django's template engine that was most of the cost of an
article page. Here each comment is one ``format_html`` call over stored,
already-sanitized HTML, and every link comes from one ``reverse()`` per page, and
every word from one ``gettext`` per page (``_Words``), in the active language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from broadsheet.discussion.threads import Node
from broadsheet.markup import html_text, web_url
from broadsheet.templatetags.times import machine_time


@dataclass(frozen=True)
class CommentLink:
    """A link under each comment, such as moderation's "Report"."""

    key: str
    url_name: str
    label: str  # in English, marked with gettext_noop: said in the site's language
    rel: str = ""
    # Shown only to a reader who has this permission ("": to everyone). Such a link is
    # drawn only on a page rendered for that reader, never on the shared cached one.
    permission: str = ""
    # Its name for a screen reader, with "%(name)s" for the comment's author ("Report the
    # comment by %(name)s"), marked with gettext_noop; it should hold the label.
    named: str = ""


_EXTRA_LINKS: list[CommentLink] = []
_SENTINEL = 987654321


def register_comment_link(link: CommentLink) -> None:
    """Add a link under every comment a reader can answer (from an AppConfig.ready)."""
    if all(existing.key != link.key for existing in _EXTRA_LINKS):
        _EXTRA_LINKS.append(link)


def _pattern(url_name: str) -> str:
    return reverse(url_name, args=[_SENTINEL]).replace(str(_SENTINEL), "{}")


_COMMENT = (
    '  <article aria-label="<<comment_by>>">\n'
    '    <p class="comment-meta">{number}<span class="author"><bdi>{author}</bdi>'
    '</span>{staff} <<says>> <a class="permalink" href="{permalink}">'
    '<time datetime="{iso}">{human}</time></a>{edited}{reply_to}</p>\n'
    "    {awaiting}"
    '<div class="comment-body" dir="auto">{body}</div>\n'
    '    <p class="comment-actions">{actions}</p>\n'
    "  </article>\n"
)


def _written_in(template: str, **words: str) -> str:
    """A ``format_html`` template with each ``<<name>>`` replaced by ``words[name]``,
    escaped: a comment then costs no more escaping than it did in English alone. A
    word's ``%(name)s`` becomes the template's ``{name}``."""
    for name, word in words.items():
        said = escape(word).replace("{", "{{").replace("}", "}}").replace("%(name)s", "{name}")
        template = template.replace(f"<<{name}>>", said)
    return template


# The links under a comment are named for a screen reader with its author's name, as
# WordPress names its "Reply" links: a list of a page's links read "Reply, Reply, Reply".
# Each name begins with the link's words, so that a reader who says them (voice control)
# still finds the link.
@dataclass(frozen=True)
class _Words:
    """What a discussion says around its comments, in the active language: looked up
    once a page, and written into the templates each comment is drawn with."""

    comment: str  # _COMMENT's template
    reply_link: str
    quote_link: str
    edit_link: str
    delete_link: str
    in_reply_to: str
    edited: SafeString
    staff: SafeString
    awaiting: SafeString
    removed: SafeString
    date_format: str

    @classmethod
    def now(cls) -> _Words:
        return cls(
            comment=_written_in(_COMMENT, says=_("says:"), comment_by=_("Comment by %(name)s")),
            reply_link=_written_in(
                '<a class="reply-link" href="{href}" data-reply="{pk}" data-author="{name}"'
                ' aria-label="<<named>>"><<w>></a>',
                w=_("Reply"),
                named=pgettext("link under a comment, named with its author", "Reply to %(name)s"),
            ),
            quote_link=_written_in(
                '<a class="quote-link" href="{href}?quote=1" data-quote="{pk}"'
                ' aria-label="<<named>>"><<w>></a>',
                w=_("Quote"),
                named=pgettext("link under a comment, named with its author", "Quote %(name)s"),
            ),
            # The reader's own comments: named as theirs, whoever's name they wrote.
            edit_link=_written_in(
                '<a href="{}" aria-label="<<named>>"><<w>></a>',
                w=_("Edit"),
                named=pgettext("link under a comment, named with its author", "Edit your comment"),
            ),
            delete_link=_written_in(
                '<a href="{}" aria-label="<<named>>"><<w>></a>',
                w=pgettext("link under a comment", "Delete"),
                named=pgettext(
                    "link under a comment, named with its author", "Delete your comment"
                ),
            ),
            in_reply_to=_written_in(
                ' <span class="reply-to"><<w>> <a href="#{}"><bdi>{}</bdi></a></span>',
                w=_("in reply to"),
            ),
            edited=format_html(' <span class="edited">{}</span>', _("(edited)")),
            staff=format_html(' <span class="staff">{}</span>', _("Staff")),
            awaiting=format_html(
                '<p class="awaiting"><strong>{}</strong> {}</p>\n    ',
                _("Your comment is awaiting moderation."),
                _("Only you can see it."),
            ),
            removed=format_html(
                '  <p class="comment-removed">{}</p>\n', _("This comment is no longer shown.")
            ),
            # A Django date format: "December 6, 2016 at 2:30 p.m."
            date_format=_(r"F j, Y \a\t g:i a"),
        )


@dataclass
class _Patterns:
    permalink: str
    reply: str
    edit: str
    delete: str
    # The link, its address, its label, and its name's ``format_html`` template ("").
    extra: list[tuple[CommentLink, str, str, str]]
    words: _Words
    notes: Mapping[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, user: Any = None) -> _Patterns:
        return cls(
            permalink=_pattern("discussion:permalink"),
            reply=_pattern("discussion:reply"),
            edit=_pattern("discussion:edit"),
            delete=_pattern("discussion:delete"),
            extra=[
                (
                    link,
                    _pattern(link.url_name),
                    _(link.label),
                    _written_in(' aria-label="<<n>>"', n=_(link.named)) if link.named else "",
                )
                for link in _EXTRA_LINKS
                if not link.permission or (user is not None and user.has_perm(link.permission))
            ],
            words=_Words.now(),
        )


def render_discussion(
    nodes: Iterable[Node],
    *,
    accepts_comments: bool,
    user: Any = None,
    notes: Mapping[int, str] | None = None,
) -> SafeString:
    """The discussion's HTML; ``user``, for a page rendered for one reader only, also
    gets the links their permissions allow (``CommentLink.permission``); ``notes``, for
    such a page too, a line to say under a comment's heading, by the comment's id."""
    patterns = _Patterns.build(user)
    patterns.notes = notes or {}
    parts: list[str] = []
    for node in nodes:
        _render(node, 0, accepts_comments, patterns, parts)
    return mark_safe("".join(parts))  # every piece went through format_html


def _when(value, words: _Words) -> tuple[str, str]:
    local = timezone.localtime(value)
    return machine_time(local), dateformat.format(local, words.date_format)


def _author(comment, name: str) -> str:
    if web_url(comment.author_url):
        return format_html(
            '<a href="{}" rel="nofollow ugc external">{}</a>', html_text(comment.author_url), name
        )
    return format_html("{}", name)


def _actions(node: Node, name: str, accepts: bool, patterns: _Patterns) -> str:
    c = node.comment
    words = patterns.words
    links: list[str] = []
    if accepts and not node.pending:
        reply = patterns.reply.format(c.pk)
        links.append(format_html(words.reply_link, href=reply, pk=c.pk, name=name))
        links.append(format_html(words.quote_link, href=reply, pk=c.pk, name=name))
    # Offered while they can work: after the edit window the links led to a refusal.
    if node.own and c.is_editable():
        links.append(format_html(words.edit_link, patterns.edit.format(c.pk)))
        links.append(format_html(words.delete_link, patterns.delete.format(c.pk)))
    if not node.pending:
        for link, pattern, label, named in patterns.extra:
            rel = format_html(' rel="{}"', link.rel) if link.rel else ""
            links.append(
                format_html(
                    '<a class="{}-link" href="{}"{}{}>{}</a>',
                    link.key,
                    pattern.format(c.pk),
                    rel,
                    format_html(named, name=name) if named else "",
                    label,
                )
            )
    return mark_safe("\n      ".join(links))  # each link went through format_html


def _render(node: Node, level: int, accepts: bool, patterns: _Patterns, out: list[str]) -> None:
    c = node.comment
    words = patterns.words
    classes = f"comment depth-{level}"
    if node.pending:
        classes += " pending"
    if not node.shown:
        classes += " removed"
    out.append(format_html('<li id="{}" class="{}">\n', c.anchor, classes))
    if node.shown:
        # Names are printed without the characters HTML forbids, as all stored text is.
        name = html_text(c.author_name)
        iso, human = _when(c.created_at, words)
        number = format_html('<span class="number">{}.</span> ', node.number) if level == 0 else ""
        edited = words.edited if c.edited_at else ""
        by_staff = getattr(c, "by_staff", False)  # annotated by threads.load_page
        staff = words.staff if by_staff else ""
        reply_to = ""
        if node.reply_to is not None:
            reply_to = format_html(
                words.in_reply_to, node.reply_to.anchor, html_text(node.reply_to.author_name)
            )
        awaiting = words.awaiting if node.pending else ""
        if (note := patterns.notes.get(c.pk)) is not None:
            awaiting = format_html('{}<p class="note" role="status">{}</p>\n    ', awaiting, note)
        out.append(
            format_html(
                words.comment,
                name=name,
                number=number,
                author=_author(c, name),
                staff=staff,
                permalink=patterns.permalink.format(c.pk),
                iso=iso,
                human=human,
                edited=edited,
                reply_to=reply_to,
                awaiting=awaiting,
                # Sanitized by nh3 when the comment was saved.
                body=mark_safe(c.body_html),
                actions=_actions(node, name, accepts, patterns),
            )
        )
    else:
        out.append(words.removed)
    if node.children:
        out.append('  <ol class="children">\n')
        for child in node.children:
            _render(child, level + 1, accepts, patterns, out)
        out.append("  </ol>\n")
    out.append("</li>\n")
