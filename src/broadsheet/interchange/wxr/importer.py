"""Storing what ``reader`` reads: authors, sections, tags, articles and comments.

Called by ``broadsheet import wxr`` inside one transaction, after a first
pass (``reader.survey``) has read the whole file and found it sound.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.contrib.auth import get_user_model
from django.utils import timezone

from broadsheet.discussion.actions import KEPT_ID_LIMIT, ImportedComment, reserve_ids
from broadsheet.discussion.models import Comment
from broadsheet.discussion.querysets import disqus_alias
from broadsheet.interchange import wpcontent
from broadsheet.interchange.loading import (
    Catalogue,
    CommentWriter,
    clean_ip,
    fit,
    make_slug,
    same_comment,
    unique_slug,
)
from broadsheet.interchange.summary import Summary
from broadsheet.interchange.wxr import reader
from broadsheet.markup import web_url
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, Author

# wp:comment_approved -> Comment.status. "post-trashed" marks the comments of a
# trashed post; anything unknown is held for a moderator.
COMMENT_STATUS: dict[str, str] = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "approved": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.DELETED,
    "post-trashed": Comment.Status.DELETED,
}
COMMENT_KIND: dict[str, str] = {
    "": Comment.Kind.COMMENT,
    "comment": Comment.Kind.COMMENT,
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
}
# Written by ``broadsheet export wxr`` so that what WordPress cannot say survives
# a round trip through a WXR file.
META_STATUS = "_broadsheet_status"
# The whole slug, where WordPress's 200 characters held only part of it encoded.
META_SLUG = "_broadsheet_slug"
# The whole of an author field WordPress's columns could not hold (the export wrote it cut,
# or left it out); a Broadsheet import takes it from here.
META_AUTHOR = {
    "author_name": "_broadsheet_author_name",
    "author_email": "_broadsheet_author_email",
    "author_url": "_broadsheet_author_url",
}
# Written by Disqus's WordPress plugin on the comments it copied from Disqus.
META_DISQUS_POST = "dsq_post_id"
META_SOURCE_NAME = "_broadsheet_source_name"
META_SOURCE_URL = "_broadsheet_source_url"

_COMPARED = (
    "status", "kind", "author_name", "author_email", "author_url", "body", "created_at",
)  # fmt: skip
_ARTICLE_FIELDS = (
    "title", "slug", "summary", "body", "body_format", "author_id", "section_id", "status",
    "published_at", "comments_open", "source_name", "source_url",
)  # fmt: skip


# The longest commenter name stored; WordPress allows 245 characters.
NAME_LENGTH: int = Comment._meta.get_field("author_name").max_length or 200


class WxrImport:
    def __init__(
        self,
        path: Path,
        survey: reader.Survey,
        *,
        summary: Summary,
        progress: Callable[[int], None] = lambda n: None,
        keep_ids: bool = True,
    ) -> None:
        self.path = path
        self.survey = survey
        self.keep_ids = keep_ids
        # Comment ids above this are reserved for the file's comments (``run``).
        self.ids_given = KEPT_ID_LIMIT
        self.offset: timedelta = survey.offset
        channel = survey.channel
        # What everything imported is keyed by: the blog. Not base_site_url, which is
        # the network's address on a multisite install and "http://wordpress.com/" for
        # every WordPress.com blog, so two blogs of one network would overwrite each other.
        base = (channel.base_blog_url or channel.base_site_url or channel.link).rstrip("/")
        blog = channel.base_blog_url or channel.link or channel.base_site_url
        self.blog_path = unquote(urlsplit(blog).path).rstrip("/")
        self.summary = summary
        self.base = self.imported_as(base)
        self.catalogue = Catalogue(summary)
        self.comments = CommentWriter(summary)
        self.progress = progress
        self.pending_parents: list[tuple[reader.Category, object]] = []
        self.terms_done = False
        # wp:author_id -> the Django account made or found for that author.
        self.accounts: dict[str, int] = {}
        self.now = timezone.now()
        self.posts_seen: set[str] = set()

    def run(self) -> None:
        if self.keep_ids and self.survey.highest_comment_id:
            # Each comment keeps its WordPress id where no comment has had it, so its
            # old address (/2016/12/hello/#comment-42) still finds it (docs/import-export.md).
            self.ids_given = reserve_ids(self.survey.highest_comment_id)
        for record in reader.read(self.path):
            if isinstance(record, reader.Author):
                self.author(record)
            elif isinstance(record, reader.Category):
                self.category(record)
            elif isinstance(record, reader.Tag):
                if record.slug or record.name:
                    self.catalogue.tag(unquote(record.slug), html.unescape(record.name))
            elif isinstance(record, reader.Post):
                self.finish_terms()
                self.post(record)
                self.comments.flush_if_full()
                self.progress(1)
        self.finish_terms()
        self.comments.flush()
        self.report_ids()

    def report_ids(self) -> None:
        created = self.summary.get("comments").created
        kept = self.comments.kept_numbers
        if created and kept == created:
            self.summary.inform("Every comment kept its WordPress id: links to #comment-N find it.")
        elif created and self.keep_ids:
            self.summary.inform(
                f"{kept} of {created} new comments kept their WordPress ids (links to "
                "#comment-N find them); the others were numbered anew, their ids being "
                "taken here (or missing), so old links to them land on their article."
            )

    # Authors and terms

    def author(self, record: reader.Author) -> None:
        if not record.login:
            self.summary.count("authors", "found")
            self.summary.count("authors", "errors")
            self.summary.note("an author without a login was skipped", record.line)
            return
        name = record.display_name or " ".join(
            part for part in (record.first_name, record.last_name) if part
        )
        author = self.catalogue.author(record.login, name=html.unescape(name), email=record.email)
        if author is not None:
            self.account(record, author)

    def account(self, record: reader.Author, author: Author) -> None:
        """Find or make the author's Django account and link the byline to it.

        Made accounts are inactive, not staff and have no usable password: an
        import never grants access. Comments whose ``wp:comment_user_id`` is this
        author's ``wp:author_id`` are linked to the account.
        """
        user_model = get_user_model()
        summary = self.summary
        summary.count("users", "found")
        username = fit(record.login, user_model._meta.get_field("username").max_length or 150)
        user = author.user if author.user_id is not None else None
        if user is None:
            user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(
                username=username,
                email=fit(record.email, 254),
                first_name=fit(html.unescape(record.first_name), 150),
                last_name=fit(html.unescape(record.last_name), 150),
                is_active=False,
                is_staff=False,
            )
            user.set_unusable_password()
            user.save()
            summary.count("users", "created")
        else:
            summary.count("users", "skipped")
        if author.user_id is None:
            if Author.objects.filter(user=user).exclude(pk=author.pk).exists():
                summary.note(
                    f"author {record.login!r}: the account {user.get_username()!r} already "
                    "belongs to another byline; the byline was not linked to it",
                    record.line,
                )
            else:
                author.user = user
                author.save(update_fields=["user"])
        if record.author_id and record.author_id != "0":
            self.accounts[record.author_id] = user.pk

    def category(self, record: reader.Category) -> None:
        if not (record.nicename or record.name):
            self.summary.count("sections", "found")
            self.summary.count("sections", "errors")
            self.summary.note("a category without a name was skipped", record.line)
            return
        section = self.catalogue.section(
            unquote(record.nicename), html.unescape(record.name), record.description
        )
        if record.parent:
            self.pending_parents.append((record, section))

    def finish_terms(self) -> None:
        """Link categories to their parents once all are known (a parent may come later)."""
        for record, section in self.pending_parents:
            parent = unquote(record.parent)
            if make_slug(parent) not in self.catalogue.sections:
                self.summary.note(
                    f"category {record.nicename!r} names a parent {record.parent!r} that is "
                    "not in the file; it stays at the top",
                    record.line,
                )
                continue
            self.catalogue.set_parent(section, parent)  # type: ignore[arg-type]
        self.pending_parents = []

    # Posts

    def post(self, post: reader.Post) -> None:
        kind = {"post": "posts", "page": "pages", "attachment": "attachments"}.get(
            post.post_type, "other items"
        )
        self.summary.count(kind, "found")
        if kind != "posts" or post.status in ("auto-draft", "inherit"):
            self.summary.count(kind, "skipped")
            if not post.post_type:
                self.summary.note(
                    f"item {post.post_id or repr(post.title)} has no wp:post_type: skipped, as "
                    "WordPress's importer does",
                    post.line,
                )
            if post.comments:
                self._skip_comments(post)
                self.summary.note(
                    f"comments on {post.post_type or 'item'} {post.post_id} "
                    f"({post.status or 'no status'}) were skipped with it: {len(post.comments)}",
                    post.line,
                )
            return
        post_id = post.post_id.strip()
        if post_id in ("", "0"):
            # WordPress imports such a post as a new one (some converters write no ids):
            # it is keyed by what it says instead, so that a rerun finds it again.
            said = "|".join((post.guid, post.link, post.title, post.post_date, post.post_date_gmt))
            post = replace(post, post_id="h" + hashlib.sha1(said.encode()).hexdigest()[:16])
            if post.post_id in self.posts_seen:
                self.summary.count("posts", "skipped")
                self.summary.note("a post without an id repeats an earlier one: skipped", post.line)
                return
        elif post_id in self.posts_seen:
            # WordPress keeps the first item with an id and passes over the others.
            self.summary.count("posts", "skipped")
            self._skip_comments(post)
            self.summary.note(
                f"post {post_id} appears twice in the file: the first was imported, this one "
                f"skipped (with its {len(post.comments)} comments), as WordPress does",
                post.line,
            )
            return
        self.posts_seen.add(post.post_id)
        article, changed = self.article(post)
        if article is None:
            return
        self.summary.count("posts", changed)
        self.post_comments(post, article, existed=changed != "created")

    def _skip_comments(self, post: reader.Post) -> None:
        """Count a skipped post's comments as found and skipped with it."""
        self.summary.count("comments", "found", len(post.comments))
        self.summary.count("comments", "skipped", len(post.comments))

    def article(self, post: reader.Post) -> tuple[Article | None, str]:
        origin = fit(f"wxr:{self.base}#{post.post_id}", 300)
        article = Article.objects.filter(origin=origin).first()
        created = article is None
        if article is None:
            article = Article(origin=origin)
        before = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
        old_tags = set() if created else set(article.tags.values_list("pk", flat=True))

        published_at = reader.utc_time(
            post.post_date_gmt, post.post_date, self.offset, post.pub_date
        )
        if published_at is None and post.status == "publish" and not post.password:
            # WordPress publishes it as it imports it; a rerun keeps that time.
            published_at = article.published_at or self.now
            if created:
                self.summary.note(
                    f"post {post.post_id} has no date: published with the time of the import",
                    post.line,
                )
        status = self.article_status(post, published_at)
        title = html.unescape(post.title).strip() or f"Untitled ({post.post_id})"
        slug_source = post.meta.get(META_SLUG) or unquote(post.post_name) or title
        slug = make_slug(slug_source, f"post-{post.post_id}", max_length=200)
        if created or slug != article.slug:
            slug = unique_slug(Article, slug, exclude_pk=article.pk, max_length=200)
        summary = wpcontent.html_to_text(post.excerpt)
        if not summary:
            teaser, has_more = wpcontent.split_more(post.content)
            if has_more:
                summary = wpcontent.html_to_text(wpcontent.expand_shortcodes(teaser))
        sections, tags = [], []
        for domain, nicename, name in post.terms:
            if domain == "category":
                sections.append(self.catalogue.section(unquote(nicename), html.unescape(name)))
            elif domain == "post_tag":
                tags.append(self.catalogue.tag(unquote(nicename), html.unescape(name)))
        # One section per article: the first category; any others become tags.
        for extra in sections[1:]:
            tags.append(self.catalogue.tag(extra.slug, extra.name))
        author = self.catalogue.author(post.creator) if post.creator else None

        article.title = fit(title, 300)
        article.slug = slug
        article.summary = summary
        article.body = post.content
        article.body_format = Article.BodyFormat.HTML
        article.author = author
        article.section = sections[0] if sections else None
        article.status = status
        article.published_at = published_at
        article.comments_open = post.comment_status == "open"
        article.source_name = fit(post.meta.get(META_SOURCE_NAME, article.source_name), 200)
        article.source_url = web_url(fit(post.meta.get(META_SOURCE_URL, article.source_url), 500))

        after = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
        new_tags = {t.pk for t in tags}
        redirects = self.old_paths(post)
        if not created and before == after and old_tags == new_tags:
            if redirects and not self._has_redirects(article, redirects):
                newsroom_actions.import_article(
                    article, body_html=wpcontent.article_html(article.body), redirects=redirects
                )
            return article, "skipped"
        newsroom_actions.import_article(
            article,
            body_html=wpcontent.article_html(post.content),
            tags=tags,
            redirects=redirects,
            updated_at=reader.utc_time(post.post_modified_gmt, post.post_modified, self.offset),
        )
        return article, "created" if created else "updated"

    @staticmethod
    def _has_redirects(article: Article, paths: list[str]) -> bool:
        return article.redirects.filter(old_path__in=paths).count() == len(set(paths))

    def article_status(self, post: reader.Post, published_at) -> str:
        status = post.status
        if post.password:
            self.summary.note(
                f"post {post.post_id} is password-protected: imported as a draft (not public)",
                post.line,
            )
            return Article.Status.DRAFT
        if status == "publish":
            if published_at and published_at > self.now:
                return Article.Status.SCHEDULED
            return Article.Status.PUBLISHED
        if status == "future":
            return Article.Status.SCHEDULED if published_at else Article.Status.DRAFT
        if status not in ("draft", "pending", "private", "trash"):
            self.summary.note(f"post {post.post_id} has status {status!r}: imported as a draft")
        return Article.Status.DRAFT

    def old_paths(self, post: reader.Post) -> list[str]:
        """Where the post lived: its permalink path, and ``?p=<id>`` under the blog's path."""
        paths = []
        if post.link:
            parts = urlsplit(post.link)
            path = unquote(parts.path) or "/"
            query = parse_qs(parts.query)
            if query.get("p"):
                paths.append(f"{path}?p={query['p'][0]}")
            elif path.strip("/"):
                paths.append(path)
        if post.post_id.isdigit():
            paths.append(f"{self.blog_path}/?p={post.post_id}")
        return [fit(p, 500) for p in dict.fromkeys(paths)]

    # Comments

    def post_comments(self, post: reader.Post, article: Article, *, existed: bool) -> None:
        if not post.comments:
            return
        summary = self.summary
        summary.count("comments", "found", len(post.comments))
        stored: dict[str, dict] = {}
        if existed:
            stored = {
                row["origin"]: row
                for row in Comment.objects.filter(article=article)
                .exclude(origin="")
                .values("pk", "origin", *_COMPARED)
            }
        by_id: dict[str, reader.Comment] = {}
        for c in post.comments:
            cid = c.comment_id or self._synthetic_id(post, c)
            if cid in by_id:
                summary.count("comments", "skipped")
                summary.note(f"comment {cid} appears twice in post {post.post_id}", c.line)
                continue
            by_id[cid] = c
        parents = self._parents(post, by_id)
        records: dict[str, ImportedComment] = {}
        for cid, c in by_id.items():
            record = self.comment_record(post, article, cid, c)
            if record is None:
                continue
            records[cid] = record
        for cid, record in records.items():
            parent_cid = parents.get(cid)
            if parent_cid is None:
                continue
            parent_origin = self.comment_origin(parent_cid)
            if parent_origin in stored:
                record.parent_id = stored[parent_origin]["pk"]
            elif parent_cid in records:
                record.parent = records[parent_cid]
        for record in records.values():
            existing = stored.get(record.origin)
            if existing is None:
                self.comments.add(record)
            elif same_comment(existing, record):
                summary.count("comments", "skipped")
            else:
                record.existing_id = existing["pk"]
                self.comments.add(record)

    def imported_as(self, base: str) -> str:
        """The key an earlier import of this blog used: the same blog moved to https (or
        dropped its ``www.``) is still the same blog, and a rerun updates it."""
        parts = urlsplit(base)
        host = (parts.netloc or "").lower().removeprefix("www.")
        if not host:
            return base
        rest = base[len(f"{parts.scheme}://{parts.netloc}") :] if parts.scheme else ""
        variants = [
            f"{scheme}://{www}{host}{rest}" for scheme in ("https", "http") for www in ("", "www.")
        ]
        for key in [base, *(v for v in variants if v != base)]:
            if Article.objects.filter(origin__startswith=f"wxr:{key}#").exists():
                if key != base:
                    self.summary.note(
                        f"this blog ({base}) was imported before as {key}: that import is updated"
                    )
                return key
        return base

    def comment_origin(self, cid: str) -> str:
        return fit(f"wxr:{self.base}#c{cid}", 300)

    def _synthetic_id(self, post: reader.Post, c: reader.Comment) -> str:
        digest = hashlib.sha1(f"{c.author}|{c.date}|{c.content}".encode()).hexdigest()[:12]
        return f"{post.post_id}-{digest}"

    def _parents(self, post: reader.Post, by_id: dict[str, reader.Comment]) -> dict[str, str]:
        """Each reply's parent within the post; orphans and circles become top-level."""
        parents: dict[str, str] = {}
        for cid, c in by_id.items():
            if c.parent in ("", "0"):
                continue
            if c.parent not in by_id:
                self.summary.note(
                    f"comment {cid} on post {post.post_id} replies to comment {c.parent}, "
                    "which is not in the file: imported as a top-level comment",
                    c.line,
                )
                continue
            parents[cid] = c.parent
        for cid in list(parents):
            seen = {cid}
            node = parents.get(cid)
            while node is not None:
                if node in seen:
                    self.summary.note(
                        f"comments on post {post.post_id} reply to each other in a circle; "
                        f"comment {node} was made top-level",
                        by_id[node].line,
                    )
                    parents.pop(node, None)
                    break
                seen.add(node)
                node = parents.get(node)
        return parents

    def comment_record(
        self, post: reader.Post, article: Article, cid: str, c: reader.Comment
    ) -> ImportedComment | None:
        status: str | None = COMMENT_STATUS.get(c.approved.lower())
        if c.meta.get(META_STATUS) in Comment.Status.values:
            status = c.meta[META_STATUS]
        if status is None:
            self.summary.note(
                f"comment {cid} has approval {c.approved!r}: imported as pending", c.line
            )
            status = Comment.Status.PENDING
        kind = COMMENT_KIND.get(c.type.lower())
        if kind is None:
            self.summary.note(f"comment {cid} has type {c.type!r}: imported as a comment", c.line)
            kind = Comment.Kind.COMMENT
        created_at = reader.utc_time(c.date_gmt, c.date, self.offset)
        if created_at is None:
            # Kept, as WordPress keeps it (it gives such a comment a date of its own):
            # the article's date, which a second import gives it again.
            created_at = article.published_at or article.created_at
            self.summary.note(
                f"comment {cid} has no readable date: imported with its article's date", c.line
            )
        url = c.meta.get(META_AUTHOR["author_url"]) or c.author_url
        if url.strip().lower() in ("http://", "https://"):
            url = ""  # what old comment forms sent for an empty website field
        if len(url) > 500:
            self.summary.note(f"comment {cid}: author URL longer than 500 characters dropped")
            url = ""
        elif url and not web_url(url):
            self.summary.note(
                f"comment {cid}: author URL {url[:60]!r} is not a web address: dropped"
            )
            url = ""
        ip = clean_ip(c.author_ip) if c.author_ip else None
        user_id = None
        if c.user_id not in ("", "0"):
            user_id = self.accounts.get(c.user_id)
            if user_id is None:
                self.summary.note(
                    f"comment {cid} was written by user {c.user_id!r}, who is not among the "
                    "file's authors: imported without an account",
                    c.line,
                )
        name = c.meta.get(META_AUTHOR["author_name"]) or html.unescape(c.author).strip()
        name = name or "Anonymous"
        if len(name) > NAME_LENGTH:
            self.summary.note(
                f"comment {cid}: its author's name ({len(name)} characters) was cut to "
                f"{NAME_LENGTH}",
                c.line,
            )
        return ImportedComment(
            article_id=article.pk,
            author_name=fit(name, NAME_LENGTH),
            author_email=fit(c.meta.get(META_AUTHOR["author_email"]) or c.author_email, 254),
            author_url=url,
            ip_address=ip,
            user_id=user_id,
            body=c.content,
            body_html=wpcontent.comment_html(c.content),
            created_at=created_at,
            status=status,
            kind=kind,
            origin=self.comment_origin(cid),
            source_id=self._source_id(cid),
            alias=disqus_alias(c.meta.get(META_DISQUS_POST, "")),
        )

    def _source_id(self, cid: str) -> int | None:
        if not (cid.isascii() and cid.isdigit()):
            return None
        number = int(cid)
        return number if self.ids_given < number <= KEPT_ID_LIMIT else None
