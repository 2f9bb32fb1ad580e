"""What a reader's browser remembers: their own recent comments and, if asked, their details.

Both live in signed cookies, so the article page itself stays the same for
everyone (and cacheable); a response that shows a reader their own bits is
marked private.

A cookie's value is written in RFC 6265's cookie-octets alone (no quotes, commas,
semicolons, backslashes or spaces), so that it goes out bare. Python's cookie
writer, which Django uses, puts a value holding any other character in quotes and
escapes a comma as ``\\054``: browsers read that back, but a strict reader of the
RFC's grammar (Python's ``http.cookiejar``, some proxies and CDNs) cuts or drops
it. Before, both cookies held JSON written that way; a cookie set then is still
read (``_pairs``, ``_details``), and is written anew in the new form at the
reader's next comment.

- ``bs_mine``: ``<id>.<edit token>`` for each recent comment, joined by ``~``
  (edit tokens are URL-safe base64: letters, digits, ``-`` and ``_``);
- ``bs_author``: the details as JSON, in URL-safe base64 without padding.

Each is then signed as before (``set_signed_cookie``: the value, ``:``, a time and
a signature, all cookie-octets).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse

OWN_COOKIE = "bs_mine"
AUTHOR_COOKIE = "bs_author"
_OWN_SALT = "broadsheet.discussion.own"
_KEEP = 20
_MAX_AGE = 7 * 24 * 3600

_OWN_ENTRY = re.compile(r"([0-9]{1,19})\.([A-Za-z0-9_-]+)")


def _pairs(raw: str) -> list[tuple[int, str]]:
    """The ``(id, token)`` pairs of a ``bs_mine`` value (``ValueError``: none)."""
    if raw.startswith("["):  # written before: JSON, [[id, "token"], ...]
        return [(int(pk), str(token)) for pk, token in json.loads(raw)]
    pairs = []
    for entry in raw.split("~"):
        matched = _OWN_ENTRY.fullmatch(entry)
        if matched is None:
            raise ValueError(entry)
        pairs.append((int(matched[1]), matched[2]))
    return pairs


def own_tokens(request: HttpRequest) -> dict[int, str]:
    """The reader's recent comments, as ``{id: edit token}``."""
    try:
        raw = request.get_signed_cookie(OWN_COOKIE, salt=_OWN_SALT, default=None)
        return dict(_pairs(raw)) if raw else {}
    except (ValueError, TypeError, signing.BadSignature):
        return {}


def remember_own(request: HttpRequest, response: HttpResponse, pk: int, token: str) -> None:
    pairs = [(k, v) for k, v in own_tokens(request).items() if k != pk][-(_KEEP - 1) :]
    pairs.append((pk, token))
    response.set_signed_cookie(
        OWN_COOKIE,
        # A token not as post_comment makes them could not be read back: left out.
        "~".join(f"{k}.{v}" for k, v in pairs if _OWN_ENTRY.fullmatch(f"{k}.{v}")),
        salt=_OWN_SALT,
        max_age=_MAX_AGE,
        httponly=True,
        samesite="Lax",
    )


def _details(raw: str) -> Any:
    """The details a ``bs_author`` value holds (``ValueError``: none)."""
    if raw.startswith("{"):  # written before: the JSON itself
        return json.loads(raw)
    try:
        return json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except binascii.Error as error:
        raise ValueError(raw) from error


def saved_author(request: HttpRequest) -> dict[str, str]:
    try:
        raw = request.get_signed_cookie(AUTHOR_COOKIE, salt=_OWN_SALT, default=None)
        data = _details(raw) if raw else {}
    except (ValueError, signing.BadSignature):
        return {}
    fields = ("author_name", "author_email", "author_url")
    return {k: str(data[k]) for k in fields if isinstance(data, dict) and k in data}


def save_author(response: HttpResponse, details: dict[str, str] | None) -> None:
    """Remember the reader's details when they ticked the box; forget them when not."""
    if details is None:
        response.delete_cookie(AUTHOR_COOKIE)
        return
    encoded = base64.urlsafe_b64encode(json.dumps(details).encode()).rstrip(b"=")
    response.set_signed_cookie(
        AUTHOR_COOKIE,
        encoded.decode("ascii"),
        salt=_OWN_SALT,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
    )


def is_personal(request: HttpRequest) -> bool:
    """Whether the page shown to this request may differ from everyone else's."""
    return (
        request.user.is_authenticated
        or OWN_COOKIE in request.COOKIES
        or AUTHOR_COOKIE in request.COOKIES
    )
