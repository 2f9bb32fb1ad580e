"""Sending what the outbox holds.

A message is queued in the transaction that caused it and sent once that commits:
after the answer to the request has gone out when a request caused it (so a slow
or absent SMTP server never delays a reader or a moderator), at once otherwise.
One that cannot be sent waits, with a growing pause, for ``broadsheet mail send``;
after MAIL_MAX_ATTEMPTS tries it is given up, with a log line.

A moderator's digest is written to the outbox with the time it is due, and sent by
``broadsheet mail send`` (cron), or after any request once it is due: each process
looks for due digests at most once every ``DIGEST_LOOK`` after a request.

Several app servers may send at once: a sender claims a row with one conditional
UPDATE (free, or its claim expired), which one sender alone can win, on SQLite and
PostgreSQL alike, with no lock held while the SMTP server is talked to.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import threading
import time
from collections import Counter
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from broadsheet.conf import conf
from broadsheet.discussion.models import Comment
from broadsheet.notifications import moderators
from broadsheet.notifications.links import address_keys
from broadsheet.notifications.models import Address, DigestItem, Message, Subscription

logger = logging.getLogger(__name__)

# How long a sender holds a message it claimed before another may take it (should it
# die between sending and marking the message sent, the message is sent twice).
CLAIM = timedelta(minutes=10)
# The longest pause between two attempts at one message.
LONGEST_WAIT = timedelta(hours=6)
# Messages one call sends at most; `broadsheet mail send` calls until none is left.
BATCH = 100
# How often, at most, a process looks for due digests after a request (seconds).
DIGEST_LOOK = 60.0

_request = threading.local()
_next_digest_look = 0.0


def queue(message: Message) -> Message:
    """Store ``message`` (in the caller's transaction) and send it after commit."""
    message.save()
    pk = message.pk
    transaction.on_commit(lambda: _committed(pk))
    return message


def _committed(pk: int) -> None:
    waiting = getattr(_request, "waiting", None)
    if waiting is not None:
        waiting.append(pk)
    else:
        _send_quietly([pk])


def request_started(**kwargs: Any) -> None:
    _request.waiting = []


def request_finished(**kwargs: Any) -> None:
    """Django sends this once the server has written the answer out."""
    waiting, _request.waiting = getattr(_request, "waiting", None), None
    looked = False
    if waiting:
        _send_quietly(waiting)
        looked = True
    global _next_digest_look
    if time.monotonic() >= _next_digest_look:
        # Set first: another thread of this process need not look as well.
        _next_digest_look = time.monotonic() + DIGEST_LOOK
        _send_quietly(None, kind=Message.Kind.DIGEST)
        looked = True
    if looked:
        _close_connections()


def _close_connections() -> None:
    """Close what the sending opened, as Django closed the request's connections just
    before (CONN_MAX_AGE): left open, it would idle until the thread's next request,
    or for good under ASGI, which gives each request a thread of its own. A connection
    inside a transaction (a test's) is left alone."""
    for database in connections.all(initialized_only=True):
        if not database.in_atomic_block:
            database.close_if_unusable_or_obsolete()


def _send_quietly(ids: list[int] | None, kind: str | None = None) -> None:
    # Whatever goes wrong, the messages stay queued for `broadsheet mail send`: it must
    # never turn a stored comment or a moderator's decision into an error page.
    try:
        send_due(ids, kind=kind)
    except Exception:
        logger.exception("Could not send queued e-mail %s; it stays queued.", ids or kind)


def is_due(now: Any, *, retry_now: bool) -> Q:
    """Queued messages to try now: those whose time has come, and with ``retry_now``
    also those pausing after a failure (never a digest before it is due)."""
    due = Q(not_before__lte=now)
    return due | Q(attempts__gt=0) if retry_now else due


def send_due(
    ids: Iterable[int] | None = None, *, retry_now: bool = False, kind: str | None = None
) -> Counter[str]:
    """Send queued messages that are due (only ``ids``, or of ``kind``, when given); returns
    counts by outcome: sent, failed (to be tried again), given up, dropped (no longer
    wanted)."""
    now = timezone.now()
    due = Message.objects.filter(is_due(now, retry_now=retry_now), status=Message.Status.QUEUED)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    if kind is not None:
        due = due.filter(kind=kind)
    counts: Counter[str] = Counter()
    connection = None
    try:
        for pk in list(due.order_by("not_before", "id").values_list("pk", flat=True)[:BATCH]):
            message = _claim(pk, retry_now=retry_now)
            if message is None:
                continue  # another sender has it
            if not _still_wanted(message):
                message.delete()
                counts["dropped"] += 1
                continue
            try:
                if connection is None:
                    connection = get_connection(timeout=conf.MAIL_TIMEOUT_SECONDS)
                    connection.open()
                connection.send_messages([_email(message, connection)])
            except (smtplib.SMTPException, OSError) as exc:
                counts[_failed(message, exc)] += 1
                if not isinstance(exc, smtplib.SMTPRecipientsRefused):
                    break  # the server is down or refuses us: the rest would fare no better
            else:
                _sent(message)
                counts["sent"] += 1
    finally:
        if connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                connection.close()
    return counts


def _claim(pk: int, *, retry_now: bool) -> Message | None:
    now = timezone.now()
    free = (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)) & is_due(
        now, retry_now=retry_now
    )
    claimed = Message.objects.filter(free, pk=pk, status=Message.Status.QUEUED).update(
        claimed_until=now + CLAIM, attempts=F("attempts") + 1
    )
    return Message.objects.filter(pk=pk).first() if claimed else None


def _still_wanted(message: Message) -> bool:
    """Whether the message should still go: its address did not stop mail meanwhile (nor,
    for a confirmation, confirm already), and for a notice the reply is still shown and
    its author still wants replies to the comment. A moderator's e-mail is asked
    ``moderators.ready``, which also writes a digest."""
    if message.kind in moderators.KINDS:
        return moderators.ready(message)
    status = Address.objects.status_of(address_keys(message.recipient))
    if message.kind == Message.Kind.CONFIRMATION:
        return status == Address.Status.UNCONFIRMED
    return (
        status == Address.Status.CONFIRMED
        and message.comment_id is not None
        and Subscription.objects.filter(comment_id=message.comment_id).exists()
        and Comment.objects.filter(
            pk=message.reply_id or 0, status=Comment.Status.APPROVED
        ).exists()
    )


def _email(message: Message, connection: Any) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers=message.headers,
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    return email


def _sent(message: Message) -> None:
    # The address and the words are not kept: the row stays so that a reply is
    # never announced twice. Nor is what a digest listed.
    DigestItem.objects.filter(message=message.pk).delete()
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
        recipient="",
        text="",
        html="",
        headers={},
    )


def _failed(message: Message, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:500]
    if message.attempts >= conf.MAIL_MAX_ATTEMPTS:
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.FAILED, claimed_until=None, last_error=error
        )
        logger.error(
            "Gave up e-mail #%s (%s) after %s attempts: %s",
            message.pk, message.get_kind_display().lower(), message.attempts, error,
        )  # fmt: skip
        return "given up"
    wait = min(timedelta(minutes=2**message.attempts), LONGEST_WAIT)
    Message.objects.filter(pk=message.pk).update(
        not_before=timezone.now() + wait, claimed_until=None, last_error=error
    )
    logger.warning(
        "Could not send e-mail #%s (attempt %s of %s), trying again after %s minutes: %s",
        message.pk, message.attempts, conf.MAIL_MAX_ATTEMPTS, int(wait.total_seconds() // 60),
        error,
    )  # fmt: skip
    return "failed"
