"""JSON in every response, errors included, and the caching rules of the API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.core.handlers.exception import response_for_exception
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from broadsheet import conditional
from broadsheet.outage import unavailable_because

# Where the API answers: every path under it gets JSON, errors included.
PATH_PREFIX = "/api/"

# Errors are ``{"errors": {field: [message, ...]}}``; this key holds the ones
# about the request as a whole, as in Django forms.
WHOLE = "__all__"

Errors = Mapping[str, list[str]]
View = Callable[..., HttpResponse]

_GENERIC = {
    400: "The request is malformed.",
    403: "This is not allowed.",
    404: "There is nothing here.",
    500: "The server failed to answer; the error has been logged.",
    503: "The site's database or cache is not answering just now; try again in a moment.",
}
# A 503 because nothing can be written (outage.py): the disk is full or read-only.
_CANNOT_STORE = (
    "The site cannot store anything just now (its disk is full or read-only); nothing was "
    "saved. Try again later."
)


class ApiError(Exception):
    """Raised anywhere below a view to answer with an error document."""

    def __init__(
        self, status: int, errors: Errors | str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        if isinstance(errors, str):
            errors = {WHOLE: [errors]}
        super().__init__(status, errors)
        self.status = status
        self.errors = errors
        self.headers = dict(headers or {})

    def response(self) -> HttpResponse:
        response = json_response({"errors": self.errors}, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


class ApiEncoder(DjangoJSONEncoder):
    """Times as docs/api.md promises: RFC 3339 in UTC, always with milliseconds.

    Django's encoder leaves the fraction out of a time on the whole second (every
    imported comment, an article saved from the admin): "…T05:29:08Z".
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return o.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return super().default(o)


def json_response(data: Any, *, status: int = 200) -> JsonResponse:
    # ensure_ascii (the default) keeps every response pure ASCII, so no string,
    # whatever it holds, can make encoding the response fail.
    return JsonResponse(data, encoder=ApiEncoder, status=status, safe=False)


def generic_error(status: int, *, reason: str | None = None) -> JsonResponse:
    """The error document for ``status`` when nothing more precise can be said; for a
    503, ``reason`` is the outage's (``outage.unavailable_because``)."""
    message = _CANNOT_STORE if reason == "cannot_store" else _GENERIC.get(status, "Error.")
    return json_response({"errors": {WHOLE: [message]}}, status=status)


def no_content() -> HttpResponse:
    response = HttpResponse(status=204)
    del response["Content-Type"]
    return response


def api_endpoint(*methods: str) -> Callable[[View], View]:
    """Make ``view`` an API endpoint answering ``methods`` (any method when none are given).

    csrf_exempt is safe because the API never looks at cookies: every caller is
    anonymous, and the only credential is an edit token sent in a header, which
    a foreign page cannot make a browser send.
    """
    allowed = set(methods)
    if "GET" in allowed:
        allowed.add("HEAD")

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if allowed and request.method not in allowed:
                response = ApiError(
                    405,
                    f"{request.method} is not allowed here.",
                    headers={"Allow": ", ".join(sorted(allowed))},
                ).response()
            else:
                response = _answer(view, request, *args, **kwargs)
            return _cache(request, response)

        endpoint.api_methods = tuple(methods)  # type: ignore[attr-defined]
        return endpoint

    return decorate


def _answer(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    try:
        return view(request, *args, **kwargs)
    except ApiError as exc:
        return exc.response()
    except Exception as exc:
        # Django decides the status, logs the error and tells the test client,
        # as for any view; only the HTML page it would send becomes JSON.
        html = response_for_exception(request, exc)
        response = generic_error(html.status_code, reason=unavailable_because(exc))
        if "Retry-After" in html:  # the database or Redis did not answer (outage.py)
            response["Retry-After"] = html["Retry-After"]
        # Django logged it already; without this mark it would log it twice.
        response._has_been_logged = getattr(html, "_has_been_logged", False)  # type: ignore[attr-defined]
        return response


def _cache(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or response.status_code in (429, 503):
        # Answers to writes carry edit tokens or one caller's errors; a 429 holds back
        # one address only; a 503 is over in a moment.
        patch_cache_control(response, private=True, no_store=True)
        return response
    # Every GET is the same for every caller: a shared cache may keep it, but
    # must ask again, which the ETag makes cheap.
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return conditional.shared(request, response)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 400 page (``handler400``): a JSON error under the API, as every API
    answer is (a forbidden Host header, say), Django's page elsewhere."""
    from django.views.defaults import bad_request as page

    if request.path_info.startswith(PATH_PREFIX):
        return generic_error(400)
    return page(request, exception)
