"""Old addresses keep working: a 404 whose path an import recorded answers 301."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from broadsheet.interchange.pages import page_query
from broadsheet.newsroom.models import Article, Redirect

# A page of a post's comments on WordPress: /2016/12/06/hello/comment-page-2/.
_COMMENT_PAGE = re.compile(r"/comment-page-\d+/?$")
# A post's comment feed on WordPress (/2016/12/06/hello/feed/, or feed/atom/), or an
# article's under a slug it had before (/article/old-slug/feed/).
_FEED = re.compile(r"/feed(?:/(?:atom|rss2?|rdf))?/?$")


class LegacyRedirectMiddleware:
    """Looks up ``newsroom.Redirect`` only for requests that found nothing.

    Paths are matched as recorded (``/2016/12/06/hello/``), with or without the
    final slash or a page of comments (``comment-page-2/``), and WordPress's plain
    forms ``/?p=123`` and ``/?page_id=7``. Only live articles are
    redirected to, so an old link never reveals a draft's address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            # WordPress's plain links (/?p=123, and /?page_id=7 for a page) land on
            # pages that exist (the front page), so they are looked up first; they are rare.
            for key in ("p", "page_id"):
                post_id = request.GET.get(key, "")
                if post_id.isdigit():
                    target = self.target([f"{request.path}?{key}={post_id}"])
                    if target:
                        return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path, feed = _FEED.subn("/", request.path)
        path = _COMMENT_PAGE.sub("/", path)
        other = path[:-1] if path.endswith("/") else f"{path}/"
        paths = [p for p in (path, other) if p and p != "/"]
        # A page its query names (/view.php?id=5), as a Disqus import records it.
        query = page_query(request.META.get("QUERY_STRING", ""))
        if query:
            paths = [f"{p}?{query}" for p in (path, other) if p] + paths
        target = self.target(paths, feed=bool(feed))
        return HttpResponsePermanentRedirect(target) if target else response

    @staticmethod
    def target(paths: list[str], *, feed: bool = False) -> str | None:
        """Where the first of ``paths`` that an import recorded now lives; with
        ``feed``, where its comment feed does."""
        rows = {
            row.old_path: row
            for row in Redirect.objects.filter(
                old_path__in=paths, article__in=Article.objects.live()
            ).select_related("article")
        }
        found = next((rows[p] for p in paths if p in rows), None)
        if found is None:
            return None
        if feed:
            return reverse("feeds:discussion", args=[found.article.slug])
        return found.article.get_absolute_url()
