"""A real SMTP server on loopback (aiosmtpd), and readers posting through the web form."""

from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

from django.test import Client

from broadsheet.discussion.forms import form_stamp
from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article
from tests.mailserver import Mailbox, free_port, point_django_at, start_server

__all__ = ["Mailbox", "free_port", "point_django_at", "start_server"]

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content().replace("\r\n", "\n")  # SMTP carries lines as CRLF


def link_in(message: EmailMessage, start: str) -> str:
    """The path of the first link in the text that starts with ``start`` (a path)."""
    for word in body_of(message).split():
        path = urlsplit(word).path
        if word.startswith("http") and path.startswith(start):
            return path
    raise AssertionError(f"no {start} link in:\n{body_of(message)}")


def web_post(client: Client, article: Article, body: str, **fields) -> Comment:
    data = {"author_name": "Reader", "author_email": "", "body": body, "stamp": form_stamp()}
    data.update(fields)
    response = client.post(f"/article/{article.slug}/comments", data, **ORIGIN)
    if response.status_code != 302:
        errors = re.findall(
            r"(?:errors|alert)[^>]*>(.*?)</(?:div|ul)>", response.content.decode(), re.S
        )
        raise AssertionError(f"{response.status_code}: {errors}")
    return Comment.objects.latest("pk")


def one_click(message: EmailMessage):
    """What a mail program's unsubscribe button does (RFC 8058): POST to the message's
    List-Unsubscribe address, with no session, cookie or CSRF token."""
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
    return Client(enforce_csrf_checks=True).post(
        unsubscribe, "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
