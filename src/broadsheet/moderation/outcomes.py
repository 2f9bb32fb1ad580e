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

from dataclasses import dataclass

from broadsheet.discussion.models import Comment
from broadsheet.moderation.evaluation import SHOWN_THRESHOLDS, thresholds
from broadsheet.moderation.learned import NOT_PUBLISH, PUBLISH
from broadsheet.moderation.models import ModerationSettings

# How many of the latest settled comments are read.
LATEST = 5000
# Fewer settled comments of either kind than this and no threshold is suggested.
ENOUGH = 20
# What a suggested spam threshold must reach: what it files as spam nobody reviews.
SPAM_PRECISION = 0.99

_LABEL = {
    Comment.Status.APPROVED: PUBLISH,
    Comment.Status.REJECTED: NOT_PUBLISH,
    Comment.Status.SPAM: NOT_PUBLISH,
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
    suggested_hold: float | None  # the best F1 (catching what should wait, wrongly holding little)
    suggested_spam: float | None  # the lowest with precision SPAM_PRECISION

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


def site_outcomes(latest: int = LATEST) -> Outcomes:
    """The scores of the ``latest`` settled comments that were scored, against their status."""
    rows = list(
        Comment.objects.filter(status__in=list(_LABEL), score__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("score", "status")[:latest]
    )
    scores = [score for score, _ in rows]
    labels = [_LABEL[status] for _, status in rows]
    return outcomes(labels, scores, ModerationSettings.load())


def outcomes(labels: list[int], scores: list[float], rules: ModerationSettings) -> Outcomes:
    """How the site's thresholds, and others, do on these labelled scores."""
    hold, spam = thresholds(labels, scores, at=(rules.hold_threshold, rules.spam_threshold))
    not_published = sum(labels)
    published = len(labels) - not_published
    suggested_hold = suggested_spam = None
    if min(published, not_published) >= ENOUGH:
        grid = thresholds(labels, scores, at=_GRID)
        best = max(grid, key=lambda row: (_f1(row), row["threshold"]))
        suggested_hold = best["threshold"] if _f1(best) > 0 else None
        suggested_spam = next(
            (
                row["threshold"]
                for row in grid
                if row["precision"] is not None
                and row["precision"] >= SPAM_PRECISION
                and row["threshold"] >= (suggested_hold or 0)
            ),
            None,
        )
    return Outcomes(
        published=published,
        not_published=not_published,
        hold=hold,
        spam=spam,
        rows=thresholds(labels, scores, at=SHOWN_THRESHOLDS),
        suggested_hold=suggested_hold,
        suggested_spam=suggested_spam,
    )


def _f1(row: dict) -> float:
    precision, recall = row["precision"] or 0.0, row["recall"] or 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
