"""A real SMTP server on loopback (aiosmtpd), and readers posting through the web form."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from broadsheet.discussion.forms import form_stamp
from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Mailbox:
    """What the SMTP server received, parsed as a mail program would."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [
            m for m, rcpt in zip(self.messages, self.recipients, strict=True) if address in rcpt
        ]


def point_django_at(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Broadsheet <news@example.org>"
    settings.BROADSHEET_MAIL_TIMEOUT_SECONDS = 5


def start_server(port: int) -> tuple[Controller, Mailbox]:
    mailbox = Mailbox(port=port)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, mailbox


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    port = free_port()
    point_django_at(settings, port)
    controller, mailbox = start_server(port)
    yield mailbox
    controller.stop()


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
