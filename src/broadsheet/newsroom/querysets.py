from __future__ import annotations

from django.db import models
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def live(self) -> ArticleQuerySet:
        """Articles a reader can see: published, or scheduled and whose time has come.

        Scheduled articles need no background job: they are live as soon as
        ``published_at`` passes.
        """
        return self.filter(
            status__in=[self.model.Status.PUBLISHED, self.model.Status.SCHEDULED],
            published_at__lte=timezone.now(),
        )

    def listed(self) -> ArticleQuerySet:
        """Live articles in the stream of news: what the front page, the section, tag
        and byline pages, their feeds and the news sitemap list. A page that stands on
        its own (``Article.listed`` off: an "About us", a WordPress page) is left out;
        it is still found at its address, by search and in the general sitemap."""
        return self.live().filter(listed=True)

    def latest_first(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-id")
