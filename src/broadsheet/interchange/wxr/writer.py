"""Writing the site as WXR 1.2, the format WordPress's Tools › Import reads.

Written as it is read from the database (``iterator()``), so memory stays flat
however large the site. Text goes in CDATA sections, with ``]]>`` split across
two of them as WordPress does. What WordPress has no field for travels in
meta entries that ``broadsheet import wxr`` reads back (``wxr.meta``): a rejected
comment's status (``_broadsheet_status``; WordPress gets it as ``trash``), when a
comment was edited and its browser (``_broadsheet_edited_at``,
``_broadsheet_user_agent``), and an article's source attribution
(``_broadsheet_source_name``, ``_broadsheet_source_url``). An article's former
addresses go as WordPress keeps a renamed post's (``_wp_old_slug``), and whole
(``_broadsheet_redirect``) where WordPress cannot say them (``former_addresses``).

The image library goes out as WordPress writes its media: one ``attachment`` item
per image, whose ``wp:attachment_url`` is the absolute address article bodies use,
so that WordPress's importer, which downloads each file and then replaces that
address in every post, finds it; an article's lead image is its ``_thumbnail_id``.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, tzinfo
from typing import NamedTuple, TextIO
from urllib.parse import quote, unquote

from django.core.files.storage import default_storage
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from broadsheet.discussion.models import Comment
from broadsheet.interchange import wpcontent
from broadsheet.interchange.wxr.meta import (
    GENERATOR,
    META_ALT_TEXT,
    META_ATTACHED_FILE,
    META_AUTHOR,
    META_CREDIT,
    META_EDITED_AT,
    META_FEATURED_AT,
    META_FOOTNOTES,
    META_OLD_SLUG,
    META_REDIRECT,
    META_SLUG,
    META_SOURCE_NAME,
    META_SOURCE_URL,
    META_STATUS,
    META_THUMBNAIL,
    META_USER_AGENT,
    VISIBLE_ONLY,
    WHOLE_ARTICLES,
    WORDPRESS_IDS,
)
from broadsheet.interchange.xmlstream import cdata, escape, escape_attr
from broadsheet.media.images import STORED_NAME
from broadsheet.media.models import Image
from broadsheet.newsroom.models import Article, Author, Section, SiteSettings, Tag

WXR_VERSION = "1.2"
NAMESPACES = (
    ("excerpt", "http://wordpress.org/export/1.2/excerpt/"),
    ("content", "http://purl.org/rss/1.0/modules/content/"),
    ("wfw", "http://wellformedweb.org/CommentAPI/"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("wp", "http://wordpress.org/export/1.2/"),
)
POST_STATUS: dict[str, str] = {
    Article.Status.PUBLISHED: "publish",
    Article.Status.SCHEDULED: "future",
    Article.Status.DRAFT: "draft",
}
COMMENT_APPROVED: dict[str, str] = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.DELETED: "trash",
    Comment.Status.REJECTED: "trash",
}
_ZERO_DATE = "0000-00-00 00:00:00"


def plain(text: str) -> str:
    """Plain text where WordPress keeps HTML (titles, names, excerpts): ``&`` and ``<``
    written as entities, so that WordPress shows them, and an import reads them back."""
    return cdata(html.escape(text, quote=False))


# What WordPress's columns hold (wp_posts.post_name; wp_comments' author fields): its
# importer drops a comment whose value is longer, without a word.
SLUG_LENGTH = 200
AUTHOR_BYTES = 255  # comment_author, tinytext
EMAIL_LENGTH = 100
URL_LENGTH = 200


def wp_slug(slug: str) -> str:
    """WordPress keeps non-ASCII slugs percent-encoded, in lower case, in 200 characters:
    a longer one is cut between characters, never inside one's encoding."""
    encoded = ""
    for char in slug:
        piece = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(char, safe="-_."))
        if len(encoded) + len(piece) > SLUG_LENGTH:
            break
        encoded += piece
    return encoded


def _local(when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S")


def _gmt(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _rfc822(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


_NEXT_BLOCK = re.compile(r"\n(?=<(?:p|ul|ol|blockquote|pre|h[1-6])\b)")


# A link to a comment's permalink (``/c/<id>``), as Markdown renders a quote's link back.
_PERMALINK = re.compile(r'href="/c/(\d+)/?"')


def comment_text(comment: Comment, address: Callable[[int], str] | None = None) -> str:
    """An imported comment's text as it came; a Markdown one's HTML, with a blank line
    between blocks, which is how WordPress keeps paragraphs where it strips ``<p>``
    (a site whose users may not post HTML). ``address`` gives the address its links to
    other comments (a quote's link back, ``/c/<id>``) take in the file: WordPress has
    no ``/c/``."""
    if comment.body_is_html:
        return comment.body
    text = _NEXT_BLOCK.sub("\n\n", comment.body_html)
    return text if address is None else _comment_links(text, address)


def _comment_links(html_text: str, address: Callable[[int], str]) -> str:
    """``html_text`` with its links to comments' permalinks (``/c/<id>``) on ``address``."""
    if 'href="/c/' not in html_text:
        return html_text
    return _PERMALINK.sub(lambda m: f'href="{escape_attr(address(int(m[1])))}"', html_text)


# A site-relative address in an attribute, as the Markdown renderer writes it.
_SITE_RELATIVE = re.compile(r'(?<=\s)(href|src)="(/(?!/)[^"]*)"')


# The narrower copies a body's library image lists (markup.fit_pictures), which the
# file does not carry: WordPress makes its own from the attachment.
_COPIES = re.compile(r'\s(?:srcset|sizes)="[^"]*"')


def article_html(
    article: Article, base: str = "", address: Callable[[int], str] | None = None
) -> str:
    """The body WordPress gets. An imported article's is its body as it came, but for
    the library's image addresses an import with ``--uploads`` put in it; a Markdown
    article's is its rendered HTML with its site-relative addresses, without its
    images' copies. Both made absolute on ``base``: on another host a bare
    ``/media/…`` leads nowhere. ``address``, as for ``comment_text``: where its links
    to comments (``/c/<id>``) lead in the file."""
    if article.body_format == Article.BodyFormat.HTML:
        return _library_addresses(article.body, base) if base else article.body
    html = _COPIES.sub("", article.body_html)
    if address is not None:
        html = _comment_links(html, address)
    if not base:
        return html
    return _SITE_RELATIVE.sub(lambda m: f'{m[1]}="{base}{m[2]}"', html)


def _library_addresses(html_text: str, base: str) -> str:
    """``html_text`` with the site-relative addresses of library files made absolute."""
    prefix = default_storage.url("")
    if not prefix.startswith("/") or prefix.startswith("//"):
        return html_text  # the files are served from their own host already
    stored = re.compile(rf'(?<=["\'\s,]){re.escape(prefix)}(?={STORED_NAME.pattern}\b)')
    return stored.sub(base + prefix, html_text)


def write(
    out: TextIO,
    *,
    base_url: str,
    visible_only: bool = False,
    time_zone: tzinfo | None = None,
    first_comment_id: int | None = None,
) -> dict[str, int]:
    """Write the whole site to ``out``; returns how many of each kind were written.
    ``visible_only``: only the comments readers can see (approved), for a service
    that would show whatever it is given. ``time_zone``: the zone of the site that will
    read the file, in which local times (``post_date``, ``comment_date``) are written:
    WordPress's importer keeps them as they are and shows them (default: ``TIME_ZONE``).
    ``first_comment_id``: the id the WordPress that will import the file gives its next
    comment; the file's comments are numbered from it as that importer will number them
    (``wordpress_ids``), instead of by their ids here."""
    with timezone.override(time_zone):
        return _write(
            out, base_url=base_url, visible_only=visible_only, first_comment_id=first_comment_id
        )


def _write(
    out: TextIO, *, base_url: str, visible_only: bool, first_comment_id: int | None
) -> dict[str, int]:
    base = base_url.rstrip("/")
    counts = {
        "authors": 0, "sections": 0, "tags": 0, "images": 0, "articles": 0, "comments": 0,
    }  # fmt: skip
    site = SiteSettings.load()
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8" ?>\n')
    w("<!-- This is a WordPress eXtended RSS file written by Broadsheet. -->\n")
    w('<rss version="2.0"\n')
    for prefix, uri in NAMESPACES:
        w(f'\txmlns:{prefix}="{uri}"\n')
    w(">\n\n<channel>\n")
    w(f"\t<title>{escape(site.site_name)}</title>\n")
    w(f"\t<link>{escape(base)}</link>\n")
    w(f"\t<description>{escape(site.tagline)}</description>\n")
    w(f"\t<pubDate>{_rfc822(timezone.now())}</pubDate>\n")
    # WordPress writes its site language as a tag ("en-US", "he-IL"); the site's own here.
    w(f"\t<language>{'en-US' if site.language == 'en' else escape(site.language)}</language>\n")
    w(f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>\n")
    w(f"\t<wp:base_site_url>{escape(base)}</wp:base_site_url>\n")
    w(f"\t<wp:base_blog_url>{escape(base)}</wp:base_blog_url>\n\n")

    for author in Author.objects.order_by("pk").iterator():
        counts["authors"] += 1
        w(
            f"\t<wp:author><wp:author_id>{author.pk}</wp:author_id>"
            f"<wp:author_login>{cdata(author.slug)}</wp:author_login>"
            f"<wp:author_email>{cdata(author.email)}</wp:author_email>"
            f"<wp:author_display_name>{plain(author.name)}</wp:author_display_name>"
            f"<wp:author_first_name>{cdata('')}</wp:author_first_name>"
            f"<wp:author_last_name>{cdata('')}</wp:author_last_name></wp:author>\n"
        )
    w("\n")
    for section in Section.objects.select_related("parent").order_by("pk").iterator():
        counts["sections"] += 1
        parent = wp_slug(section.parent.slug) if section.parent else ""
        w(
            f"\t<wp:category>\n\t\t<wp:term_id>{section.pk}</wp:term_id>\n"
            f"\t\t<wp:category_nicename>{cdata(wp_slug(section.slug))}</wp:category_nicename>\n"
            f"\t\t<wp:category_parent>{cdata(parent)}</wp:category_parent>\n"
            f"\t\t<wp:cat_name>{plain(section.name)}</wp:cat_name>\n"
            f"\t\t<wp:category_description>{cdata(section.description)}"
            "</wp:category_description>\n\t</wp:category>\n"
        )
    for tag in Tag.objects.order_by("pk").iterator():
        counts["tags"] += 1
        w(
            f"\t<wp:tag>\n\t\t<wp:term_id>{tag.pk}</wp:term_id>\n"
            f"\t\t<wp:tag_slug>{cdata(wp_slug(tag.slug))}</wp:tag_slug>\n"
            f"\t\t<wp:tag_name>{plain(tag.name)}</wp:tag_name>\n\t</wp:tag>\n"
        )
    # The generator's address also says when the file holds only the comments readers
    # see, so that importing it here again takes down none of the others; when its
    # comments are numbered for a WordPress, so that an import here matches them to no
    # comment an earlier import stored under those ids; and that each article comes with
    # every one of its comments (of those), so that an import here takes down those it
    # lacks, media items or none (meta.py).
    marks = [VISIBLE_ONLY] if visible_only else []
    marks += [] if first_comment_id is None else [WORDPRESS_IDS]
    marks.append(WHOLE_ARTICLES)
    generator = "&amp;".join([GENERATOR, *marks])
    w(f"\n\t<generator>{generator}</generator>\n\n")

    # Attachments are numbered after the articles: WordPress has one sequence for both.
    first_image_id = Article.objects.aggregate(highest=Max("pk"))["highest"] or 0
    for image in Image.objects.order_by("pk").iterator(chunk_size=500):
        _write_attachment(w, image, first_image_id + image.pk, base)
        counts["images"] += 1

    # A comment's account travels as the wp:author_id of the byline linked to it.
    author_ids = dict(
        Author.objects.filter(user__isnull=False).values_list("user_id", "pk").iterator()
    )
    # The comments there are as the export starts: one posted meanwhile is left out, and
    # takes no id the file gives another.
    numbering = _Numbering(
        visible_only,
        Comment.objects.aggregate(highest=Max("pk"))["highest"] or 0,
        first_comment_id,
    )
    elsewhere = _addresses_elsewhere(numbering, base) if first_comment_id is not None else {}
    # The comments the first reading numbered, each to be found again under its id.
    numbered = {pk for pk, quoted in elsewhere.items() if quoted.id is not None}
    comments = numbering.articles()
    pending: tuple[int, list[Comment], dict[int, int]] | None = next(comments, None)
    articles = (
        Article.objects.select_related("author", "section")
        .prefetch_related("tags", "redirects")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for article in articles:
        while pending is not None and pending[0] < article.pk:
            pending = next(comments, None)
        own: list[Comment] = []
        ids: dict[int, int] = {}
        if pending is not None and pending[0] == article.pk:
            _, own, ids = pending
            pending = next(comments, None)
        for pk in elsewhere.keys() & ids.keys():
            if elsewhere[pk].id != ids[pk]:
                raise SiteChanged(CHANGED)
            numbered.discard(pk)
        thumbnail = first_image_id + article.lead_image_id if article.lead_image_id else None
        _write_item(w, article, own, base, author_ids, ids, thumbnail, elsewhere)
        counts["articles"] += 1
        counts["comments"] += len(own)
    if numbered:
        raise SiteChanged(CHANGED)
    w("</channel>\n</rss>\n")
    return counts


def export_ids(comments: list[Comment], fresh: Iterator[int]) -> dict[int, int]:
    """The wp:comment_id of each of an article's comments: its own id, unless that comes
    before its parent's. WordPress's importer stores a post's comments in the order of
    their ids and links a reply only to a parent it has stored already, so such a reply
    (an imported one can be older than its parent) gets an id from ``fresh``, after
    every existing one. A parent on another article counts as none (top level)."""
    known = {c.pk for c in comments}
    replies: dict[int | None, list[int]] = {}
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in known else None
        replies.setdefault(parent, []).append(comment.pk)
    ids: dict[int, int] = {}
    waiting = [(pk, 0) for pk in replies.get(None, [])]  # (comment, its parent's export id)
    while waiting:
        pk, parent_id = waiting.pop()
        ids[pk] = pk if parent_id < pk else next(fresh)
        waiting += [(reply, ids[pk]) for reply in replies.get(pk, [])]
    return ids


def wordpress_ids(ids: dict[int, int], given: Iterator[int]) -> dict[int, int]:
    """An article's comment ids (``export_ids``) replaced by the ids WordPress's importer
    will give them, from ``given``, the ids it gives next. It stores the posts in the
    order of the file, each post's comments right after it, in the order of their ids in
    the file (which put a parent before its replies), each under the next id of its
    comments table: so the n-th comment it stores gets the n-th id from the first."""
    return {pk: next(given) for pk in sorted(ids, key=ids.__getitem__)}


class SiteChanged(Exception):
    """The comments changed between the export's two readings of them."""


CHANGED = (
    "the site's comments changed while the export ran (one was approved or taken down), "
    "so the ids its quotes name are not the file's: run it again"
)


class Quoted(NamedTuple):
    """Where a link to a comment of another article leads in a file for WordPress: its
    post's address, and the id WordPress will give the comment (None when the file
    leaves the comment out)."""

    url: str
    id: int | None

    @property
    def address(self) -> str:
        # WordPress's own address of a post's discussion (get_comments_link) stands for
        # a comment the file leaves out: the quote leads to where it was written.
        return f"{self.url}#comment-{self.id}" if self.id is not None else f"{self.url}#comments"


class _Numbering:
    """The file's comments, article by article in the order of the file, with the
    wp:comment_id each is written under. Read twice when the ids are WordPress's (the
    first reading finds where links to other articles' comments lead), giving the
    same ids both times while the comments stay as they were."""

    def __init__(self, visible_only: bool, highest: int, first_comment_id: int | None) -> None:
        self.visible_only = visible_only
        self.highest = highest
        self.first_comment_id = first_comment_id

    def chosen(self) -> QuerySet[Comment]:
        """The comments the file holds: those there when the export started (only the
        approved ones, when ``visible_only``)."""
        chosen = Comment.objects.filter(pk__lte=self.highest)
        if self.visible_only:
            chosen = chosen.filter(status=Comment.Status.APPROVED)
        return chosen

    def articles(self, *fields: str) -> Iterator[tuple[int, list[Comment], dict[int, int]]]:
        """(article id, its comments, their ids in the file), with only ``fields`` of
        each comment read when some are named."""
        fresh = itertools.count(self.highest + 1)  # for replies that would precede parents
        given = None if self.first_comment_id is None else itertools.count(self.first_comment_id)
        chosen = self.chosen().only(*fields) if fields else self.chosen()
        for article_id, own in _comments_by_article(chosen):
            ids = export_ids(own, fresh)
            yield article_id, own, ids if given is None else wordpress_ids(ids, given)


def _addresses_elsewhere(numbering: _Numbering, base: str) -> dict[int, Quoted]:
    """Where the links to comments (``/c/<id>``) in the file's Markdown comments and
    articles lead once WordPress has imported it, by the comment they name: its post's
    address, with the id ``numbering`` gives it. A comment the file leaves out (not
    published, with ``--visible-only``) leads to its post's discussion; an id no comment
    has is not in the map."""
    linking = 'href="/c/'
    named: set[int] = set()
    for text in itertools.chain(
        numbering.chosen().filter(body_html__contains=linking).values_list("body_html", flat=True),
        Article.objects.filter(
            body_format=Article.BodyFormat.MARKDOWN, body_html__contains=linking
        ).values_list("body_html", flat=True),
    ):
        named.update(int(m[1]) for m in _PERMALINK.finditer(text))
    if not named:
        return {}
    where: dict[int, tuple[int, int | None]] = {}
    for article_id, _, ids in numbering.articles("pk", "article_id", "parent_id", "created_at"):
        where.update((pk, (article_id, ids[pk])) for pk in named & ids.keys())
    left_out = Comment.objects.filter(pk__in=named - where.keys()).values_list("pk", "article_id")
    where.update((pk, (article_id, None)) for pk, article_id in left_out)
    urls = {
        article.pk: base + iri_to_uri(article.get_absolute_url())
        for article in Article.objects.filter(pk__in={a for a, _ in where.values()}).only("slug")
    }
    return {pk: Quoted(urls[article_id], id) for pk, (article_id, id) in where.items()}


def _comments_by_article(
    chosen: QuerySet[Comment],
) -> Iterator[tuple[int, list[Comment]]]:
    """Each article's ``chosen`` comments, one article at a time, from one streamed
    query."""
    chosen = chosen.order_by("article_id", "created_at", "pk")
    rows = chosen.iterator(chunk_size=2000)
    current: list[Comment] = []
    article_id = None
    for comment in rows:
        if comment.article_id != article_id and current:
            yield article_id, current  # type: ignore[misc]
            current = []
        article_id = comment.article_id
        current.append(comment)
    if current:
        yield article_id, current  # type: ignore[misc]


def _write_item(
    w,
    article: Article,
    comments: list[Comment],
    base: str,
    author_ids: dict[int, int],
    ids: dict[int, int],
    thumbnail: int | None = None,
    elsewhere: dict[int, Quoted] | None = None,
) -> None:
    url = base + iri_to_uri(article.get_absolute_url())

    def address(pk: int) -> str:
        # A comment of this article by its anchor, which WordPress gives every comment;
        # one of another, numbered for a WordPress, by its post's address and anchor;
        # any other by the permalink it has here.
        if pk in ids:
            return f"{url}#comment-{ids[pk]}"
        if elsewhere and pk in elsewhere:
            return elsewhere[pk].address
        return f"{base}/c/{pk}"

    # A draft with no date is written as WordPress writes one: post_date the time it was
    # last saved, post_date_gmt zero ("no date yet"); an import gives it none either.
    when = article.published_at or article.updated_at
    post_date_gmt = _gmt(article.published_at) if article.published_at else _ZERO_DATE
    creator = article.author.slug if article.author else ""
    w("\t<item>\n")
    w(f"\t\t<title>{plain(article.title)}</title>\n")
    w(f"\t\t<link>{escape(url)}</link>\n")
    w(f"\t\t<pubDate>{_rfc822(when)}</pubDate>\n")
    w(f"\t\t<dc:creator>{cdata(creator)}</dc:creator>\n")
    w(f'\t\t<guid isPermaLink="false">{escape(base)}/?p={article.pk}</guid>\n')
    w("\t\t<description></description>\n")
    content = article_html(article, base, address if elsewhere else None)
    # A summary that is only the teaser before <!--more--> (an import made it so) is left
    # out: WordPress shows the teaser itself, and an excerpt would replace its own.
    excerpt = "" if article.summary == wpcontent.teaser_text(content) else article.summary
    w(f"\t\t<content:encoded>{cdata(content)}</content:encoded>\n")
    w(f"\t\t<excerpt:encoded>{plain(excerpt)}</excerpt:encoded>\n")
    w(f"\t\t<wp:post_id>{article.pk}</wp:post_id>\n")
    w(f"\t\t<wp:post_date>{cdata(_local(when))}</wp:post_date>\n")
    w(f"\t\t<wp:post_date_gmt>{cdata(post_date_gmt)}</wp:post_date_gmt>\n")
    w(f"\t\t<wp:post_modified>{cdata(_local(article.updated_at))}</wp:post_modified>\n")
    w(f"\t\t<wp:post_modified_gmt>{cdata(_gmt(article.updated_at))}</wp:post_modified_gmt>\n")
    status = "open" if article.comments_open else "closed"
    w(f"\t\t<wp:comment_status>{cdata(status)}</wp:comment_status>\n")
    w(f"\t\t<wp:ping_status>{cdata(status)}</wp:ping_status>\n")
    w(f"\t\t<wp:post_name>{cdata(wp_slug(article.slug))}</wp:post_name>\n")
    w(f"\t\t<wp:status>{cdata(post_status(article))}</wp:status>\n")
    w("\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n")
    # An unlisted article is what WordPress calls a page: kept out of its blog stream too.
    post_type = "post" if article.listed else "page"
    w(f"\t\t<wp:post_type>{cdata(post_type)}</wp:post_type>\n")
    w(f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n")
    w("\t\t<wp:is_sticky>0</wp:is_sticky>\n")
    terms: list[tuple[str, Section | Tag]] = (
        [("category", article.section)] if article.section else []
    )
    terms += [("post_tag", tag) for tag in article.tags.all()]
    for domain, term in terms:
        nicename = escape_attr(wp_slug(term.slug))
        w(f'\t\t<category domain="{domain}" nicename="{nicename}">{plain(term.name)}</category>\n')
    source = [(META_SOURCE_NAME, article.source_name), (META_SOURCE_URL, article.source_url)]
    if unquote(wp_slug(article.slug)) != article.slug:
        source.append((META_SLUG, article.slug))  # WordPress holds only part of it
    if thumbnail is not None:
        source.append((META_THUMBNAIL, str(thumbnail)))
    if article.body_format == Article.BodyFormat.HTML:
        source.append((META_FOOTNOTES, wpcontent.footnotes_meta(article.body)))
    source += former_addresses(article)
    for key, value in source:
        if value:
            _meta(w, "postmeta", key, value, indent="\t\t")

    for comment in comments:
        _write_comment(w, comment, author_ids, ids, address)
    w("\t</item>\n")


# What follows a post's slug in the addresses WordPress gives it, never a slug itself.
_NOT_SLUGS = {"amp", "embed", "trackback", "feed", "comment-page"}
# An address that names a post by its number: /?p=12, /?page_id=12.
_BY_NUMBER = re.compile(r"\?(?:p|page_id)=")


def former_addresses(article: Article) -> list[tuple[str, str]]:
    """The meta entries that carry the addresses that redirect to ``article`` (its
    ``Redirect`` rows). A former slug goes in ``_wp_old_slug`` (as WordPress keeps a
    slug), which WordPress answers with a redirect (``wp_old_slug_redirect``) and an import
    here turns back into that address: the slug of a former address of this site's
    (``/article/<slug>/``, an editor renamed it), and the last part of any other that reads
    as a WordPress slug (``/2019/05/01/<slug>/``, a permalink of the blog it came from).
    Each other address, and any a ``_wp_old_slug`` would not give back as it is, goes
    whole in ``_broadsheet_redirect``, which WordPress ignores and an import here reads
    back. Left out: its own address, and the ``?p=<id>`` ones, which name a post by its
    number: the file numbers its posts by their ids here, and an import gives each
    ``?p=`` of the file's numbers to the post of that number (WordPress, its own)."""
    own = unquote(article.get_absolute_url())
    prefix, _, suffix = unquote(reverse("newsroom:article", args=["-"])).partition("-")
    slugs: list[str] = []
    carried: list[str] = []
    for path in sorted(r.old_path for r in article.redirects.all()):
        if path == own or _BY_NUMBER.search(path):
            continue
        name = path[len(prefix) : -len(suffix) or None] if path.startswith(prefix) else ""
        if path.endswith(suffix) and name and "/" not in name and _slug_fits(name):
            slugs.append(name)  # this site's: the import makes it again from the slug
            continue
        carried.append(path)
        last = path.partition("?")[0].rstrip("/").rpartition("/")[2]
        # As WordPress writes a slug: lower case, its other characters percent-encoded.
        as_slug = _slug_fits(last) and re.fullmatch(r"[a-z0-9_%-]+", wp_slug(last))
        if as_slug and last not in _NOT_SLUGS and not last.isdigit():
            slugs.append(last)
    names = [wp_slug(name) for name in dict.fromkeys(slugs) if name != article.slug]
    return [(META_OLD_SLUG, n) for n in names] + [(META_REDIRECT, p) for p in carried]


def _slug_fits(name: str) -> bool:
    """Whether WordPress holds the whole of ``name`` as a slug (200 characters encoded)."""
    return unquote(wp_slug(name)) == name


def _write_attachment(w, image: Image, post_id: int, base: str) -> None:
    """A library image as WordPress's exporter writes a media item. The file named is
    the one pages show (the smaller copy of a large photo), at the address article
    bodies use for it."""
    url = base + image.url
    when = image.uploaded_at
    w("\t<item>\n")
    w(f"\t\t<title>{plain(image.alt_text)}</title>\n")
    w(f"\t\t<link>{escape(url)}</link>\n")
    w(f"\t\t<pubDate>{_rfc822(when)}</pubDate>\n")
    w(f"\t\t<dc:creator>{cdata('')}</dc:creator>\n")
    w(f'\t\t<guid isPermaLink="false">{escape(url)}</guid>\n')
    w("\t\t<description></description>\n")
    w(f"\t\t<content:encoded>{cdata('')}</content:encoded>\n")
    w(f"\t\t<excerpt:encoded>{plain(image.caption)}</excerpt:encoded>\n")
    w(f"\t\t<wp:post_id>{post_id}</wp:post_id>\n")
    w(f"\t\t<wp:post_date>{cdata(_local(when))}</wp:post_date>\n")
    w(f"\t\t<wp:post_date_gmt>{cdata(_gmt(when))}</wp:post_date_gmt>\n")
    w(f"\t\t<wp:post_modified>{cdata(_local(when))}</wp:post_modified>\n")
    w(f"\t\t<wp:post_modified_gmt>{cdata(_gmt(when))}</wp:post_modified_gmt>\n")
    w(f"\t\t<wp:comment_status>{cdata('closed')}</wp:comment_status>\n")
    w(f"\t\t<wp:ping_status>{cdata('closed')}</wp:ping_status>\n")
    stem = image.shown_file.rsplit("/", 1)[-1].split(".", 1)[0]
    w(f"\t\t<wp:post_name>{cdata(stem)}</wp:post_name>\n")
    w(f"\t\t<wp:status>{cdata('inherit')}</wp:status>\n")
    w("\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n")
    w(f"\t\t<wp:post_type>{cdata('attachment')}</wp:post_type>\n")
    w(f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n")
    w("\t\t<wp:is_sticky>0</wp:is_sticky>\n")
    w(f"\t\t<wp:attachment_url>{cdata(url)}</wp:attachment_url>\n")
    for key, value in (
        (META_ATTACHED_FILE, image.shown_file),
        (META_ALT_TEXT, image.alt_text),
        (META_CREDIT, image.credit),
    ):
        if value:
            _meta(w, "postmeta", key, value, indent="\t\t")
    w("\t</item>\n")


def post_status(article: Article) -> str:
    """``future`` only while the article waits: WordPress shows a ``future`` post whose
    time has passed as "Missed schedule", where Broadsheet shows it."""
    if article.status == Article.Status.SCHEDULED and article.is_live:
        return "publish"
    return POST_STATUS.get(article.status, "draft")


def _meta(w, kind: str, key: str, value: str, indent: str) -> None:
    w(
        f"{indent}<wp:{kind}>\n{indent}\t<wp:meta_key>{cdata(key)}</wp:meta_key>\n"
        f"{indent}\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n{indent}</wp:{kind}>\n"
    )


def _write_comment(
    w,
    comment: Comment,
    author_ids: dict[int, int],
    ids: dict[int, int],
    address: Callable[[int], str],
) -> None:
    kind = comment.kind if comment.kind != Comment.Kind.COMMENT else "comment"
    name, email, url, whole = _author_fields(comment)
    w("\t\t<wp:comment>\n")
    w(f"\t\t\t<wp:comment_id>{ids.get(comment.pk, comment.pk)}</wp:comment_id>\n")
    w(f"\t\t\t<wp:comment_author>{plain(name)}</wp:comment_author>\n")
    w(f"\t\t\t<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>\n")
    w(f"\t\t\t<wp:comment_author_url>{escape(url)}</wp:comment_author_url>\n")
    w(f"\t\t\t<wp:comment_author_IP>{cdata(comment.ip_address or '')}</wp:comment_author_IP>\n")
    w(f"\t\t\t<wp:comment_date>{cdata(_local(comment.created_at))}</wp:comment_date>\n")
    w(f"\t\t\t<wp:comment_date_gmt>{cdata(_gmt(comment.created_at))}</wp:comment_date_gmt>\n")
    w(f"\t\t\t<wp:comment_content>{cdata(comment_text(comment, address))}</wp:comment_content>\n")
    approved = COMMENT_APPROVED.get(comment.status, "0")
    w(f"\t\t\t<wp:comment_approved>{cdata(approved)}</wp:comment_approved>\n")
    w(f"\t\t\t<wp:comment_type>{cdata(kind)}</wp:comment_type>\n")
    parent = ids.get(comment.parent_id, 0) if comment.parent_id else 0
    w(f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n")
    user = author_ids.get(comment.user_id, 0) if comment.user_id is not None else 0
    w(f"\t\t\t<wp:comment_user_id>{user}</wp:comment_user_id>\n")
    if comment.status == Comment.Status.REJECTED:
        _meta(w, "commentmeta", META_STATUS, comment.status, indent="\t\t\t")
    for field, value in whole.items():
        _meta(w, "commentmeta", META_AUTHOR[field], value, indent="\t\t\t")
    if comment.edited_at is not None:
        _meta(w, "commentmeta", META_EDITED_AT, _gmt(comment.edited_at), indent="\t\t\t")
    if comment.user_agent:
        _meta(w, "commentmeta", META_USER_AGENT, comment.user_agent, indent="\t\t\t")
    if comment.featured_at is not None:
        _meta(w, "commentmeta", META_FEATURED_AT, _gmt(comment.featured_at), indent="\t\t\t")
    w("\t\t</wp:comment>\n")


def _author_fields(comment: Comment) -> tuple[str, str, str, dict[str, str]]:
    """The author's name, e-mail and web address as WordPress can store them,
    and the whole of any that it cannot, kept in commentmeta for a Broadsheet import. A
    name is cut between characters; an address too long is left out, not cut (a cut
    address leads elsewhere)."""
    whole: dict[str, str] = {}
    full = comment.author_name
    end = len(full)
    while end and (
        len(html.escape(full[:end], quote=False).encode()) > AUTHOR_BYTES
        or (end < len(full) and _joins(full[end - 1], full[end]))
    ):
        end -= 1
    if end < len(full) or _WORDPRESS_ALTERS.search(full):
        whole["author_name"] = full
    email, url = comment.author_email, comment.author_url
    # WordPress stores them with & written &amp; (and < > " as entities): measured so.
    if len(html.escape(email)) > EMAIL_LENGTH:
        whole["author_email"], email = email, ""
    if len(html.escape(url)) > URL_LENGTH:
        whole["author_url"], url = url, ""
    return full[:end], email, url, whole


# What WordPress's own cleaning of a name removes (sanitize_text_field): percent
# escapes, tags, runs of white space. Such a name goes into commentmeta whole too.
_WORDPRESS_ALTERS = re.compile(r"%[0-9a-fA-F]{2}|<|\s{2,}|^\s|\s$")


def _joins(before: str, after: str) -> bool:
    """Whether cutting between two characters would split what shows as one: a joined
    emoji (ZWJ), a skin tone or variation selector, a combining mark, a flag's tags."""
    code = ord(after)
    return (
        before == "\u200d"
        or after == "\u200d"
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or unicodedata.combining(after) > 0
    )
