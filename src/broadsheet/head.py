"""An answer to HEAD carries the headers GET would get, and no body.

Django answers HEAD by running the GET view and leaves dropping the body to the
web server. Gunicorn drops it, but logs "WSGI app sent body bytes on a no-body
response" for every such answer, so the body is dropped here, in the outermost
middleware, once every other one has seen the whole answer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase


class HeadWithoutBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            # Iterators are closed with the answer (their files, their queries).
            response.streaming_content = []  # type: ignore[attr-defined]
        elif isinstance(response, HttpResponse):
            if "Content-Length" not in response:
                response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
