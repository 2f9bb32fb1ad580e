"""The search page: ``/search/?q=words``, which the search box on every page sends to."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from broadsheet import conditional
from broadsheet.conf import conf
from broadsheet.newsroom import indexing
from broadsheet.newsroom.indexing import plain_text
from broadsheet.newsroom.models import Article, SiteSettings
from broadsheet.search import limits
from broadsheet.search.excerpts import Highlighter, Part
from broadsheet.search.query import MAX_LENGTH, MAX_WORDS, Query, Results, query_text

TEMPLATE = "search/results.html"


@dataclass
class Hit:
    article: Article
    title: list[Part]
    summary: list[Part]
    excerpt: list[Part] | None


def results(request: HttpRequest) -> HttpResponse:
    site = SiteSettings.for_request(request)
    typed = request.GET.get("q", "")
    text = query_text(typed)
    context: dict = {"search_text": text[:MAX_LENGTH]}
    if len(typed.strip()) > MAX_LENGTH:
        context["message"] = ngettext(
            "That search is too long: shorten it to %(most)s character or fewer.",
            "That search is too long: shorten it to %(most)s characters or fewer.",
            MAX_LENGTH,
        ) % {"most": MAX_LENGTH}
        return render(request, TEMPLATE, context, status=400)
    if not text:
        context["message"] = _("Type one or more words in the search box to find articles.")
        return conditional.shared(request, render(request, TEMPLATE, context))
    query = Query.parse(text)
    if query.too_long:
        context["message"] = _(
            "Words longer than %(most)s characters are not searched for: search for shorter ones."
        ) % {"most": indexing.LONGEST_WORD}
        return conditional.shared(request, render(request, TEMPLATE, context))
    if not query.terms:
        context["message"] = _(
            "Search for words: punctuation, symbols and emoji are not searched for."
        )
        return conditional.shared(request, render(request, TEMPLATE, context))
    if wait := limits.wait(request):
        context["message"] = _(
            "Too many searches from your address in a short time. Please try again in a minute."
        )
        response = render(request, TEMPLATE, context, status=429)
        response["Retry-After"] = str(wait)
        patch_cache_control(response, private=True, no_store=True)
        return response

    found = Results(query, site.language)
    paginator: Paginator = Paginator(found, conf.ARTICLES_PER_PAGE)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    highlighter = Highlighter.of(found, bool(page.object_list))
    context.update(
        searched=True,
        page=page,
        hits=[_hit(article, highlighter) for article in page.object_list],
        page_query=urlencode({"q": text}) + "&",
    )
    if query.dropped:
        context["message"] = ngettext(
            "Only the first %(most)s word was searched for.",
            "Only the first %(most)s words were searched for.",
            MAX_WORDS,
        ) % {"most": MAX_WORDS}
    # The same for every reader: kept by browsers and shared caches, who ask again
    # each time (an ETag makes that cheap), so that an article unpublished leaves the
    # results at once (docs/operations.md, "Search").
    return conditional.shared(request, render(request, TEMPLATE, context))


def _hit(article: Article, highlighter: Highlighter) -> Hit:
    return Hit(
        article=article,
        title=highlighter.mark(article.title),
        summary=highlighter.mark(article.summary),
        excerpt=highlighter.excerpt(plain_text(article.body_html)),
    )
