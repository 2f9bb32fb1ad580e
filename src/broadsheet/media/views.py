"""The library's files, served by the site itself (a front proxy may serve /media/
instead: docs/operations.md).

Only names the library writes are served (``images.STORED_NAME``): anything else,
a folder, ``..`` or an encoded slash, is a 404 before the storage is asked. A name
holds its file's digest, so the file never changes: it may be cached for ever, and
the digest is its ETag.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from broadsheet.conditional import etag_matches
from broadsheet.media.images import CONTENT_TYPES, STORED_NAME


@require_safe
def serve(request: HttpRequest, name: str) -> HttpResponse | FileResponse:
    match = STORED_NAME.fullmatch(name)
    if match is None:
        raise Http404("No such file.")
    etag = f'"{match[2]}"'
    response: HttpResponse | FileResponse
    if etag_matches(etag, request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        try:
            file = default_storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404("No such file.") from None
        response = FileResponse(file, content_type=CONTENT_TYPES[match[3]])
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    return response
