"""Served through ASGI (``broadsheet.asgi``), a reader's answer goes out before the
mail it caused, as under WSGI: Django's ASGI handler runs a request's synchronous
parts (the request-started signal, the view, its commit and the response's close)
in one thread, so the outbox's per-request list holds, and closing the response,
which sends the list, comes after the last body message."""

from __future__ import annotations

import asyncio
import json

import pytest

from broadsheet.asgi import application
from broadsheet.notifications import outbox
from broadsheet.notifications.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def call_asgi(path: str, payload: dict, events: list[str]) -> None:
    """POST ``payload`` as JSON to ``path`` through the ASGI application, noting each
    message it sends to the server in ``events``."""
    body = json.dumps(payload).encode()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    }  # fmt: skip
    delivered = False

    async def receive() -> dict:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: dict) -> None:
        more = message.get("more_body", False)
        events.append(f"{message['type']}{' (more)' if more else ''}")

    asyncio.run(application(scope, receive, send))


def test_under_asgi_the_confirmation_mail_goes_after_the_answer(article, smtp, monkeypatch):
    events: list[str] = []
    send_due = outbox.send_due

    def noting(ids=None, **kwargs):
        counts = send_due(ids, **kwargs)
        if counts["sent"]:
            events.append(f"mail sent: {counts['sent']}")
        return counts

    monkeypatch.setattr(outbox, "send_due", noting)
    payload = {"author_name": "Anna", "author_email": "anna@example.org", "body": "Hello",
               "notify_replies": True}  # fmt: skip
    call_asgi(f"/api/v1/articles/{article.slug}/comments", payload, events)
    assert events == ["http.response.start", "http.response.body", "mail sent: 1"]
    assert len(smtp.messages) == 1
    assert Message.objects.get().status == Message.Status.SENT
