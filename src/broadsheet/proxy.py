"""The reader's address behind reverse proxies.

Behind a proxy (``BROADSHEET_BEHIND_PROXY``), ``REMOTE_ADDR`` is the proxy's address:
every reader would share one rate limit, one IP block and one report. Each proxy
appends the address it got the request from to ``X-Forwarded-For``, so with N
proxies in front of the site (``BROADSHEET_PROXIES``, default 1) the reader's address
is the Nth from the right. Anything left of it was written by the client and is never
trusted, so a reader cannot choose the address its limits are counted under.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def forwarded_address(header: str, proxies: int) -> str | None:
    """The address ``proxies`` hops from the right of an ``X-Forwarded-For`` value."""
    hops = [hop.strip() for hop in header.split(",")]
    if proxies < 1 or len(hops) < proxies:
        return None
    hop = hops[-proxies]
    # Some proxies write the port too: "198.51.100.7:5123", "[2001:db8::1]:443".
    if hop.startswith("["):
        hop = hop[1:].split("]", 1)[0]
    elif hop.count(":") == 1:
        hop = hop.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return None


class ForwardedForMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.BROADSHEET_BEHIND_PROXY:
            header = request.META.get("HTTP_X_FORWARDED_FOR", "")
            address = forwarded_address(header, settings.BROADSHEET_PROXIES) if header else None
            if address is not None:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
