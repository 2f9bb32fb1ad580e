"""Every page says what it may load and run (Content-Security-Policy)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from broadsheet.security import ContentSecurityPolicyMiddleware

pytestmark = pytest.mark.django_db


def test_pages_run_only_the_sites_own_scripts(client, article):
    for url in ("/", article.get_absolute_url(), "/api/v1/articles/hello-world"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_a_page_that_sets_its_own_policy_keeps_it(rf, settings):
    own = HttpResponse()
    own["Content-Security-Policy"] = "default-src 'none'"
    middleware = ContentSecurityPolicyMiddleware(lambda request: own)
    assert middleware(rf.get("/"))["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY = ""
    bare = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())(rf.get("/"))
    assert "Content-Security-Policy" not in bare
