"""The moderation policy: run the checks in order, add the learned score, combine the verdicts."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from broadsheet.discussion.models import Comment
from broadsheet.discussion.policy import Decision, Submission, Verdict
from broadsheet.moderation import learned
from broadsheet.moderation.checks import DEFAULT_CHECKS, Check, Context
from broadsheet.moderation.models import ModerationSettings
from broadsheet.newsroom.models import SiteSettings

# What each action does to a comment, strongest first.
_OUTCOME = {"spam": Comment.Status.SPAM, "hold": Comment.Status.PENDING}


def learned_verdict(sub: Submission, rules: ModerationSettings) -> tuple[Verdict, float | None]:
    """The learned filter's verdict and score. It decides only once it has learned enough."""
    spam_filter = learned.site_filter()
    if spam_filter is None or not spam_filter.can_score:
        return Verdict("learned_score", "allow", "The filter has not learned yet."), None
    item = learned.text_on_page(sub.body, sub.author_url, learned.article_paths(sub.article.slug))
    judgement = spam_filter.judge(item)
    score = judgement.score
    if not spam_filter.is_ready(rules.learned_min_examples):
        return Verdict(
            "learned_score",
            "allow",
            f"Score {score:.2f}, not used: the filter has learned from "
            f"{spam_filter.published_examples} published and "
            f"{spam_filter.unpublished_examples} unpublished comments "
            f"(needs {rules.learned_min_examples} of each).",
        ), score
    if score >= rules.spam_threshold:
        action = "spam"
    elif score >= rules.hold_threshold:
        action = "hold"
    else:
        action = "allow"
    if judgement.features:
        return Verdict.said(
            "learned_score",
            action,
            gettext_noop(
                "Learned score %(score).2f (moderators' past decisions). Weighed most: %(words)s."
            ),
            score=score,
            words=list(judgement.described),
        ), score
    return Verdict.said(
        "learned_score",
        action,
        gettext_noop("Learned score %(score).2f (moderators' past decisions)."),
        score=score,
    ), score


# What a trusted commenter's comment skips: the judgements made for want of knowing
# the author. The site's own rules (word lists, links, hold every comment) and the
# signs of a bot (honeypot, posting speed, the same text again) still apply, as
# WordPress applies them to an author it has approved before.
TRUST_SKIPS = frozenset({"learned_score", "first_comment"})


class DefaultPolicy:
    """Refusals stop at once; otherwise the strongest of spam > hold > approve wins.

    Staff skip every hold and spam verdict; a trusted commenter (enough approved
    comments, settled, and none rejected) skips those of ``TRUST_SKIPS``. Neither
    skips a refusal (closed comments, length, a block, the rate limit).
    """

    checks: list[Check] = DEFAULT_CHECKS

    def decide(self, submission: Submission) -> Decision:
        site = submission.site or SiteSettings.load()
        ctx = Context(site=site, rules=ModerationSettings.load(), sub=submission)
        try:
            decision = self._decide(ctx)
        except BaseException:
            # A later check failed (the database went away): nothing will be stored.
            Decision(status=Comment.Status.PENDING, reserved=ctx.reserved).give_back()
            raise
        decision.reserved = ctx.reserved
        return decision

    def _decide(self, ctx: Context) -> Decision:
        verdicts: list[Verdict] = []
        for check in self.checks:
            verdict = check(ctx)
            verdicts.append(verdict)
            if verdict.action in ("refuse", "throttle"):
                return Decision(status=Comment.Status.PENDING, verdicts=verdicts)
        verdict, score = learned_verdict(ctx.sub, ctx.rules)
        verdicts.append(verdict)
        trusted = {v.check for v in verdicts if v.action == "trust"}
        for action, status in _OUTCOME.items():
            if any(v.action == action and not _set_aside(v, trusted) for v in verdicts):
                return Decision(status=status, verdicts=verdicts, score=score)
        return Decision(status=Comment.Status.APPROVED, verdicts=verdicts, score=score)


def _set_aside(verdict: Verdict, trusted: set[str]) -> bool:
    """Whether the trust verdicts (by their checks' names) set ``verdict`` aside."""
    return "trusted_staff" in trusted or (bool(trusted) and verdict.check in TRUST_SKIPS)
