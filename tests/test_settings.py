"""BROADSHEET_* variables: documented spellings are read, anything else is refused by name."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

import broadsheet.settings


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """Run the settings module afresh with some variables set; its values as a dict."""
    monkeypatch.setenv("BROADSHEET_DATA_DIR", str(tmp_path / "data"))
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY"):
        monkeypatch.delenv(f"BROADSHEET_{name}", raising=False)

    def load(**variables: str) -> dict:
        for name, value in variables.items():
            monkeypatch.setenv(f"BROADSHEET_{name}", value)
        return vars(importlib.reload(broadsheet.settings)).copy()

    yield load
    monkeypatch.undo()
    importlib.reload(broadsheet.settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PROXIES", "two"),
        ("PROXIES", "0"),
        ("DATABASE_URL", "mysql://user:secret@db.internal/news"),
        ("DATABASE_URL", "postgres://db.internal:5432"),
        ("DATABASE_URL", "sqlite://"),
        ("DATABASE_URL", "postgres://db.internal:port/news"),
        ("REDIS_URL", "http://cache.internal:6379/0"),
        ("REDIS_URL", "cache.internal:6379"),
        ("EMAIL_URL", "ftp://x"),
        ("EMAIL_URL", "smtp://"),
        ("EMAIL_URL", "smtp://mail.internal:twenty-five"),
        ("DEBUG", "maybe"),
        ("BEHIND_PROXY", "sometimes"),
        ("RATE_LIMIT", "bogus"),
        ("TIME_ZONE", "Mars/Olympus_Mons"),
        ("LOG_LEVEL", "loud"),
        ("FROM_EMAIL", "nobody"),
        ("ALLOWED_HOSTS", "https://news.example.org"),
        ("CSRF_TRUSTED_ORIGINS", "news.example.org"),
    ],
)
def test_a_wrong_value_is_refused_naming_its_variable(load_settings, tmp_path, name, value):
    with pytest.raises(ImproperlyConfigured, match=f"^BROADSHEET_{name}: ") as refused:
        load_settings(**{name: value})
    assert "secret" not in str(refused.value)  # a password in a URL is not repeated
    assert not (tmp_path / "data").exists()  # nothing written: no folder, no key


def test_a_data_dir_that_is_a_file_is_refused(load_settings, tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(ImproperlyConfigured, match=r"^BROADSHEET_DATA_DIR: "):
        load_settings(DATA_DIR=str(tmp_path / "file"))


@pytest.mark.parametrize(
    ("value", "debug"),
    [("true", True), ("Yes", True), ("on", True), ("1", True), ("false", False),
     ("no", False), ("OFF", False), ("0", False), ("", False)],
)  # fmt: skip
def test_yes_and_no_are_read_in_every_documented_spelling(load_settings, value, debug):
    assert load_settings(DEBUG=value)["DEBUG"] is debug


@pytest.mark.parametrize(
    ("value", "rate_limit"), [("off", "off"), ("false", "off"), ("on", "on"), ("", "on")]
)
def test_rate_limits_are_on_unless_turned_off(load_settings, value, rate_limit):
    assert load_settings(RATE_LIMIT=value)["BROADSHEET_RATE_LIMIT"] == rate_limit


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mail.internal", 25, False, False),
        ("submission://me:pw@mail.internal", 587, True, False),
        ("smtps://mail.internal", 465, False, True),
        ("submission://mail.internal:2525", 2525, True, False),
    ],
)
def test_email_url_schemes_choose_port_and_encryption(load_settings, url, port, tls, ssl):
    values = load_settings(EMAIL_URL=url)
    assert values["EMAIL_HOST"] == "mail.internal"
    assert (values["EMAIL_PORT"], values["EMAIL_USE_TLS"], values["EMAIL_USE_SSL"]) == (
        port, tls, ssl,
    )  # fmt: skip


def test_good_values_are_read(load_settings):
    values = load_settings(
        PROXIES="2", TIME_ZONE="Europe/London", LOG_LEVEL="info",
        DATABASE_URL="postgres://news:pw@db.internal:5432/news",
        REDIS_URL="redis://cache.internal:6379/0",
        ALLOWED_HOSTS="news.example.org, .example.net",
        CSRF_TRUSTED_ORIGINS="https://news.example.org",
        FROM_EMAIL="Broadsheet <news@example.org>",
    )  # fmt: skip
    assert values["BROADSHEET_PROXIES"] == 2
    assert values["TIME_ZONE"] == "Europe/London"
    assert values["LOGGING"]["root"]["level"] == "INFO"
    assert values["DATABASES"]["default"]["HOST"] == "db.internal"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert values["ALLOWED_HOSTS"] == ["news.example.org", ".example.net"]
    assert values["DEFAULT_FROM_EMAIL"] == "Broadsheet <news@example.org>"
