"""Sitemaps for search engines: every live article (unlisted pages too), section, tag
and byline, and a news sitemap of the last two days' listed articles (the form Google
News reads; a page that stands on its own is no news).

``/sitemap.xml`` is an index of the others; each lists at most ``PAGE_SIZE``
addresses a page, so a site of a hundred thousand articles is read in small pages.
An article's ``lastmod`` is its ``changed_at``: its page changes with its comments too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from broadsheet import conditional
from broadsheet.newsroom.models import Article, Author, Section, SiteSettings, Tag

# Addresses a sitemap page lists: the protocol allows 50,000, but a page that size
# takes seconds to draw.
PAGE_SIZE = 5_000
# Google News reads articles of the last two days, at most 1,000 of them.
NEWS_DAYS = 2
NEWS_MOST = 1_000


class FrontSitemap(Sitemap):
    changefreq = "hourly"

    def items(self) -> list[str]:
        return ["newsroom:front"]

    def location(self, item: str) -> str:
        return reverse(item)


class ArticleSitemap(Sitemap):
    limit = PAGE_SIZE

    def items(self) -> QuerySet[Article]:
        return Article.objects.live().order_by("id").only("slug", "changed_at")

    def lastmod(self, item: Article) -> datetime:
        return item.changed_at

    def get_latest_lastmod(self) -> datetime | None:
        # For the index: one aggregate, where Django's default reads every article.
        return self.items().aggregate(latest=Max("changed_at"))["latest"]


class FiledSitemap(Sitemap):
    """Sections, tags or bylines that have a listed article (an empty archive is no
    page to send a search engine to)."""

    limit = PAGE_SIZE

    def __init__(self, model: type[Section | Tag | Author], link: str) -> None:
        self.model, self.link = model, link

    def items(self) -> QuerySet[Any]:
        listed = Article.objects.listed().filter(**{self.link: OuterRef("pk")})
        return self.model._default_manager.filter(Exists(listed)).order_by("id").only("slug")


class NewsSitemap(Sitemap):
    """The last ``NEWS_DAYS`` days' listed articles, newest first, with their title and time."""

    def items(self) -> list[Article]:
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        recent = Article.objects.listed().filter(published_at__gte=since).latest_first()
        articles = list(recent.only("slug", "title", "published_at")[:NEWS_MOST])
        for article in articles:
            # Said to the second (W3C date and time), as news sitemaps show it.
            article.published_at = article.published_at.replace(microsecond=0)  # type: ignore[union-attr]
        return articles


SITEMAPS: dict[str, Sitemap | type[Sitemap]] = {
    "front": FrontSitemap(),
    "articles": ArticleSitemap(),
    "sections": FiledSitemap(Section, "section"),
    "tags": FiledSitemap(Tag, "tags"),
    "authors": FiledSitemap(Author, "author"),
}


def index(request: HttpRequest) -> HttpResponse:
    response = sitemap_views.index(
        request, {**SITEMAPS, "news": NewsSitemap()}, sitemap_url_name="sitemap"
    )
    return conditional.shared(request, response.render())


def sitemap(request: HttpRequest, section: str) -> HttpResponse:
    if section == "news":
        site = SiteSettings.for_request(request)
        response = sitemap_views.sitemap(
            request,
            {"news": NewsSitemap()},
            template_name="newsroom/sitemap_news.xml",
        )
        response.context_data = {
            **(response.context_data or {}),
            "publication": site.site_name,
            # The site's language, as Google News wants it: an ISO 639 code ("he").
            "language": site.language.split("-")[0],
        }
    else:
        response = sitemap_views.sitemap(request, SITEMAPS, section=section)
    return conditional.shared(request, response.render())
