"""What an article page tells the programs that read it besides its readers: the
preview a social network draws when the page is shared (Open Graph), and the
structured description search engines read (schema.org ``NewsArticle``)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from broadsheet.markup import html_text
from broadsheet.media import metadata as image_metadata
from broadsheet.newsroom.models import Article, SiteSettings

register = template.Library()

# What must not appear as written inside a <script> element (as json_script escapes it).
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def comment_count(article: Article) -> str:
    """The count line of an article's discussion ("1 Comment", "5 Comments"), with the
    plural forms of the site's language."""
    count = article.comment_count
    return ngettext("%(count)s Comment", "%(count)s Comments", count) % {"count": count}


@register.simple_tag(takes_context=True)
def comments_link(context: dict[str, Any], article: Article, page: str = "") -> SafeString:
    """The count under a headline, linked to the comments (``page`` is the article's
    address, "" on the article itself). With none, WordPress's *Leave a comment*, linked to
    the form instead: "0 Comments »" led to a heading over nothing. An article that takes
    no more says so, unlinked, as WordPress's "Comments Off" does."""
    if article.comment_count:
        return format_html('<a href="{}#comments-heading">{} »</a>', page, comment_count(article))
    site: SiteSettings | None = context.get("site")
    # A preview of an article not yet live says what readers will find once it is.
    if article.accepts_comments(site) or (article.comments_open and not article.is_live):
        return format_html('<a href="{}#respond">{}</a>', page, gettext("Leave a comment"))
    return format_html("<span>{}</span>", gettext("Comments closed"))


@register.simple_tag(takes_context=True)
def article_metadata(context: dict[str, Any], article: Article) -> SafeString:
    request = context["request"]
    site: SiteSettings = context["site"]

    def absolute(path: str) -> str:
        return request.build_absolute_uri(path)

    url = absolute(article.get_absolute_url())
    description = article.summary.strip()
    properties = [
        ("og:type", "article"),
        ("og:site_name", site.site_name),
        ("og:title", article.title),
        ("og:url", url),
        *([("og:description", description)] if description else []),
        *([("article:published_time", article.published_at.isoformat())]
          if article.published_at else []),
        ("article:modified_time", article.updated_at.isoformat()),
        *([("article:section", article.section.name)] if article.section else []),
        *[("article:tag", tag.name) for tag in article.tags.all()],
        *(image_metadata.open_graph(article.lead_image, absolute) if article.lead_image else []),
    ]  # fmt: skip
    meta = format_html_join(
        "\n",
        '<meta property="{}" content="{}">',
        ((name, html_text(value)) for name, value in properties),
    )
    # A story with a lead image is shared with it drawn large.
    card = format_html(
        '<meta name="twitter:card" content="{}">',
        "summary_large_image" if article.lead_image else "summary",
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        # A page that stands on its own (an "About us") is no news story.
        "@type": "NewsArticle" if article.listed else "WebPage",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "publisher": {"@type": "Organization", "name": site.site_name, "url": absolute("/")},
        "commentCount": article.comment_count,
        "discussionUrl": url + "#comments",
    }
    if description:
        data["description"] = description
    if article.author:
        data["author"] = {
            "@type": "Person",
            "name": article.author.name,
            "url": absolute(article.author.get_absolute_url()),
        }
    if article.lead_image:
        data["image"] = image_metadata.schema(article.lead_image, absolute)
    if article.section:
        data["articleSection"] = article.section.name
    if article.source_name:
        # Republished: the outlet's original is what this one is based on.
        data["isBasedOn"] = article.source_link or article.source_name
    document = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_SAFE)
    # JSON escapes the C0 controls; the characters HTML forbids that it writes as they
    # are (DEL, the C1 controls, the noncharacters) become U+FFFD.
    document = html_text(document)
    # Safe in the element: the JSON's <, > and & are escaped, so no text can end it.
    script = mark_safe(f'<script type="application/ld+json">{document}</script>')
    return format_html("{}\n{}\n{}", meta, card, script)
