"""Broadsheet's one settings module, driven by BROADSHEET_* environment variables.

Every variable is documented in docs/settings.md (a test keeps the two in step).
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
import zoneinfo
from email.utils import parseaddr
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy

BASE_DIR = Path(__file__).resolve().parent

# A variable set to nothing counts as unset, as in `BROADSHEET_DEBUG= broadsheet …`. A value
# that is wrong raises ImproperlyConfigured naming the variable: the `broadsheet` command
# prints that as one line and stops before it changes anything.


def env(name: str, default: str = "") -> str:
    value = os.environ.get(f"BROADSHEET_{name}", "")
    return value if value.strip() else default


def refuse(name: str, problem: str) -> NoReturn:
    raise ImproperlyConfigured(f"BROADSHEET_{name}: {problem}")


TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name).strip().lower()
    if not value:
        return default
    if value not in TRUE + FALSE:
        refuse(name, f"{value!r} is neither on nor off (on, off, true, false, yes, no, 1, 0).")
    return value in TRUE


def env_int(name: str, default: int, *, least: int) -> int:
    value = env(name, str(default)).strip()
    if not (value.isascii() and value.isdigit()) or int(value) < least:
        refuse(name, f"{value!r} is not a whole number of at least {least}.")
    return int(value)


def env_url(name: str, default: str, *, schemes: tuple[str, ...], what: str) -> str:
    """A URL of one of ``schemes``, with a host (a file path for ``sqlite`` and ``unix``)."""
    url = env(name, default).strip()
    if not url:
        return url
    parts = urlsplit(url)
    if parts.scheme.lower() not in schemes:
        written = ", ".join(f"{scheme}://" for scheme in schemes)
        refuse(name, f"{_without_password(url)!r} is not {what}; write {written}…")
    try:
        port_ok = parts.port != 0  # urlsplit checks the port only when it is read
    except ValueError:
        port_ok = False
    if not port_ok:
        refuse(name, f"{_without_password(url)!r} has a port that is not from 1 to 65535.")
    if not (parts.hostname or parts.scheme.lower() in ("sqlite", "unix")):
        refuse(name, f"{_without_password(url)!r} names no host.")
    return url


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("DATA_DIR", "data")).resolve()
# Made when first written to (broadsheet/backends/sqlite3/base.py, _secret_key): a command
# refused for a wrong argument leaves no folder behind. One that cannot be is said now.
if not (_found := next(p for p in (DATA_DIR, *DATA_DIR.parents) if p.exists())).is_dir():
    refuse("DATA_DIR", f"cannot make the folder {DATA_DIR} ({_found} is a file).")


def _make_data_dir() -> None:
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        refuse("DATA_DIR", f"cannot make the folder {DATA_DIR} ({exc.strerror}).")


# What this process made for the generated key (the data dir, when it was missing, and
# the key's file): a command that then fails on a database holding no site takes them
# back (broadsheet/cli.py), as nothing signed with the key was kept.
made_for_key: list[Path] = []


@functools.cache
def _secret_key() -> str:
    """The key generated once and kept in the data dir (BROADSHEET_SECRET_KEY unset)."""
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    except OSError as exc:
        refuse("DATA_DIR", f"cannot read {path} ({exc.strerror}).")
    made_for_key.extend(folder for folder in (DATA_DIR, *DATA_DIR.parents) if not folder.exists())
    _make_data_dir()
    key = secrets.token_urlsafe(50)
    # O_EXCL: when several workers start at once only one key is ever written.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    except OSError as exc:
        refuse("DATA_DIR", f"cannot write {path} ({exc.strerror}).")
    made_for_key.append(path)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _allowed_hosts() -> list[str]:
    hosts = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
    for host in hosts:
        if "/" in host or " " in host:
            refuse("ALLOWED_HOSTS", f"{host!r} is not a host name (write news.example.org).")
    return hosts


def _trusted_origins() -> list[str]:
    origins = env_list("CSRF_TRUSTED_ORIGINS", "")
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            refuse(
                "CSRF_TRUSTED_ORIGINS",
                f"{origin!r} is not an origin (write https://news.example.org).",
            )
    return origins


DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = _allowed_hosts()
CSRF_TRUSTED_ORIGINS = _trusted_origins()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "broadsheet",
    "broadsheet.media",
    "broadsheet.newsroom",
    "broadsheet.discussion",
    "broadsheet.moderation",
    "broadsheet.interchange",
    "broadsheet.api",
    "broadsheet.notifications",
    "broadsheet.search",
]

MIDDLEWARE = [
    # Outermost: it drops a HEAD answer's body once the others have seen it whole.
    "broadsheet.head.HeadWithoutBodyMiddleware",
    "broadsheet.proxy.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "broadsheet.security.ContentSecurityPolicyMiddleware",
    # Above every middleware that sets a cookie: it marks them Secure over HTTPS.
    "broadsheet.security.SecureCookiesOverHttpsMiddleware",
    # Before anything reads a posted body.
    "broadsheet.limits.ReaderBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "broadsheet.encoding.Utf8FormMiddleware",
    "broadsheet.encoding.NulInQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Its process_view comes before the CSRF check's, whose refusal is a page too.
    "broadsheet.newsroom.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "broadsheet.interchange.middleware.LegacyRedirectMiddleware",
]

ROOT_URLCONF = "broadsheet.urls"
WSGI_APPLICATION = "broadsheet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "broadsheet.newsroom.context_processors.site",
            ],
        },
    },
]


def _databases() -> dict:
    url = env_url(
        "DATABASE_URL", "", schemes=("sqlite", "postgres", "postgresql"),
        what="an SQLite or PostgreSQL database (the only two supported)",
    )  # fmt: skip
    if not url:
        url = f"sqlite:///{DATA_DIR / 'broadsheet.sqlite3'}"
    elif not urlsplit(url).path.strip("/"):
        refuse(
            "DATABASE_URL",
            f"{_without_password(url)!r} names no database "
            "(sqlite:////path/to/file.sqlite3 or postgres://…:5432/name).",
        )
    try:
        # A thread keeps its connection for a minute between requests (gunicorn's
        # threads), except under ASGI (asgi.py), whose request threads do not last.
        kept = 0 if os.environ.get("BROADSHEET_ASGI") == "1" else 60
        config = dj_database_url.parse(url, conn_max_age=kept, conn_health_checks=True)
    except ValueError:
        refuse("DATABASE_URL", f"{_without_password(url)!r} is not a valid URL.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Django's, making the folder on connecting (broadsheet/backends/sqlite3/base.py).
        config["ENGINE"] = "broadsheet.backends.sqlite3"
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue (up to `timeout` seconds)
        # instead of failing to upgrade a read lock. synchronous=FULL: a comment
        # acknowledged to its author survives a power cut, not only a crash.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["TEST"] = {"NAME": None}
    else:
        # One test database per test process, so that two suites run at once
        # (two checkouts, or several pytest-xdist workers) never share one.
        config["TEST"] = {"NAME": f"test_broadsheet_{os.getpid()}"}
    return {"default": config}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss", "unix"), what="a Redis server")
# Two caches: "default" holds rendered pages and what may be forgotten at any time;
# "counters" holds rate-limit and sign-in counters and duplicate-text fingerprints
# (broadsheet/counters.py), which must last their window.
if REDIS_URL:
    _REDIS_CACHE = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "broadsheet",
        # A Redis that does not answer fails a request in seconds, not minutes.
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 5, "SOCKET_TIMEOUT": 5},
    }
    # One Redis, the same keys: Redis drops a key only when it expires (or by the
    # server's own maxmemory policy).
    CACHES = {"default": _REDIS_CACHE, "counters": _REDIS_CACHE}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Tables in the one shared database: every worker and app server sees the
    # same cache and counters, with no extra service to run.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "broadsheet_cache",
            # Two rows a page (its digest, its bytes), each kept PAGE_CACHE_SECONDS: room
            # for the 2,000 pages, feeds and API pages a busy site serves in that time,
            # where Django's 300 rows made it cull live pages, by key order, past 150.
            "OPTIONS": {"MAX_ENTRIES": 4_000},
        },
        # A table of its own: past MAX_ENTRIES rows Django's database cache deletes a
        # third of them by key order, expired or not, and in the pages' table (300 rows
        # by default) that took live counters with it, so that a throttled address or
        # a locked sign-in was let go early. Here rows are small and short-lived, and
        # expired ones go first when the table is full.
        "counters": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "broadsheet_counters",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "admin:login"

# The interface languages Broadsheet ships, one catalog each in broadsheet/locale/. The
# site's language is a site setting (SiteSettings.language), made active for every request
# by broadsheet.newsroom.middleware; LANGUAGE_CODE is only the default of that setting.
LANGUAGES = [("en", "English"), ("he", "עברית (Hebrew)")]
LANGUAGE_CODE = "en"
# Dates as Broadsheet prints them where they differ from Django's (broadsheet/formats/).
FORMAT_MODULE_PATH = ["broadsheet.formats"]
# Broadsheet's catalogs before the admin's: for a string both have ("Page not found"),
# the site's own words win, as they would not as one more installed app's.
LOCALE_PATHS = [BASE_DIR / "locale"]


def _time_zone() -> str:
    name = env("TIME_ZONE", "UTC").strip()
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        refuse("TIME_ZONE", f"{name!r} is not a time zone (write Europe/London, say, or UTC).")
    return name


TIME_ZONE = _time_zone()
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded images (broadsheet.media), under content-hashed names. Several app servers
# must share this folder (docs/operations.md); Broadsheet serves it at /media/.
MEDIA_ROOT = Path(env("MEDIA_DIR", str(DATA_DIR / "media"))).resolve()
MEDIA_URL = "/media/"
# The largest image an editor may upload, in bytes.
BROADSHEET_IMAGE_MAX_BYTES = env_int("IMAGE_MAX_MB", 20, least=1) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "broadsheet.storage.StaticStorage"
        )
    },
}
# Serve straight from the apps' static folders when collectstatic has not run
# (tests, development); `broadsheet serve` collects them first.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The port each scheme of BROADSHEET_EMAIL_URL uses when the URL names none.
EMAIL_PORTS = {"smtp": 25, "submission": 587, "smtps": 465}
EMAIL_URL = env_url("EMAIL_URL", "", schemes=tuple(EMAIL_PORTS), what="an SMTP server")
if EMAIL_URL:
    _email = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname
    EMAIL_PORT = _email.port or EMAIL_PORTS[_email.scheme.lower()]
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme.lower() == "submission"
    EMAIL_USE_SSL = _email.scheme.lower() == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"


def _from_email() -> str:
    value = env("FROM_EMAIL", "broadsheet@localhost").strip()
    _name, address = parseaddr(value)
    local, _, domain = address.rpartition("@")
    if not local or not domain or " " in address:
        refuse("FROM_EMAIL", f"{value!r} is not an e-mail address.")
    return value


DEFAULT_FROM_EMAIL = _from_email()
# The address readers reach the site at, for the links in e-mails, which are sent
# where no request names a host (a moderator's decision, `broadsheet mail send`).
# Unset: http:// and the first BROADSHEET_ALLOWED_HOSTS entry.
BROADSHEET_SITE_URL = env_url(
    "SITE_URL", "", schemes=("http", "https"), what="the site's address"
).rstrip("/")
if urlsplit(BROADSHEET_SITE_URL).path or "?" in BROADSHEET_SITE_URL:
    refuse(
        "SITE_URL",
        f"{BROADSHEET_SITE_URL!r} is not a site's address (write https://news.example.org).",
    )

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# What pages may load and run (broadsheet/security.py): only the site's own scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' https: http: data:; media-src 'self' https:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
BROADSHEET_BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BROADSHEET_BEHIND_PROXY else None
# `check --deploy` asks for SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE: the cookies
# of every answer over HTTPS are marked Secure per request instead
# (security.SecureCookiesOverHttpsMiddleware), so that plain HTTP still signs in.
SILENCED_SYSTEM_CHECKS = ["security.W012", "security.W016"]
# How many reverse proxies stand in front of the site: the reader's address is the
# one the outermost wrote into X-Forwarded-For (broadsheet/proxy.py).
BROADSHEET_PROXIES = env_int("PROXIES", 1, least=1)

# The largest request body, which only the admin may send: a long article (a Hebrew
# letter is six bytes once form-encoded) or an imported WordPress post is saved there.
# Everywhere else the tunable READER_BODY_LIMIT holds (broadsheet/limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

# Where discussion finds the moderation policy (a dotted path, read at call time).
BROADSHEET_MODERATION_POLICY = "broadsheet.moderation.policy.DefaultPolicy"
BROADSHEET_RATE_LIMIT = "on" if env_bool("RATE_LIMIT", default=True) else "off"


def _log_level() -> str:
    name = env("LOG_LEVEL", "WARNING").strip().upper()
    if name not in logging.getLevelNamesMapping():
        refuse("LOG_LEVEL", f"{name!r} is not a level (DEBUG, INFO, WARNING, ERROR or CRITICAL).")
    return name


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _log_level()},
}

# Read, or generated into the data dir, when first used (signing a form or a session,
# or by `serve` before it starts): a command refused for a wrong argument or setting
# makes no key, nor a data dir for it.
SECRET_KEY = env("SECRET_KEY") or lazy(_secret_key, str)()
# Whether that key is the one generated into DATA_DIR (`check --deploy` asks for one
# shared key where several app servers may run: broadsheet/checks.py).
BROADSHEET_KEY_IN_DATA_DIR = not env("SECRET_KEY")
