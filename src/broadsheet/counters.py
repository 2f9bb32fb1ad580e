"""Counters in the shared cache, one per key and fixed time window: rate limits that
every app server sees alike (Redis, or the database cache).

They live in the ``counters`` cache, not the pages' ``default`` one: on the database,
a full cache table is culled by key order, which would forget live counters."""

from __future__ import annotations

import time

from django.core.cache import BaseCache, caches
from django.db import transaction

from broadsheet.conf import conf


def counters() -> BaseCache:
    """The cache counters and other short-lived markers live in (settings.CACHES)."""
    return caches["counters"]


def limits_on() -> bool:
    """``BROADSHEET_RATE_LIMIT=off`` turns every rate limit off (benchmarks only)."""
    return str(conf.RATE_LIMIT).lower() != "off"


def _window(key: str, window: int) -> tuple[str, int, int]:
    now = int(time.time())
    start = now - now % window
    return f"bs:rate:{key}:{window}:{start}", start + window - now, window + 5


def count_hit(key: str, limit: int, window: int) -> int | None:
    """Count one event against ``key`` in the current window of ``window`` seconds; the
    seconds to wait when that makes more than ``limit``."""
    counter, left, timeout = _window(key, window)
    # add() then incr() is atomic on Redis. The database cache's incr() is a read
    # then a write: in one transaction, SQLite's BEGIN IMMEDIATE serialises it;
    # on PostgreSQL two events in the same instant may still count once (use Redis).
    cache = counters()
    with transaction.atomic():
        cache.add(counter, 0, timeout=timeout)
        try:
            hits = cache.incr(counter)
        except ValueError:
            cache.set(counter, 1, timeout=timeout)
            hits = 1
    return max(1, left) if hits > limit else None


def wait_if_spent(key: str, limit: int, window: int) -> int | None:
    """The seconds to wait when ``key`` already has ``limit`` events in the current
    window, without counting one."""
    counter, left, _timeout = _window(key, window)
    return max(1, left) if (counters().get(counter) or 0) >= limit else None


def forget(key: str, window: int) -> None:
    """Clear ``key``'s count in the current window."""
    counters().delete(_window(key, window)[0])
