"""Forms must arrive as UTF-8: text that is not is refused, never quietly altered.

Django decodes a posted form leniently (a byte that is not UTF-8 becomes
U+FFFD), so a comment would be stored with characters its writer never typed.
Browsers always send UTF-8 for our pages; a form post (urlencoded or multipart)
that is not is refused with a 400 before any view reads it. The JSON API checks
its own bodies.

A path that holds a NUL (``/tag/%00/``) names no page, and PostgreSQL refuses one
in a query: it is answered 404 before any view or redirect looks it up.

A NUL in an address's query (``?action__exact=%00``, a filter of the admin's, or any
page's parameter) is refused by PostgreSQL too, where a view looks it up: that request
is answered 400, saying so, where it was a 500 (``NulInQueryMiddleware``). Only where
the database refused it: a page that reads its parameters itself (the search boxes
drop a NUL; a list given a page number, a tab or an order it does not know shows its
first, as for any mistyped one) answers as it did, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from broadsheet.api.responses import PATH_PREFIX, generic_error
from broadsheet.newsroom.models import SiteSettings

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


class Utf8FormMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            if request.path_info.startswith(PATH_PREFIX):  # every API answer is JSON
                return generic_error(404)
            return HttpResponseNotFound(
                _in_site_language(request, gettext_noop("No page has that address.")),
                content_type="text/plain; charset=utf-8",
            )
        if (
            request.method == "POST"
            and request.content_type in (FORM, MULTIPART)
            and not request.path_info.startswith(PATH_PREFIX)  # the API answers 415 to forms
            # An image upload's file is not text (and may be larger than Django reads
            # whole): its form checks its own words (broadsheet.media.forms).
            and request.path_info != reverse("admin:media_image_add")
        ):
            body = request.body
            if request.content_type == FORM:
                body = unquote_to_bytes(body.replace(b"+", b" "))
            try:
                # A multipart post's fields are its text as sent: the site takes no
                # other file uploads, so every byte of it is text, and must be UTF-8.
                body.decode("utf-8")
            except UnicodeDecodeError:
                return HttpResponseBadRequest(
                    _in_site_language(
                        request,
                        gettext_noop("The form was not sent as UTF-8 text; nothing was saved."),
                    ),
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


def _in_site_language(request: HttpRequest, message: str) -> str:
    # Answered before the view, so before the site's language is made active
    # (SiteLanguageMiddleware): said in it here, and left inactive after.
    with translation.override(SiteSettings.for_request(request).language):
        return gettext(message)


class NulInQueryMiddleware:
    """A NUL in the query of a request whose view took it to PostgreSQL (which stores
    no NUL in text, and refuses a query holding one): 400, saying so, not a 500.
    A DataError of any other request is left to be the error it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DataError) or not _holds_nul(request):
            return None
        return HttpResponseBadRequest(
            gettext(
                "The address holds a NUL character, which no page can look up: "
                "take it out of the address and try again."
            ),
            content_type="text/plain; charset=utf-8",
        )


def _holds_nul(request: HttpRequest) -> bool:
    """The request's query holds a NUL, in a parameter's name or value."""
    return any("\x00" in name or "\x00" in "".join(values) for name, values in request.GET.lists())
