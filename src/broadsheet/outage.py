"""The answer when the database or Redis does not answer, or nothing can be written:
503 with Retry-After.

A request that meets a refused or dropped connection (the database restarting, Redis
gone for a moment) is answered ``503 Service Unavailable`` with ``Retry-After``, which
tells readers, API clients, proxies and CDNs (a CDN may keep serving its copy) to try
again shortly, where a ``500`` says the site itself is broken. So is a write the disk
refuses: SQLite's file or the media folder on a full or read-only disk, a PostgreSQL
out of space or read-only (a standby). Reads still work then, and the writer is told
that nothing was saved, in its own words, where a ``500`` would leave a reader
wondering whether the comment went in. Django logs it with its traceback, as "Service
Unavailable", so the operator sees which service failed. Any other error is the usual
``500``.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from typing import Literal

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control

# Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30

# A folder or file the site writes refusing the write: the disk is full, over its
# quota or mounted read-only, a file past the size allowed, or not the site's to write
# (the last two, DENIED, are also what a read of a file not the site's to read meets).
DENIED = {errno.EACCES, errno.EPERM}
REFUSED_WRITES = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, *DENIED}
# SQLite's primary codes for the same (an I/O error is what SQLite reports when the
# disk is too full for the shared-memory file it makes on opening the database).
SQLITE_REFUSED = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR}
# PostgreSQL's: disk_full (53100, "could not extend file") and a read-only transaction
# (25006: a standby, or default_transaction_read_only). Not the rest of class 53
# (insufficient resources): out of memory (53200), too many connections (53300) or a
# configured limit reached (53400, temp_file_limit) say nothing of the disk, and are
# the database not answering for now.
POSTGRES_REFUSED = ("53100", "25006")

Reason = Literal["unreachable", "cannot_store"]


class TransactionLost(Exception):
    """SQLite gave up the whole transaction when a write in it met a full disk.

    It does so when the write had to spill pages to the journal mid-transaction (a
    transaction larger than its page cache): the savepoint Django rolls back to is then
    gone too ("no such savepoint"), and any statement after it would run on its own, in
    autocommit, and be kept. Not a ``DatabaseError``, so that no ``except DatabaseError``
    on the way (Django's database cache swallows its own write errors) can go on
    writing: the request ends, as a 503 "nothing was saved" (``cannot_store``)."""


def guard_sqlite_transactions(sender: object, connection, **kwargs: object) -> None:
    """``connection_created``: give every SQLite connection ``_transaction_kept``, once.
    The signal comes each time a thread's connection is made again (after
    ``CONN_MAX_AGE``, or every request under ASGI) and the list of wrappers outlives
    it: added each time, they would nest without end, until a query met Python's
    recursion limit."""
    if connection.vendor == "sqlite" and _transaction_kept not in connection.execute_wrappers:
        connection.execute_wrappers.append(_transaction_kept)


def _transaction_kept(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except DatabaseError as exc:
        database = context["connection"]
        gone = database.in_atomic_block and not database.connection.in_transaction
        if gone and cannot_store(exc):
            raise TransactionLost(str(exc)) from exc
        raise


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # the site runs without Redis
        pass
    else:
        errors += [RedisConnectionError, RedisTimeoutError]
    return tuple(errors)


def cannot_store(exc: BaseException | None) -> bool:
    """Whether ``exc`` is the disk (or the database's) refusing a write: full, read-only."""
    if isinstance(exc, TransactionLost):
        return True
    if isinstance(exc, OSError):
        if exc.errno in DENIED and _unreadable(exc.filename):
            return False  # a read refused: the file is there, not the site's to read
        return exc.errno in REFUSED_WRITES
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__  # the driver's own error, which Django wrapped
    if (code := getattr(cause, "sqlite_errorcode", None)) is not None:
        return code & 0xFF in SQLITE_REFUSED
    return str(getattr(cause, "sqlstate", None) or "").startswith(POSTGRES_REFUSED)


def _unreadable(filename: object) -> bool:
    """Whether ``filename`` names a file this process may not read. A denied write
    names a file it may read (or one not made yet): the error alone does not say which
    of the two was refused."""
    if not isinstance(filename, str | bytes) or not os.path.lexists(filename):
        return False
    return not os.access(filename, os.R_OK)


def unavailable_because(exc: BaseException | None) -> Reason | None:
    """Why ``exc`` is a service the site needs failing (not a fault of its own), or None."""
    if cannot_store(exc):
        return "cannot_store"
    if not isinstance(exc, _unreachable_errors()):
        return None
    # SQLite reports a missing table or column (a site not migrated) with the same class
    # as a locked or unreachable database: that one is the site's fault, a 500.
    if str(exc).startswith(("no such table", "no such column")):
        return None
    return "unreachable"


def service_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` is a service the site needs failing (not a fault of its own)."""
    return unavailable_because(exc) is not None


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 when the database or Redis did not answer or nothing could be
    written, else Django's 500.

    Called inside the ``except`` block that caught the error, so it can look at it. The
    pages it draws read neither the database nor the cache."""
    from broadsheet.api.responses import PATH_PREFIX, generic_error

    reason = unavailable_because(sys.exc_info()[1])
    status = 503 if reason else 500
    response: HttpResponse
    if request.path_info.startswith(PATH_PREFIX):  # an error before the API's own view
        response = generic_error(status, reason=reason)
    else:
        context = {"unavailable": reason, "written": _written(request) if reason else ""}
        response = HttpResponse(loader.render_to_string("500.html", context), status=status)
    if reason:
        response["Retry-After"] = str(RETRY_AFTER)
        patch_cache_control(response, no_store=True)
    return response


def _written(request: HttpRequest) -> str:
    """The text a reader or editor sent in a form that was not saved, given back to
    copy: a browser may not keep it when they go back."""
    if request.method != "POST":
        return ""
    try:
        return request.POST.get("body", "")
    except Exception:  # a body that cannot be read again: there is nothing to give back
        return ""
