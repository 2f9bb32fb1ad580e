"""Importing: storing comments read from other systems (WordPress, Disqus, JSON backups).

Used by ``broadsheet.interchange``. The source's statuses, dates and threads are kept;
no moderation runs (the source decided) and no signal is sent: importing is not posting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection, models, transaction

from broadsheet.discussion.actions.counts import lock_article, recount
from broadsheet.discussion.models import Comment
from broadsheet.newsroom.models import Article

Status = Comment.Status


@dataclass(eq=False)
class ImportedComment:
    """A comment read from another system, to be stored by ``import_comments``.

    ``body`` is kept as the source wrote it; ``body_html`` is what the importer
    rendered and sanitized from it. The parent is either a stored comment
    (``parent_id``) or another record earlier in the same call (``parent``).
    """

    article_id: int
    author_name: str
    body: str
    body_html: str
    created_at: datetime
    status: str = Status.APPROVED
    kind: str = Comment.Kind.COMMENT
    parent_id: int | None = None
    parent: ImportedComment | None = None
    author_email: str = ""
    author_url: str = ""
    ip_address: str | None = None
    user_id: int | None = None
    user_agent: str = ""
    edited_at: datetime | None = None
    status_changed_at: datetime | None = None
    # Among its article's editors' picks since then (a restore; a published comment only).
    featured_at: datetime | None = None
    score: float | None = None
    reasons: list = field(default_factory=list)
    origin: str = ""
    alias: str = ""
    edit_token_hash: str = ""
    # Restoring a backup: keep this id and these thread fields exactly.
    pk: int | None = None
    # Moving in: the id the comment had where it came from, kept when ``reserve_ids``
    # reserved it and no comment has it, so that its old address (WordPress's
    # ``#comment-N``) still finds it. Otherwise the comment gets a new id.
    source_id: int | None = None
    thread_id: int | None = None
    thread_key: datetime | None = None
    depth: int | None = None
    # Re-importing: update this stored comment instead of adding one.
    existing_id: int | None = None
    # Set once stored.
    comment: Comment | None = None


# What a re-import may change on a comment it stored before.
_REIMPORTED_FIELDS = (
    "status", "kind", "author_name", "author_email", "author_url", "ip_address", "user_agent",
    "body", "body_html", "created_at", "edited_at", "alias",
)  # fmt: skip


_TEXT_FIELDS = frozenset({"body", "body_html", "edited_at"})
# Two times closer than this are the same moment (files keep whole seconds).
_SAME_MOMENT = timedelta(seconds=1)


def decided_here(status_changed_at: datetime | None, record: ImportedComment) -> bool:
    """Whether a stored comment's status was changed here after the import stored it.

    An import stamps a status with the source's time (when the comment was written,
    or when the source says its status changed); a decision here (a moderator's, a
    reader's report, its author deleting it) stamps the time it was made, which is
    later. Such a decision is newer than the file's status, so a re-import keeps it.
    """
    source_time = record.status_changed_at or record.created_at
    return status_changed_at is not None and status_changed_at > source_time + _SAME_MOMENT


def import_comments(records: Sequence[ImportedComment], *, actor: Any = None) -> list[Comment]:
    """Store imported comments with their own status, dates, kind and parents.

    Thread, thread key (the thread root's time) and depth are worked out from
    the parents, as ``post_comment`` does; every touched article is recounted
    once, in the same transaction. No moderation runs (the source system's
    decision is kept) and no signal is sent: importing is not posting.
    """
    stored: list[Comment] = []
    with transaction.atomic():
        article_ids = sorted({r.article_id for r in records})
        list(Article.objects.select_for_update().filter(pk__in=article_ids).values_list("pk"))
        # Updates first: a new reply may hang under a comment being updated.
        stored += _update_imported([r for r in records if r.existing_id is not None])
        stored += _insert_imported([r for r in records if r.existing_id is None])
        for article_id in article_ids:
            recount(article_id)
    return stored


def _insert_imported(records: list[ImportedComment]) -> list[Comment]:
    kept = _kept_ids(records)
    known_ids = {r.parent_id for r in records if r.parent is None and r.parent_id}
    known = {
        pk: (thread_id, thread_key, depth)
        for pk, thread_id, thread_key, depth in Comment.objects.filter(
            pk__in=known_ids
        ).values_list("pk", "thread_id", "thread_key", "depth")
    }
    created: list[Comment] = []
    remaining = records
    # A level at a time: a reply is built once its parent has an id.
    while remaining:
        ready = [r for r in remaining if r.parent is None or r.parent.comment is not None]
        if not ready:
            raise ValueError("imported comments' parents form a cycle or are missing")
        waiting = [r for r in remaining if r.parent is not None and r.parent.comment is None]
        level = [_build_imported(r, known, kept.get(r)) for r in ready]
        _bulk_insert(level)
        roots = [c.pk for c in level if c.thread_id is None]
        if roots:
            Comment.objects.filter(pk__in=roots).update(thread_id=models.F("pk"))
        for record, comment in zip(ready, level, strict=True):
            if comment.thread_id is None:
                comment.thread_id = comment.pk
            record.comment = comment
        created += level
        remaining = waiting
    return created


# Ids the database is asked to keep free for imported comments: beyond this, a
# source's ids are not ids (and would spend the id space of the site's own comments).
KEPT_ID_LIMIT = 2**31 - 1


def reserve_ids(highest: int) -> int:
    """Make the database give no new comment an id up to ``highest`` (from now on, so
    that an import can give those ids to the comments it moves in, as
    ``ImportedComment.source_id`` asks). Returns the highest id given out before:
    only ids above it are free for certain, since a comment being posted meanwhile
    may already hold one below it."""
    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
        given = cursor.fetchone()[0] or 0
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last, called = cursor.fetchone()
            given = max(given, last if called else last - 1)
            if highest > given:
                cursor.execute(
                    f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {sequence})))",
                    [sequence, highest],
                )
        elif connection.vendor == "sqlite":
            # AUTOINCREMENT keeps the highest id ever given in sqlite_sequence.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            given = max(given, row[0] if row else 0)
            if highest > given:
                if row:
                    cursor.execute(
                        "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [highest, table]
                    )
                else:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest]
                    )
        else:
            return KEPT_ID_LIMIT  # not known how to reserve: keep none
    return given


def _kept_ids(records: list[ImportedComment]) -> dict[ImportedComment, int]:
    """The records whose ``source_id`` they may keep: one no stored comment has, once."""
    wanted = {
        r: r.source_id
        for r in records
        if r.pk is None and r.source_id is not None and 0 < r.source_id <= KEPT_ID_LIMIT
    }
    if not wanted:
        return {}
    ids = sorted(set(wanted.values()))
    taken: set[int] = set()
    for start in range(0, len(ids), 500):
        stored = Comment.objects.filter(pk__in=ids[start : start + 500])
        taken.update(stored.values_list("pk", flat=True))
    kept: dict[ImportedComment, int] = {}
    for record, pk in wanted.items():
        if pk not in taken:
            kept[record] = pk
            taken.add(pk)
    return kept


def _bulk_insert(comments: list[Comment]) -> None:
    """``bulk_create`` for the import path, and sets each comment's ``pk``.

    Imports store hundreds of thousands of rows; the ORM's per-value
    preparation was most of their time, so values are adapted once per field
    kind and sent as multi-row ``INSERT ... RETURNING id`` statements (rows
    come back in order on SQLite and PostgreSQL, as ``bulk_create`` relies on).
    Comments that keep an id (restored, or moved in with theirs) send it.
    """
    if not comments:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        Comment.objects.bulk_create(comments)
        return
    _insert_rows([c for c in comments if c.pk is not None], with_ids=True)
    _insert_rows([c for c in comments if c.pk is None], with_ids=False)


def _insert_rows(comments: list[Comment], *, with_ids: bool) -> None:
    if not comments:
        return
    fields = [f for f in Comment._meta.concrete_fields if with_ids or not f.primary_key]
    ops = connection.ops
    adapters: list[Callable[[Any], Any] | None] = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(f, models.GenericIPAddressField):
            adapters.append(ops.adapt_ipaddressfield_value)
        elif isinstance(f, models.JSONField):
            adapters.append(partial(f.get_db_prep_save, connection=connection))
        else:
            adapters.append(None)
    attnames = [f.attname for f in fields]
    qn = ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    max_params = connection.features.max_query_params or 65535  # None: no limit (PostgreSQL)
    per_statement = max(1, min(500, max_params // len(fields)))
    table = qn(Comment._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(comments), per_statement):
            chunk = comments[start : start + per_statement]
            params: list[Any] = []
            for comment in chunk:
                for attname, adapt in zip(attnames, adapters, strict=True):
                    value = getattr(comment, attname)
                    params.append(
                        adapt(value) if adapt is not None and value is not None else value
                    )
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))} "
                f"RETURNING {qn('id')}",
                params,
            )
            for comment, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                comment.pk = pk
                comment._state.adding = False
                comment._state.db = connection.alias


def _build_imported(
    record: ImportedComment, known: dict[int, tuple], kept_id: int | None = None
) -> Comment:
    thread_id, thread_key, depth = None, record.created_at, 0
    parent_id = None
    if record.parent is not None and record.parent.comment is not None:
        parent = record.parent.comment
        parent_id, thread_id, thread_key, depth = (
            parent.pk, parent.thread_id, parent.thread_key, parent.depth + 1
        )  # fmt: skip
    elif record.parent_id in known:
        parent_id = record.parent_id
        thread_id, thread_key, parent_depth = known[record.parent_id]
        depth = parent_depth + 1
    if record.thread_id is not None:
        thread_id, thread_key = record.thread_id, record.thread_key or thread_key
    if record.depth is not None:
        depth = record.depth
    if record.pk is not None and record.parent_id is not None:
        # A restored reply keeps its parent even when that parent comes later.
        parent_id = record.parent_id
    return Comment(
        pk=record.pk if record.pk is not None else kept_id,
        article_id=record.article_id,
        parent_id=parent_id,
        thread_id=thread_id,
        thread_key=thread_key,
        depth=depth,
        kind=record.kind,
        status=record.status,
        author_name=record.author_name,
        author_email=record.author_email,
        author_url=record.author_url,
        user_id=record.user_id,
        ip_address=record.ip_address or None,
        user_agent=record.user_agent[:500],
        body=record.body,
        body_html=record.body_html,
        created_at=record.created_at,
        edited_at=record.edited_at,
        status_changed_at=record.status_changed_at or record.created_at,
        featured_at=record.featured_at if record.status == Status.APPROVED else None,
        edit_token_hash=record.edit_token_hash,
        score=record.score,
        reasons=record.reasons,
        origin=record.origin,
        alias=record.alias,
    )


def _update_imported(records: list[ImportedComment]) -> list[Comment]:
    if not records:
        return []
    current = Comment.objects.select_for_update().in_bulk([r.existing_id for r in records])
    changed: list[Comment] = []
    for record in records:
        comment = current.get(record.existing_id)
        if comment is None:
            continue
        # What was decided or edited here since the file was written (a moderator's
        # decision or redaction, say) is newer than what the file says: it stays.
        kept = set()
        if decided_here(comment.status_changed_at, record):
            kept.add("status")
            record.status = comment.status
        elif comment.status != record.status:
            # The source's time, not now: a later re-import must still see that
            # nobody here decided it.
            comment.status_changed_at = record.status_changed_at or record.created_at
        if comment.edited_at is not None and (
            record.edited_at is None or record.edited_at < comment.edited_at
        ):
            kept |= _TEXT_FIELDS
        for name in _REIMPORTED_FIELDS:
            if name not in kept:
                setattr(comment, name, getattr(record, name))
        comment.ip_address = comment.ip_address or None
        record.comment = comment
        changed.append(comment)
    Comment.objects.bulk_update(changed, [*_REIMPORTED_FIELDS, "status_changed_at"])
    return changed


def attach_replies(links: Mapping[int, int]) -> list[int]:
    """Give stored comments their parents (``{child_id: parent_id}``) and re-thread.

    For imports whose replies can come before their parents in the file
    (Disqus). Returns the ids of comments left top-level because their parent
    links went round in a circle.
    """
    if not links:
        return []
    with transaction.atomic():
        article_ids = set()
        children = Comment.objects.in_bulk(list(links))
        parents = Comment.objects.in_bulk(list(set(links.values())))
        for child_id, parent_id in links.items():
            child, parent = children.get(child_id), parents.get(parent_id)
            if child is None or parent is None or parent.article_id != child.article_id:
                continue
            Comment.objects.filter(pk=child_id).update(parent_id=parent_id)
            article_ids.add(child.article_id)
        broken: list[int] = []
        for article_id in sorted(article_ids):
            lock_article(article_id)
            broken += _rethread(article_id)
            recount(article_id)
    return broken


def _rethread(article_id: int) -> list[int]:
    rows = {
        pk: [parent_id, created_at]
        for pk, parent_id, created_at in Comment.objects.filter(article_id=article_id)
        .order_by("created_at", "id")
        .values_list("pk", "parent_id", "created_at")
    }
    broken: list[int] = []
    placed: dict[int, tuple[int, datetime, int]] = {}

    def place(pk: int) -> tuple[int, datetime, int]:
        path: list[int] = []
        on_path: set[int] = set()
        node = pk
        while node not in placed:
            if node in on_path:  # parents going round in a circle: cut it here
                rows[node][0] = None
                broken.append(node)
                placed[node] = (node, rows[node][1], 0)
                break
            parent_id = rows[node][0]
            if parent_id is None or parent_id not in rows:
                placed[node] = (node, rows[node][1], 0)
                break
            on_path.add(node)
            path.append(node)
            node = parent_id
        for child in reversed(path):
            if child not in placed:
                root, key, depth = placed[rows[child][0]]
                placed[child] = (root, key, depth + 1)
        return placed[pk]

    updates = []
    for pk in rows:
        thread_id, thread_key, depth = place(pk)
        updates.append(
            Comment(
                pk=pk,
                parent_id=rows[pk][0],
                thread_id=thread_id,
                thread_key=thread_key,
                depth=depth,
            )
        )
    Comment.objects.bulk_update(
        updates, ["parent_id", "thread_id", "thread_key", "depth"], batch_size=500
    )
    return broken
