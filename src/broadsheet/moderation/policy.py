"""The moderation policy: run the checks in order and combine their verdicts."""

from __future__ import annotations

from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Decision, Submission, Verdict
from broadsheet.moderation.checks import DEFAULT_CHECKS, Check
from broadsheet.newsroom.models import SiteSettings

# What each action does to a comment, strongest first.
_OUTCOME = {"spam": Comment.Status.SPAM, "hold": Comment.Status.PENDING}


class DefaultPolicy:
    """Refusals stop at once; otherwise the strongest of spam > hold > approve wins.

    A "trust" verdict (staff) skips the hold and spam checks but never a refusal
    (closed comments, length).
    """

    checks: list[Check] = DEFAULT_CHECKS

    def decide(self, submission: Submission) -> Decision:
        site = SiteSettings.load()
        verdicts: list[Verdict] = []
        for check in self.checks:
            verdict = check(submission, site)
            verdicts.append(verdict)
            if verdict.action in ("refuse", "throttle"):
                return Decision(status=Comment.Status.PENDING, verdicts=verdicts)
        trusted = any(v.action == "trust" for v in verdicts)
        for action, status in _OUTCOME.items():
            if not trusted and any(v.action == action for v in verdicts):
                return Decision(status=status, verdicts=verdicts)
        return Decision(status=Comment.Status.APPROVED, verdicts=verdicts)
