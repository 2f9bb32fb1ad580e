"""Served through ASGI (``broadsheet.asgi``), a reader's answer goes out before the
mail it caused, as under WSGI: Django's ASGI handler runs a request's synchronous
parts (the request-started signal, the view, its commit and the response's close)
in one thread, so the outbox's per-request list holds, and closing the response,
which sends the list, comes after the last body message. That thread ends with the
request, so nothing it opened may be kept."""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from broadsheet.notifications import outbox
from broadsheet.notifications.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def application(monkeypatch) -> Any:
    """The ASGI application, and this process's connections as asgi.py makes them
    (settings were read before it was imported here). What asgi.py sets in the
    environment is undone after, so later tests' subprocesses do not inherit it."""
    monkeypatch.setenv("BROADSHEET_ASGI", "")
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    return importlib.import_module("broadsheet.asgi").application


def call_asgi(application: Any, path: str, payload: dict, events: list[str]) -> None:
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

    # In a thread of its own, as a server runs it: a browser test's event loop may be
    # running in this one.
    failed: list[BaseException] = []

    def serve() -> None:
        try:
            asyncio.run(application(scope, receive, send))
        except BaseException as error:
            failed.append(error)

    server = threading.Thread(target=serve)
    server.start()
    server.join(timeout=60)
    assert not server.is_alive() and not failed, failed


def test_under_asgi_the_confirmation_mail_goes_after_the_answer(
    application, article, smtp, monkeypatch
):
    events: list[str] = []
    send_due = outbox.send_due

    def noting(ids=None, **kwargs):
        counts = send_due(ids, **kwargs)
        if counts["sent"]:
            events.append(f"mail sent: {counts['sent']}")
        return counts

    monkeypatch.setattr(outbox, "send_due", noting)
    before = sessions()
    payload = {"author_name": "Anna", "author_email": "anna@example.org", "body": "Hello",
               "notify_replies": True}  # fmt: skip
    call_asgi(application, f"/api/v1/articles/{article.slug}/comments", payload, events)
    assert events == ["http.response.start", "http.response.body", "mail sent: 1"]
    assert len(smtp.messages) == 1
    assert Message.objects.get().status == Message.Status.SENT
    # The request's thread is gone: what it opened was closed, the sending's connection
    # included, not left for the server to hold (a server process ends soon after its
    # client closes; other tests' sessions may be there before and after).
    for _ in range(50):
        if not sessions() - before:
            break
        time.sleep(0.1)
    assert sessions() - before == set()


def sessions() -> set[int]:
    """The PostgreSQL server processes serving this database, this test's aside; none
    on SQLite, which has no server."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


@pytest.mark.parametrize(("entry", "kept"), [("asgi", "0"), ("wsgi", "60")])
def test_only_the_asgi_entry_keeps_no_connection_between_requests(entry, kept):
    """What asgi.py sets before Django starts, in a fresh process; gunicorn's threads
    (wsgi.py) last, and keep theirs for a minute."""
    code = (
        f"import broadsheet.{entry}; from django.conf import settings; "
        "print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split()[-1] == kept
