"""How the learned score has done on this site: its scores against the moderators' word.

Every comment keeps the score the filter gave it when it was posted. Once the
comment is settled (approved, rejected or spam), that score and its status are
one honest example of how a threshold would have done: the score came before
anyone decided. ``site_outcomes`` reads the latest settled comments and gives
precision and recall of "not to publish" at the site's thresholds and at others,
so that a site can set its own thresholds from its own comments rather than
from a default (``docs/moderation.md``, *How the filter has done here*).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from broadsheet.discussion.models import Comment
from broadsheet.moderation.evaluation import SHOWN_THRESHOLDS, caught, thresholds
from broadsheet.moderation.learned import label_for_status
from broadsheet.moderation.models import ModerationSettings

# How many of the latest settled comments are read.
LATEST = 5000
# Fewer settled comments of either kind than this and no threshold is suggested.
ENOUGH = 20
# What a suggested spam threshold must reach, at the low end of a 95% confidence
# interval: what it files as spam nobody reviews.
SPAM_PRECISION = 0.99

# The statuses that settle a comment, and the training label each stands for.
_LABELS: dict[str, int] = {
    status: label
    for status in (Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM)
    if (label := label_for_status(status)) is not None
}
# Thresholds tried for the suggestions: 0.05 to 0.99.
_GRID = tuple(round(t / 100, 2) for t in range(5, 100))


@dataclass(frozen=True)
class Outcomes:
    published: int  # settled comments the moderators published (or left published)
    not_published: int  # rejected or spam
    hold: dict  # {threshold, precision, recall} at the site's hold threshold
    spam: dict  # and at its spam threshold
    rows: list[dict]  # at the thresholds ``evaluate`` shows
    suggested_hold: float | None  # the middle of the thresholds with the best F1
    suggested_spam: float | None  # the lowest surely (95%) as precise as SPAM_PRECISION

    @property
    def settled(self) -> int:
        return self.published + self.not_published

    @property
    def at_settings(self) -> list[tuple[str, dict]]:
        """The site's two thresholds, each with its figures."""
        return [("hold", self.hold), ("spam", self.spam)]

    @property
    def enough(self) -> bool:
        return min(self.published, self.not_published) >= ENOUGH

    def as_dict(self) -> dict:
        return {
            "published": self.published,
            "not_published": self.not_published,
            "hold": self.hold,
            "spam": self.spam,
            "thresholds": self.rows,
            "suggested_hold_threshold": self.suggested_hold,
            "suggested_spam_threshold": self.suggested_spam,
        }


def site_outcomes(latest: int = LATEST, rules: ModerationSettings | None = None) -> Outcomes:
    """The scores of the ``latest`` settled comments that were scored, against their status
    (``rules``: the site's settings, when the caller has them already)."""
    # Latest by id: a comment is scored as it is stored, so ids are in scoring order,
    # and reading the primary key backwards needs no sort (nor a date for every row).
    rows = list(
        Comment.objects.filter(status__in=list(_LABELS), score__isnull=False)
        .order_by("-id")
        .values_list("score", "status")[:latest]
    )
    scores = [score for score, _ in rows]
    labels = [_LABELS[status] for _, status in rows]
    return outcomes(labels, scores, rules or ModerationSettings.load())


def outcomes(labels: list[int], scores: list[float], rules: ModerationSettings) -> Outcomes:
    """How the site's thresholds, and others, do on these labelled scores."""
    hold, spam = thresholds(labels, scores, at=(rules.hold_threshold, rules.spam_threshold))
    not_published = sum(labels)
    published = len(labels) - not_published
    suggested_hold = suggested_spam = None
    if min(published, not_published) >= ENOUGH:
        suggested_hold, suggested_spam = _suggestions(labels, scores)
    return Outcomes(
        published=published,
        not_published=not_published,
        hold=hold,
        spam=spam,
        rows=thresholds(labels, scores, at=SHOWN_THRESHOLDS),
        suggested_hold=suggested_hold,
        suggested_spam=suggested_spam,
    )


def _suggestions(
    labels: Sequence[int], scores: Sequence[float]
) -> tuple[float | None, float | None]:
    """The hold threshold: the middle of those with the best F1 (a held comment only
    waits, and the middle leaves room either side for comments unlike these). The
    spam threshold: the lowest, at or above it, whose precision is SPAM_PRECISION
    even at the low end of its 95% confidence interval, since nobody reads spam."""
    grid = np.asarray(_GRID)
    hits, held, positives = caught(labels, scores, _GRID)
    f1 = 2 * hits / (held + positives)
    if f1.max() <= 0:
        return None, None
    best = np.flatnonzero(f1 == f1.max())
    hold = float(grid[best[len(best) // 2]])
    sure = (grid >= hold) & (_wilson_low(hits, held) >= SPAM_PRECISION)
    spam = float(grid[np.flatnonzero(sure)[0]]) if sure.any() else None
    return hold, spam


def _wilson_low(hits: np.ndarray, n: np.ndarray, z: float = 1.96) -> np.ndarray:
    """The lower end of the Wilson score interval of hits / n (0 where n is 0)."""
    n_safe = np.maximum(n, 1)
    p = hits / n_safe
    centre = p + z * z / (2 * n_safe)
    spread = z * np.sqrt(p * (1 - p) / n_safe + z * z / (4 * n_safe * n_safe))
    return np.where(n > 0, (centre - spread) / (1 + z * z / n_safe), 0.0)
