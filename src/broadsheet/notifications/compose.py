"""The e-mails' words: built when queued, from templates under notifications/mail/."""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string

from broadsheet.conf import conf
from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import SiteSettings
from broadsheet.notifications import links
from broadsheet.notifications.models import Message

# The longest subject kept; a longer title is cut with an ellipsis.
SUBJECT_LENGTH = 200


def one_line(text: str, limit: int = SUBJECT_LENGTH) -> str:
    """Text for a header: on one line (a line break would be refused or start a header)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_SITE_PATH = re.compile(r'\b(href|src)="/(?!/)')


def absolute_links(html: str) -> str:
    """A comment's stored HTML with its links to the site's own pages (a quote's link to
    the comment it quotes) made absolute: in an e-mail a bare path leads nowhere."""
    return _SITE_PATH.sub(lambda m: f'{m[1]}="{links.site_url()}/', html)


def _headers(stop_url: str) -> dict[str, str]:
    return {
        # RFC 2369 and RFC 8058: mail programs offer an unsubscribe button that POSTs here.
        "List-Unsubscribe": f"<{stop_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # RFC 3834: no out-of-office answers to these.
        "Auto-Submitted": "auto-generated",
    }


def _render(name: str, context: dict[str, Any], *, html: bool) -> tuple[str, str]:
    text = render_to_string(f"notifications/mail/{name}.txt", context)
    page = render_to_string(f"notifications/mail/{name}.html", context) if html else ""
    return text, page


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
        subject=one_line(f"Confirm e-mail about replies on {site.site_name}"),
        text=text,
        headers=_headers(stop_url),
        comment=comment,
    )


def reply_notice(parent: Comment, reply: Comment, email: str) -> Message:
    site = SiteSettings.load()
    article = parent.article
    stop_url = links.stop_comment_url(parent.pk)
    context = {
        "site_name": site.site_name,
        "article_title": article.title,
        "replier": reply.author_name,
        "reply": reply,
        "reply_html": absolute_links(reply.body_html),
        "parent": parent,
        "reply_url": links.absolute(reply.get_absolute_url()),
        "stop_url": stop_url,
        "stop_all_url": links.stop_address_url(links.address_key(email)),
    }
    text, html = _render("reply", context, html=True)
    return Message(
        kind=Message.Kind.REPLY,
        recipient=email,
        subject=one_line(f"{reply.author_name} replied to your comment on “{article.title}”"),
        text=text,
        html=html,
        headers=_headers(stop_url),
        comment=parent,
        reply=reply,
    )
