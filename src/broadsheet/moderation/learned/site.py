"""The site's filter: stored in the database, shared by every process, taught by decisions.

The model lives in one database row (``LearnedModel``) with a version and a
revision. Each process keeps the copy it last loaded and compares revisions
(one primary-key read, at most every ``RECHECK_SECONDS``), so every
app server scores with the same model and picks up new decisions without a
restart. Learning locks the row, so two moderators deciding at once both count.
Every comment is read on its own page (``comment_text``).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Q

from broadsheet.moderation.features import (
    CommentText,
)

if TYPE_CHECKING:
    from broadsheet.discussion.models import Comment

from broadsheet.moderation.learned.classifier import (
    EPOCHS,
    LEARN_BATCH,
    NOT_PUBLISH,
    PUBLISH,
    UNUSABLE,
    SpamFilter,
    train,
)

log = logging.getLogger(__name__)

_STATUS_LABELS = {"approved": PUBLISH, "spam": NOT_PUBLISH, "rejected": NOT_PUBLISH}


def label_for_status(status: str) -> int | None:
    """The training label a comment's status stands for; None when it says nothing (pending)."""
    return _STATUS_LABELS.get(status)


def site_hosts() -> tuple[str, ...]:
    """The site's own host names: ``ALLOWED_HOSTS`` (which must name them), less a bare ``*``."""
    from django.conf import settings

    return tuple(h.lower() for h in settings.ALLOWED_HOSTS if h and h != "*")


def article_paths(slug: str) -> tuple[str, ...]:
    """The paths of an article's page: its own, and the old ones that redirect to it
    (an imported WordPress permalink, ``?p=<id>``), which old comments link to."""
    from django.urls import reverse

    from broadsheet.newsroom.models import Redirect

    old = Redirect.objects.filter(article__slug=slug).values_list("old_path", flat=True)
    return (reverse("newsroom:article", args=[slug]), *sorted(old))


def text_on_page(
    body: str, author_url: str, paths: tuple[str, ...], hosts: tuple[str, ...] | None = None
) -> CommentText:
    """A comment as the filter reads it, posted on the page at ``paths`` of this site."""
    hosts = site_hosts() if hosts is None else hosts
    page = tuple(dict.fromkeys(h.lstrip(".") + path for path in paths for h in hosts))
    return CommentText(body=body, author_url=author_url or "", page=page, site=hosts)


def comment_text(comment: Comment) -> CommentText:
    return texts_of([comment])[0]


def texts_of(comments: Iterable[Comment]) -> list[CommentText]:
    """``comment_text`` of several comments, each article's paths looked up once."""
    on_page = _texts_on_pages()
    return [on_page(c.body, c.author_url, c.article.slug) for c in comments]


# How long a process scores with its copy before asking the database for a newer one.
RECHECK_SECONDS = 5.0

# The copy this process scores with: (revision, filter, when the revision was last checked).
_lock = threading.Lock()
_memo: tuple[str, SpamFilter, float] | None = None


def _remember(revision: str, spam_filter: SpamFilter) -> None:
    global _memo
    with _lock:
        _memo = (revision, spam_filter, time.monotonic())


def forget() -> None:
    """Drop this process's copy; the next score reads the database."""
    global _memo
    with _lock:
        _memo = None


def site_filter() -> SpamFilter | None:
    """The site's filter as stored now, or None before it has learned anything."""
    from broadsheet.moderation.models import LearnedModel

    memo = _memo
    # Inside a transaction the row we would read may differ from the committed
    # one (our own uncommitted learning), so always check there.
    if (
        memo is not None
        and not connection.in_atomic_block
        and time.monotonic() - memo[2] < RECHECK_SECONDS
    ):
        return memo[1]
    revision = LearnedModel.objects.filter(pk=1).values_list("revision", flat=True).first()
    if revision is None:
        forget()
        return None
    if memo is not None and memo[0] == revision:
        _remember(revision, memo[1])
        return memo[1]
    row = LearnedModel.objects.filter(pk=1).values_list("revision", "blob").first()
    if row is None:
        return None
    try:
        spam_filter = SpamFilter.loads(row[1])
    except UNUSABLE as exc:
        log.error("The stored learned filter cannot be used (%s); scoring is off.", exc)
        return None
    _remember(row[0], spam_filter)
    return spam_filter


def store(spam_filter: SpamFilter) -> int:
    """Replace the site's filter; returns its new version."""
    from broadsheet.moderation.models import LearnedModel

    with transaction.atomic():
        row = LearnedModel.objects.select_for_update().filter(pk=1).first()
        row = row or LearnedModel(pk=1)
        return _save(row, spam_filter)


def _save(row, spam_filter: SpamFilter) -> int:
    row.version += 1
    row.revision = uuid.uuid4().hex
    row.blob = spam_filter.dumps()
    row.published_examples = spam_filter.published_examples
    row.unpublished_examples = spam_filter.unpublished_examples
    row.save()
    # Score with it in this process only once it is committed; a rolled-back
    # lesson must not linger in memory.
    revision = row.revision
    transaction.on_commit(lambda: _remember(revision, spam_filter))
    return row.version


@contextmanager
def updating() -> Iterator[SpamFilter]:
    """Lock the site's filter, hand it over for learning, and store it when the block ends."""
    from broadsheet.moderation.models import LearnedModel

    with transaction.atomic():
        # The row lock makes concurrent decisions queue: none is lost to a
        # read-modify-write race between two app servers.
        row = LearnedModel.objects.select_for_update().filter(pk=1).first()
        spam_filter = None
        if row is not None:
            try:
                spam_filter = SpamFilter.loads(row.blob)
            except UNUSABLE as exc:
                # Never start from nothing while the site's decisions are there to learn from.
                log.warning("Retraining the learned filter: the stored one is unusable (%s).", exc)
                spam_filter = from_decisions()
        else:
            row = LearnedModel(pk=1)
        spam_filter = spam_filter or SpamFilter()
        yield spam_filter
        _save(row, spam_filter)


def decided_examples() -> tuple[list[CommentText], list[int]]:
    """Every comment a moderator (or an imported history) decided, and its label."""
    from broadsheet.discussion.models import Comment

    decided = Comment.objects.filter(
        status__in=[Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM]
    ).order_by("pk")
    items, labels = [], []
    on_page = _texts_on_pages()
    for body, author_url, slug, label in _decided(decided):
        items.append(on_page(body, author_url, slug))
        labels.append(label)
    return items, labels


def _texts_on_pages() -> Callable[[str, str, str], CommentText]:
    """``text_on_page`` for comments given their article's slug (paths worked out once each)."""
    hosts = site_hosts()
    paths: dict[str, tuple[str, ...]] = {}

    def on_page(body: str, author_url: str, slug: str) -> CommentText:
        found = paths.get(slug)
        if found is None:
            found = paths[slug] = article_paths(slug)
        return text_on_page(body, author_url, found, hosts)

    return on_page


def keep_taught(items: Sequence[CommentText], labels: Sequence[int], source: str) -> int:
    """Keep what a labelled file taught the site's filter, so that it is learned again
    whenever the filter is rebuilt (``TaughtExample``). Returns how many were new: a
    text with the same label, page and file name is kept once.
    """
    from broadsheet.moderation.models import TaughtExample

    rows: dict[str, TaughtExample] = {}
    for item, label in zip(items, labels, strict=True):
        page = " ".join(item.page)
        digest = hashlib.sha256(
            "\0".join((source, str(label), page, item.body)).encode()
        ).hexdigest()
        rows[digest] = TaughtExample(
            body=item.body,
            page=page,
            not_to_publish=label == NOT_PUBLISH,
            source=source,
            digest=digest,
        )
    known = set(
        TaughtExample.objects.filter(source=source).values_list("digest", flat=True).iterator()
    )
    new = [row for digest, row in rows.items() if digest not in known]
    TaughtExample.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(new)


def taught_examples() -> tuple[list[CommentText], list[int]]:
    """What labelled files taught the site's filter (``keep_taught``), in the order taught."""
    from broadsheet.moderation.models import TaughtExample

    items, labels = [], []
    rows = TaughtExample.objects.order_by("pk").values_list("body", "page", "not_to_publish")
    for body, page, not_to_publish in rows.iterator(chunk_size=2000):
        items.append(CommentText(body, page=tuple(page.split())))
        labels.append(NOT_PUBLISH if not_to_publish else PUBLISH)
    return items, labels


def site_examples() -> tuple[list[CommentText], list[int]]:
    """Everything the site's filter is built from: its decided comments, then what
    labelled files taught it."""
    items, labels = decided_examples()
    taught_items, taught_labels = taught_examples()
    return items + taught_items, labels + taught_labels


def from_decisions(
    *, epochs: int = EPOCHS, progress: Callable[[int], object] | None = None
) -> SpamFilter:
    """A new filter trained on every decided comment of the site, and on what labelled
    files taught it (no example at all: an empty filter). ``progress`` is told how many
    comments each batch held, as ``train`` tells it."""
    through = _newest_comment_id()
    items, labels = site_examples()
    spam_filter = SpamFilter()
    train(spam_filter, items, labels, epochs=epochs, progress=progress)
    # Every published comment up to now was among the examples.
    spam_filter.standing_floor = through
    return spam_filter


def stored_problem() -> str | None:
    """Why the stored filter cannot score (built on other features, say); None when it
    can, or when there is none."""
    from broadsheet.moderation.models import LearnedModel

    row = LearnedModel.objects.filter(pk=1).values_list("blob", flat=True).first()
    if row is None:
        return None
    try:
        SpamFilter.loads(row)
    except UNUSABLE as exc:
        return str(exc) or type(exc).__name__
    return None


def retrain_if_unusable() -> int | None:
    """Retrain the site's filter from its decisions if the stored one cannot be used.

    Run after every ``migrate``, so that an upgrade which changes the features
    leaves a working filter. Returns how many comments it learned from, or None
    when the stored filter was fine (or there is none).
    """
    if stored_problem() is None:
        return None
    spam_filter = from_decisions()
    store(spam_filter)
    return sum(spam_filter.counts)


def learn(
    items: Sequence[CommentText],
    labels: Sequence[int],
    *,
    keys: Sequence[str] | None = None,
    standing: Sequence[Any] = (),
) -> int:
    """Teach the site's filter these labelled comments; returns how many it learned from.

    ``keys`` name single decisions that ``unlearn`` may take back later.
    ``standing`` are comments taken down: beside each, a published comment on its
    article that the moderators let stand is learned too, as "publish"
    (``standing_examples``).
    """
    if not items:
        return 0
    with updating() as spam_filter:
        learned = spam_filter.learn(items, labels, keys=keys)
        kept, published = standing_examples(spam_filter, standing)
        return learned + spam_filter.learn(kept, published)


# A published comment still up after this long, with no report and no moderator's
# decision, is one the moderators let stand: readers have had time to report it and
# moderators to take it down. The trust check counts approved comments by it too.
STANDING_AFTER = timedelta(days=1)


def standing_examples(
    spam_filter: SpamFilter, taken_down: Sequence[Any]
) -> tuple[list[CommentText], list[int]]:
    """For each comment of ``taken_down``, the next comment on its article that the
    moderators let stand (published, up for ``STANDING_AFTER``, never reported nor
    decided on) and that another author wrote, as a "publish" lesson; none is taken
    twice.

    Moderators decide mostly on what the filter held: the comments published at once
    never reach them. Learning only from their decisions, a few rejections on a story
    that shared something incidental (its subject, a number) pushed every ordinary
    comment on it over the hold threshold. A comment left standing beside each one
    taken down keeps the two in balance, as ``rebuild`` (which reads every published
    comment) already does.
    """
    if not taken_down:
        return [], []
    from django.utils import timezone

    from broadsheet.discussion.models import Comment

    settled = timezone.now() - STANDING_AFTER
    taken = dict(spam_filter.standing_taken)
    chosen: list[Comment] = []
    by_article: dict[int, list[Any]] = {}
    for comment in taken_down:
        by_article.setdefault(comment.article_id, []).append(comment)
    for article_id, down in by_article.items():
        after = max(spam_filter.standing_floor, taken.get(article_id, 0))
        found = list(
            Comment.objects.filter(
                article_id=article_id,
                status=Comment.Status.APPROVED,
                pk__gt=after,
                created_at__lte=settled,
                audit_entries=None,
                reports=None,
            )
            .exclude(_same_authors(down))
            .select_related("article")
            .order_by("pk")[: len(down)]
        )
        if found:
            taken[article_id] = found[-1].pk
            chosen += found
    spam_filter.standing_taken = taken
    return texts_of(chosen), [PUBLISH] * len(chosen)


def _same_authors(comments: Sequence[Any]) -> Q:
    """Comments by any author of ``comments``: by account, e-mail or address. A
    spammer's own comment left standing must not balance their spam taken down, or
    each rejection would teach that their text and address are fine as well."""
    same = Q(pk__in=[c.pk for c in comments])
    for c in comments:
        if c.user_id is not None:
            same |= Q(user_id=c.user_id)
        if c.author_email:
            same |= Q(author_email__iexact=c.author_email)
        if c.ip_address:
            same |= Q(ip_address=c.ip_address)
    return same


def unlearn(key: str, label: int) -> bool:
    """Take back the decision learned under ``key`` (an undo); False when it is not remembered."""
    # Looked up first in the copy this process scores with, so that an undo with
    # nothing to take back stores no new version of the filter.
    current = site_filter()
    if current is None or not current.remembers(key, label):
        return False
    with updating() as spam_filter:
        return spam_filter.unlearn(key, label)


def lesson_key(comment: Comment) -> str:
    """The key a moderator's decision on ``comment`` is learned under."""
    return f"comment:{comment.pk}"


def _decided(comments: Iterable[Any]) -> Iterator[tuple[str, str, str, int]]:
    """(body, author url, article slug, label) of each decided comment.

    ``comments`` is a queryset (read as four columns, in chunks), comments, or
    querysets one after another (the chunks of a set too large for one query).
    """
    from django.db.models import QuerySet

    if isinstance(comments, QuerySet):
        rows = comments.values_list("body", "author_url", "article__slug", "status")
        for body, author_url, slug, status in rows.iterator(chunk_size=2000):
            label = label_for_status(status)
            if label is not None:
                yield body, author_url or "", slug, label
        return
    for comment in comments:
        if isinstance(comment, QuerySet):
            yield from _decided(comment)
            continue
        label = label_for_status(comment.status)
        if label is not None:
            yield comment.body, comment.author_url or "", comment.article.slug, label


def learn_from_comments(comments: Iterable[Any]) -> int:
    """Train the site's filter from comments a moderator (or an imported history) decided.

    Approved comments teach "publish", spam and rejected ones "do not publish";
    pending and deleted comments are skipped. Returns how many it learned from.
    ``comments`` is a queryset, comments, or querysets one after another; a
    queryset is read as three columns in chunks. Each batch of ``LEARN_BATCH``
    comments is featurized at once and learned in one step, and the filter is
    stored once, at the end.
    """
    rows = _decided(comments)
    batches = iter(lambda: list(itertools.islice(rows, LEARN_BATCH)), [])
    first = next(batches, None)
    if first is None:
        return 0
    learned = 0
    on_page = _texts_on_pages()
    with updating() as spam_filter:
        for batch in itertools.chain([first], batches):
            items = [on_page(body, url, slug) for body, url, slug, _ in batch]
            learned += spam_filter.learn(items, [label for *_, label in batch])
        spam_filter.standing_floor = _newest_comment_id()  # learned from just now
    return learned


def _newest_comment_id() -> int:
    from broadsheet.discussion.models import Comment

    return Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def model_summary() -> dict[str, Any] | None:
    from broadsheet.moderation.models import LearnedModel

    row = (
        LearnedModel.objects.filter(pk=1)
        .values("version", "published_examples", "unpublished_examples")
        .first()
    )
    return dict(row) if row is not None else None
