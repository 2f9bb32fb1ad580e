"""The e-mails' words: built when queued, from templates under notifications/mail/,
in the site's language (its site settings') whoever queues them: a reader's request,
a moderator's, or ``broadsheet mail send`` with no request at all."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from broadsheet.conf import conf
from broadsheet.discussion.models import Comment
from broadsheet.markup import absolute_links, html_text, isolated
from broadsheet.newsroom.models import SiteSettings
from broadsheet.notifications import links
from broadsheet.notifications.models import Message

if TYPE_CHECKING:
    from broadsheet.notifications.moderators import Digest, Entry

P = ParamSpec("P")
R = TypeVar("R")


def in_site_language(compose: Callable[P, R]) -> Callable[P, R]:
    """``compose`` writing in the language of the site settings."""

    @wraps(compose)
    def composed(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(SiteSettings.load().language):
            return compose(*args, **kwargs)

    return composed


# The longest subject kept; a longer title is cut with an ellipsis.
SUBJECT_LENGTH = 200
# How much of a waiting comment's text a moderator's e-mail quotes, in characters.
EXCERPT_LENGTH = 300


def one_line(text: str, limit: int = SUBJECT_LENGTH) -> str:
    """Text for a header: on one line (a line break would be refused or start a header),
    without the characters HTML forbids, as the e-mail's body is."""
    text = " ".join(html_text(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _joins_previous(char: str) -> bool:
    """Whether ``char`` belongs to the character before it: a combining mark, a
    joiner, a variation selector, a skin tone, an emoji tag."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char == "\u200d"
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """The start of ``text``, cut with an ellipsis where it is longer, never inside a
    character (a letter and its accents, an emoji and its skin tone stay whole)."""
    if len(text) <= limit:
        return text
    cut = limit
    while cut > 0 and (_joins_previous(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    return text[:cut].rstrip() + "…"


def _headers(stop_url: str) -> dict[str, str]:
    return {
        # RFC 2369 and RFC 8058: mail programs offer an unsubscribe button that POSTs here.
        "List-Unsubscribe": f"<{stop_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # RFC 3834: no out-of-office answers to these.
        "Auto-Submitted": "auto-generated",
    }


def _render(name: str, context: dict[str, Any], *, html: bool) -> tuple[str, str]:
    """The e-mail's text and HTML, which quote names, titles and comments as they are
    stored: without the characters HTML forbids (replaced as a page replaces them)."""
    text = render_to_string(f"notifications/mail/{name}.txt", context)
    page = render_to_string(f"notifications/mail/{name}.html", context) if html else ""
    return html_text(text), html_text(page)


@in_site_language
def confirmation(comment: Comment, email: str, key: str) -> Message:
    site = SiteSettings.load()
    stop_url = links.stop_address_url(key)
    context = {
        "site_name": site.site_name,
        "article_title": comment.article.title,
        "article_url": links.absolute(comment.article.get_absolute_url()),
        "confirm_url": links.confirm_url(key),
        "stop_url": stop_url,
        "days": conf.MAIL_CONFIRM_DAYS,
    }
    text, _ = _render("confirm", context, html=False)
    return Message(
        kind=Message.Kind.CONFIRMATION,
        recipient=email,
        subject=one_line(
            gettext("Confirm e-mail about replies on %(site)s") % {"site": site.site_name}
        ),
        text=text,
        headers=_headers(stop_url),
        comment=comment,
    )


@in_site_language
def reply_notice(parent: Comment, reply: Comment, email: str) -> Message:
    site = SiteSettings.load()
    article = parent.article
    stop_url = links.stop_comment_url(parent.pk)
    reply_url = links.absolute(reply.get_absolute_url())
    context = {
        "site_name": site.site_name,
        "article_title": article.title,
        "replier": reply.author_name,
        "reply": reply,
        "reply_html": absolute_links(reply.body_html, reply_url),
        "parent": parent,
        "reply_url": reply_url,
        "stop_url": stop_url,
        "stop_all_url": links.stop_address_url(links.address_key(email)),
    }
    text, html = _render("reply", context, html=True)
    return Message(
        kind=Message.Kind.REPLY,
        recipient=email,
        subject=one_line(
            gettext("%(name)s replied to your comment on “%(title)s”")
            % {"name": isolated(reply.author_name), "title": isolated(article.title)}
        ),
        text=text,
        html=html,
        headers=_headers(stop_url),
        comment=parent,
        reply=reply,
    )


def _to_moderator(moderator: Any, chose: str) -> dict[str, Any]:
    """What every e-mail to a moderator ends with: why they get it, and how to stop."""
    return {
        "chose": chose,
        "site_name": SiteSettings.load().site_name,
        "notices_url": links.absolute(reverse("notices:choice")),
        "stop_url": links.stop_moderator_url(moderator.pk),
        "queue_url": links.absolute(reverse("moderation:queue")),
    }


@in_site_language
def waiting_notice(entry: Entry, moderator: Any) -> Message:
    """The e-mail, sent at once, about one comment that came to wait."""
    chose = gettext("to be told at once of every comment that waits")
    context = {**_to_moderator(moderator, chose), "entry": entry}
    text, html = _render("waiting", context, html=True)
    comment = entry.comment
    return Message(
        kind=Message.Kind.WAITING,
        recipient=moderator.email,
        subject=one_line(
            gettext("%(why)s: %(name)s on “%(title)s”")
            % {
                "why": entry.why_label,
                "name": isolated(comment.author_name),
                "title": isolated(comment.article.title),
            }
        ),
        text=text,
        html=html,
        headers=_headers(context["stop_url"]),
        comment=comment,
        moderator=moderator,
    )


@in_site_language
def digest(moderator: Any, digest: Digest) -> tuple[str, str, str]:
    """A digest's subject, text and HTML."""
    every = conf.MODERATION_DIGEST_MINUTES
    chose = ngettext(
        "a digest, at most one every %(minutes)s minute",
        "a digest, at most one every %(minutes)s minutes",
        every,
    ) % {"minutes": every}
    context = {**_to_moderator(moderator, chose), "digest": digest}
    text, html = _render("digest", context, html=True)
    waiting = len(digest.listed) + digest.more
    said = ngettext(
        "%(count)s comment waits for review on %(site)s",
        "%(count)s comments wait for review on %(site)s",
        waiting,
    ) % {"count": waiting, "site": context["site_name"]}
    return one_line(said), text, html


def moderator_headers(moderator: Any) -> dict[str, str]:
    return _headers(links.stop_moderator_url(moderator.pk))
