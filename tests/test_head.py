"""HEAD gets GET's headers and no body, from the WSGI application itself.

Django's test client drops a HEAD answer's body on its own, so these requests go
to the WSGI application as a server sends them.
"""

from __future__ import annotations

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler

# The handler closes the connection after each request: no test transaction can span it.
pytestmark = pytest.mark.django_db(transaction=True)


def wsgi(method: str, path: str) -> tuple[str, dict[str, str], bytes]:
    environ: dict = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    result = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return answer["status"], answer["headers"], body


@pytest.mark.parametrize("path", ["/", "/article/hello-world/", "/api/v1/openapi.json"])
def test_head_has_gets_headers_and_no_body(article, path):
    status, got, body = wsgi("GET", path)
    assert status.startswith("200") and body
    status, head, body = wsgi("HEAD", path)
    assert status.startswith("200")
    assert body == b""
    assert head["Content-Length"] == str(len(wsgi("GET", path)[2]))
    assert head["Content-Type"] == got["Content-Type"]


def test_head_of_a_missing_page_has_no_body(db):
    status, _, body = wsgi("HEAD", "/no-such-page/")
    assert status.startswith("404") and body == b""
