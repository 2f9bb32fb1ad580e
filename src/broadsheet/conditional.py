"""Conditional requests: whether a client's copy of a page or answer is still good."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import parse_etags


def etag_matches(etag: str, if_none_match: str, *, star: bool = True) -> bool:
    """Whether ``If-None-Match`` names ``etag``, or is ``*`` (any copy at all) unless
    ``star`` is false: a caller that cannot yet tell whether the document exists asks
    without it first. The comparison is weak (RFC 9110, 13.1.2): a proxy or CDN that
    compresses a page may make its strong ETag weak (``W/"..."``), and the client's
    copy is still the same page."""
    wanted = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
    return (star and "*" in wanted) or etag.removeprefix("W/") in wanted


def shared(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``response``, a page that is the same for every reader, made cacheable: an ETag
    of its content (unless it has one, made from what it is drawn from), and leave for a
    shared cache to keep it if it asks again; a 304 when the client's copy is the same
    page."""
    if response.status_code != 200:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    if not etag_matches(response["ETag"], request.headers.get("If-None-Match", "")):
        return response
    not_modified = HttpResponseNotModified()
    for header in ("ETag", "Cache-Control", "Vary"):
        if header in response:
            not_modified[header] = response[header]
    return not_modified
