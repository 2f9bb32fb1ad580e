"""What every importer shares: finding or creating bylines, sections and tags,
unique slugs, cleaning values to fit the models, batching comments into the
discussion action, and teaching the moderation filter."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.text import slugify

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion import indexing as comment_indexing
from broadsheet.discussion.actions import ImportedComment
from broadsheet.discussion.models import Comment
from broadsheet.interchange.summary import Summary, counted
from broadsheet.newsroom import indexing as article_indexing
from broadsheet.newsroom.models import Article, Author, Section, Tag

BATCH = 1000


def make_slug(*candidates: str, max_length: int = 100) -> str:
    for candidate in candidates:
        slug = slugify(candidate or "", allow_unicode=True)[:max_length].strip("-")
        if slug:
            return slug
    return "item"


def unique_slug(model, slug: str, *, exclude_pk: int | None = None, max_length: int) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... when another row has it."""
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    candidate, n = slug[:max_length], 1
    while others.filter(slug=candidate).exists():
        n += 1
        suffix = f"-{n}"
        candidate = slug[: max_length - len(suffix)] + suffix
    return candidate


def clean_ip(value: str) -> str | None:
    """The address as Django stores one a reader posts from, or None if it is none.

    An IPv4 address seen through IPv6 keeps its dotted form (``::ffff:192.0.2.7``):
    Python 3.11 writes it in hex (``::ffff:c000:207``), which Django does not, and
    which then differs from the same reader's address on comments posted here.
    """
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


# The longest commenter name stored: every name WordPress can hold (255 bytes).
NAME_LENGTH: int = Comment._meta.get_field("author_name").max_length or 255


def one_line(value: str) -> str:
    """A name or title as one line: a line break in it (an encoded ``&#13;`` in a WordPress
    name, say) becomes a space, as the comment form refuses names that hold one."""
    return " ".join(value.splitlines()).strip()


def fit(value: str, max_length: int) -> str:
    return value[:max_length]


class Catalogue:
    """Bylines, sections and tags by slug, created on first use, counted once each."""

    def __init__(self, summary: Summary) -> None:
        self.summary = summary
        self.authors: dict[str, Author] = {}
        self.sections: dict[str, Section] = {}
        self.tags: dict[str, Tag] = {}
        # Sections this run made: only they take the file's parent; a section that was
        # here before keeps the place an editor may have given it.
        self.made_sections: set[int] = set()

    def author(self, login: str, *, name: str = "", email: str = "") -> Author | None:
        if not login and not name:
            return None
        slug = make_slug(login, name, max_length=150)
        if slug in self.authors:
            return self.authors[slug]
        self.summary.count("authors", "found")
        name = fit(name or login, 150)
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            author = Author.objects.create(name=name, slug=slug, email=fit(email, 254))
            self.summary.count("authors", "created")
        elif (author.name in (author.slug, login) and name != author.name) or (
            email and not author.email
        ):
            # A byline that is here already is the site's: an editor may have renamed it.
            # An import only gives it what it lacks: a name in place of the login it was
            # given for want of one (a file that named no authors), an e-mail.
            if author.name in (author.slug, login):
                author.name = name
            author.email = author.email or fit(email, 254)
            author.save(update_fields=["name", "email"])
            self.summary.count("authors", "updated")
        else:
            self.summary.count("authors", "skipped")
        self.authors[slug] = author
        return author

    def section(self, slug: str, name: str = "", description: str = "") -> Section:
        slug = make_slug(slug, name)
        if slug in self.sections:
            return self.sections[slug]
        self.summary.count("sections", "found")
        name = fit((name or slug).strip(), 100)
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            if Section.objects.filter(name=name).exists():
                name = fit(f"{name} ({slug})", 100)
            section = Section.objects.create(name=name, slug=slug, description=description)
            self.made_sections.add(section.pk)
            self.summary.count("sections", "created")
        else:
            self.summary.count("sections", "skipped")
        self.sections[slug] = section
        return section

    def set_parent(self, section: Section, parent_slug: str) -> None:
        if section.pk not in self.made_sections:
            return
        parent = self.sections.get(make_slug(parent_slug)) if parent_slug else None
        if parent is not None and section.parent_id != parent.pk and parent.pk != section.pk:
            section.parent = parent
            section.save(update_fields=["parent"])

    def tag(self, slug: str, name: str = "") -> Tag:
        slug = make_slug(slug, name)
        if slug in self.tags:
            return self.tags[slug]
        self.summary.count("tags", "found")
        name = fit((name or slug).strip(), 100)
        tag = Tag.objects.filter(Q(slug=slug) | Q(name=name)).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=slug)
            self.summary.count("tags", "created")
        else:
            self.summary.count("tags", "skipped")
            if tag.slug != slug:
                # Tag names are unique here: the two are one tag, at the first one's address.
                self.summary.note(
                    f"tag {slug!r} has the name of tag {tag.slug!r} ({name!r}): its articles "
                    "are tagged with that one"
                )
        self.tags[slug] = tag
        return tag


def existing_articles(origins: Iterable[str]) -> dict[str, Article]:
    return {a.origin: a for a in Article.objects.filter(origin__in=list(origins))}


class CommentWriter:
    """Collects imported comments and stores them a batch at a time through the action."""

    def __init__(self, summary: Summary) -> None:
        self.summary = summary
        self.pending: list[ImportedComment] = []
        # Ids of what was stored, to teach the moderation filter once committed.
        self.stored_ids: list[int] = []
        # New comments that kept their source's id (ImportedComment.source_id).
        self.kept_numbers = 0

    def add(self, record: ImportedComment) -> None:
        self.pending.append(record)

    def flush_if_full(self) -> None:
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        records, self.pending = self.pending, []
        stored = discussion_actions.import_comments(records)
        for record in records:
            self.summary.count("comments", "updated" if record.existing_id else "created")
            if record.existing_id is None and record.source_id is not None:
                self.kept_numbers += record.comment is not None and record.comment.pk == (
                    record.source_id
                )
        self.stored_ids += [c.pk for c in stored]


# What a re-import compares (``same_comment``); importers fetch these of stored comments.
COMPARED_FIELDS = (
    "status", "status_changed_at", "kind", "author_name", "author_email", "author_url", "body",
    "created_at",
)  # fmt: skip


def same_comment(comment: dict, record: ImportedComment) -> bool:
    """Whether a stored comment already says what the file says (a re-import skips it).

    A status decided here since the import is newer than the file's and is kept
    (``decided_here``), so it is not a difference.
    """
    kept_status = discussion_actions.decided_here(comment["status_changed_at"], record)
    return (
        (kept_status or comment["status"] == record.status)
        and all(
            comment[name] == getattr(record, name)
            for name in ("kind", "author_name", "author_email", "author_url", "body")
        )
        and _same_time(comment["created_at"], record.created_at)
    )


def _same_time(a: datetime, b: datetime) -> bool:
    return abs((a - b).total_seconds()) < 1


def train_moderation(summary: Summary, comment_ids: list[int]) -> None:
    """Teach the learned filter from imported decisions, once they are committed.

    The filter is found lazily: when it is not installed the import still
    succeeds and says so.
    """
    if not comment_ids:
        return
    learned = _learned_filter(summary)
    if learned is None:
        return

    def comments():
        # One query per chunk (a query has a limit on its parameters), read as columns.
        for start in range(0, len(comment_ids), BATCH):
            yield Comment.objects.filter(pk__in=comment_ids[start : start + BATCH]).order_by("pk")

    count = learned.learn_from_comments(comments())
    decisions = counted(count, "imported decision", "imported decisions")
    summary.inform(f"The moderation filter learned from {decisions}.")


def rebuild_moderation(summary: Summary) -> None:
    """Build the learned filter afresh from the site's decisions and what labelled files
    taught it (a restored backup holds both), as ``moderation rebuild`` does."""
    learned = _learned_filter(summary)
    if learned is None:
        return
    from broadsheet.moderation.models import TaughtExample  # type: ignore[attr-defined]

    spam_filter = learned.from_decisions()
    if not sum(spam_filter.counts):
        return
    learned.store(spam_filter)
    taught = TaughtExample.objects.count()
    summary.inform(
        "The moderation filter learned from "
        + counted(sum(spam_filter.counts) - taught, "restored decision", "restored decisions")
        + (f" and {counted(taught, 'example', 'examples')} taught from files." if taught else ".")
    )


def _learned_filter(summary: Summary) -> Any:
    """The learned filter's module, found lazily: when it is not installed the import
    still succeeds and says so."""
    try:
        from broadsheet.moderation import learned  # type: ignore[attr-defined]
    except ImportError:
        summary.warn(
            "the learned moderation filter is not available; the imported decisions did not "
            "train it"
        )
        return None
    return learned


@contextmanager
def indexed_at_the_end() -> Iterator[None]:
    """An import or a restore: the articles are indexed for search together when it
    ends, and the comments' search indexes settled (PostgreSQL's pending lists merged)
    rather than left for autovacuum, which every search would wait on meanwhile."""
    with article_indexing.deferred():
        yield
    comment_indexing.settle()
