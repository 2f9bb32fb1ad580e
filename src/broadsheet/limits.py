"""How large a request body may be: small for readers, larger in the admin.

Readers send comments, edits and reports, which the comment length bounds long
before ``READER_BODY_LIMIT`` (a tunable); a post over it is answered 413 before
any of it is read. Editors save articles in the admin, where a long one (each
Hebrew letter is six bytes once form-encoded) or an imported WordPress post
needs far more: the admin is allowed up to Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE``, and a larger form is answered 413 here too (Django
would refuse it later with a bare "Bad Request (400)"). The JSON API applies the
readers' limit itself (``api.parsing``), to answer in JSON.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from broadsheet.api.responses import PATH_PREFIX
from broadsheet.conf import conf


class ReaderBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        # Nearly every request (each GET) stops here, before any address is looked up.
        size = int(declared) if declared.isdigit() else 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # the admin's; None: no limit
        if size <= conf.READER_BODY_LIMIT and (limit is None or size <= limit):
            return self.get_response(request)
        if request.path_info == reverse("admin:media_image_add"):
            # An image upload: its file is bounded by BROADSHEET_IMAGE_MAX_MB, the
            # form's words by the admin's limit (broadsheet.media.images).
            if limit is not None and size > limit + settings.BROADSHEET_IMAGE_MAX_BYTES:
                return _too_large(
                    f"The image is larger than {settings.BROADSHEET_IMAGE_MAX_BYTES / 2**20:g}"
                    " MB, the most the library takes (BROADSHEET_IMAGE_MAX_MB).\n"
                )
        elif request.path_info.startswith(reverse("admin:index")):
            if limit is not None and size > limit:
                return _too_large(
                    f"The form is larger than {limit} bytes ({limit / 2**20:g} MiB), "
                    "the most the admin takes: shorten the article, or split it in two.\n"
                )
        elif not request.path_info.startswith(PATH_PREFIX):
            return _too_large(f"The request body is larger than {conf.READER_BODY_LIMIT} bytes.\n")
        return self.get_response(request)


def _too_large(message: str) -> HttpResponse:
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
