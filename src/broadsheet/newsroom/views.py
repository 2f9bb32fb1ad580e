from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from broadsheet import conditional
from broadsheet.conf import conf
from broadsheet.newsroom.models import Article, Author, Section, Tag
from broadsheet.newsroom.querysets import ArticleQuerySet


def _listing(
    request: HttpRequest, articles: ArticleQuerySet, template: str, **context
) -> HttpResponse:
    articles = articles.live().latest_first().select_related("author", "section")
    page = Paginator(articles, conf.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    response = render(request, template, {"page": page, "articles": page.object_list, **context})
    # The same for every reader (drafts are shown on their own pages only).
    return conditional.shared(request, response)


def front(request: HttpRequest) -> HttpResponse:
    return _listing(request, Article.objects.all(), "newsroom/front.html")


def section(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_object_or_404(Section, slug=slug)
    return _listing(
        request, Article.objects.filter(section=obj), "newsroom/archive.html",
        heading=obj.name, description=obj.description, kind="Section",
    )  # fmt: skip


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_object_or_404(Tag, slug=slug)
    return _listing(
        request, Article.objects.filter(tags=obj), "newsroom/archive.html",
        heading=obj.name, kind="Tag",
    )  # fmt: skip


def author(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_object_or_404(Author, slug=slug)
    return _listing(
        request, Article.objects.filter(author=obj), "newsroom/archive.html",
        heading=obj.name, description=obj.bio, kind="Author",
    )  # fmt: skip
