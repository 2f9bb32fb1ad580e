"""The answer when the database or Redis does not answer: 503 with Retry-After.

A request that meets a refused or dropped connection (the database restarting, Redis
gone for a moment) is answered ``503 Service Unavailable`` with ``Retry-After``, which
tells readers, API clients, proxies and CDNs (a CDN may keep serving its copy) to try
again shortly, where a ``500`` says the site itself is broken. Django logs it with its
traceback, as "Service Unavailable", so the operator sees which service failed. Any
other error is the usual ``500``.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control

# Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30


def _unavailable_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # the site runs without Redis
        pass
    else:
        errors += [RedisConnectionError, RedisTimeoutError]
    return tuple(errors)


def service_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` is a service the site needs not answering (not a fault of its own)."""
    if not isinstance(exc, _unavailable_errors()):
        return False
    # SQLite reports a missing table or column (a site not migrated) with the same class
    # as a locked or unreachable database: that one is the site's fault, a 500.
    return not str(exc).startswith(("no such table", "no such column"))


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 when the database or Redis did not answer, else Django's 500.

    Called inside the ``except`` block that caught the error, so it can look at it. The
    pages it draws read neither the database nor the cache."""
    from broadsheet.api.responses import PATH_PREFIX, generic_error

    unavailable = service_unavailable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    response: HttpResponse
    if request.path_info.startswith(PATH_PREFIX):  # an error before the API's own view
        response = generic_error(status)
    else:
        page = loader.render_to_string("500.html", {"unavailable": unavailable})
        response = HttpResponse(page, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER)
        patch_cache_control(response, no_store=True)
    return response
