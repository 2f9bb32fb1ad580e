"""What `broadsheet check --deploy` says of a configuration that serves the demo well and
a public site badly: each is a setting an operator sets once (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

LOOPBACK = {"127.0.0.1", "localhost"}


@register(Tags.security, deploy=True)
def deployment(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if set(settings.ALLOWED_HOSTS) <= LOOPBACK:
        found.append(
            CheckWarning(
                "BROADSHEET_ALLOWED_HOSTS is unset: the site answers only to 127.0.0.1 and "
                "localhost, and a reader who asks for it by its name gets 400 Bad Request.",
                hint="Set it to the site's host name (news.example.org).",
                id="broadsheet.W001",
            )
        )
    if not settings.EMAIL_URL:
        found.append(
            CheckWarning(
                "BROADSHEET_EMAIL_URL is unset: e-mails (confirmations, reply notices, "
                "moderators' notices and password resets) are printed to the console, and "
                "nobody receives them.",
                hint="Set it to an SMTP server (submission://user:password@smtp.example.org).",
                id="broadsheet.W002",
            )
        )
    elif not settings.BROADSHEET_SITE_URL:
        from broadsheet.notifications.links import site_url  # the address mail uses

        found.append(
            CheckWarning(
                "BROADSHEET_SITE_URL is unset: the links in e-mails written without a "
                f"request (a moderator's approval, `broadsheet mail send`) go to "
                f"{site_url()}/.",
                hint="Set it to the address readers reach the site at (https://news.example.org).",
                id="broadsheet.W003",
            )
        )
    shared = settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if settings.BROADSHEET_KEY_IN_DATA_DIR and shared:
        found.append(
            CheckWarning(
                "BROADSHEET_SECRET_KEY is unset: this server signs with the key it generated "
                f"into {settings.DATA_DIR / 'secret_key'}, and another app server of the "
                "same database generates its own, so a staff session, a form, an e-mail's "
                "link or a block made through one is refused or missed by the other.",
                hint="Set BROADSHEET_SECRET_KEY to that file's content on every app server.",
                id="broadsheet.W004",
            )
        )
    return found
