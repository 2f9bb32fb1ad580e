"""Storing what ``reader`` reads: threads matched to articles, posts as comments.

Threads are matched to articles by their link: an old path an import recorded
(``newsroom.Redirect``, so a WordPress import followed by its Disqus export
lines up), the article's own address, the ``?p=<id>`` of the thread's
identifier, or the last part of the path as a slug. A query names the page
(``view.php?id=5`` and ``view.php?id=6`` are two pages) unless it only says
how the reader came (``utm_source``...). A thread that matches nothing is
reported and its comments skipped, unless ``--create-missing`` makes an
article for it. Replies may come before their parents; they are linked once
every comment is stored.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils import timezone

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.actions import ImportedComment
from broadsheet.discussion.models import Comment
from broadsheet.discussion.querysets import disqus_alias
from broadsheet.interchange import wpcontent
from broadsheet.interchange.disqus.addresses import (
    Addresses,
    host,
    label,
    page_address,
    thread_addresses,
    where,
)
from broadsheet.interchange.disqus.reader import Post, Survey, Thread, read, wordpress_id
from broadsheet.interchange.loading import (
    BATCH,
    COMPARED_FIELDS,
    NAME_LENGTH,
    CommentWriter,
    clean_ip,
    fit,
    indexed_at_the_end,
    make_slug,
    one_line,
    same_comment,
    unique_slug,
)
from broadsheet.interchange.summary import Summary, counted
from broadsheet.interchange.xmlstream import Source
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, DeletedImport, Redirect


def status_of(post: Post) -> str:
    if post.deleted:
        return Comment.Status.DELETED
    if post.spam:
        return Comment.Status.SPAM
    if post.approved is False:
        return Comment.Status.PENDING
    return Comment.Status.APPROVED


class DisqusImport:
    def __init__(
        self,
        path: Source,
        survey: Survey,
        *,
        summary: Summary,
        create_missing: bool = False,
        progress: Callable[[int], None] = lambda n: None,
    ) -> None:
        self.path = path
        self.survey = survey
        self.forum = survey.forum or "forum"
        self.summary = summary
        self.create_missing = create_missing
        self.progress = progress
        self.comments = CommentWriter(summary)
        self.articles: dict[str, int | None] = {}
        self.ids: dict[str, int] = {}  # Disqus post id -> stored comment id
        self.batch: dict[str, ImportedComment] = {}
        self.later: list[tuple[str, str, int | None]] = []  # child, parent, line
        self.later_forum: dict[str, str] = {}  # such a parent -> the forum to seek it in
        self.article_of: dict[str, int] = {}  # Disqus post id -> its article
        self.deleted_threads: set[str] = set()
        # Copies of one WordPress comment in several threads of one page: the first copy's
        # Disqus post id, by (article, WordPress comment id); and each later copy's first.
        self.copies_in_file: dict[tuple[int, str], str] = {}
        self.copy_of: dict[str, str] = {}
        # Disqus post id -> the WordPress comment id it was copied from ("wp_id=834").
        self.copied_from: dict[str, str] = {}
        self.article_origins: dict[int, str] = {}
        # Posts that were already here: the WordPress comments they copy (or were copied to).
        self.copies = 0
        # Article -> the first thread of the file put on it, and the articles this run made.
        self.first_thread: dict[int, str] = {}
        self.made: set[int] = set()
        # Threads put on an article that another thread of the file has too.
        self.shared = 0
        # Articles deleted here after an earlier import (origin -> their old paths):
        # their threads stay out.
        self.deleted: dict[str, set[str]] = {
            gone: {p for p in paths if isinstance(p, str)}
            for gone, paths in DeletedImport.objects.values_list("origin", "old_paths")
        }
        # Threads without comments that matched no article: counted, not noted one by one.
        self.empty_threads = 0
        # Posts without a readable createdAt, dated once every other post is stored:
        # Disqus post id -> (its record, the post, its thread).
        self.undated: dict[str, tuple[ImportedComment, Post, str]] = {}
        # Disqus post id -> the earliest createdAt of the replies to it.
        self.first_reply: dict[str, datetime] = {}

    def origin(self, dsq_id: str, forum: str) -> str:
        return fit(f"disqus:{forum}#{dsq_id}", 300)

    def forum_of(self, thread_id: str) -> str:
        """The forum a thread (and so its posts) belongs to. A file may join several
        forums' exports: each post is keyed by its own, as that forum's export keys it."""
        thread = self.survey.threads.get(thread_id)
        return (thread.forum if thread else "") or self.forum

    def run(self) -> None:
        # The articles are indexed for search together, when the import ends.
        with indexed_at_the_end():
            self._run()

    def _run(self) -> None:
        for thread in self.survey.unnamed:
            self.summary.count("threads", "found")
            self.summary.count("threads", "errors")
            self.summary.note(
                f"a thread ({where(thread)}) has no dsq:id attribute, which is how posts "
                "name their thread: skipped",
                thread.line,
            )
        same_page = self.survey.same_page()
        for thread in self.survey.threads.values():
            first = same_page.get(thread.dsq_id)
            if first is not None and self.articles.get(first) is not None:
                self.same_page_as(thread, first)
                continue
            article_id = self.articles[thread.dsq_id] = self.match(thread)
            if article_id is not None:
                self.share(article_id, thread)
            if thread.deleted:
                self.deleted_threads.add(thread.dsq_id)
        for record in read(self.path):
            if isinstance(record, Post):
                self.post(record)
                self.progress(1)
                if len(self.batch) >= BATCH:
                    self.flush()
        self.flush()
        self.date_undated()
        self.link_late_replies()
        if self.empty_threads:
            self.summary.inform(
                "Threads without comments (Disqus keeps one for every page its script was "
                f"loaded on), for which nothing was made: {self.empty_threads}."
            )
        if self.shared:
            self.summary.inform(
                "Threads put on an article that another thread of the file is on too (each "
                f"is noted below): {self.shared}."
            )
        if self.copies:
            self.summary.inform(
                "Posts already here as the WordPress comments that Disqus's WordPress plugin "
                f"copied them from or to, so not stored twice: {self.copies}."
            )

    # Threads

    def match(self, thread: Thread) -> int | None:
        self.summary.count("threads", "found")
        addresses = thread_addresses(thread)
        for found, found_origin in dict.fromkeys(self.candidates(thread, addresses)):
            if not self.same_blog(found_origin, thread):
                why = "was imported from another blog"
            elif not self.same_forum(found_origin, thread):
                why = "was made for a thread of another Disqus forum"
            else:
                self.summary.count("threads", "updated")
                if thread.deleted:
                    self.summary.note(
                        f"{label(thread)} was deleted in Disqus: its comments were imported "
                        "as deleted (kept, not shown)",
                        thread.line,
                    )
                return found
            self.summary.note(
                f"{label(thread)} has the address of article {found}, which {why}: "
                "not matched to it",
                thread.line,
            )
        origin = self.origin(f"thread-{thread.dsq_id}", self.forum_of(thread.dsq_id))
        existing = Article.objects.filter(origin=origin).values("pk").first()
        if existing:
            self.summary.count("threads", "updated")
            return existing["pk"]
        posts = self.survey.thread_posts.get(thread.dsq_id, 0)
        if not posts:
            # Disqus keeps a thread for every page its script was loaded on (previews, spam
            # pages, other hosts): most threads of a real export hold no comment. Counted
            # in one line, so that the notes that matter are not lost among them.
            self.summary.count("threads", "skipped")
            self.empty_threads += 1
            return None
        skipped: str | None = None
        if self.deleted_here(origin, thread, addresses):
            skipped = (
                "is the discussion of an article deleted here after an earlier import: left "
                f"out, with its {counted(posts, 'comment', 'comments')}"
            )
        elif self.create_missing and thread.deleted:
            # A page of its own only for a live discussion.
            skipped = (
                "was deleted in Disqus: no article was made for it and its "
                f"{counted(posts, 'comment was', 'comments were')} skipped"
            )
        elif not self.create_missing:
            skipped = (
                f"matches no article: its comments were skipped ({posts}; --create-missing "
                "makes an article for it)"
            )
        if skipped is not None:
            self.summary.count("threads", "skipped")
            self.summary.note(f"{label(thread)} {skipped}", thread.line)
            return None
        article_id = self.create_article(thread, origin, addresses.own)
        self.made.add(article_id)
        return article_id

    def candidates(self, thread: Thread, addresses: Addresses) -> Iterator[tuple[int, str]]:
        """Articles (id, origin) the thread's addresses lead to: an old path an import
        recorded, a Broadsheet article address, or a slug equal to the address's last part.

        An article a Disqus import made has a slug taken from its thread's title, and an
        address only since this run: neither says where another thread's page was."""
        redirects = Redirect.objects.values_list("article_id", "article__origin")
        row = redirects.filter(old_path__in=addresses.own).first()
        if row:
            yield row
        # The path without the query that names the page is every query's page only for
        # an article imported from WordPress (that path is its permalink), not for one a
        # Disqus import made for a thread at that path.
        row = (
            redirects.filter(old_path__in=addresses.near)
            .exclude(article__origin__startswith="disqus:")
            .first()
        )
        if row:
            yield row
        for path in (*addresses.own, *addresses.near):
            try:
                match = resolve(path.split("?")[0])
            except Resolver404:
                continue
            if match.view_name == "newsroom:article":
                found = Article.objects.filter(slug=match.kwargs["slug"]).exclude(pk__in=self.made)
                yield from found.values_list("pk", "origin")[:1]
        # For an article imported from WordPress whose address changed. A path whose
        # query names the page (view.php?id=5) names no article by its last part.
        link = page_address(thread.link)
        if link and not link[1]:
            last = link[0].rstrip("/").rsplit("/", 1)[-1]
            if last:
                found = Article.objects.filter(slug=last).exclude(origin__startswith="disqus:")
                yield from found.values_list("pk", "origin")[:1]

    def same_page_as(self, thread: Thread, first: str) -> None:
        """A thread holding copies of another's WordPress comments goes on its article."""
        article_id = self.articles[thread.dsq_id] = self.articles[first]
        self.summary.count("threads", "found")
        self.summary.count("threads", "updated")
        self.summary.note(
            f"{label(thread)} holds copies of the WordPress comments of "
            f"{label(self.survey.threads[first])}: one page, put on article {article_id}, "
            "each comment once",
            thread.line,
        )
        if thread.deleted:
            self.deleted_threads.add(thread.dsq_id)

    def share(self, article_id: int, thread: Thread) -> None:
        """Say so when a second thread of the file is put on an article."""
        first = self.first_thread.setdefault(article_id, thread.dsq_id)
        if first == thread.dsq_id:
            return
        self.shared += 1
        other = label(self.survey.threads[first])
        self.summary.note(
            f"{label(thread)} is put on article {article_id}, as {other} is: the comments "
            "of both are on one page",
            thread.line,
        )

    @staticmethod
    def same_blog(origin: str, thread: Thread) -> bool:
        """Whether the thread can belong to an article of this ``origin``: paths (``/?p=12``,
        ``/about/``) recur from blog to blog, so an article imported from a WordPress blog
        takes only threads whose address is on that blog's host (``www.`` and the scheme
        aside)."""
        if not origin.startswith("wxr:"):
            return True
        blog = host(origin.removeprefix("wxr:").rsplit("#", 1)[0])
        hosts = {host(url) for url in (thread.link, *thread.identifier.split()) if "://" in url}
        return not hosts or not blog or blog in hosts

    def deleted_here(self, origin: str, thread: Thread, addresses: Addresses) -> bool:
        """Whether the thread's article was deleted here after an earlier import: the one
        an earlier run made for it (``origin``), or an article of the same blog that one
        of its addresses led to."""
        if origin in self.deleted:
            return True
        return any(
            paths.intersection(addresses.own) and self.same_blog(gone, thread)
            for gone, paths in self.deleted.items()
        )

    def same_forum(self, origin: str, thread: Thread) -> bool:
        """An article an import made for a Disqus thread takes only that forum's threads:
        another forum (another site) has its own ``/?p=12``."""
        if not origin.startswith("disqus:"):
            return True
        return origin.rsplit("#", 1)[0] == f"disqus:{self.forum_of(thread.dsq_id)}"

    def create_article(self, thread: Thread, origin: str, paths: list[str]) -> int:
        taken = set(Redirect.objects.filter(old_path__in=paths).values_list("old_path", flat=True))
        longest = Redirect._meta.get_field("old_path").max_length or 0
        # Disqus writes some titles escaped twice ("&amp;#8220;"): decode what remains.
        title = html.unescape(thread.title)
        if _ENTITY.search(title):
            title = html.unescape(title)
        title = one_line(title) or thread.link or f"Thread {thread.dsq_id}"
        slug = unique_slug(
            Article, make_slug(title, f"thread-{thread.dsq_id}", max_length=200), max_length=200
        )
        article = Article(
            title=fit(title, 300),
            slug=slug,
            body="",
            body_format=Article.BodyFormat.HTML,
            status=Article.Status.PUBLISHED,
            published_at=thread.created_at or timezone.now(),
            comments_open=not thread.closed,
            origin=origin,
        )
        newsroom_actions.import_article(
            article,
            body_html="",
            # Not paths another article already answers (another blog's "/?p=12").
            redirects=[
                p
                for p in paths
                if ("?" in p or p.endswith("/")) and p not in taken and len(p) <= longest
            ][:2],
        )
        self.summary.count("threads", "created")
        return article.pk

    # Posts

    def post(self, post: Post) -> None:
        summary = self.summary
        summary.count("comments", "found")
        thread = self.survey.thread_of(post)
        article_id = self.articles.get(thread)
        if article_id is None:
            summary.count("comments", "skipped")
            name = f"post {post.dsq_id or '(no id)'}"
            if thread and thread not in self.articles:
                summary.note(
                    f"{name} names thread {thread}, which is not in the file: skipped", post.line
                )
            elif post.thread_text and not thread:
                found = (
                    "several threads have"
                    if post.thread_text in self.survey.by_identifier
                    else "no thread has"
                )
                summary.note(
                    f"{name} names its thread by the text {post.thread_text!r} instead of a "
                    f"dsq:id attribute, and {found} that <id>: skipped",
                    post.line,
                )
            elif not thread:
                summary.note(f"{name} names no thread: skipped", post.line)
            return
        if not post.dsq_id:
            # Nothing can reply to it, but it is a comment: keyed by what it says, so that
            # a second import finds it again.
            said = "|".join((thread, post.created_text, post.name, post.email, post.message))
            post.dsq_id = "h" + hashlib.sha1(said.encode()).hexdigest()[:16]
            summary.note(
                f"a post without a dsq:id attribute was imported, keyed {post.dsq_id}", post.line
            )
        if post.dsq_id in self.batch or post.dsq_id in self.ids or post.dsq_id in self.undated:
            summary.count("comments", "errors")
            summary.note(f"post {post.dsq_id} appears twice: the second was skipped", post.line)
            return
        copied = wordpress_id(post.identifier)
        if copied:
            earlier = self.copies_in_file.setdefault((article_id, copied), post.dsq_id)
            if earlier != post.dsq_id:
                # Another copy of a WordPress comment this file already gave: the same one.
                self.copy_of[post.dsq_id] = earlier
                self.article_of[post.dsq_id] = article_id
                self.copies += 1
                summary.count("comments", "skipped")
                return
        author = one_line(html.unescape(post.name or post.username)) or "Anonymous"
        record = ImportedComment(
            article_id=article_id,
            author_name=fit(author, NAME_LENGTH),
            author_email=fit(post.email, 254),
            ip_address=clean_ip(post.ip) if post.ip else None,
            body=post.message,
            body_html=wpcontent.comment_html(post.message),
            # Dated by ``date_undated`` when the file gives no date.
            created_at=post.created_at or timezone.now(),
            status=Comment.Status.DELETED if thread in self.deleted_threads else status_of(post),
            origin=self.origin(post.dsq_id, self.forum_of(thread)),
        )
        self.copied_from[post.dsq_id] = copied
        self.article_of[post.dsq_id] = article_id
        if post.parent_text and not post.parent:
            self.summary.note(
                f"post {post.dsq_id} names the post it replies to by the text "
                f"{post.parent_text!r} instead of a dsq:id attribute: imported as a top-level "
                "comment",
                post.line,
            )
        if post.created_at is None:
            self.undated[post.dsq_id] = (record, post, thread)
            return
        if post.parent:
            first = self.first_reply.get(post.parent)
            if first is None or post.created_at < first:
                self.first_reply[post.parent] = post.created_at
        self.place(post, record, thread)

    def place(self, post: Post, record: ImportedComment, thread: str) -> None:
        """Put the post's record in the batch, under the post it replies to when that
        is known by now (else it is linked at the end)."""
        parent = self.copy_of.get(post.parent, post.parent)  # a copy stands for the first
        if parent and self.article_of.get(parent, record.article_id) != record.article_id:
            self.summary.note(
                f"post {post.dsq_id} replies to post {post.parent}, which is in another "
                "thread: imported as a top-level comment",
                post.line,
            )
        elif parent:
            if parent in self.batch:
                record.parent = self.batch[parent]
            elif parent in self.ids:
                record.parent_id = self.ids[parent]
            else:
                self.later.append((post.dsq_id, post.parent, post.line))
                # Not in the file so far: an earlier import's, sought in this post's forum.
                self.later_forum.setdefault(post.parent, self.forum_of(thread))
        self.batch[post.dsq_id] = record

    def date_undated(self) -> None:
        """Store the posts without a readable createdAt, each dated from the best
        evidence the file holds: the later of its thread's createdAt and the date of
        the post it replies to (never before that post, so a thread still reads in
        order); without either, a second before its first reply; without any, its
        article's date, as a WordPress comment without one gets."""
        if not self.undated:
            return
        parents = {
            self.copy_of.get(post.parent, post.parent) for _, post, _ in self.undated.values()
        }
        stored = {p: self.ids[p] for p in parents if p in self.ids}
        known = dict(
            Comment.objects.filter(pk__in=list(stored.values())).values_list("pk", "created_at")
        )
        dates = {p: known[pk] for p, pk in stored.items() if pk in known}
        articles = {
            pk: published or created
            for pk, published, created in Article.objects.filter(
                pk__in={record.article_id for record, _, _ in self.undated.values()}
            ).values_list("pk", "published_at", "created_at")
        }
        dating: set[str] = set()
        order: list[str] = []  # as dated: a post after the one it replies to

        def date(dsq_id: str) -> datetime | None:
            if dsq_id in dates or dsq_id not in self.undated:
                return dates.get(dsq_id)
            if dsq_id in dating:  # replies going round in a circle
                return None
            dating.add(dsq_id)
            record, post, thread = self.undated[dsq_id]
            parent = self.copy_of.get(post.parent, post.parent)
            same_thread = self.article_of.get(parent, record.article_id) == record.article_id
            evidence = [
                (when, why)
                for when, why in (
                    (date(parent) if parent and same_thread else None, "the post it replies to"),
                    (self.survey.threads[thread].created_at, "its thread's createdAt"),
                )
                if when is not None
            ]
            if evidence:
                when, why = max(evidence, key=lambda found: found[0])
            elif dsq_id in self.first_reply:
                when, why = self.first_reply[dsq_id] - timedelta(seconds=1), "its first reply"
            else:
                when, why = articles[record.article_id], "its article"
            record.created_at = dates[dsq_id] = when
            order.append(dsq_id)
            said = (
                f"a createdAt that is not a date and time ({post.created_text!r})"
                if post.created_text
                else "no createdAt (when it was written)"
            )
            self.summary.note(
                f"post {dsq_id} has {said}: imported with the date of {why}, "
                f"{when:%Y-%m-%d %H:%M:%S}",
                post.line,
            )
            return when

        for dsq_id in self.undated:
            date(dsq_id)
        # A post replying to another of them finds it in the batch, and is stored after it.
        for dsq_id in order:
            record, post, thread = self.undated[dsq_id]
            self.place(post, record, thread)
        self.summary.inform(
            "Posts without a readable createdAt, dated from their thread, the post they "
            f"reply to or their replies (each is noted below): {len(self.undated)}."
        )
        self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        self.find_copies()
        by_origin = {r.origin: (dsq_id, r) for dsq_id, r in self.batch.items() if r.comment is None}
        stored = Comment.objects.filter(origin__in=list(by_origin)).values(
            "pk", "origin", "thread_id", "thread_key", "depth", *COMPARED_FIELDS
        )
        for row in stored:
            dsq_id, record = by_origin[row["origin"]]
            if same_comment(row, record):
                # Already there: stands in as a parent for new replies in this batch.
                record.comment = _stand_in(row)
                self.summary.count("comments", "skipped")
            else:
                record.existing_id = row["pk"]
                self.comments.add(record)
            self.ids[dsq_id] = row["pk"]
        for record in self.batch.values():
            if record.comment is None and record.existing_id is None:
                self.comments.add(record)
        self.comments.flush()
        for dsq_id, record in self.batch.items():
            if record.comment is not None:
                self.ids[dsq_id] = record.comment.pk
        self.batch = {}

    def find_copies(self) -> None:
        """Posts of this batch that are on their article already, as the WordPress comment
        Disqus's plugin copied them from (``wp_id=N``) or to (``dsq_post_id``): they stand
        for that comment, and are not stored again."""
        keys: dict[tuple[int, str], str] = {}  # (article, key) -> Disqus post id
        for dsq_id, record in self.batch.items():
            keys[(record.article_id, disqus_alias(dsq_id))] = dsq_id
            wordpress_id = self.copied_from.get(dsq_id)
            if wordpress_id and (origin := self.wordpress_origin(record.article_id, wordpress_id)):
                keys[(record.article_id, origin)] = dsq_id
        names = [key for _, key in keys if key]
        if not names:
            return
        fields = ("pk", "article_id", "origin", "alias", "thread_id", "thread_key", "depth")
        found = Comment.objects.filter(
            Q(alias__in=[n for n in names if n.startswith("disqus-post:")])
            | Q(origin__in=[n for n in names if n.startswith("wxr:")]),
            article_id__in={article for article, _ in keys},
        ).values(*fields)
        for row in found:
            copy = keys.get((row["article_id"], row["alias"])) or keys.get(
                (row["article_id"], row["origin"])
            )
            if copy is None or self.batch[copy].comment is not None:
                continue
            self.batch[copy].comment = _stand_in(row)
            self.ids[copy] = row["pk"]
            self.copies += 1
            self.summary.count("comments", "skipped")

    def wordpress_origin(self, article_id: int, wordpress_id: str) -> str | None:
        """The origin a WordPress comment of this article has when it was imported from
        the same blog as the article."""
        origin = self.article_origins.get(article_id)
        if origin is None:
            origin = (
                Article.objects.filter(pk=article_id).values_list("origin", flat=True).first() or ""
            )
            self.article_origins[article_id] = origin
        if not origin.startswith("wxr:"):
            return None
        blog = origin.rsplit("#", 1)[0]
        return fit(f"{blog}#c{wordpress_id}", 300)

    def link_late_replies(self) -> None:
        """Replies that came before their parents in the file get them now."""
        if not self.later:
            return
        # A parent that turned out to be a copy stands for the first of its copies.
        self.later = [(c, self.copy_of.get(p, p), line) for c, p, line in self.later]
        missing = {parent for _, parent, _ in self.later if parent not in self.ids}
        if missing:
            origins = {self.origin(p, self.later_forum.get(p, self.forum)): p for p in missing}
            for pk, origin, article_id in Comment.objects.filter(
                origin__in=list(origins)
            ).values_list("pk", "origin", "article_id"):
                self.ids[origins[origin]] = pk
                self.article_of[origins[origin]] = article_id
        links: dict[int, int] = {}
        for child, parent, line in self.later:
            if child not in self.ids:
                continue
            if parent not in self.ids:
                self.summary.note(
                    f"post {child} replies to post {parent}, which is not in the file: "
                    "imported as a top-level comment",
                    line,
                )
                continue
            if self.article_of.get(parent) != self.article_of.get(child):
                self.summary.note(
                    f"post {child} replies to post {parent}, which is in another thread: "
                    "imported as a top-level comment",
                    line,
                )
                continue
            links[self.ids[child]] = self.ids[parent]
        for pk in discussion_actions.attach_replies(links):
            self.summary.note(f"comment {pk}: replies went round in a circle; made top-level")


_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)


def _stand_in(row: dict) -> Comment:
    """A stored comment (read as ``row``) standing in as the parent of new replies."""
    return Comment(
        pk=row["pk"], thread_id=row["thread_id"], thread_key=row["thread_key"], depth=row["depth"]
    )
