"""Importing a Disqus export (``broadsheet import disqus FILE``).

A Disqus export is one ``<disqus xmlns="http://disqus.com">`` document holding
``<category>``, ``<thread dsq:id>`` (one per page that had comments, with its
``<link>``) and ``<post dsq:id>`` elements (comments, each naming its
``<thread dsq:id>`` and maybe its ``<parent dsq:id>``), in any order.

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

import html
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils import timezone

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.actions import ImportedComment
from broadsheet.discussion.models import Comment
from broadsheet.interchange import wpcontent
from broadsheet.interchange.loading import (
    BATCH,
    CommentWriter,
    clean_ip,
    disqus_alias,
    fit,
    make_slug,
    same_comment,
    unique_slug,
)
from broadsheet.interchange.pages import page_query
from broadsheet.interchange.summary import Summary
from broadsheet.interchange.xmlstream import BrokenFile, events, release, split_tag
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import Article, Redirect

_COMPARED = ("status", "kind", "author_name", "author_email", "author_url", "body", "created_at")


def _id(element) -> str:
    for name, value in element.attrib.items():
        if split_tag(name)[1] == "id":
            return value.strip()
    return ""


def _fields(element) -> dict[str, str]:
    out: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = split_tag(child.tag)[1]
        if name == "author":
            for part in child:
                if isinstance(part.tag, str):
                    out[f"author.{split_tag(part.tag)[1]}"] = (part.text or "").strip()
        elif name in ("thread", "parent", "category"):
            out[name] = _id(child)
            # Disqus's documented example names some by text: <thread>1</thread>.
            out[f"{name}.text"] = (child.text or "").strip()
        elif name not in out:
            out[name] = child.text or ""
    return out


def _flag(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() in ("true", "1", "yes")


def parse_time(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Thread:
    dsq_id: str
    link: str
    title: str
    identifier: str
    created_at: datetime | None
    closed: bool
    line: int | None
    deleted: bool = False


@dataclass
class Post:
    dsq_id: str
    thread: str
    parent: str
    message: str
    created_at: datetime | None
    deleted: bool
    spam: bool
    approved: bool | None
    name: str
    email: str
    username: str
    ip: str
    line: int | None
    # The post's key where it came from: "wp_id=834" for a comment Disqus's WordPress
    # plugin copied from WordPress.
    identifier: str = ""
    # What <thread>, <parent> and <createdAt> say as text: the thread's and the parent's
    # <id> when they have no dsq:id attribute, the time as written.
    thread_text: str = ""
    parent_text: str = ""
    created_text: str = ""


@dataclass
class Survey:
    forum: str = ""
    posts: int = 0
    control_characters: int = 0
    threads: dict[str, Thread] = field(default_factory=dict)
    # Threads without a dsq:id attribute, which no post can name by it.
    unnamed: list[Thread] = field(default_factory=list)
    # How many posts name each thread.
    thread_posts: Counter[str] = field(default_factory=Counter)
    # A thread's <id> -> its dsq:id, or "" when several threads have that <id>.
    by_identifier: dict[str, str] = field(default_factory=dict)

    def thread_of(self, post: Post) -> str:
        """The dsq:id of the thread a post names: by the ``dsq:id`` attribute, or, as in
        Disqus's documented example (``<thread>1</thread>``), by the thread's ``<id>``."""
        if post.thread or not post.thread_text:
            return post.thread
        return self.by_identifier.get(post.thread_text, "")


def read(path: Path | str, stats: dict[str, int] | None = None):
    """Yield Thread and Post records in file order; raise BrokenFile on a broken file."""
    depth = 0
    checked = False
    for event, element in events(path, stats=stats):
        if event == "start":
            depth += 1
            if not checked:
                checked = True
                root = split_tag(element.tag)[1]
                if root != "disqus":
                    raise BrokenFile(
                        f"this is not a Disqus export: it starts with <{root}>",
                        element.sourceline,
                    )
            continue
        depth -= 1
        if depth != 1:
            continue
        name = split_tag(element.tag)[1] if isinstance(element.tag, str) else ""
        if name == "thread":
            f = _fields(element)
            yield Thread(
                dsq_id=_id(element),
                link=f.get("link", "").strip(),
                title=f.get("title", "").strip(),
                identifier=f.get("id", "").strip(),
                created_at=parse_time(f.get("createdAt", "")),
                closed=bool(_flag(f.get("isClosed"))),
                line=element.sourceline,
                deleted=bool(_flag(f.get("isDeleted"))),
            )
            yield f.get("forum", "").strip()
        elif name == "post":
            f = _fields(element)
            yield Post(
                dsq_id=_id(element),
                thread=f.get("thread", ""),
                parent=f.get("parent", ""),
                message=f.get("message", ""),
                created_at=parse_time(f.get("createdAt", "")),
                deleted=bool(_flag(f.get("isDeleted"))),
                spam=bool(_flag(f.get("isSpam"))),
                approved=_flag(f.get("isApproved")),
                name=f.get("author.name", ""),
                email=f.get("author.email", ""),
                username=f.get("author.username", ""),
                ip=f.get("ipAddress", "").strip(),
                line=element.sourceline,
                identifier=f.get("id", "").strip(),
                thread_text=f.get("thread.text", ""),
                parent_text=f.get("parent.text", ""),
                created_text=f.get("createdAt", "").strip(),
            )
        release(element)
    if not checked:
        raise BrokenFile("the file is empty")


def survey(path: Path | str) -> Survey:
    """Read the whole file once, writing nothing; keep the threads (posts refer to them)."""
    result = Survey()
    stats: dict[str, int] = {}
    by_text: Counter[str] = Counter()
    for record in read(path, stats):
        if isinstance(record, str):
            result.forum = result.forum or record
        elif isinstance(record, Thread):
            if not record.dsq_id:
                result.unnamed.append(record)
                continue
            result.threads[record.dsq_id] = record
            if record.identifier:
                known = result.by_identifier.setdefault(record.identifier, record.dsq_id)
                if known != record.dsq_id:
                    result.by_identifier[record.identifier] = ""
        else:
            result.posts += 1
            if record.thread or not record.thread_text:
                result.thread_posts[record.thread] += 1
            else:
                by_text[record.thread_text] += 1
    # Posts may come before their threads: those named by text are counted at the end.
    for text, n in by_text.items():
        result.thread_posts[result.by_identifier.get(text, "")] += n
    result.control_characters = stats.get("control_characters", 0)
    return result


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
        path: Path,
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
        self.article_of: dict[str, int] = {}  # Disqus post id -> its article
        self.deleted_threads: set[str] = set()
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

    def origin(self, dsq_id: str) -> str:
        return fit(f"disqus:{self.forum}#{dsq_id}", 300)

    def run(self) -> None:
        for thread in self.survey.unnamed:
            self.summary.count("threads", "found")
            self.summary.count("threads", "errors")
            self.summary.note(
                f"a thread ({_where(thread)}) has no dsq:id attribute, which is how posts "
                "name their thread: skipped",
                thread.line,
            )
        for thread in self.survey.threads.values():
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
        self.link_late_replies()
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
        addresses = _addresses(thread)
        for found, found_origin in dict.fromkeys(self.candidates(thread, addresses)):
            if not self.same_blog(found_origin, thread):
                why = "was imported from another blog"
            elif not self.same_forum(found_origin):
                why = "was made for a thread of another Disqus forum"
            else:
                self.summary.count("threads", "updated")
                if thread.deleted:
                    self.summary.note(
                        f"{_label(thread)} was deleted in Disqus: its comments were imported "
                        "as deleted (kept, not shown)",
                        thread.line,
                    )
                return found
            self.summary.note(
                f"{_label(thread)} has the address of article {found}, which {why}: "
                "not matched to it",
                thread.line,
            )
        origin = fit(f"disqus:{self.forum}#thread-{thread.dsq_id}", 300)
        existing = Article.objects.filter(origin=origin).values("pk").first()
        if existing:
            self.summary.count("threads", "updated")
            return existing["pk"]
        posts = self.survey.thread_posts.get(thread.dsq_id, 0)
        if self.create_missing and (thread.deleted or not posts):
            # A page of its own only for a discussion: Disqus keeps a thread for every
            # page its script was loaded on (previews, spam pages, other hosts).
            self.summary.count("threads", "skipped")
            why = "was deleted in Disqus" if thread.deleted else "has no comments"
            self.summary.note(
                f"{_label(thread)} {why}: no article was made for it"
                + (f" and its {posts} comments were skipped" if posts else ""),
                thread.line,
            )
            return None
        if not self.create_missing:
            self.summary.count("threads", "skipped")
            self.summary.note(
                f"{_label(thread)} matches no article: its comments were skipped "
                "(--create-missing makes an article for it)",
                thread.line,
            )
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
        link = _address(thread.link)
        if link and not link[1]:
            last = link[0].rstrip("/").rsplit("/", 1)[-1]
            if last:
                found = Article.objects.filter(slug=last).exclude(origin__startswith="disqus:")
                yield from found.values_list("pk", "origin")[:1]

    def share(self, article_id: int, thread: Thread) -> None:
        """Say so when a second thread of the file is put on an article."""
        first = self.first_thread.setdefault(article_id, thread.dsq_id)
        if first == thread.dsq_id:
            return
        self.shared += 1
        other = _label(self.survey.threads[first])
        self.summary.note(
            f"{_label(thread)} is put on article {article_id}, as {other} is: the comments "
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
        blog = _host(origin.removeprefix("wxr:").rsplit("#", 1)[0])
        hosts = {_host(url) for url in (thread.link, *thread.identifier.split()) if "://" in url}
        return not hosts or not blog or blog in hosts

    def same_forum(self, origin: str) -> bool:
        """An article an import made for a Disqus thread takes only that forum's threads:
        another forum (another site) has its own ``/?p=12``."""
        if not origin.startswith("disqus:"):
            return True
        return origin.rsplit("#", 1)[0] == f"disqus:{self.forum}"

    def create_article(self, thread: Thread, origin: str, paths: list[str]) -> int:
        taken = set(Redirect.objects.filter(old_path__in=paths).values_list("old_path", flat=True))
        longest = Redirect._meta.get_field("old_path").max_length or 0
        # Disqus writes some titles escaped twice ("&amp;#8220;"): decode what remains.
        title = html.unescape(thread.title)
        if _ENTITY.search(title):
            title = html.unescape(title)
        title = title.strip() or thread.link or f"Thread {thread.dsq_id}"
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
            summary.count("comments", "errors")
            summary.note("a post without a dsq:id attribute was skipped", post.line)
            return
        if post.dsq_id in self.batch or post.dsq_id in self.ids:
            summary.count("comments", "errors")
            summary.note(f"post {post.dsq_id} appears twice: the second was skipped", post.line)
            return
        if post.created_at is None:
            summary.count("comments", "errors")
            summary.note(
                f"post {post.dsq_id} has a createdAt that is not a date and time "
                f"({post.created_text!r}): skipped"
                if post.created_text
                else f"post {post.dsq_id} has no createdAt (when it was written): skipped",
                post.line,
            )
            return
        record = ImportedComment(
            article_id=article_id,
            author_name=fit(html.unescape(post.name or post.username).strip() or "Anonymous", 200),
            author_email=fit(post.email, 254),
            ip_address=clean_ip(post.ip) if post.ip else None,
            body=post.message,
            body_html=wpcontent.comment_html(post.message),
            created_at=post.created_at,
            status=Comment.Status.DELETED if thread in self.deleted_threads else status_of(post),
            origin=self.origin(post.dsq_id),
        )
        self.copied_from[post.dsq_id] = _wordpress_id(post.identifier)
        self.article_of[post.dsq_id] = article_id
        if post.parent_text and not post.parent:
            self.summary.note(
                f"post {post.dsq_id} names the post it replies to by the text "
                f"{post.parent_text!r} instead of a dsq:id attribute: imported as a top-level "
                "comment",
                post.line,
            )
        if post.parent and self.article_of.get(post.parent, article_id) != article_id:
            self.summary.note(
                f"post {post.dsq_id} replies to post {post.parent}, which is in another "
                "thread: imported as a top-level comment",
                post.line,
            )
        elif post.parent:
            if post.parent in self.batch:
                record.parent = self.batch[post.parent]
            elif post.parent in self.ids:
                record.parent_id = self.ids[post.parent]
            else:
                self.later.append((post.dsq_id, post.parent, post.line))
        self.batch[post.dsq_id] = record

    def flush(self) -> None:
        if not self.batch:
            return
        self.find_copies()
        by_origin = {r.origin: (dsq_id, r) for dsq_id, r in self.batch.items() if r.comment is None}
        stored = Comment.objects.filter(origin__in=list(by_origin)).values(
            "pk", "origin", "thread_id", "thread_key", "depth", *_COMPARED
        )
        for row in stored:
            dsq_id, record = by_origin[row["origin"]]
            if same_comment(row, record):
                # Already there: stands in as a parent for new replies in this batch.
                record.comment = Comment(
                    pk=row["pk"], thread_id=row["thread_id"], thread_key=row["thread_key"],
                    depth=row["depth"],
                )  # fmt: skip
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
            if wordpress_id:
                for origin in self.wordpress_origins(record.article_id, wordpress_id):
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
            self.batch[copy].comment = Comment(
                pk=row["pk"], thread_id=row["thread_id"], thread_key=row["thread_key"],
                depth=row["depth"],
            )  # fmt: skip
            self.ids[copy] = row["pk"]
            self.copies += 1
            self.summary.count("comments", "skipped")

    def wordpress_origins(self, article_id: int, wordpress_id: str) -> list[str]:
        """The origins a WordPress comment of this article has when it was imported from
        the same blog as the article."""
        origin = self.article_origins.get(article_id)
        if origin is None:
            origin = (
                Article.objects.filter(pk=article_id).values_list("origin", flat=True).first() or ""
            )
            self.article_origins[article_id] = origin
        if not origin.startswith("wxr:"):
            return []
        blog = origin.rsplit("#", 1)[0]
        return [fit(f"{blog}#c{wordpress_id}", 300)]

    def link_late_replies(self) -> None:
        """Replies that came before their parents in the file get them now."""
        if not self.later:
            return
        missing = {parent for _, parent, _ in self.later if parent not in self.ids}
        if missing:
            origins = {self.origin(p): p for p in missing}
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


def _wordpress_id(identifier: str) -> str:
    """The WordPress comment id in a post's ``<id>``, as Disqus's plugin writes it."""
    match = re.fullmatch(r"wp_id=(\d+)", identifier.strip())
    return match.group(1) if match else ""


_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)


def _address(url: str) -> tuple[str, str] | None:
    """A URL's path, and the part of its query that names the page (``page_query``).
    None for what is not a URL."""
    parts = urlsplit(url.strip())
    if not parts.scheme:
        return None
    return unquote(parts.path) or "/", page_query(parts.query)


@dataclass
class Addresses:
    """The old paths a thread's page may be known by."""

    # Its own: the path and the query that names the page; the path with and without
    # its final slash when no query does; WordPress's /?p=<id>.
    own: list[str]
    # The path alone (with and without the slash) when a query names the page.
    near: list[str]


def _addresses(thread: Thread) -> Addresses:
    own: list[str] = []
    near: list[str] = []
    for url in (thread.link, *thread.identifier.split()):
        address = _address(url)
        if address is None:
            continue
        path, query = address
        post_id = parse_qs(query).get("p")
        if post_id:
            own.append(f"{path}?p={post_id[0]}")
        if query:
            own.append(f"{path}?{query}")
        if path != "/":
            other = path.removesuffix("/") if path.endswith("/") else f"{path}/"
            (near if query else own).extend((path, other))
    own = list(dict.fromkeys(own))
    return Addresses(own=own, near=[p for p in dict.fromkeys(near) if p not in own])


def _where(thread: Thread) -> str:
    if thread.link or thread.title:
        return repr(thread.link or thread.title)
    return "no link or title"


def _label(thread: Thread) -> str:
    return f"thread {thread.dsq_id} ({_where(thread)})"


def _host(url: str) -> str:
    """A URL's host name, lower-cased, without ``www.`` or a port."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host.removeprefix("www.")
