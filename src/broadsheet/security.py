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
