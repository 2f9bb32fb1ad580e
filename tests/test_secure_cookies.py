"""Cookies are marked Secure on every answer over HTTPS, the proxy's included, and not
over plain HTTP, where a Secure cookie would be dropped and signing in would fail."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def sign_in(client, **extra):
    get_user_model().objects.create_superuser("ed", "ed@example.org", "pw-long-enough-1")
    page = client.get("/admin/login/", **extra)
    assert page.status_code == 200
    answer = client.post(
        "/admin/login/",
        {"username": "ed", "password": "pw-long-enough-1", "next": "/admin/"},
        **extra,
    )
    assert answer.status_code == 302, answer.content[:500]
    return page, answer


def test_over_https_the_session_and_csrf_cookies_are_secure(client):
    page, answer = sign_in(client, secure=True)
    assert page.cookies["csrftoken"]["secure"] is True
    assert answer.cookies["sessionid"]["secure"] is True
    assert answer.cookies["sessionid"]["httponly"] is True


def test_over_plain_http_they_are_not_and_signing_in_works(client):
    page, answer = sign_in(client)
    assert not page.cookies["csrftoken"]["secure"]
    assert not answer.cookies["sessionid"]["secure"]
    assert client.get("/admin/").status_code == 200  # signed in


def test_behind_a_proxy_that_ends_tls_the_forwarded_scheme_counts(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CSRF_TRUSTED_ORIGINS = ["https://testserver"]
    page, answer = sign_in(client, HTTP_X_FORWARDED_PROTO="https")
    assert page.cookies["csrftoken"]["secure"] is True
    assert answer.cookies["sessionid"]["secure"] is True


def test_a_readers_own_comment_cookie_is_secure_over_https(client, article):
    from tests.discussion.test_views import form_data

    data = form_data(author_name="Ann", body="Hello there.")
    answer = client.post(
        f"/article/{article.slug}/comments", data, secure=True, HTTP_ORIGIN="https://testserver"
    )
    assert answer.status_code in (302, 303), answer.status_code
    assert answer.cookies["bs_mine"]["secure"] is True


def test_check_deploy_does_not_ask_for_the_cookie_settings():
    out = io.StringIO()
    call_command("check", "--deploy", stdout=out, stderr=out)
    said = out.getvalue()
    assert "W012" not in said and "W016" not in said
