"""The links in e-mails: absolute, and carrying a signed token instead of a session.

A token names an address by its key (``Address.key``) or a comment by its id, never
an address in clear. Confirmation tokens expire after MAIL_CONFIRM_DAYS; the tokens
that stop mail never do, as a mail kept for years must still be able to stop more.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from broadsheet.conf import conf
from broadsheet.moderation.identity import inbox_key, spelling_key

_CONFIRM_SALT = "broadsheet.notifications.confirm"
_STOP_SALT = "broadsheet.notifications.stop"


class BadToken(Exception):
    """A link that was altered, made with another secret key, or is too old."""


# What an address's state (``Address``) is kept under: its inbox's keyed hash, as blocks
# and rate limits know the address.
address_key = inbox_key


def address_keys(email: str) -> tuple[str, str]:
    """Where ``email``'s state may be: under its inbox, else (kept before 2026-11-27, and
    not given with the box ticked since) under its spelling."""
    return address_key(email), spelling_key(email)


def site_url() -> str:
    """BROADSHEET_SITE_URL, else http:// and the first BROADSHEET_ALLOWED_HOSTS entry."""
    if settings.BROADSHEET_SITE_URL:
        return settings.BROADSHEET_SITE_URL
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))]
    return f"http://{hosts[0] if hosts else 'localhost'}"


def absolute(path: str) -> str:
    return site_url() + path


def confirm_path(key: str) -> str:
    token = signing.dumps({"a": key}, salt=_CONFIRM_SALT, compress=True)
    return reverse("notifications:confirm", args=[token])


def confirm_url(key: str) -> str:
    return absolute(confirm_path(key))


def stop_comment_url(comment_id: int) -> str:
    """Stops the e-mails about replies to one comment."""
    return absolute(stop_path({"c": comment_id}))


def stop_address_url(key: str) -> str:
    """Stops every e-mail to one address."""
    return absolute(stop_path({"a": key}))


def stop_moderator_url(user_id: int) -> str:
    """Stops a moderator's e-mails about the queue (their choice becomes "never")."""
    return absolute(stop_path({"m": user_id}))


def stop_path(payload: dict[str, Any]) -> str:
    token = signing.dumps(payload, salt=_STOP_SALT, compress=True)
    return reverse("notifications:stop", args=[token])


def read_confirm_token(token: str) -> str:
    """The address key a confirmation link names; raises BadToken."""
    max_age = conf.MAIL_CONFIRM_DAYS * 24 * 3600
    try:
        payload = signing.loads(token, salt=_CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        days = conf.MAIL_CONFIRM_DAYS
        said = ngettext(
            "This confirmation link is more than %(days)s day old and no longer works. Tick "
            "the box again when you next post a comment to get a new one.",
            "This confirmation link is more than %(days)s days old and no longer works. Tick "
            "the box again when you next post a comment to get a new one.",
            days,
        )
        raise BadToken(said % {"days": days}) from None
    except signing.BadSignature:
        raise BadToken(_ALTERED) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), str):
        raise BadToken(_ALTERED)
    return payload["a"]


def read_stop_token(token: str) -> tuple[str, str | int]:
    """What a stop link stops: ``("comment", id)``, ``("address", key)`` or
    ``("moderator", user id)``; raises BadToken."""
    try:
        payload = signing.loads(token, salt=_STOP_SALT)
    except signing.BadSignature:
        raise BadToken(_ALTERED) from None
    if isinstance(payload, dict):
        for letter, scope in (("c", "comment"), ("m", "moderator")):
            if isinstance(payload.get(letter), int) and not isinstance(payload[letter], bool):
                return scope, payload[letter]
        if isinstance(payload.get("a"), str):
            return "address", payload["a"]
    raise BadToken(_ALTERED)


_ALTERED = gettext_lazy(
    "This link is not one this site made, or it was cut short or changed on the way. "
    "Copy the whole link from the e-mail, or use the button in the e-mail itself."
)
