from __future__ import annotations

from typing import TypeVar

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults

from broadsheet import conditional
from broadsheet.conf import conf
from broadsheet.newsroom.middleware import use_site_language
from broadsheet.newsroom.models import FORMER_KINDS, Article, Author, FormerSlug, Section, Tag
from broadsheet.newsroom.querysets import ArticleQuerySet

Filed = TypeVar("Filed", Section, Tag, Author)


def _listing(
    request: HttpRequest, articles: ArticleQuerySet, template: str, **context
) -> HttpResponse:
    articles = articles.listed().latest_first().select_related("author", "section")
    page = Paginator(articles, conf.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    response = render(request, template, {"page": page, "articles": page.object_list, **context})
    # The same for every reader (drafts are shown on their own pages only, and so are
    # unlisted pages: ArticleQuerySet.listed).
    return conditional.shared(request, response)


def front(request: HttpRequest) -> HttpResponse:
    return _listing(request, Article.objects.all(), "newsroom/front.html")


def filed(
    request: HttpRequest, model: type[Filed], slug: str, *, then: str = ""
) -> Filed | HttpResponse:
    """The section, tag or byline of ``slug``; under a slug it had before it was
    renamed, a 301 to its address now (followed by ``then``: ``feed/`` for its feed)."""
    found = model._default_manager.filter(slug=slug).first()
    if found is not None:
        return found
    former = FormerSlug.objects.filter(kind=FORMER_KINDS[model], slug=slug).first()
    renamed = model._default_manager.filter(pk=former.target_id).first() if former else None
    if renamed is None:
        raise Http404(f"No {model._meta.verbose_name} {slug!r}.")
    query = request.META.get("QUERY_STRING", "")
    url = renamed.get_absolute_url() + then
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def section(request: HttpRequest, slug: str) -> HttpResponse:
    obj = filed(request, Section, slug)
    if isinstance(obj, HttpResponse):
        return obj
    return _listing(
        request, Article.objects.filter(section=obj), "newsroom/archive.html",
        heading=obj.name, description=obj.description, kind=_("Section"),
        follow=_("Follow this section: feed of its new articles"),
        feed_url=reverse("feeds:section", args=[obj.slug]),
    )  # fmt: skip


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    obj = filed(request, Tag, slug)
    if isinstance(obj, HttpResponse):
        return obj
    return _listing(
        request, Article.objects.filter(tags=obj), "newsroom/archive.html",
        heading=obj.name, kind=_("Tag"), follow=_("Follow this tag: feed of its new articles"),
        feed_url=reverse("feeds:tag", args=[obj.slug]),
    )  # fmt: skip


def author(request: HttpRequest, slug: str) -> HttpResponse:
    obj = filed(request, Author, slug)
    if isinstance(obj, HttpResponse):
        return obj
    return _listing(
        request, Article.objects.filter(author=obj), "newsroom/archive.html",
        heading=obj.name, description=obj.bio, kind=_("Author"),
        follow=_("Follow this author: feed of its new articles"),
        feed_url=reverse("feeds:author", args=[obj.slug]),
    )  # fmt: skip


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page, in the site's language: an address no view answers is refused
    before the language middleware's ``process_view`` would make it active."""
    use_site_language(request)
    return defaults.page_not_found(request, exception)


def robots(request: HttpRequest) -> HttpResponse:
    """What crawlers may read: the articles and archives, not the staff pages, the
    API, the comment forms (every comment is on its article's page) or the search,
    and where the sitemaps are."""
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /moderation/",
        "Disallow: /api/",
        "Disallow: /c/",
        # Endless pages of any words: crawlers find every article through the sitemaps.
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    return conditional.shared(request, response)
