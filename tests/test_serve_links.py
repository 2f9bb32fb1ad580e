"""Without BROADSHEET_SITE_URL, `broadsheet serve` on an address the site answers to (the
demo's 127.0.0.1:8000) gives its workers that address, port and all, for the links in
e-mails, where they went to http://127.0.0.1/, which nothing answers."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from broadsheet.management.commands import serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(monkeypatch, settings, tmp_path):
    """``serve``'s arguments to gunicorn and its environment, instead of gunicorn."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.BROADSHEET_SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    seen: dict = {}

    def execve(path, argv, env):
        seen.update(argv=argv, env=env)

    monkeypatch.setattr(serve.os, "execve", execve)
    monkeypatch.delenv("BROADSHEET_SITE_URL", raising=False)
    return seen


def test_the_demos_server_gives_its_own_address_to_the_links_in_e_mails(started):
    call_command("serve", "--port", "8123", "--no-migrate", verbosity=0)
    assert started["env"]["BROADSHEET_SITE_URL"] == "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    ("host", "site_url", "behind_proxy"),
    [
        ("0.0.0.0", "", False),  # every interface: no address a reader would use
        ("127.0.0.1", "https://news.example.org", False),  # the operator's own choice
        ("127.0.0.1", "", True),  # readers come through a proxy, at its address
    ],
)
def test_an_address_readers_may_not_use_is_not_given(
    started, settings, host, site_url, behind_proxy
):
    settings.BROADSHEET_SITE_URL = site_url
    settings.BROADSHEET_BEHIND_PROXY = behind_proxy
    call_command("serve", "--host", host, "--no-migrate", verbosity=0)
    assert "BROADSHEET_SITE_URL" not in started["env"]


def test_ipv6_is_written_in_brackets(started, settings):
    settings.ALLOWED_HOSTS = ["[::1]"]  # as Django matches a Host header of ::1
    call_command("serve", "--host", "::1", "--port", "8124", "--no-migrate", verbosity=0)
    assert started["env"]["BROADSHEET_SITE_URL"] == "http://[::1]:8124"
    assert serve.own_site_url("::1", 8000) == "http://[::1]:8000"
