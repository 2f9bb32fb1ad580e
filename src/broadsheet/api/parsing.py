"""Reading what a program sends: a JSON object of known fields, and a bearer token.

Only the JSON layer is checked here (size, media type, syntax, field names and
types). What the values mean is checked by the same forms as the web pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from broadsheet.api.responses import ApiError
from broadsheet.conf import conf
from broadsheet.discussion.forms import reject_unstorable

JSON_MEDIA_TYPE = "application/json"


class _Refused(ValueError):
    pass


def read_object(request: HttpRequest) -> dict[str, Any]:
    """The request body as a JSON object; raises ApiError (415, 413 or 400) otherwise."""
    if request.content_type != JSON_MEDIA_TYPE:
        raise ApiError(415, f"Send the body as {JSON_MEDIA_TYPE}.")
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ApiError(415, "JSON must be encoded as UTF-8.")
    raw = _read_limited(request)
    try:
        data = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_without_duplicates,
            parse_constant=_refuse_constant,
        )
    except UnicodeDecodeError:
        raise ApiError(400, "The body is not valid UTF-8.") from None
    except RecursionError:
        raise ApiError(400, "The JSON is nested too deeply.") from None
    except ValueError as exc:  # JSONDecodeError, _Refused, an integer too long to read
        raise ApiError(400, f"The body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "The body must be a JSON object.")
    return data


def _read_limited(request: HttpRequest) -> bytes:
    limit = conf.READER_BODY_LIMIT
    too_large = ApiError(413, f"The request body is larger than {limit} bytes.")
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    # Read one byte past the limit: a body longer than it declared (or with no
    # declared length at all) is caught too, without reading all of it.
    raw = _body_stream(request).read(limit + 1)
    if len(raw) > limit:
        raise too_large
    return raw


def _body_stream(request: HttpRequest) -> Any:
    """Where the body is read from. Under WSGI, Django reads no further than
    Content-Length says, so a chunked body (which has none) would read as empty and
    be refused as "not valid JSON". A server that takes the chunks apart and ends the
    input where the body ends says so (``wsgi.input_terminated``, as gunicorn does):
    then the body is read from its input as it is."""
    environ = getattr(request, "environ", {})
    if not request.META.get("CONTENT_LENGTH") and environ.get("wsgi.input_terminated"):
        return environ["wsgi.input"]
    return request


def _without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would keep the last of two equal keys and drop the other silently.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number in JSON")


def fields(
    data: dict[str, Any],
    *,
    strings: Iterable[str],
    integers: Iterable[str] = (),
    booleans: Iterable[str] = (),
) -> dict[str, Any]:
    """``data`` with nulls dropped, once each field is known and of its type.

    Type checks come first because forms coerce (a number sent as ``body`` would
    become its digits). Unpaired surrogates, which JSON's ``\\ud800`` escapes can
    carry but no text can hold, are refused in every string, not only where a
    form field happens to check.
    """
    strings, integers, booleans = set(strings), set(integers), set(booleans)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        if value is None and name in strings | integers | booleans:
            continue
        if name in strings:
            if not isinstance(value, str):
                errors[name] = ["Must be a string."]
                continue
            try:
                reject_unstorable(value)
            except ValidationError as exc:
                errors[name] = list(exc.messages)
                continue
        elif name in integers:
            if isinstance(value, bool) or not isinstance(value, int):
                errors[name] = ["Must be a whole number."]
                continue
        elif name in booleans:
            if not isinstance(value, bool):
                errors[name] = ["Must be true or false."]
                continue
        else:
            errors[name] = ["Unknown field."]
            continue
        cleaned[name] = value
    if errors:
        raise ApiError(400, errors)
    return cleaned


def bearer_token(request: HttpRequest) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None
