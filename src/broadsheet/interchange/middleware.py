"""Old addresses keep working: a 404 whose path an import recorded answers 301."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from broadsheet.interchange.pages import page_query
from broadsheet.newsroom.models import Article, Author, Redirect, Section, Tag

# A page of a post's comments on WordPress: /2016/12/06/hello/comment-page-2/.
_COMMENT_PAGE = re.compile(r"/comment-page-\d+/?$")
# Other addresses WordPress gives a post under its permalink: a later page of a post
# split with <!--nextpage--> (/hello/2/), its AMP copy (the AMP plugin's reader mode,
# /hello/amp/, where news aggregators and search results link), the copy other sites
# embed (/hello/embed/) and its trackback address (/hello/trackback/).
_POST_PART = re.compile(r"/(?:\d+|amp|embed|trackback)/?$")
# WordPress's archives: a category's (/category/news/, a child's under its parents:
# /category/news/local/), a tag's and an author's, each with its later pages
# (/page/2/) and its feed (/feed/). Its paged front page is /page/2/.
_ARCHIVE = re.compile(
    r"^/(?P<kind>category|tag|author)/(?:[^/]+/)*?(?P<slug>[^/]+)"
    r"(?:/page/(?P<page>\d+))?(?P<feed>/feed(?:/(?:atom|rss2?|rdf))?)?/?$"
)
_FRONT_PAGE = re.compile(r"^/page/(?P<page>\d+)/?$")
_ARCHIVE_MODELS = {
    "category": (Section, "section"),
    "tag": (Tag, "tag"),
    "author": (Author, "author"),
}

# A post's comment feed on WordPress (/2016/12/06/hello/feed/, or feed/atom/), or an
# article's under a slug it had before (/article/old-slug/feed/).
_FEED = re.compile(r"/feed(?:/(?:atom|rss2?|rdf))?/?$")


class LegacyRedirectMiddleware:
    """Looks up ``newsroom.Redirect`` only for requests that found nothing.

    Paths are matched as recorded (``/2016/12/06/hello/``), with or without the
    final slash, a page of comments (``comment-page-2/``) or another part of the post
    (``_POST_PART``: ``2/``, ``amp/``...), and WordPress's plain forms ``/?p=123`` and
    ``/?page_id=7``. Only live articles are
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
        # The path as it is first (a permalink may end in a number: /archives/123/).
        paths = [*_either_way(path), *_either_way(_POST_PART.sub("/", path))]
        # A page its query names (/view.php?id=5), as a Disqus import records it.
        query = page_query(request.META.get("QUERY_STRING", ""))
        if query:
            paths = [f"{p}?{query}" for p in _either_way(path, bare=True)] + paths
        target = self.target(paths, feed=bool(feed)) or archive_target(request.path)
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


def _either_way(path: str, *, bare: bool = False) -> list[str]:
    """``path`` with and without its final slash (not the bare ``/`` unless ``bare``)."""
    other = path[:-1] if path.endswith("/") else f"{path}/"
    return [p for p in dict.fromkeys((path, other)) if p and (bare or p != "/")]


def archive_target(path: str) -> str | None:
    """Where a WordPress archive's address (``_ARCHIVE``) lives here: the section,
    tag or byline of the same slug (an import gives each its WordPress slug), its
    later page as ``?page=N``, its feed as its feed. None for anything else."""
    front = _FRONT_PAGE.match(path)
    if front:
        return f"{reverse('newsroom:front')}?page={front['page']}"
    found = _ARCHIVE.match(path)
    if found is None:
        return None
    model, name = _ARCHIVE_MODELS[found["kind"]]
    slug = unquote(found["slug"])
    if not model._default_manager.filter(slug=slug).exists():
        return None
    if found["feed"]:
        return reverse(f"feeds:{name}", args=[slug])
    url = reverse(f"newsroom:{name}", args=[slug])
    return f"{url}?page={found['page']}" if found["page"] else url
