"""The Broadsheet JSON backup: ``broadsheet export json`` and ``broadsheet import json``.

The file is one JSON document (schema in docs/import-export.md) laid out with
one record per line, so that both sides stream: the export writes rows as it
reads them, and the import reads a line at a time. A backup someone
re-indented still restores, read whole instead.

Restoring keeps every id (comment permalinks are ``/c/<id>``), so it only goes
into an empty site: it refuses when articles, comments, bylines, sections or
tags exist. Accounts and groups travel too (``accounts``).

Blocks are keyed hashes made with SECRET_KEY (``moderation.identity``): under
another key they match nobody. The header carries a check value of the key, so
that a restore under another key is refused rather than left with blocks that
block no one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.actions import ImportedComment
from broadsheet.discussion.models import Comment
from broadsheet.interchange import accounts, adminlog
from broadsheet.interchange.loading import indexed_at_the_end
from broadsheet.interchange.summary import Summary
from broadsheet.interchange.xmlstream import BrokenFile
from broadsheet.media import backup as media_backup
from broadsheet.media.models import Image
from broadsheet.newsroom import actions as newsroom_actions
from broadsheet.newsroom.models import (
    Article,
    Author,
    DeletedImport,
    FormerSlug,
    Section,
    SiteSettings,
    Tag,
)

FORMAT = "broadsheet-backup"
VERSION = 1
# Moderation's own tables, saved as they are when the app has them.
MODERATION_TABLES = (
    "moderation.ModerationSettings",
    "moderation.WordRule",
    "moderation.Block",
    "moderation.Report",
    "moderation.AuditEntry",
    "moderation.TaughtExample",
)
BLOCKS = "moderation.Block"
# A row of a backup made before its table had some fields, filled in as the upgrade
# fills them in a live site (by dotted path: moderation is imported only when present).
OLDER_ROWS = {
    "moderation.AuditEntry": "broadsheet.moderation.oldnotes.upgrade_entry",
    BLOCKS: "broadsheet.moderation.oldnotes.upgrade_block",
}
# Reply e-mails (and whatever else the notifications app keeps): who asked for them,
# which addresses confirmed or stopped, and the outbox, so that a restore neither
# loses a reader's choice nor announces a reply twice. Every model of the app, in
# the order it declares them.
NOTIFICATIONS_APP = "notifications"
# In the file's order: accounts before the records that name them by username.
SECTIONS = (
    "groups", "accounts", "authors", "sections", "tags", "former_slugs", "images", "articles",
    "deleted_imports", "comments", "moderation", "notifications", "admin_log",
)  # fmt: skip


class RestoreRefused(Exception):
    """The site is not empty, or the file is not a backup this version can read."""


def secret_key_check() -> str:
    """A value that tells this site's SECRET_KEY from another, and reveals nothing of it."""
    return salted_hmac(FORMAT, "the key blocks are hashed with", algorithm="sha256").hexdigest()


# Writing


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        # A bulk decision's audit entries share a batch id (moderation.AuditEntry.batch).
        return str(value)
    return value


def _is_user(f: models.Field) -> bool:
    return f.is_relation and f.related_model is get_user_model()


def row(obj: models.Model, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every stored field of ``obj``; links to accounts by username."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in skip:
            continue
        if _is_user(f):
            user = getattr(obj, f.name)
            out[f.name] = user.get_username() if user else None
        else:
            out[f.attname] = _value(getattr(obj, f.attname))
    return out


def _dump(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write(out: TextIO) -> dict[str, int]:
    counts: dict[str, int] = {}
    w = out.write
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "secret_key_check": secret_key_check(),
    }
    w(_dump(header)[:-1] + ",\n")
    w(f'"site":{_dump(row(SiteSettings.load()))},\n')

    def listing(name: str, rows: Iterator[dict], last: bool = False) -> None:
        w(f'"{name}":[\n')
        n = 0
        for record in rows:
            w(("," if n else "") + _dump(record) + "\n")
            n += 1
        w("]\n" if last else "],\n")
        counts[name] = n

    listing("groups", accounts.group_rows())
    listing("accounts", accounts.account_rows(row))
    listing("authors", (row(a) for a in _rows(Author)))
    listing("sections", (row(s) for s in Section.objects.order_by("pk").iterator()))
    listing("tags", (row(t) for t in Tag.objects.order_by("pk").iterator()))
    former = FormerSlug.objects.order_by("kind", "slug")
    listing("former_slugs", (row(f, skip=("id",)) for f in former.iterator()))
    # Before the articles, which name their lead image; each with its files' bytes.
    listing("images", media_backup.image_rows())
    articles = Article.objects.order_by("pk").prefetch_related("tags", "redirects")
    listing(
        "articles",
        (
            {
                **row(a),
                "tags": [t.pk for t in a.tags.all()],
                "redirects": [r.old_path for r in a.redirects.all()],
            }
            for a in articles.iterator(chunk_size=500)
        ),
    )
    gone = DeletedImport.objects.order_by("pk")
    listing("deleted_imports", (row(d, skip=("id",)) for d in gone.iterator()))
    listing("comments", (row(c) for c in _rows(Comment)))
    listing("moderation", _table_rows(_section_tables("moderation")))
    listing("notifications", _table_rows(_section_tables("notifications")))
    # The admin's history (who added, changed or deleted what, and when), last: it names
    # rows of every other section.
    listing("admin_log", adminlog.entry_rows(row), last=True)
    w("}\n")
    return counts


def _rows(model: type[models.Model]) -> Iterator[Any]:
    """All rows in id order, streamed, with the accounts they name in the same query."""
    users = [f.name for f in model._meta.concrete_fields if _is_user(f)]
    return model._default_manager.select_related(*users).order_by("pk").iterator(chunk_size=2000)


def _section_tables(section: str) -> list[type[models.Model]]:
    """The tables a section that holds whole tables holds, those this site has."""
    if section == "notifications":
        try:
            return list(apps.get_app_config(NOTIFICATIONS_APP).get_models())
        except LookupError:
            return []
    found = []
    for label in MODERATION_TABLES if section == "moderation" else ():
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found


def _table_rows(tables: list[type[models.Model]]) -> Iterator[dict]:
    for model in tables:
        for obj in _rows(model):
            yield {"table": model._meta.label, **row(obj)}


# Reading


@dataclass
class Backup:
    header: dict
    records: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    blocks: int = 0


def _records(path: Path) -> Iterator[tuple[str, Any, int]]:
    """``(section, record, line)`` for the header, the site and every listed record."""
    with path.open(encoding="utf-8") as fh:
        first = fh.readline().strip()
        # The export's own layout opens with the header's fields alone on the first
        # line; anything else (re-indented, or all on one line) is read whole.
        if not (first.startswith('{"format"') and first.endswith(",")):
            yield from _whole(path)
            return
        yield "header", _loads("{" + first[1:].rstrip(",") + "}", 1), 1
        section = None
        for number, line in enumerate(fh, start=2):
            text = line.strip()
            if not text:
                continue
            if section is None:
                if text == "}":
                    return
                if text.endswith("[") and text.startswith('"'):
                    section = _loads(text[:-1].rstrip().rstrip(":"), number)
                    continue
                pair = _loads("{" + text.rstrip(",") + "}", number)
                for key, value in pair.items():
                    yield key, value, number
            elif text in ("]", "],"):
                section = None
            else:
                yield section, _loads(text.lstrip(","), number), number
    raise BrokenFile("the backup ends before its closing brace (truncated?)")


def _whole(path: Path) -> Iterator[tuple[str, Any, int]]:
    with path.open(encoding="utf-8") as fh:
        try:
            document = json.load(fh)
        except json.JSONDecodeError as exc:
            raise BrokenFile(f"not valid JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(document, dict):
        raise BrokenFile("not a Broadsheet backup")
    header = {k: document.get(k) for k in ("format", "version", "exported_at", "secret_key_check")}
    yield "header", header, 1
    if "site" in document:
        yield "site", document["site"], 0
    for name in SECTIONS:
        for record in document.get(name, []):
            yield name, record, 0


def _loads(text: str, line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BrokenFile(f"not valid JSON: {exc.msg}", line) from None


def survey(path: Path) -> Backup:
    """Read the whole backup once, writing nothing; raise BrokenFile when it is unsound."""
    backup = None
    # What a section of whole tables may name.
    tables = {
        section: {model._meta.label for model in _section_tables(section)}
        for section in ("moderation", "notifications")
    }
    for section, record, line in _records(path):
        if section == "header":
            if record.get("format") != FORMAT:
                raise BrokenFile("this is not a Broadsheet JSON backup", 1)
            if record.get("version") != VERSION:
                raise BrokenFile(
                    f"backup version {record.get('version')!r}; this Broadsheet reads {VERSION}", 1
                )
            backup = Backup(header=record)
            continue
        if backup is None:
            raise BrokenFile("not a Broadsheet backup", line)
        if section in SECTIONS:
            if not isinstance(record, dict):
                raise BrokenFile(f"a {section} record is not an object", line)
            backup.records += 1
            backup.counts[section] = backup.counts.get(section, 0) + 1
            if section in tables and record.get("table") not in tables[section]:
                raise BrokenFile(f"a {section} record names no table of it", line)
            backup.blocks += section == "moderation" and record.get("table") == BLOCKS
    if backup is None:
        raise BrokenFile("the file is empty")
    return backup


def _check_empty() -> None:
    for model in (Article, Comment, Author, Section, Tag, Image):
        if model.objects.exists():
            raise RestoreRefused(
                "the site is not empty: a backup keeps every id, so it restores only into a "
                f"new site (found {model._meta.verbose_name_plural}). Start from an empty "
                "database (BROADSHEET_DATA_DIR or BROADSHEET_DATABASE_URL), run "
                "`broadsheet migrate`, then import."
            )


def _blocks_usable(backup: Backup, *, without_blocks: bool, summary: Summary) -> bool:
    """Whether the backup's blocks can be restored: they were hashed with this site's
    SECRET_KEY. Refuses a backup made under another key unless told to leave them out."""
    check = backup.header.get("secret_key_check")
    if not backup.blocks or without_blocks:
        if backup.blocks:
            summary.inform(
                f"{backup.blocks} block{'s' if backup.blocks != 1 else ''} left out "
                "(--without-blocks): block those authors again from their comments."
            )
        return False
    if check is None:
        summary.warn(
            "this backup was written before backups recorded their secret key: its blocks "
            "match authors only if this site's SECRET_KEY is the one the backup's site had."
        )
        return True
    if not constant_time_compare(check, secret_key_check()):
        raise RestoreRefused(
            f"the backup holds {backup.blocks} block{'s' if backup.blocks != 1 else ''} made "
            "under another secret key: blocks are keyed with the site's SECRET_KEY, so here "
            "they would block nobody. Restore with the old site's key (BROADSHEET_SECRET_KEY, "
            "or its DATA_DIR/secret_key file), or give --without-blocks to restore everything "
            "else."
        )
    return True


def _fields_for(model: type[models.Model], record: dict) -> dict[str, Any]:
    """Model keyword arguments from a backup row; unknown keys are ignored."""
    users = get_user_model()
    kwargs: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if _is_user(f):
            if f.name in record:
                username = record[f.name]
                kwargs[f.name] = (
                    users.objects.filter(**{users.USERNAME_FIELD: username}).first()
                    if username
                    else None
                )
            continue
        if f.attname not in record:
            continue
        value = record[f.attname]
        if isinstance(f, models.DateTimeField) and isinstance(value, str):
            value = parse_datetime(value)
        kwargs[f.attname] = value
    return kwargs


def restore(
    path: Path,
    backup: Backup,
    *,
    summary: Summary,
    progress: Callable[[int], None] = lambda n: None,
    without_blocks: bool = False,
    dry_run: bool = False,
) -> list[int]:
    """Restore into an empty site (call inside a transaction). Returns the comment ids.

    ``backup`` is what ``survey`` found in the file. A ``dry_run`` leaves PostgreSQL's id
    sequences alone, since rolling back the transaction would not move them back."""
    _check_empty()
    # The backup's list of deleted imports replaces the site's (emptying a site by deleting
    # its imported articles leaves one).
    DeletedImport.objects.all().delete()
    run = _Restore(backup, summary=summary, without_blocks=without_blocks)
    run.reset_sequences = not dry_run
    # The articles are indexed for search together at the end, in the site's language.
    with indexed_at_the_end():
        for section, record, _line in _records(path):
            if section == "site":
                _restore_site(record)
                continue
            if section not in SECTIONS:
                continue
            progress(1)
            summary.count(section, "found")
            if outcome := getattr(run, section)(record):
                summary.count(section, outcome)
        run.finish()
    return run.comment_ids


def _restore_site(record: dict) -> None:
    site = SiteSettings.load()
    for name, value in _fields_for(SiteSettings, record).items():
        if name != "id":
            setattr(site, name, value)
    site.save()


class _Restore:
    """One restore's state, and a method for each section of the file: it returns
    how the record counts in the summary, or None when counted elsewhere."""

    def __init__(self, backup: Backup, *, summary: Summary, without_blocks: bool) -> None:
        self.summary = summary
        self.keep_blocks = _blocks_usable(backup, without_blocks=without_blocks, summary=summary)
        self.users = accounts.Accounts(summary)
        self.comment_ids: list[int] = []
        self.batch: list[ImportedComment] = []
        self.sections_parent: dict[int, int] = {}
        self.touched: set[type[models.Model]] = {Author, Section, Tag, Article, Comment, Image}
        self.reset_sequences = True

    def groups(self, record: dict) -> None:
        accounts.restore_group(record, self.summary)

    def accounts(self, record: dict) -> None:
        self.users.restore(_fields_for(get_user_model(), record), record)

    def authors(self, record: dict) -> str:
        Author.objects.create(**_fields_for(Author, record))
        return "created"

    def sections(self, record: dict) -> str:
        kwargs = _fields_for(Section, record)
        parent = kwargs.pop("parent_id", None)
        section = Section.objects.create(**kwargs)
        if parent:
            self.sections_parent[section.pk] = parent  # set once every section is there
        return "created"

    def tags(self, record: dict) -> str:
        Tag.objects.create(**_fields_for(Tag, record))
        return "created"

    def former_slugs(self, record: dict) -> str:
        kwargs = _fields_for(FormerSlug, record)
        if kwargs.get("kind") not in FormerSlug.Kind.values or not kwargs.get("slug"):
            return "skipped"
        FormerSlug.objects.create(**kwargs)
        return "created"

    def deleted_imports(self, record: dict) -> str:
        kwargs = _fields_for(DeletedImport, record)
        if not kwargs.get("origin"):
            return "skipped"
        DeletedImport.objects.create(**kwargs)
        return "created"

    def images(self, record: dict) -> str:
        try:
            # A dry run checks the files' bytes but writes none.
            media_backup.restore_image(record, write_files=self.reset_sequences)
        except ValidationError as exc:
            raise ValueError(f"image {record.get('id')}: {' '.join(exc.messages)}") from None
        return "created"

    def articles(self, record: dict) -> str:
        _restore_article(record)
        return "created"

    def comments(self, record: dict) -> None:
        self.batch.append(_comment_record(record))
        if len(self.batch) >= 1000:
            self._flush()

    def moderation(self, record: dict) -> str:
        if record.get("table") == BLOCKS and not self.keep_blocks:
            return "skipped"
        self.touched.add(_restore_table(record))
        return "created"

    def notifications(self, record: dict) -> str:
        self.touched.add(_restore_table(record))
        return "created"

    def admin_log(self, record: dict) -> str:
        if not adminlog.restore_entry(_fields_for(LogEntry, record), record):
            return "skipped"
        self.touched.add(LogEntry)
        return "created"

    def _flush(self) -> None:
        if self.batch:
            stored = discussion_actions.import_comments(self.batch)
            self.comment_ids.extend(c.pk for c in stored)
            self.summary.count("comments", "created", len(stored))
            self.batch.clear()

    def finish(self) -> None:
        self._flush()
        for pk, parent in self.sections_parent.items():
            Section.objects.filter(pk=pk).update(parent_id=parent)
        self.users.rekey()
        self.touched.add(get_user_model())
        if self.reset_sequences:
            _reset_sequences(self.touched)


# The old address WordPress gives a page (a post's is ``?p=N``).
_WORDPRESS_PAGE_ADDRESS = "?page_id="


def _restore_article(record: dict) -> None:
    kwargs = _fields_for(Article, record)
    if "listed" not in record:
        # A backup from before ``listed``: a WordPress page that ``import wxr --pages``
        # stored is unlisted, as the upgrade (newsroom 0013) makes it in a live site.
        page = any(_WORDPRESS_PAGE_ADDRESS in old for old in record.get("redirects", []))
        kwargs["listed"] = not (page and str(record.get("origin", "")).startswith("wxr:"))
    for name in ("comment_count", "changed_at"):
        kwargs.pop(name, None)  # recounted and bumped by the comment action
    kwargs.pop("body_html", None)  # rendered again from the body, not trusted from the file
    article = Article(**kwargs)
    newsroom_actions.import_article(
        article,
        body_html=newsroom_actions.render_body(article),
        tags=record.get("tags", []),
        redirects=record.get("redirects", []),
        created_at=kwargs.get("created_at"),
        updated_at=kwargs.get("updated_at"),
    )


def _comment_record(record: dict) -> ImportedComment:
    kwargs = _fields_for(Comment, record)
    origin = kwargs.get("origin", "")
    body = kwargs.get("body", "")
    # Rendered again rather than trusted from the file, as the comment's format says.
    body_html = discussion_actions.render_body(Comment(origin=origin), body)
    user = kwargs.get("user")
    return ImportedComment(
        pk=kwargs["id"],
        article_id=kwargs["article_id"],
        parent_id=kwargs.get("parent_id"),
        thread_id=kwargs.get("thread_id"),
        thread_key=kwargs.get("thread_key"),
        depth=kwargs.get("depth"),
        author_name=kwargs.get("author_name", ""),
        author_email=kwargs.get("author_email", ""),
        author_url=kwargs.get("author_url", ""),
        ip_address=kwargs.get("ip_address"),
        user_id=user.pk if user else None,
        user_agent=kwargs.get("user_agent", ""),
        body=body,
        body_html=body_html,
        created_at=kwargs["created_at"],
        edited_at=kwargs.get("edited_at"),
        status_changed_at=kwargs.get("status_changed_at"),
        featured_at=kwargs.get("featured_at"),
        status=kwargs.get("status", Comment.Status.PENDING),
        kind=kwargs.get("kind", Comment.Kind.COMMENT),
        score=kwargs.get("score"),
        reasons=kwargs.get("reasons") or [],
        origin=origin,
        alias=kwargs.get("alias", ""),
        edit_token_hash=kwargs.get("edit_token_hash", ""),
    )


def _restore_table(record: dict) -> type[models.Model]:
    """A row of a table that ``survey`` found its section holds."""
    model = apps.get_model(record["table"])
    kwargs = _fields_for(model, record)
    if record["table"] in OLDER_ROWS:
        import_string(OLDER_ROWS[record["table"]])(kwargs)
    # A new site may hold rows its migrations made (default settings), or that its
    # operator set up before restoring (a word rule): the backup's own replace them,
    # by id and wherever they would share what must be unique.
    model.objects.filter(pk=kwargs.get("id")).delete()
    for f in model._meta.concrete_fields:
        # A link to an account is given as the account (by name), others by their column.
        name = f.name if f.name in kwargs else f.attname
        if f.unique and not f.primary_key and kwargs.get(name) is not None:
            model.objects.filter(**{name: kwargs[name]}).delete()
    for constraint in model._meta.constraints:
        unique = isinstance(constraint, models.UniqueConstraint) and constraint.fields
        if unique and constraint.condition is None:
            same = {model._meta.get_field(f).attname for f in constraint.fields}
            model.objects.filter(**{name: kwargs.get(name) for name in same}).delete()
    obj = model(**kwargs)
    obj.save(force_insert=True)
    # auto_now / auto_now_add stamp the restore's time on save: put the originals back.
    stamped = {
        f.attname: kwargs[f.attname]
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        if kwargs.get(f.attname)
    }
    if stamped:
        model.objects.filter(pk=obj.pk).update(**stamped)
    return model


def _reset_sequences(touched: set[type[models.Model]]) -> None:
    """Ids were given explicitly: move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(touched))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
