"""How often one address may search: the search page and the API's search draw on
the same count (``SEARCHES_PER_MINUTE``)."""

from __future__ import annotations

from django.http import HttpRequest

from broadsheet.conf import conf
from broadsheet.counters import count_hit, limits_on
from broadsheet.moderation.identity import keyed_hash, normal_ip


def wait(request: HttpRequest) -> int | None:
    """Seconds this caller's address must wait, when it has searched too often; the
    search is counted otherwise."""
    limit = conf.SEARCHES_PER_MINUTE
    if not limits_on() or not limit:
        return None
    address = normal_ip(request.META.get("REMOTE_ADDR") or "unknown")
    return count_hit(keyed_hash("search", address)[:32], limit, 60)
