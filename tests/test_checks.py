"""`broadsheet check --deploy` names the settings a public site needs and the demo lacks."""

from __future__ import annotations

import io
import warnings

import pytest
from django.core.management import call_command


def deploy_check() -> str:
    """What `check --deploy` says of security, Broadsheet's checks among it (others, such as
    Django's about DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set, are not ours)."""
    out = io.StringIO()
    call_command("check", "--deploy", "--tag", "security", stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def public(settings):
    """A site set up as operations.md says: its name, e-mail, its address, one key."""
    settings.ALLOWED_HOSTS = ["news.example.org"]
    settings.EMAIL_URL = "submission://news:pw@smtp.example.org"
    settings.BROADSHEET_SITE_URL = "https://news.example.org"
    settings.BROADSHEET_KEY_IN_DATA_DIR = False
    settings.REDIS_URL = "redis://cache.internal:6379/0"
    return settings


def test_a_site_set_up_for_the_public_passes(public):
    assert "broadsheet.W" not in deploy_check()


def test_the_demos_host_names_are_named(public):
    public.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    said = deploy_check()
    assert "(broadsheet.W001) BROADSHEET_ALLOWED_HOSTS is unset" in said
    assert not [w for w in ("W002", "W003", "W004") if f"(broadsheet.{w})" in said]


def test_mail_printed_to_the_console_is_named(public):
    public.EMAIL_URL = ""
    said = deploy_check()
    assert "(broadsheet.W002) BROADSHEET_EMAIL_URL is unset" in said
    # Without mail, the links' address does not matter.
    public.BROADSHEET_SITE_URL = ""
    assert "broadsheet.W003" not in deploy_check()


def test_mail_without_the_sites_address_names_where_its_links_would_go(public):
    public.BROADSHEET_SITE_URL = ""
    assert (
        "(broadsheet.W003) BROADSHEET_SITE_URL is unset: the links in e-mails written "
        "without a request (a moderator's approval, `broadsheet mail send`) go to "
        "http://news.example.org/."
    ) in deploy_check()


def test_a_generated_key_is_named_where_app_servers_may_share_the_site(public, settings):
    public.BROADSHEET_KEY_IN_DATA_DIR = True
    said = deploy_check()
    assert "(broadsheet.W004) BROADSHEET_SECRET_KEY is unset" in said
    assert str(settings.DATA_DIR / "secret_key") in said
    # One server on SQLite without Redis: its generated key is the only one.
    public.REDIS_URL = ""
    sqlite = {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Django's caution about overriding DATABASES
        public.DATABASES = {"default": sqlite}
    assert "broadsheet.W004" not in deploy_check()


@pytest.mark.parametrize(
    ("hosts", "address"),
    [
        ([".example.org", "news.example.org"], "http://news.example.org/"),
        (["*"], "http://localhost/"),
        ([], "http://localhost/"),
    ],
    ids=["subdomains first", "any host", "none"],
)
def test_the_links_address_named_is_the_one_mail_uses(public, hosts, address):
    # As notifications.links.site_url() writes them, not the first entry as written
    # (BROADSHEET_ALLOWED_HOSTS="," leaves none: the check ran into an IndexError).
    public.BROADSHEET_SITE_URL = ""
    public.ALLOWED_HOSTS = hosts
    assert f"`broadsheet mail send`) go to {address}." in deploy_check()
