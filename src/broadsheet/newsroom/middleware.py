"""The site speaks the language its operator chose in the site settings."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from broadsheet.newsroom.models import SiteSettings

View = TypeVar("View", bound=Callable[..., Any])


class SiteLanguageMiddleware:
    """Makes the site settings' language the active one for each request.

    Read from the database on every request (the settings row the view and the
    templates read anyway, ``SiteSettings.for_request``), so that every app server
    speaks a new language from the next request on, without a restart. The reader's
    browser (Accept-Language) is not consulted: a newsroom's site has one language,
    and its pages are kept by shared caches that serve every reader alike.

    A view marked with ``sets_site_language`` makes it active itself: the article
    page and its feed read the settings in the one query that answers a cache hit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Whatever a request makes active ends with it (threads serve many requests):
        # nothing is active between requests, so ending it is all that is needed.
        try:
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", translation.get_language())
        finally:
            translation.deactivate()
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if not getattr(view, "sets_site_language", False):
            use_site_language(request)


def use_site_language(request: HttpRequest, language: str | None = None) -> None:
    """Make the site's language, or ``language`` read from its settings already, active."""
    translation.activate(language or SiteSettings.for_request(request).language)


def sets_site_language(view: View) -> View:
    """Marks a view that calls ``use_site_language`` itself, before it writes a word."""
    view.sets_site_language = True  # type: ignore[attr-defined]
    return view


def in_language(language: str) -> Callable[[View], View]:
    """Makes a view answer in ``language`` whatever the site's (the JSON API: see
    docs/api.md)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def speaking(*args: Any, **kwargs: Any) -> Any:
            with translation.override(language):
                return view(*args, **kwargs)

        return sets_site_language(speaking)  # type: ignore[return-value]

    return decorate
