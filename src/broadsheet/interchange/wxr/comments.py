"""A WordPress post's comments, stored: what ``importer`` hands each post's to."""

from __future__ import annotations

import hashlib
import html
from collections import Counter
from datetime import datetime, timedelta

from broadsheet.discussion.actions import KEPT_ID_LIMIT, ImportedComment, decided_here
from broadsheet.discussion.models import Comment
from broadsheet.discussion.querysets import disqus_alias
from broadsheet.interchange import wpcontent
from broadsheet.interchange.loading import (
    COMPARED_FIELDS,
    NAME_LENGTH,
    CommentWriter,
    clean_ip,
    fit,
    one_line,
    same_comment,
)
from broadsheet.interchange.summary import Summary, counted, plural
from broadsheet.interchange.wxr import reader
from broadsheet.interchange.wxr.meta import (
    META_AUTHOR,
    META_DISQUS_POST,
    META_EDITED_AT,
    META_FEATURED_AT,
    META_LINKBACK_TYPE,
    META_PROTOCOL,
    META_STATUS,
    META_USER_AGENT,
)
from broadsheet.interchange.wxr.trash import statuses_before_trash
from broadsheet.markup import web_url
from broadsheet.newsroom.models import Article

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
# Comments that are not readers' comments, and that WordPress (with the plugin that made
# them) shows apart from a post's comments or nowhere, though its export holds them with
# the post's comments: left out, with what they are. WordPress 6.9's notes are its editors'
# remarks on a post's blocks (replies and "resolved" marks too). The others are reactions
# from other sites, shown as rows of avatars under a heading ("Likes"): the ActivityPub
# plugin's likes and reposts from the fediverse ("… liked this!" is their stored text), and
# the Webmention plugin's (and before its 5.0, Semantic-Linkbacks') likes, reposts,
# favourites, bookmarks, RSVPs and the rest from sites that sent a Webmention.
NOT_COMMENTS: dict[str, str] = {
    "note": "WordPress's editorial notes, shown only in its editor",
    "like": "likes from other sites, shown as reactions",
    "repost": "reposts from other sites, shown as reactions",
    "favorite": "favourites from other sites, shown as reactions",
    "bookmark": "bookmarks on other sites, shown as reactions",
    "tag": "tags of the post on other sites, shown as reactions",
    "rsvp": "RSVPs from other sites, shown as reactions",
    "invite": "invitations from other sites, shown as reactions",
    "listen": "listens on other sites, shown as reactions",
    "watch": "watches on other sites, shown as reactions",
    "read": "reads on other sites, shown as reactions",
    "follow": "follows from other sites, shown as reactions",
    "reacji": "emoji reactions from other sites, shown as reactions",
}
# What the summary says of them, for one and for many.
NOT_A_READERS = ("it is not a reader's comment", "they are not readers' comments")
# Left out whatever their commentmeta says: no plugin but those above uses these types.
ALWAYS_LEFT_OUT = frozenset({"note", "like", "repost"})
# Other names the Webmention plugin and Semantic-Linkbacks give a response: a reply is a
# comment (with the text of the post that replied); a mention is a post elsewhere that
# links to this one, which is what a pingback is (a Webmention is the newer pingback);
# ``webmention`` is the plugin's type before 5.0, a mention unless Semantic-Linkbacks
# said more.
LINKBACK_KINDS: dict[str, str] = {
    "reply": "comment",
    "mention": "pingback",
    "webmention": "pingback",
    "invited": "invite",
}


def response_type(c: reader.Comment) -> str | None:
    """The comment's type as WordPress shows it: a key of ``COMMENT_KIND`` or of
    ``NOT_COMMENTS``, or None for a type Broadsheet has no name for. That is its
    ``comment_type``, unless Semantic-Linkbacks' commentmeta says it is a reply or a
    reaction (``rsvp:yes`` is an RSVP). A reaction type other than ActivityPub's like and
    repost counts only on a comment the plugins marked as received (commentmeta
    ``protocol``), since another plugin may have used the name for comments of its own."""
    kind = c.type.strip().lower()
    said = c.meta.get(META_LINKBACK_TYPE, "").strip().lower().partition(":")[0]
    said = LINKBACK_KINDS.get(said, said)
    if kind != "note" and (said == "comment" or said in NOT_COMMENTS):
        return said
    kind = kind.partition(":")[0]  # Webmention 5.0 made rsvp:yes a type
    kind = LINKBACK_KINDS.get(kind, kind)
    if kind in COMMENT_KIND or kind in ALWAYS_LEFT_OUT:
        return kind
    return kind if kind in NOT_COMMENTS and c.meta.get(META_PROTOCOL) else None


class PostComments:
    """A post's comments as records for the writer: their ids, parents, statuses and
    authors read as WordPress means them."""

    def __init__(
        self,
        base: str,
        *,
        summary: Summary,
        writer: CommentWriter,
        offset: timedelta,
        accounts: dict[str, int],
    ) -> None:
        self.base = base  # the blog's key, as in the articles' origins
        self.summary = summary
        self.writer = writer
        self.offset = offset
        # wp:author_id -> the account made or found for that author (filled by the import).
        self.accounts = accounts
        # Comment ids above this are reserved for the file's comments.
        self.ids_given = KEPT_ID_LIMIT
        # How many of each type of NOT_COMMENTS were left out.
        self.left_out: Counter[str] = Counter()
        # Every comment the file holds (origins), and the articles of an earlier import
        # whose post the file holds whole, for ``take_down_missing``.
        self.seen: set[str] = set()
        self.whole_posts: set[int] = set()
        self.taken_down = 0
        self.left_standing = 0
        # Pending ones a file of published comments alone left out on purpose.
        self.left_pending = 0
        # When the file was written (its pubDate), if it says: a comment made after
        # that is missing from it because it did not exist yet, not because it was
        # taken down (an older export imported again after a newer one).
        self.written_at: datetime | None = None

    def store(
        self, post: reader.Post, article: Article, *, existed: bool, whole: bool = True
    ) -> None:
        """Hand the post's comments to the writer: new ones, and changed ones of an
        earlier import. ``whole``: the file holds every comment of the post it exports
        (a media item's comments, moved to its post, are not all of that post's)."""
        if existed and whole:
            self.whole_posts.add(article.pk)
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
                .values("pk", "origin", *COMPARED_FIELDS)
            }
        by_id: dict[str, reader.Comment] = {}
        for c in post.comments:
            cid = c.comment_id or self._synthetic_id(post, c)
            if cid in by_id:
                first = by_id[cid]
                said = (c.author, c.date, c.date_gmt, c.content)
                other = self._synthetic_id(post, c)
                if said == (first.author, first.date, first.date_gmt, first.content) or (
                    other in by_id
                ):
                    summary.count("comments", "skipped")
                    summary.note(
                        f"comment {cid} appears twice in post {post.post_id}, the same both "
                        "times: stored once",
                        c.line,
                    )
                    continue
                # Two comments given one id (files joined, or a plugin's doing): both kept.
                summary.note(
                    f"comment {cid} appears twice in post {post.post_id}, saying different "
                    f"things: the second is imported too, as comment {other} (replies to "
                    f"{cid} go under the first)",
                    c.line,
                )
                cid = other
            by_id[cid] = c
        self.seen.update(self.origin(cid) for cid in by_id)
        parents = self._parents(post, by_id)
        before_trash = statuses_before_trash(post)
        records: dict[str, ImportedComment] = {}
        left_out: Counter[str] = Counter()
        for cid, c in by_id.items():
            kind = response_type(c)
            if kind in NOT_COMMENTS and self.origin(cid) not in stored:
                left_out[kind] += 1
                continue
            record = self.record(post, article, cid, c, before_trash.get(cid))
            if record is None:
                continue
            if kind in NOT_COMMENTS:
                # An earlier import stored it as a reader's comment: it goes from view,
                # unless a moderator decided about it here since.
                record.status = Comment.Status.DELETED
                summary.note(
                    f"comment {cid} is of type {kind!r} ({NOT_COMMENTS[kind]}), which an "
                    "earlier import stored as a comment: deleted (not shown)",
                    c.line,
                )
            records[cid] = record
        for kind, n in sorted(left_out.items()):
            self.left_out[kind] += n
            summary.count("comments", "skipped", n)
            summary.note(
                f"post {post.post_id}: {counted(n, 'comment', 'comments')} of type {kind!r} "
                f"({NOT_COMMENTS[kind]}) left out: {plural(n, *NOT_A_READERS)}",
                post.line,
            )
        for cid, record in records.items():
            parent_cid = parents.get(cid)
            if parent_cid is None:
                continue
            parent_origin = self.origin(parent_cid)
            if parent_origin in stored:
                record.parent_id = stored[parent_origin]["pk"]
            elif parent_cid in records:
                record.parent = records[parent_cid]
        for record in records.values():
            existing = stored.get(record.origin)
            if existing is None:
                self.writer.add(record)
            elif same_comment(existing, record):
                summary.count("comments", "skipped")
            else:
                record.existing_id = existing["pk"]
                self.writer.add(record)

    def take_down_missing(self, *, complete: bool, visible_only: bool = False) -> None:
        """Comments an earlier import published (or held) that the file's posts no longer
        hold: WordPress exports every comment of a post but those it holds as spam, and
        one deleted there is gone, so its moderators took each of these down since. They
        are deleted here (kept, not shown), unless a moderator decided about one here
        since; a later file that holds one again brings it back.

        Only a file that says it holds every comment of its posts (``complete``) can say
        so: one of WordPress's that holds media items (attachments), or a Broadsheet
        export that says so in its generator. Comments on a media item are stored on its
        post (``move_media_comments``), and an export of posts alone, or one chosen by
        author, date or category, leaves media items out with their comments, which
        nothing here tells from the rest. Without it the
        comments missing are counted (``left_standing``) and left as they are; so are the
        pending ones a Broadsheet export of the published comments alone
        (``visible_only``) leaves out on purpose (``left_pending``)."""
        prefix = f"wxr:{self.base}#c"
        missing = Comment.objects.filter(
            article_id__in=self.whole_posts,
            origin__startswith=prefix,
            status__in=(Comment.Status.APPROVED, Comment.Status.PENDING),
        ).exclude(origin__in=self.seen)
        if self.written_at is not None:
            missing = missing.exclude(created_at__gt=self.written_at)
        missing = missing.order_by("pk")
        for comment in missing.iterator():
            record = ImportedComment(
                article_id=comment.article_id, author_name=comment.author_name,
                body=comment.body, body_html=comment.body_html, created_at=comment.created_at,
                status=Comment.Status.DELETED, kind=comment.kind,
                author_email=comment.author_email, author_url=comment.author_url,
                ip_address=comment.ip_address, user_agent=comment.user_agent,
                edited_at=comment.edited_at, alias=comment.alias, origin=comment.origin,
                existing_id=comment.pk,
            )  # fmt: skip
            if decided_here(comment.status_changed_at, record):
                continue
            # A file of the published comments alone leaves the pending ones out on
            # purpose; a published one it lacks is no longer published at the source.
            if visible_only and comment.status == Comment.Status.PENDING:
                self.left_pending += 1
                continue
            if not complete:
                self.left_standing += 1
                continue
            # Stamped as the import stamps a status, so that no one here seems to have
            # decided it, and a file that holds the comment again restores it.
            record.status_changed_at = comment.status_changed_at
            self.taken_down += 1
            self.summary.note(
                f"comment {comment.origin.removeprefix(prefix)} ({comment.status}), stored by "
                "an earlier import, is no longer in its post: deleted (not shown)"
            )
            self.writer.add(record)
            self.writer.flush_if_full()

    def origin(self, cid: str) -> str:
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

    def record(
        self,
        post: reader.Post,
        article: Article,
        cid: str,
        c: reader.Comment,
        before_trash: str | None = None,
    ) -> ImportedComment | None:
        approved = c.approved.lower()
        if approved == "post-trashed" and before_trash is not None:
            # The post is imported as a draft: its comments come back as WordPress
            # restores them with it (trash.py).
            approved = before_trash.lower()
        status: str | None = COMMENT_STATUS.get(approved)
        if (told := c.meta.get(META_STATUS, "").strip()) in Comment.Status.values:
            status = told
        if status is None:
            self.summary.note(
                f"comment {cid} has approval {c.approved!r}: imported as pending", c.line
            )
            status = Comment.Status.PENDING
        response = response_type(c)
        kind = None if response is None else COMMENT_KIND.get(response)
        if kind is None:
            if response is None:
                self.summary.note(
                    f"comment {cid} has type {c.type!r}: imported as a comment", c.line
                )
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
        name = one_line(c.meta.get(META_AUTHOR["author_name"]) or html.unescape(c.author))
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
            user_agent=fit(c.meta.get(META_USER_AGENT, ""), 500),
            body=c.content,
            body_html=wpcontent.comment_html(c.content),
            created_at=created_at,
            edited_at=reader.utc_time(c.meta.get(META_EDITED_AT, ""), "", self.offset),
            featured_at=reader.utc_time(c.meta.get(META_FEATURED_AT, ""), "", self.offset),
            status=status,
            kind=kind,
            origin=self.origin(cid),
            source_id=self._source_id(cid),
            alias=disqus_alias(c.meta.get(META_DISQUS_POST, "")),
        )

    def _source_id(self, cid: str) -> int | None:
        if not (cid.isascii() and cid.isdigit()):
            return None
        number = int(cid)
        return number if self.ids_given < number <= KEPT_ID_LIMIT else None
