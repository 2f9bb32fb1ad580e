"""Moderator verbs. Each runs in one transaction, changes statuses only through
``discussion.actions.change_status`` (so counts stay true), writes an audit
record, and teaches the learned filter what the moderator decided."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from broadsheet.discussion import actions as discussion_actions
from broadsheet.discussion.mail import get_moderator_mail
from broadsheet.discussion.models import Comment
from broadsheet.moderation import learned, notes
from broadsheet.moderation.identity import author_keys, block_keys, spelling_key
from broadsheet.moderation.models import (
    AuditEntry,
    Block,
    ModerationSettings,
    Report,
    WordRule,
    new_rule_problem,
)
from broadsheet.newsroom.models import Article

Action = AuditEntry.Action
Status = Comment.Status

_TARGET = {
    Action.APPROVE: Status.APPROVED,
    Action.REJECT: Status.REJECTED,
    Action.SPAM: Status.SPAM,
    Action.DELETE: Status.DELETED,
    Action.RESTORE: Status.APPROVED,
}
# Entries an undo can reverse: the ones that moved a comment from one status to another.
UNDOABLE = [*_TARGET, Action.HIDE, Action.DISMISS]


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _resolve_reports(entries: Sequence[AuditEntry]) -> None:
    """A decision on a reported comment upholds its reports (hidden) or dismisses them (shown)."""
    reported = set(
        Report.objects.filter(
            comment__in=[e.comment_id for e in entries], status=Report.Status.OPEN
        ).values_list("comment_id", flat=True)
    )
    for entry in entries:
        if entry.comment_id not in reported:
            continue
        upheld = entry.to_status in (Status.REJECTED, Status.SPAM, Status.DELETED)
        Report.objects.filter(comment_id=entry.comment_id, status=Report.Status.OPEN).update(
            status=Report.Status.UPHELD if upheld else Report.Status.DISMISSED,
            resolved_at=timezone.now(),
            resolution=entry,
        )


def _teach(pairs: Iterable[tuple[Comment, int | None]]) -> None:
    taught = [(comment, label) for comment, label in pairs if label is not None]
    items = learned.texts_of(comment for comment, _ in taught)
    keys = [learned.lesson_key(comment) for comment, _ in taught]
    labels = [label for _, label in taught]
    # Each "do not publish" is balanced by a comment left standing on the same article.
    unpublished = [c for c, label in taught if label == learned.NOT_PUBLISH]
    learned.learn(items, labels, keys=keys, standing=unpublished)


def moderate_many(
    comments: Iterable[Comment], action: str, *, actor: Any, note: str = ""
) -> list[AuditEntry]:
    """Apply one decision to several comments: one transaction, one lesson for the filter.
    ``note``: what the moderator wrote about it, kept as written."""
    action = Action(action)
    if action not in _TARGET:
        raise ValueError(f"{action} is not a moderation decision")
    target = _TARGET[action]
    label = learned.label_for_status(target)
    comments = list(comments)
    entries = []
    lessons = []
    batch = uuid.uuid4() if len(comments) > 1 else None
    with transaction.atomic():
        for comment in comments:
            old = discussion_actions.change_status(comment, target, actor=actor)
            entries.append(
                AuditEntry(
                    actor=_actor(actor),
                    comment=comment,
                    action=action,
                    from_status=old,
                    to_status=target,
                    note=note,
                    batch=batch,
                )
            )
            # A decision that changes nothing (approving what is shown) teaches nothing new.
            if old != target:
                lessons.append((comment, label))
        AuditEntry.objects.bulk_create(entries)
        _resolve_reports(entries)
        _teach(lessons)
    return entries


def moderate(comment: Comment, action: str, *, actor: Any, note: str = "") -> AuditEntry:
    """Apply a moderator's decision (approve, reject, spam, delete, restore)."""
    return moderate_many([comment], action, actor=actor, note=note)[0]


def approve(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, Action.APPROVE, actor=actor)


def reject(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, Action.REJECT, actor=actor)


def mark_spam(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, Action.SPAM, actor=actor)


def delete(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, Action.DELETE, actor=actor)


def restore(comment: Comment, *, actor: Any) -> AuditEntry:
    return moderate(comment, Action.RESTORE, actor=actor)


def edit_text(comment: Comment, body: str, *, actor: Any) -> AuditEntry:
    """A moderator's change to a comment's text (a phone number taken out): shown at once,
    marked edited, its status and the count untouched. The entry does not keep the old
    text, which may be what was taken out."""
    with transaction.atomic():
        edited = discussion_actions.edit_as_moderator(comment, body, actor=actor)
        return AuditEntry.objects.create(
            actor=_actor(actor),
            comment=edited,
            action=Action.EDIT,
            details=[notes.edited()],
        )


def feature(comment: Comment, *, actor: Any, featured: bool = True) -> AuditEntry | None:
    """A moderator picks a published comment for its article's *Editors' picks*, or takes
    it off (``featured=False``): no lesson for the filter, and not a decision the queue's
    undo takes back (featuring again does). None when it already was as asked;
    ``ValueError`` saying why it cannot be picked."""
    with transaction.atomic():
        if not discussion_actions.set_featured(comment, featured):
            return None
        return AuditEntry.objects.create(
            actor=_actor(actor),
            comment=comment,
            action=Action.FEATURE if featured else Action.UNFEATURE,
            from_status=comment.status,
            to_status=comment.status,
        )


def undo(entry: AuditEntry, *, actor: Any) -> AuditEntry:
    """Put the comment back in the status it had before ``entry``.

    The filter takes back what it learned from the undone decision, when that
    decision is among the latest it remembers (``learned.LESSONS_KEPT``) and was
    the last lesson about this comment; the moderator's next decision on the
    comment teaches it again.
    """
    with transaction.atomic():
        entry = AuditEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.action not in UNDOABLE or entry.comment_id is None:
            raise ValueError("Only a decision on a comment can be undone.")
        if entry.reverted_by.exists():
            raise ValueError("That decision was already undone.")
        comment = Comment.objects.select_for_update().get(pk=entry.comment_id)
        if not standing(AuditEntry.objects.filter(pk=entry.pk)).exists():
            # Someone decided on it since (or its author deleted it): undoing this
            # older decision would overwrite theirs.
            raise ValueError(
                f"#{comment.pk} was changed since ({comment.get_status_display().lower()}): "
                "left as it is."
            )
        old = discussion_actions.change_status(comment, entry.from_status, actor=actor)
        Report.objects.filter(resolution=entry).update(
            status=Report.Status.OPEN, resolved_at=None, resolution=None
        )
        # A decision that moved the comment taught its new status; "keep" taught
        # "publish" (the comment shown all along or not) unless the lesson before it
        # had taught that already.
        taught = learned.label_for_status(entry.to_status)
        if entry.action == Action.DISMISS:
            moved = _last_lesson(comment, before=entry) != learned.PUBLISH
        else:
            moved = entry.from_status != entry.to_status
        if taught is not None and moved:
            learned.unlearn(learned.lesson_key(comment), taught)
        return AuditEntry.objects.create(
            actor=_actor(actor),
            comment=comment,
            action=Action.UNDO,
            from_status=old,
            to_status=entry.from_status,
            reverts=entry,
            details=[notes.undid(entry.action)],
        )


def standing(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """The decisions among ``entries`` that still stand: not undone, no later decision on
    their comment that stands, and the comment still in the status they gave it."""
    later = AuditEntry.objects.filter(
        comment=OuterRef("comment"), id__gt=OuterRef("id"), action__in=UNDOABLE
    ).filter(reverted_by=None)
    return entries.filter(
        action__in=UNDOABLE, reverted_by=None, comment__status=F("to_status")
    ).exclude(Exists(later))


def undo_last(actor: Any) -> tuple[list[AuditEntry], int]:
    """Undo the actor's last decision: every comment of it, when it was a bulk one.
    Returns the undo entries, and how many of its comments were changed since by
    someone else (those are left as they are)."""
    entry = last_undoable(actor)
    if entry is None:
        return [], 0
    with transaction.atomic():
        same = (
            AuditEntry.objects.filter(batch=entry.batch, reverted_by=None)
            if entry.batch is not None
            else AuditEntry.objects.filter(pk=entry.pk)
        )
        undone, changed = [], 0
        for e in same.order_by("id"):
            try:
                undone.append(undo(e, actor=actor))
            except ValueError:
                changed += 1
        return undone, changed


def last_undoable(actor: Any) -> AuditEntry | None:
    """The actor's latest decision that still stands. One that someone changed since
    is passed over: undoing it would overwrite their decision, and stopping at it
    would leave every later undo stuck there."""
    own = AuditEntry.objects.filter(actor=_actor(actor)).exclude(comment=None)
    return standing(own).order_by("-created_at", "-id").first()


def report(comment: Comment, *, reason: str, reporter_key: str, detail: str = "") -> Report | None:
    """A reader's report. Returns None when this reader had already reported the comment.

    Once ``reports_to_hide`` readers have reported a published comment it is
    hidden (back to pending, through change_status, so the count stays true)
    until a moderator decides.
    """
    rules = ModerationSettings.load()
    with transaction.atomic():
        try:
            with transaction.atomic():
                made = Report.objects.create(
                    comment=comment, reason=reason, detail=detail, reporter_key=reporter_key
                )
        except IntegrityError:
            return None
        open_reports = Report.objects.filter(comment=comment, status=Report.Status.OPEN).count()
        hidden = False
        if rules.reports_to_hide and open_reports >= rules.reports_to_hide:
            old = discussion_actions.change_status(comment, Status.PENDING)
            if old == Status.APPROVED:
                hidden = True
                AuditEntry.objects.create(
                    comment=comment,
                    action=Action.HIDE,
                    from_status=old,
                    to_status=Status.PENDING,
                    details=[notes.hidden(open_reports)],
                )
        # Moderators hear of the first open report, and of the one that hides it.
        if hidden or open_reports == 1:
            get_moderator_mail().waiting(
                comment, "hidden" if hidden else "reported", again=open_reports > 1
            )
    return made


def dismiss_reports(comment: Comment, *, actor: Any) -> AuditEntry:
    """The moderator keeps a reported comment: reports dismissed, the comment shown."""
    return dismiss_reports_many([comment], actor=actor)[0]


def dismiss_reports_many(comments: Iterable[Comment], *, actor: Any) -> list[AuditEntry]:
    """Keep several reported comments at once: one transaction, and one batch that
    ``undo_last`` undoes whole, as a bulk decision is."""
    comments = list(comments)
    batch = uuid.uuid4() if len(comments) > 1 else None
    entries = []
    lessons = []
    with transaction.atomic():
        for comment in comments:
            old = discussion_actions.change_status(comment, Status.APPROVED, actor=actor)
            reports = Report.objects.filter(comment=comment, status=Report.Status.OPEN)
            count = reports.count()
            entry = AuditEntry.objects.create(
                actor=_actor(actor),
                comment=comment,
                action=Action.DISMISS,
                from_status=old,
                to_status=Status.APPROVED,
                details=[notes.kept(count)],
                batch=batch,
            )
            reports.update(
                status=Report.Status.DISMISSED, resolved_at=timezone.now(), resolution=entry
            )
            # Kept again after new reports: the filter learned "publish" from it already.
            if _last_lesson(comment, before=entry) != learned.PUBLISH:
                lessons.append((comment, learned.PUBLISH))
            entries.append(entry)
        _teach(lessons)
    return entries


def _last_lesson(comment: Comment, *, before: AuditEntry) -> int | None:
    """What the latest decision on ``comment`` before ``before`` that still counts (not
    undone) taught the filter: a decision that moved the comment, or a keep."""
    earlier = AuditEntry.objects.filter(
        comment=comment, id__lt=before.pk, reverted_by=None, action__in=[*_TARGET, Action.DISMISS]
    ).exclude(from_status=F("to_status"), action__in=list(_TARGET))
    last = earlier.order_by("-id").values_list("to_status", flat=True).first()
    return learned.label_for_status(last) if last is not None else None


BLOCK_KINDS = [Block.Kind.USER, Block.Kind.EMAIL, Block.Kind.IP]


def block_author(
    comment: Comment,
    *,
    actor: Any,
    kinds: Sequence[str] = BLOCK_KINDS,
    days: int | None = None,
    reason: str = "",
) -> list[Block]:
    """Block the author of ``comment`` by account, e-mail and/or IP, for ``days`` or for good.
    The ``reason`` the moderator gave is kept as written, with the block and in the log."""
    keys = author_keys(user=comment.user_id, email=comment.author_email, ip=comment.ip_address)
    keys = {kind: key for kind, key in keys.items() if kind in kinds}
    if not keys:
        raise ValueError("This comment has nothing to block its author by.")
    expires_at = timezone.now() + timedelta(days=days) if days else None
    with transaction.atomic():
        # One block per author and kind: a new one replaces what was there (blocking for
        # 7 days someone blocked for good means 7 days), so one unblock lifts it.
        replaced = 0
        for kind, key in keys.items():
            replaced += Block.objects.filter(kind=kind, key=key).delete()[0]
        if Block.Kind.EMAIL in keys:  # one made before blocks were keyed by inbox
            spelled = spelling_key(comment.author_email)
            replaced += Block.objects.filter(kind=Block.Kind.EMAIL, key=spelled).delete()[0]
        blocks = [
            Block.objects.create(
                kind=kind,
                key=key,
                author_name=comment.author_name,
                author_comment=comment.pk,
                reason=reason,
                expires_at=expires_at,
                created_by=_actor(actor),
            )
            for kind, key in keys.items()
        ]
        AuditEntry.objects.create(
            actor=_actor(actor),
            comment=comment,
            action=Action.BLOCK,
            details=[notes.blocked(keys, days=days, replaced=bool(replaced))],
            note=reason,
        )
    return blocks


def unblock(block: Block, *, actor: Any) -> AuditEntry:
    """Lift ``block``. The log's entry is about the comment the block was made from, as
    the block's own entry is, so that the log shows both against it."""
    with transaction.atomic():
        said = notes.unblocked(block)
        # Every block of that author by that kind (older versions could make two).
        Block.objects.filter(kind=block.kind, key=block.key).delete()
        made_from = None
        if block.author_comment is not None:
            made_from = Comment.objects.filter(pk=block.author_comment).first()
        return AuditEntry.objects.create(
            actor=_actor(actor), action=Action.UNBLOCK, comment=made_from, details=[said]
        )


def blocks_for(comment: Comment) -> list[Block]:
    keys = block_keys(user=comment.user_id, email=comment.author_email, ip=comment.ip_address)
    return list(Block.objects.active().filter(key__in=keys))


def set_thresholds(hold: float, spam: float, *, actor: Any) -> bool:
    """Set the learned score's hold and spam thresholds, with an audit record.

    Raises ``ValidationError`` (and changes nothing) for thresholds outside 0–1
    or a spam threshold below the hold threshold. Returns whether anything changed.
    """
    with transaction.atomic():
        rules = ModerationSettings.objects.select_for_update().get(pk=ModerationSettings.load().pk)
        before = (rules.hold_threshold, rules.spam_threshold)
        rules.hold_threshold, rules.spam_threshold = hold, spam
        rules.clean()
        if (hold, spam) == before:
            return False
        rules.save(update_fields=["hold_threshold", "spam_threshold"])
        AuditEntry.objects.create(
            actor=_actor(actor),
            action=Action.THRESHOLDS,
            details=[notes.thresholds(before, (hold, spam))],
        )
    return True


def save_word_lists(
    wanted: Mapping[str, Sequence[str]], *, actor: Any
) -> dict[str, tuple[list[str], list[str]]]:
    """Make each word list (hold, block) hold exactly ``wanted``'s phrases, with one audit
    entry for the whole change; returns each list's (added, removed) phrases.

    Rules kept keep their note and date. A phrase new to a list that may not be added
    (``new_rule_problem``) raises ``ValidationError`` and nothing changes. A list that is
    not in ``wanted`` is left alone.
    """
    changes: dict[str, tuple[list[str], list[str]]] = {}
    with transaction.atomic():
        # Two moderators saving at once: the second works from what the first saved.
        stored = list(WordRule.objects.select_for_update().filter(list__in=list(wanted)))
        for kind, phrases in wanted.items():
            have = {rule.phrase for rule in stored if rule.list == kind}
            added = [p for p in dict.fromkeys(phrases) if p not in have]
            removed = sorted(have - set(phrases))
            for phrase in added:
                if problem := new_rule_problem(phrase):
                    raise ValidationError(problem)
            WordRule.objects.filter(list=kind, phrase__in=removed).delete()
            WordRule.objects.bulk_create([WordRule(phrase=p, list=kind) for p in added])
            if added or removed:
                changes[kind] = (added, removed)
        if changes:
            AuditEntry.objects.create(
                actor=_actor(actor), action=Action.WORDS, details=[notes.word_lists(changes)]
            )
    return changes


def record(action: str, said: notes.Message, *, actor: Any) -> AuditEntry:
    """An audit entry for a change made elsewhere than the queue (the admin's forms):
    ``said`` is what happened, a message of ``moderation.notes``."""
    return AuditEntry.objects.create(actor=_actor(actor), action=Action(action), details=[said])


def record_discussion_change(
    said: list[notes.Message], *, actor: Any, article: Article | None = None
) -> AuditEntry:
    """The audit entry of a newsroom change to the discussion: a story's comments
    closed, opened or held for review (``article``), or the site's settings (every
    comment held, comments closed after some days). Newsroom's actions call it by the
    ``DISCUSSION_AUDIT`` tunable (the newsroom does not import moderation), in their
    transaction, with what changed as messages (``moderation.notes`` says them)."""
    action = Action.ARTICLE if article is not None else Action.SETTINGS
    return AuditEntry.objects.create(
        actor=_actor(actor), article=article, action=action, details=said
    )
