"""Who hears of the moderation queue by e-mail, and what their e-mails say when sent.

A moderator is an active staff account that may moderate (``MODERATE``, which the
Moderators group holds; superusers may too) and has an e-mail address. Each chose
(``ModeratorChoice``; ``ModeratorChoice.DEFAULT`` until they choose) never, a digest,
or an e-mail at once for every comment that comes to wait.

Whether a moderator's e-mail still goes is asked again when it is sent: to their
address then, only if they still moderate and still want it, and only about comments
that still wait (a comment decided meanwhile is left out; a digest with nothing left
is not sent).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from broadsheet.discussion import tally
from broadsheet.discussion.models import Comment
from broadsheet.discussion.reasons import said_all
from broadsheet.moderation.apps import MODERATE
from broadsheet.moderation.models import Report
from broadsheet.notifications import compose, links
from broadsheet.notifications.models import Address, DigestItem, Message, ModeratorChoice

Notices = ModeratorChoice.Notices
Why = DigestItem.Why
KINDS = (Message.Kind.WAITING, Message.Kind.DIGEST)
# The most comments one digest lists; it counts the rest and links to the queue.
DIGEST_LISTED = 50


def moderators() -> QuerySet[Any]:
    """Every account that may be told, with ``notices``: what it chose."""
    return (
        get_user_model()
        .objects.with_perm(MODERATE, is_active=True, include_superusers=True)
        .filter(is_staff=True)
        .exclude(email="")
        .annotate(notices=Coalesce(F("moderator_choice__notices"), Value(ModeratorChoice.DEFAULT)))
    )


def still_waiting(ids: Iterable[int]) -> set[int]:
    """Those of the comments ``ids`` that wait for a moderator: pending, or shown with an
    open report."""
    reported = Q(status=Comment.Status.APPROVED, reports__status=Report.Status.OPEN)
    waiting = Comment.objects.filter(Q(status=Comment.Status.PENDING) | reported)
    return set(waiting.filter(pk__in=list(ids)).values_list("pk", flat=True).distinct())


def ready(message: Message) -> bool:
    """Whether a moderator's e-mail should still go; if so, it is addressed to the
    moderator's address now and (a digest) written with what still waits."""
    moderator = moderators().filter(pk=message.moderator_id or 0).first()
    if moderator is None or moderator.notices == Notices.NEVER:
        return False
    if Address.objects.status_of(links.address_keys(moderator.email)) == Address.Status.STOPPED:
        return False  # the owner of the address asked for no e-mail of any kind
    if message.kind == Message.Kind.WAITING:
        if not still_waiting([message.comment_id or 0]):
            return False
    else:
        digest = _digest(message)
        if not digest.listed:
            return False
        message.subject, message.text, message.html = compose.digest(moderator, digest)
    message.recipient = moderator.email
    Message.objects.filter(pk=message.pk).update(
        recipient=message.recipient, subject=message.subject, text=message.text, html=message.html
    )
    return True


@dataclass
class Entry:
    """One waiting comment as an e-mail describes it."""

    comment: Comment
    why: str
    reasons: list[str]
    url: str
    excerpt: str

    @property
    def why_label(self) -> str:
        return str(Why(self.why).label)


@compose.in_site_language
def entries(pairs: list[tuple[Comment, str]]) -> list[Entry]:
    """Each ``(comment, why)`` described: its reasons are the stored ones for a held
    comment, and the readers' for a reported or hidden one."""
    reported = [c.pk for c, why in pairs if why != Why.HELD]
    reports: dict[int, Counter[str]] = {}
    if reported:
        rows = (
            Report.objects.filter(comment__in=reported, status=Report.Status.OPEN)
            .values_list("comment", "reason")
            .annotate(n=Count("pk"))
            .order_by("reason")
        )
        for comment_id, reason, n in rows:
            reports.setdefault(comment_id, Counter())[str(Report.Reason(reason).label)] = n
    described = []
    for comment, why in pairs:
        if why == Why.HELD:
            reasons = said_all(comment.reasons)
        else:
            counted = reports.get(comment.pk, Counter())
            reasons = [
                _("Reported as %(reason)s (%(count)s)") % {"reason": label.lower(), "count": n}
                for label, n in counted.items()
            ]
        described.append(
            Entry(
                comment=comment,
                why=why,
                reasons=reasons,
                url=links.absolute(reverse("moderation:comment", args=[comment.pk])),
                excerpt=compose.excerpt(comment.body),
            )
        )
    return described


@dataclass
class Digest:
    """What a digest says: the comments that still wait, and the queue's tabs."""

    listed: list[Entry] = field(default_factory=list)
    # Waiting beyond DIGEST_LISTED, and arrived but decided already.
    more: int = 0
    decided: int = 0
    # Of the listed comments, and in the whole queue: {"pending": n, "reported": n}.
    new: dict[str, int] = field(default_factory=dict)
    queue: dict[str, int] = field(default_factory=dict)


def _digest(message: Message) -> Digest:
    items = list(
        DigestItem.objects.filter(message=message)
        .select_related("comment__article")
        .order_by("arrived_at", "pk")
    )
    waiting = still_waiting(item.comment_id for item in items)
    left = [item for item in items if item.comment_id in waiting]
    digest = Digest(decided=len(items) - len(left), more=max(0, len(left) - DIGEST_LISTED))
    if not left:
        return digest
    digest.listed = entries([(item.comment, item.why) for item in left[:DIGEST_LISTED]])
    reported = set(
        Report.objects.filter(comment__in=waiting, status=Report.Status.OPEN).values_list(
            "comment", flat=True
        )
    )
    digest.new = {
        "pending": sum(item.comment.status == Comment.Status.PENDING for item in left),
        "reported": sum(item.comment_id in reported for item in left),
    }
    digest.queue = {
        "pending": tally.counts()[Comment.Status.PENDING],
        "reported": Report.objects.filter(status=Report.Status.OPEN)
        .values("comment")
        .distinct()
        .count(),
    }
    return digest
