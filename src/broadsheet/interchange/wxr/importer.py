"""Storing what ``reader`` reads: authors, sections, tags, articles and comments.

Called by ``broadsheet import wxr`` inside one transaction, after a first
pass (``reader.survey``) has read the whole file and found it sound.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from broadsheet.alt_text import undescribed_images
from broadsheet.discussion.actions import reserve_ids
from broadsheet.interchange import wpcontent
from broadsheet.interchange.loading import (
    Catalogue,
    CommentWriter,
    fit,
    indexed_at_the_end,
    make_slug,
    one_line,
    unique_slug,
)
from broadsheet.interchange.summary import Summary, counted, plural
from broadsheet.interchange.wxr import kept, reader
from broadsheet.interchange.wxr.comments import NOT_A_READERS, NOT_COMMENTS, PostComments
from broadsheet.interchange.wxr.meta import (
    META_FOOTNOTES,
    META_OLD_DATE,
    META_OLD_SLUG,
    META_REDIRECT,
    META_SLUG,
    META_SOURCE_NAME,
    META_SOURCE_URL,
    holds_visible_comments_only,
    holds_whole_articles,
    holds_wordpress_comment_ids,
    written_by_broadsheet,
)
from broadsheet.interchange.wxr.trash import untrashed_name
from broadsheet.interchange.wxr.uploads import Uploads
from broadsheet.interchange.xmlstream import BrokenFile, Source
from broadsheet.markup import web_url
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, Author, DeletedImport, Redirect

_ARTICLE_FIELDS = (
    "title", "slug", "summary", "body", "body_format", "author_id", "section_id", "status",
    "published_at", "listed", "comments_open", "source_name", "source_url", "lead_image_id",
)  # fmt: skip

# The statuses whose post_date_gmt WordPress leaves zero until a date is chosen
# (its "floating" dates): without one such a post has no date.
UNDATED_STATUSES = ("draft", "pending", "auto-draft")


# The extension of a page's address, which some tools write into a post's name.
_PAGE_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?)$", re.IGNORECASE)


def name_slug(name: str) -> str:
    """A post's ``wp:post_name`` made ready for a slug. WordPress's never holds a dot
    or a slash (it makes a dot a dash); tools that write WXR for another system do:
    Squarespace names a post by its page's address, ``basic-post.html`` or
    ``blog/2023/04/05/my-post``. The name is then its last part, without the page's
    extension, and its other dots part words, as WordPress makes them."""
    last = name.strip().rstrip("/").rsplit("/", 1)[-1]
    return _PAGE_EXTENSION.sub("", last).replace(".", "-")


class WxrImport:
    def __init__(
        self,
        paths: Sequence[Source],
        survey: reader.Survey,
        *,
        summary: Summary,
        progress: Callable[[int], None] = lambda n: None,
        keep_ids: bool = True,
        pages: bool = True,
        uploads: Path | None = None,
        write_files: bool = True,
    ) -> None:
        # The files of one site, read in turn as one (reader.one_site).
        self.paths = paths
        self.survey = survey
        self.keep_ids = keep_ids
        # Pages imported as unlisted articles, with their comments; with ``--no-pages``
        # skipped, and their comments with them.
        self.pages = pages
        self.pages_stored = self.pages_left_out = 0
        # Articles with fields changed here since an earlier import, which the file
        # would have changed back.
        self.kept_here = 0
        # Images shown without alt text, and the articles that show them.
        self.undescribed = self.undescribed_in = 0
        # Media items that have comments, with the file each came from: their comments
        # go to the post each belongs to once every post is in (a post may come later).
        self.commented_media: list[tuple[str, reader.Post]] = []
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
        # wp:author_id -> the Django account made or found for that author.
        self.accounts: dict[str, int] = {}
        self.post_comments = PostComments(
            self.base, summary=summary, writer=self.comments, offset=self.offset,
            accounts=self.accounts,
        )  # fmt: skip
        self.post_comments.written_at = reader.utc_time("", "", timedelta(0), channel.pub_date)
        self.progress = progress
        # Posts of this blog whose articles were deleted here: left out (DeletedImport).
        self.deleted = set(
            DeletedImport.objects.filter(origin__startswith=f"wxr:{self.base}#").values_list(
                "origin", flat=True
            )
        )
        self.deleted_left_out = 0
        self.pending_parents: list[tuple[reader.Category, object]] = []
        self.terms_done = False
        self.now = timezone.now()
        self.posts_seen: set[str] = set()
        # Whether the file holds media items, as an export of All content does.
        self.media_in_file = False
        # A Broadsheet export of the comments readers see, and no others.
        self.visible_only = holds_visible_comments_only(channel.generator)
        # A Broadsheet export that says each of its articles comes with all its comments
        # (an older one does not say it, and is read as WordPress's files are).
        self.whole_articles = holds_whole_articles(channel.generator)
        self.older_broadsheet = written_by_broadsheet(channel.generator) and not (
            self.whole_articles
        )
        # The old site's uploads folder (``--uploads``): its images go into the library.
        self.uploads: Uploads | None = None
        if uploads is not None:
            self.uploads = Uploads(
                uploads, channel, survey.attachments, summary=summary, offset=self.offset,
                write_files=write_files,
            )  # fmt: skip

    def run(self) -> None:
        # The articles are indexed for search together, when the import ends.
        with indexed_at_the_end():
            self._run()

    def _run(self) -> None:
        if holds_wordpress_comment_ids(self.survey.channel.generator):
            # Its ids are not the comments' own: matched to those of an import of the
            # site before or after it, each would be taken for another comment.
            raise BrokenFile(
                f"this file's comments are numbered for a WordPress (export wxr "
                f"--first-comment-id), not by their ids on {self.base}: an import of that "
                "site before or after it would take each for another comment. Import an "
                "export written without --first-comment-id"
            )
        if self.keep_ids and self.survey.highest_comment_id:
            # Each comment keeps its WordPress id where no comment has had it, so its
            # old address (/2016/12/hello/#comment-42) still finds it (docs/import-export.md).
            self.post_comments.ids_given = reserve_ids(self.survey.highest_comment_id)
        # Notes name the file when there are several, or it is inside an archive.
        named = len(self.paths) > 1 or not isinstance(self.paths[0], str | Path)
        for path in self.paths:
            self.summary.source = str(path) if named else ""
            self.read(path)
        self.move_media_comments()
        self.summary.source = ""
        self.post_comments.take_down_missing(
            complete=self.media_in_file or self.whole_articles, visible_only=self.visible_only
        )
        self.comments.flush()
        self.report_pages()
        self.report_ids()
        self.report_comments()
        if self.kept_here:
            self.summary.inform(
                f"{counted(self.kept_here, 'article was', 'articles were')} changed here since "
                "an earlier import: what was changed here stays, and the file's other changes "
                "came in."
            )
        if self.undescribed:
            images = counted(self.undescribed, "image", "images")
            articles = counted(self.undescribed_in, "article", "articles")
            self.summary.inform(
                f"{images} in {articles} (noted below) {plural(self.undescribed, 'has', 'have')} "
                "no alt text, which a screen reader reads instead of the image: describe "
                f"{plural(self.undescribed, 'it', 'each')} in its article's body."
            )
        if self.uploads is not None:
            self.uploads.report()

    def read(self, path: Source) -> None:
        for record in reader.read(path):
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

    def report_comments(self) -> None:
        """Say what became of the comments the file left out or does not hold."""
        for kind, n in sorted(self.post_comments.left_out.items()):
            self.summary.inform(
                f"{counted(n, 'comment', 'comments')} of type {kind!r} ({NOT_COMMENTS[kind]}) "
                f"{plural(n, 'was', 'were')} left out: {plural(n, *NOT_A_READERS)}."
            )
        if deleted := self.deleted_left_out:
            left_out = ("was left out with its", "were left out with their")
            self.summary.inform(
                f"{counted(deleted, 'post whose article was', 'posts whose articles were')} "
                f"deleted here {plural(deleted, *left_out)} comments (Deleted imported "
                "articles, in the admin, brings one back)."
            )
        stored = "stored by an earlier import"
        absent = ("is not in its post", "are not in their posts")
        left = ("it is left as it is", "they are left as they are")
        if pending := self.post_comments.left_pending:
            self.summary.inform(
                f"{counted(pending, 'pending comment', 'pending comments')} {stored} "
                f"{plural(pending, *absent)} in this file, which "
                "Broadsheet wrote with --visible-only (the published comments alone): "
                f"{plural(pending, *left)}."
            )
        standing = self.post_comments.left_standing
        if standing:
            self.summary.inform(
                f"{counted(standing, 'comment', 'comments')} {stored} "
                f"{plural(standing, *absent)} in this file, which holds "
                f"no media items {self.why_not_whole()}: "
                f"{plural(standing, *left)}" + self.how_to_take_down()
            )
        if gone := self.post_comments.taken_down:
            self.summary.inform(
                f"{counted(gone, 'comment', 'comments')} {stored} "
                f"{plural(gone, 'is no longer in its post', 'are no longer in their posts')}, "
                "which WordPress does to a comment its moderators marked as spam or deleted: "
                f"{plural(gone, 'it is', 'they are')} deleted here (not shown)."
            )

    def why_not_whole(self) -> str:
        if self.older_broadsheet:
            return (
                "and was written by a Broadsheet older than 2026-11-27, whose files do not "
                "say that they hold every comment of their articles"
            )
        return "(an export of posts only, or of some authors, dates or categories)"

    def how_to_take_down(self) -> str:
        if self.older_broadsheet:
            return (
                ". Export the site again with this version to take down those its "
                "moderators removed."
            )
        return (
            ", since a media item's comments, stored on its post, are left out of such a "
            "file too. Import an export of All content to take down those WordPress's "
            "moderators removed."
        )

    def report_pages(self) -> None:
        if stored := self.pages_stored:
            unlisted = (
                "WordPress page is an unlisted article",
                "WordPress pages are unlisted articles",
            )
            self.summary.inform(
                f"{counted(stored, *unlisted)}: each at its own address with its comments, "
                "found by search, but not on the front page, in sections or in the feeds."
            )
        if left_out := self.pages_left_out:
            with_them = ("its comments with it", "their comments with them")
            self.summary.inform(
                f"{counted(left_out, 'WordPress page was', 'WordPress pages were')} left out "
                f"(--no-pages), and {plural(left_out, *with_them)}."
            )

    def report_ids(self) -> None:
        created = self.summary.get("comments").created
        kept = self.comments.kept_numbers
        if created and kept == created:
            self.summary.inform("Every comment kept its WordPress id: links to #comment-N find it.")
        elif created and self.keep_ids:
            ids = (
                "its WordPress id (links to #comment-N find it)",
                "their WordPress ids (links to #comment-N find them)",
            )
            self.summary.inform(
                f"{kept} of {counted(created, 'new comment', 'new comments')} kept "
                f"{plural(kept, *ids)}; "
                "the others were numbered anew, their ids being taken here (or missing), so "
                "old links to them land on their article."
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
        if kind == "attachments":
            self.media_in_file = True
            self.media(post)
            return
        imported = kind == "posts" or (kind == "pages" and self.pages)
        if not imported or post.status in ("auto-draft", "inherit"):
            self.summary.count(kind, "skipped")
            left_out = kind == "pages" and not self.pages
            self.pages_left_out += left_out
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
                    f"({post.status or 'no status'}) were skipped with it: {len(post.comments)}"
                    + (" (--no-pages)" if left_out else ""),
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
                self.summary.count(kind, "skipped")
                self.summary.note("a post without an id repeats an earlier one: skipped", post.line)
                return
        elif post_id in self.posts_seen:
            # WordPress keeps the first item with an id and passes over the others.
            self.summary.count(kind, "skipped")
            self._skip_comments(post)
            self.summary.note(
                f"post {post_id} appears twice in the file: the first was imported, this one "
                f"skipped (with its {counted(len(post.comments), 'comment', 'comments')}), as "
                "WordPress does",
                post.line,
            )
            return
        self.posts_seen.add(post.post_id)
        if self.origin(post.post_id) in self.deleted:
            # An editor deleted it here after an earlier import: that decision stands.
            self.summary.count(kind, "skipped")
            self._skip_comments(post)
            self.deleted_left_out += 1
            self.summary.note(
                f"post {post.post_id} was deleted here after an earlier import: left out, "
                f"with its {counted(len(post.comments), 'comment', 'comments')}",
                post.line,
            )
            return
        lead = None
        if self.uploads is not None:
            post = replace(post, content=self.uploads.rewrite(post.content))
            lead = self.uploads.lead_image(post)
        article, changed = self.article(post, lead)
        if article is None:
            return
        self.summary.count(kind, changed)
        self.pages_stored += kind == "pages"
        self.note_undescribed(post, article)
        self.post_comments.store(post, article, existed=changed != "created")

    def note_undescribed(self, post: reader.Post, article: Article) -> None:
        """Note the images the article shows without alt text: no words around them say
        what they show (``alt_text``), so only an editor can."""
        missing = undescribed_images(article.body_html)
        if not missing:
            return
        self.undescribed += missing
        self.undescribed_in += 1
        self.summary.note(
            f"post {post.post_id} ({article.get_absolute_url()}): "
            f"{counted(missing, 'image has', 'images have')} no alt text",
            post.line,
        )

    def media(self, post: reader.Post) -> None:
        """A media item: its image taken into the library (``--uploads``); its comments
        kept for the post it belongs to (``move_media_comments``)."""
        if self.uploads is not None:
            taken = self.uploads.attachment(post)
            self.summary.count("attachments", "created" if taken.new else "skipped")
        else:
            self.summary.count("attachments", "skipped")
        if post.comments:
            self.commented_media.append((self.summary.source, post))

    def move_media_comments(self) -> None:
        """Comments on media items, stored on the post or page each was uploaded to:
        WordPress shows an image's comments on its attachment page, which is reached
        from that post, and here the post is where the picture is shown. They join the
        post's own in date order; replies among them stay replies. A media item that
        belongs to no imported post keeps its comments, which are skipped with it."""
        moved = 0
        for source, item in self.commented_media:
            self.summary.source = source
            parent = item.post_parent
            attached = parent not in ("", "0")
            article = None
            if attached:
                article = Article.objects.filter(origin=self.origin(parent)).first()
            count = len(item.comments)
            if article is None:
                self._skip_comments(item)
                belongs = f"post {parent}, which was not imported" if attached else "no post"
                self.summary.note(
                    f"comments on attachment {item.post_id} were skipped with it: {count} "
                    f"(it belongs to {belongs})",
                    item.line,
                )
                continue
            self.post_comments.store(item, article, existed=True, whole=False)
            moved += count
            self.summary.note(
                f"comments on attachment {item.post_id} were moved to post {parent} "
                f"({article.get_absolute_url()}), which shows it: {count}",
                item.line,
            )
        if moved:
            self.summary.inform(
                f"{counted(moved, 'comment', 'comments')} on media items (attachments) "
                f"{plural(moved, 'was', 'were')} moved to the posts and pages that show them."
            )

    def _skip_comments(self, post: reader.Post) -> None:
        """Count a skipped post's comments as found and skipped with it."""
        self.summary.count("comments", "found", len(post.comments))
        self.summary.count("comments", "skipped", len(post.comments))

    def article(self, post: reader.Post, lead=None) -> tuple[Article | None, str]:
        origin = self.origin(post.post_id)
        article = Article.objects.filter(origin=origin).first()
        created = article is None
        if article is None:
            article = Article(origin=origin)
        before = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
        old_tags = set() if created else set(article.tags.values_list("pk", flat=True))
        here = set() if created else kept.changed_here(article, kept.state(article, old_tags))

        published_at = reader.utc_time(
            post.post_date_gmt, post.post_date, self.offset, post.pub_date
        )
        if post.status in UNDATED_STATUSES and reader.parse_wp_date(post.post_date_gmt) is None:
            # A draft whose date was never set: WordPress writes post_date_gmt as zero and
            # post_date as when it was last saved, which is not a publication time.
            published_at = None
        elif published_at is None and post.status == "publish" and not post.password:
            # WordPress publishes it as it imports it; a rerun keeps that time.
            published_at = article.published_at or self.now
            if created:
                self.summary.note(
                    f"post {post.post_id} has no date: published with the time of the import",
                    post.line,
                )
        status = self.article_status(post, published_at)
        title = one_line(wpcontent.title_text(post.title)) or f"Untitled ({post.post_id})"
        slug_source = (
            post.meta.get(META_SLUG, "").strip()
            or name_slug(unquote(untrashed_name(post)))
            or title
        )
        slug = make_slug(slug_source, f"post-{post.post_id}", max_length=200)
        if created or slug != article.slug:
            slug = unique_slug(Article, slug, exclude_pk=article.pk, max_length=200)
        summary = wpcontent.html_to_text(post.excerpt) or wpcontent.teaser_text(post.content)
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
        article.body, wrong = wpcontent.with_footnotes(
            post.content, post.meta.get(META_FOOTNOTES, "")
        )
        if wrong:
            self.summary.note(f"post {post.post_id}: {wrong}", post.line)
        article.body_format = Article.BodyFormat.HTML
        article.author = author
        article.section = sections[0] if sections else None
        article.status = status
        article.published_at = published_at
        # WordPress lists posts in the blog, never pages: a page stands on its own.
        article.listed = post.post_type != "page"
        article.comments_open = post.comment_status == "open"
        name = post.meta.get(META_SOURCE_NAME, article.source_name).strip()
        article.source_name = fit(name, 200)
        url = post.meta.get(META_SOURCE_URL, article.source_url).strip()
        article.source_url = web_url(fit(url, 500))
        if lead is not None:
            article.lead_image = lead

        new_tags = {t.pk for t in tags}
        # What the file says, recorded so that the next import can tell what is changed
        # here after this one; then what was changed here since the last one stays.
        said = kept.state(article, new_tags)
        if "body" in here and not wpcontent.html_to_text(post.excerpt):
            # A summary made from the body goes with the body kept here.
            here.add("summary")
        self.keep_changes_made_here(post, article, here, before, old_tags != new_tags)
        if kept.TAGS in here:
            new_tags = old_tags
        recorded = said != article.imported
        article.imported = said
        after = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
        redirects = self.old_paths(post)
        redirects += self.former_paths(post, redirects)
        if not created and before == after and old_tags == new_tags:
            if redirects and not self._has_redirects(article, redirects):
                newsroom_actions.import_article(
                    article, body_html=self.body_html(article), redirects=redirects
                )
            elif recorded:
                Article.objects.filter(pk=article.pk).update(imported=said)
            return article, "skipped"
        newsroom_actions.import_article(
            article,
            body_html=(
                newsroom_actions.render_body(article) if "body" in here else self.body_html(article)
            ),
            tags=None if kept.TAGS in here else tags,
            redirects=redirects,
            # An article an editor changed here was updated then, and now.
            updated_at=None
            if here
            else reader.utc_time(post.post_modified_gmt, post.post_modified, self.offset),
        )
        return article, "created" if created else "updated"

    @staticmethod
    def body_html(article: Article) -> str:
        """An imported body laid out, its footnotes' words in the site's language."""
        noted = "wp:footnotes" in article.body
        with translation.override(newsroom_actions.site_language()) if noted else nullcontext():
            return wpcontent.article_html(article.body, slug=article.slug)

    def keep_changes_made_here(
        self,
        post: reader.Post,
        article: Article,
        here: set[str],
        before: dict[str, object],
        tags_differ: bool,
    ) -> None:
        """Put back the groups of fields changed here since the last import (``here``),
        and note those the file would have changed."""
        differ = []
        for group in sorted(here):
            if group == kept.TAGS:
                if tags_differ:
                    differ.append(group)
                continue
            names = kept.GROUPS[group]
            if any(before[name] != getattr(article, name) for name in names):
                differ.append(group)
            for name in names:
                setattr(article, name, before[name])
        if differ:
            self.kept_here += 1
            self.summary.note(
                f"post {post.post_id} was changed here since it was imported: kept as it is "
                f"here, not as the file has it ({', '.join(differ)})",
                post.line,
            )

    def origin(self, post_id: str) -> str:
        """What an article imported from the post ``post_id`` of this blog is keyed by."""
        return fit(f"wxr:{self.base}#{post_id}", 300)

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
        """Where the post lived: its permalink path, and ``?p=<id>`` under the blog's path
        (``?page_id=<id>`` for a page)."""
        key = "page_id" if post.post_type == "page" else "p"
        paths = []
        if post.link:
            parts = urlsplit(post.link)
            path = unquote(parts.path) or "/"
            query = parse_qs(parts.query)
            if query.get(key):
                paths.append(f"{path}?{key}={query[key][0]}")
            elif path.strip("/"):
                paths.append(path)
        if post.post_id.isdigit():
            paths.append(f"{self.blog_path}/?{key}={post.post_id}")
        return [fit(p, 500) for p in dict.fromkeys(paths)]

    @staticmethod
    def former_paths(post: reader.Post, paths: list[str]) -> list[str]:
        """The addresses the post had before it was renamed (``_wp_old_slug``) or redated
        (``_wp_old_date``), which WordPress answers with a redirect to its permalink
        (``wp_old_slug_redirect``): the permalink with a former slug in place of its
        slug, or a former date in place of its date (as WordPress, not both at once).
        Only those no other address here has yet: a post's own permalink comes first,
        as in WordPress, whose redirect serves an address only when no post has it."""
        # Those a Broadsheet export carried as they were (``_broadsheet_redirect``).
        found = [
            fit(path, 500)
            for path in post.repeated.get(META_REDIRECT, [])
            if path.startswith("/") and not path.startswith("//")
        ]
        if not post.link or not post.post_name:
            return _unclaimed(found, paths)
        segments = (unquote(urlsplit(post.link).path) or "/").split("/")
        slug = unquote(post.post_name)
        if slug not in segments:
            return []  # a permalink without the slug (/?p=12, /archives/12): nothing changes
        at = len(segments) - 1 - segments[::-1].index(slug)
        former = []
        for old in post.repeated.get(META_OLD_SLUG, []):
            old = unquote(old)
            if old and "/" not in old:
                former.append([*segments[:at], old, *segments[at + 1 :]])
        when = reader.parse_wp_date(post.post_date)
        date = [f"{when:%Y}", f"{when:%m}", f"{when:%d}"] if when else []
        # The permalink's date: its year, and the month and day that follow it, if any.
        start = segments.index(date[0]) if date and date[0] in segments[:at] else at
        parts = 0
        while parts < 3 and start + parts < at and segments[start + parts] == date[parts]:
            parts += 1
        for old in post.repeated.get(META_OLD_DATE, []) if parts else []:
            if when := reader.parse_wp_date(f"{old} 00:00:00"):
                moved = [f"{when:%Y}", f"{when:%m}", f"{when:%d}"][:parts]
                former.append([*segments[:start], *moved, *segments[start + parts :]])
        found += [fit("/".join(path), 500) for path in former]
        return _unclaimed(found, paths)

    def imported_as(self, base: str) -> str:
        """The key an earlier import of this blog used: the same blog moved to https (or
        dropped its ``www.``) is still the same blog, and a rerun updates it (and leaves
        out the posts whose articles were deleted here)."""
        parts = urlsplit(base)
        host = (parts.netloc or "").lower().removeprefix("www.")
        if not host:
            return base
        rest = base[len(f"{parts.scheme}://{parts.netloc}") :] if parts.scheme else ""
        variants = [
            f"{scheme}://{www}{host}{rest}" for scheme in ("https", "http") for www in ("", "www.")
        ]
        for key in [base, *(v for v in variants if v != base)]:
            # Its articles deleted here count: a blog whose every article was deleted is
            # still known, and its posts stay out under whichever address it has now.
            prefix = f"wxr:{key}#"
            if (
                Article.objects.filter(origin__startswith=prefix).exists()
                or DeletedImport.objects.filter(origin__startswith=prefix).exists()
            ):
                if key != base:
                    self.summary.note(
                        f"this blog ({base}) was imported before as {key}: that import is updated"
                    )
                return key
        return base


def _unclaimed(found: list[str], paths: list[str]) -> list[str]:
    """Of ``found``, those no redirect here has yet and not among ``paths``."""
    taken = set(Redirect.objects.filter(old_path__in=found).values_list("old_path", flat=True))
    return [path for path in dict.fromkeys(found) if path not in taken and path not in paths]
