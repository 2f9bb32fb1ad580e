"""The Content-Security-Policy header: what a page may load and run.

Reader text is sanitized when it is saved (``markup``); this is the second
wall. Pages run only Broadsheet's own script files (no inline script anywhere,
the admin's included), embed no plugins, and post forms only to the site.
Images may come from anywhere: imported articles show their original pictures.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecureCookiesOverHttpsMiddleware:
    """Marks every cookie of an answer given over HTTPS ``Secure`` (the session, the CSRF
    token, a reader's ``bs_mine``), so that a browser never sends it over plain HTTP.

    Per request, where Django's ``SESSION_COOKIE_SECURE`` and ``CSRF_COOKIE_SECURE`` are
    one setting for every request: set, they would make signing in over plain HTTP (the
    demo, a server reached through an SSH tunnel) fail without a word. Behind a proxy
    that ends TLS, the request is HTTPS when ``BROADSHEET_BEHIND_PROXY`` is on and the
    proxy says so (``X-Forwarded-Proto``). Listed above the middleware that set cookies,
    so that it sees their answers last."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response


class ContentSecurityPolicyMiddleware:
    """Adds ``settings.CONTENT_SECURITY_POLICY`` to every answer that has none yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
