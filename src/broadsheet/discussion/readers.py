"""What a reader's browser remembers: their own recent comments and, if asked, their details.

Both live in signed cookies, so the article page itself stays the same for
everyone (and cacheable); a response that shows a reader their own bits is
marked private.
"""

from __future__ import annotations

import json

from django.core import signing
from django.http import HttpRequest, HttpResponse

OWN_COOKIE = "bs_mine"
AUTHOR_COOKIE = "bs_author"
_OWN_SALT = "broadsheet.discussion.own"
_KEEP = 20
_MAX_AGE = 7 * 24 * 3600


def own_tokens(request: HttpRequest) -> dict[int, str]:
    """The reader's recent comments, as ``{id: edit token}``."""
    try:
        raw = request.get_signed_cookie(OWN_COOKIE, salt=_OWN_SALT, default=None)
        pairs = json.loads(raw) if raw else []
        return {int(pk): str(token) for pk, token in pairs}
    except (ValueError, TypeError, signing.BadSignature):
        return {}


def remember_own(request: HttpRequest, response: HttpResponse, pk: int, token: str) -> None:
    pairs = [[k, v] for k, v in own_tokens(request).items() if k != pk][-(_KEEP - 1) :]
    pairs.append([pk, token])
    response.set_signed_cookie(
        OWN_COOKIE,
        json.dumps(pairs),
        salt=_OWN_SALT,
        max_age=_MAX_AGE,
        httponly=True,
        samesite="Lax",
    )


def saved_author(request: HttpRequest) -> dict[str, str]:
    try:
        raw = request.get_signed_cookie(AUTHOR_COOKIE, salt=_OWN_SALT, default=None)
        data = json.loads(raw) if raw else {}
    except (ValueError, signing.BadSignature):
        return {}
    fields = ("author_name", "author_email", "author_url")
    return {k: str(data[k]) for k in fields if isinstance(data, dict) and k in data}


def save_author(response: HttpResponse, details: dict[str, str] | None) -> None:
    """Remember the reader's details when they ticked the box; forget them when not."""
    if details is None:
        response.delete_cookie(AUTHOR_COOKIE)
        return
    response.set_signed_cookie(
        AUTHOR_COOKIE,
        json.dumps(details),
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
